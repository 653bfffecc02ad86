/**
 * `vaultproof verify PACK`: is the pack exactly what was signed?
 *
 * Intact means: manifest.json verifies against manifest.p7s (and the reviewer
 * signature, when present), every listed file has its SHA-256 and size, no
 * file was added, report.pdf's embedded signature holds, any timestamp covers
 * its signature, and every data/snapshot file recomputes to the content hash
 * the manifest records. Trust (does a signer chain to a --trust anchor?) is
 * reported separately; --require-trusted makes it count.
 */
import { createHash, type X509Certificate } from 'node:crypto';
import type { PackVerifyResult, SignatureReport } from '../../../shared/contract/methods/packs.ts';
import { verifyDetached } from './sign/cms.ts';
import { DerError } from './sign/der.ts';
import { SIGNATURE_FILES, parseManifest, type Manifest } from './write/manifest.ts';
import { checkPdfSignature } from './sign/pdf-signature.ts';
import { checkSnapshotStream } from './write/snapshot-data.ts';
import { chainToAnchor, describeCert } from './sign/trust.ts';
import { timestampOf } from './sign/tsa.ts';
import { PackStructureError, openPack, type PackSource } from './write/zip.ts';

type Failure = { file: string; reason: string };

function status(valid: boolean, trusted: boolean, problem: string | null): string {
  if (!valid) return `invalid: ${problem ?? 'signature does not verify'}`;
  return trusted ? 'valid, signer trusted' : 'valid, signer not trusted';
}

function checkSignatureFile(
  role: 'preparer' | 'reviewer',
  file: string,
  p7s: Buffer,
  manifestBytes: Buffer,
  anchors: readonly X509Certificate[],
  failures: Failure[],
): SignatureReport {
  const base = { role, file, timestamp: null, trusted: false, trustReason: '', fingerprint: null, subject: null, signingTime: null, timeSource: 'signer clock' as const };
  let check: ReturnType<typeof verifyDetached>;
  try {
    check = verifyDetached(p7s, [manifestBytes]);
  } catch (e) {
    const problem = `not a readable CMS signature (${(e as Error).message})`;
    failures.push({ file, reason: problem });
    return { ...base, valid: false, problem, status: status(false, false, problem) };
  }
  const subject = check.cert ? describeCert(check.cert) : null;
  const fingerprint = check.cert ? check.cert.fingerprint256.replace(/:/g, '').toLowerCase() : null;
  if (!check.ok) {
    const digest = check.problem?.includes('digest mismatch');
    const problem = digest ? `tampered: manifest.json does not match the signature in ${file}` : (check.problem ?? 'invalid');
    failures.push(digest ? { file: 'manifest.json', reason: problem } : { file, reason: problem });
    return { ...base, subject, fingerprint, valid: false, problem, status: status(false, false, problem) };
  }
  let timestamp: SignatureReport['timestamp'] = null;
  let at = check.signingTime ?? new Date();
  let timeSource: SignatureReport['timeSource'] = 'signer clock';
  try {
    const ts = timestampOf(check);
    if (ts) {
      const tsTrust = chainToAnchor(ts.tsaCert, ts.certs, anchors, new Date(ts.genTime));
      timestamp = { genTime: ts.genTime, tsa: ts.tsa, trusted: tsTrust.trusted };
      at = new Date(ts.genTime);
      timeSource = 'rfc3161';
    }
  } catch (e) {
    const problem = `timestamp: ${(e as Error).message}`;
    failures.push({ file, reason: problem });
    return { ...base, subject, fingerprint, valid: false, problem, status: status(false, false, problem) };
  }
  const trust = chainToAnchor(check.cert!, check.certs, anchors, at);
  return {
    role,
    file,
    valid: true,
    problem: null,
    subject,
    fingerprint,
    signingTime: (timestamp ? new Date(timestamp.genTime) : check.signingTime)?.toISOString() ?? null,
    timeSource,
    timestamp,
    trusted: trust.trusted,
    trustReason: trust.reason,
    status: status(true, trust.trusted, null),
  };
}

async function hashStream(src: PackSource, p: string): Promise<{ sha256: string; size: number }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const c of await src.stream(p)) {
    h.update(c as Buffer);
    size += (c as Buffer).length;
  }
  return { sha256: h.digest('hex'), size };
}

export async function verifyPack(location: string, opts: { trust?: readonly X509Certificate[]; requireTrusted?: boolean } = {}): Promise<PackVerifyResult> {
  const anchors = opts.trust ?? [];
  const failures: Failure[] = [];
  const warnings: string[] = [];
  const signatures: SignatureReport[] = [];
  const snapshots: PackVerifyResult['snapshots'] = [];
  let manifest: Manifest | null = null;
  let checked = 0;
  let matching = 0;
  const result = (): PackVerifyResult => {
    const intact = failures.length === 0;
    const allSignersTrusted = signatures.length > 0 && signatures.every((s) => s.trusted);
    return {
      ok: intact && (!opts.requireTrusted || allSignersTrusted),
      intact,
      allSignersTrusted,
      packId: manifest?.packId ?? null,
      createdAt: manifest?.createdAt ?? null,
      toolVersion: manifest?.toolVersion ?? null,
      firstFailure: failures[0] ?? null,
      failures,
      signatures,
      files: { checked, matching },
      snapshots,
      warnings,
    };
  };

  let src: PackSource;
  try {
    src = await openPack(location);
  } catch (e) {
    if (e instanceof PackStructureError) {
      failures.push({ file: e.entry, reason: e.message });
      return result();
    }
    throw e;
  }
  try {
    const has = (p: string): boolean => src.files.includes(p);
    if (!has('manifest.json')) {
      failures.push({ file: 'manifest.json', reason: 'missing: this is not a Vaultproof pack, or the manifest was removed' });
      return result();
    }
    if (!has('manifest.p7s')) {
      failures.push({ file: 'manifest.p7s', reason: 'missing: the manifest is not signed' });
      return result();
    }
    const manifestBytes = await src.read('manifest.json');
    signatures.push(checkSignatureFile('preparer', 'manifest.p7s', await src.read('manifest.p7s'), manifestBytes, anchors, failures));
    if (has('manifest.reviewer.p7s')) {
      signatures.push(checkSignatureFile('reviewer', 'manifest.reviewer.p7s', await src.read('manifest.reviewer.p7s'), manifestBytes, anchors, failures));
    }
    const parsed = parseManifest(manifestBytes);
    if (!parsed.ok) {
      failures.push({ file: 'manifest.json', reason: `unreadable: ${parsed.problem}` });
      return result();
    }
    manifest = parsed.manifest;
    const preparer = signatures[0]!;
    if (preparer.valid && preparer.fingerprint !== manifest.signing.signerFingerprint) {
      failures.push({ file: 'manifest.p7s', reason: 'signed by a different certificate than the manifest names' });
    }

    const oversize = new Set<string>();
    for (const f of manifest.files) {
      checked++;
      if (!has(f.path)) {
        failures.push({ file: f.path, reason: 'missing (listed in the manifest)' });
        continue;
      }
      // Bigger than signed: refuse before reading, so a zip bomb costs nothing.
      const declared = src.size(f.path);
      if (declared > f.size) {
        oversize.add(f.path);
        failures.push({ file: f.path, reason: `tampered: ${declared} bytes where the manifest says ${f.size} (not read)` });
        continue;
      }
      const actual = await hashStream(src, f.path);
      if (actual.sha256 !== f.sha256) {
        failures.push({ file: f.path, reason: `tampered: SHA-256 ${actual.sha256} differs from the manifest's ${f.sha256}${actual.size !== f.size ? ` (size ${actual.size}, manifest says ${f.size})` : ''}` });
        continue;
      }
      if (actual.size !== f.size) {
        failures.push({ file: f.path, reason: `size ${actual.size} differs from the manifest's ${f.size}` });
        continue;
      }
      matching++;
    }
    const listed = new Set(manifest.files.map((f) => f.path));
    for (const p of src.files) {
      if (!listed.has(p) && !(SIGNATURE_FILES as readonly string[]).includes(p)) failures.push({ file: p, reason: 'not listed in the signed manifest (added after signing)' });
    }

    if (listed.has('report.pdf') && has('report.pdf') && !oversize.has('report.pdf')) {
      const pdf = await src.read('report.pdf');
      const r = checkPdfSignature(pdf);
      const cert = r.signer?.cert ?? null;
      const trust = cert && r.ok ? chainToAnchor(cert, r.signer!.certs, anchors, r.signer!.signingTime ?? new Date()) : null;
      const fp = cert ? cert.fingerprint256.replace(/:/g, '').toLowerCase() : null;
      signatures.push({
        role: 'pdf',
        file: 'report.pdf',
        valid: r.ok,
        problem: r.problem,
        subject: cert ? describeCert(cert) : null,
        fingerprint: fp,
        signingTime: r.signer?.signingTime?.toISOString() ?? null,
        timeSource: 'signer clock',
        timestamp: null,
        trusted: trust?.trusted ?? false,
        trustReason: trust?.reason ?? '',
        status: status(r.ok, trust?.trusted ?? false, r.problem),
      });
      if (!r.ok) failures.push({ file: 'report.pdf', reason: `embedded signature: ${r.problem ?? 'invalid'}` });
      else if (fp !== manifest.signing.signerFingerprint) warnings.push('report.pdf is signed by a different certificate than the manifest');
    }

    for (const s of manifest.snapshots) {
      if (!has(s.file) || !listed.has(s.file)) {
        failures.push({ file: s.file, reason: 'snapshot file named by the manifest is missing' });
        continue;
      }
      if (oversize.has(s.file)) continue;
      const r = await checkSnapshotStream(await src.stream(s.file));
      let reason: string | null = r.problem;
      if (!reason && r.header?.id !== s.id) reason = `holds snapshot ${r.header?.id ?? '?'}, the manifest says ${s.id}`;
      if (!reason && r.contentHash !== s.contentHash) reason = `recomputed content hash ${r.contentHash ?? '?'} differs from the manifest's ${s.contentHash}`;
      snapshots.push({ id: s.id, role: s.role, contentHash: s.contentHash, recomputed: r.contentHash, ok: reason === null });
      if (reason) failures.push({ file: s.file, reason: `tampered: ${reason}` });
    }
    if (manifest.snapshots.length === 0) warnings.push('the manifest names no snapshot');
    return result();
  } catch (e) {
    if (e instanceof PackStructureError) {
      failures.push({ file: e.entry, reason: e.message });
      return result();
    }
    if (e instanceof DerError) {
      failures.push({ file: 'manifest.p7s', reason: e.message });
      return result();
    }
    throw e;
  } finally {
    await src.close();
  }
}
