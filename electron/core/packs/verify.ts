/**
 * `vaultproof verify PACK`: is the pack exactly what was signed, and by whom?
 *
 * Intact means: manifest.json verifies against manifest.p7s (and the reviewer
 * signature, when present), every signer's certificate may sign (key usage),
 * every listed file has its SHA-256 and size, no file was added, the pack's
 * structure is plain (no folder entry with bytes, no pipe or device, no
 * control characters in names, no repeated key in any JSON), report.pdf's
 * embedded signature holds over the whole file and is made by the manifest's
 * signer, and every data/snapshot file recomputes to the content hash the
 * manifest records.
 *
 * A pack made with --redact-principals (the signed manifest says so, and
 * which records of each snapshot were redacted): a snapshot file holding a
 * redacted record cannot give back its content hash, which is one SHA-256
 * over every record's exact bytes, so no part of it can be recomputed while
 * one record is withheld. Verify then says exactly that, and still checks the
 * signatures, every file's SHA-256, each record's raw text against its
 * rawSha256, the records' order, and that the redacted records are exactly
 * the ones the manifest declares. A snapshot without redacted records is
 * recomputed as always; redaction the manifest does not declare fails.
 *
 * Trust: given any --trust anchor (or --require-trusted), every signer must
 * chain to one of the anchors or the pack fails. A timestamp decides the
 * signing time only when its TSA chains to a --trust-tsa anchor; otherwise it
 * is ignored, said so, and the signer's own clock is used.
 */
import { type X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import type { PackVerifyResult, SignatureReport } from '../../../shared/contract/methods/packs.ts';
import { verifyDetached } from './sign/cms.ts';
import { DerError } from './sign/der.ts';
import { findDuplicateKey } from './sign/json-duplicates.ts';
import { SnapshotFileWork, hashFile } from './verify-files.ts';
import { SIGNATURE_FILES, parseManifest, type Manifest } from './write/manifest.ts';
import { checkPdfSignature } from './sign/pdf-signature.ts';
import { checkSnapshotStream } from './write/snapshot-data.ts';
import { chainToAnchor, describeCert, fingerprintOf, signingUsageProblem } from './sign/trust.ts';
import { judgeTimestamp } from './sign/tsa.ts';
import { PackStructureError, openPack, type PackSource } from './write/zip.ts';

type Failure = { file: string; reason: string };

export type VerifyOptions = {
  /** Anchors every signer must chain to; giving any makes trust count. */
  trust?: readonly X509Certificate[];
  /** Anchors a timestamp authority must chain to for its time to count. */
  trustTsa?: readonly X509Certificate[];
  /** Trust counts even without anchors (then nothing can be trusted). */
  requireTrusted?: boolean;
  now?: Date;
};

function status(valid: boolean, trusted: boolean, problem: string | null): string {
  if (!valid) return `invalid: ${problem ?? 'signature does not verify'}`;
  return trusted ? 'valid, signer trusted' : 'valid, signer not trusted';
}

type Context = { anchors: readonly X509Certificate[]; tsaAnchors: readonly X509Certificate[]; now: Date; failures: Failure[]; warnings: string[] };

function checkSignatureFile(role: 'preparer' | 'reviewer', file: string, p7s: Buffer, manifestBytes: Buffer, ctx: Context): SignatureReport {
  const { failures } = ctx;
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
  const fingerprint = check.cert ? fingerprintOf(check.cert) : null;
  if (!check.ok) {
    const digest = check.problem?.includes('digest mismatch');
    const problem = digest ? `tampered: manifest.json does not match the signature in ${file}` : (check.problem ?? 'invalid');
    failures.push(digest ? { file: 'manifest.json', reason: problem } : { file, reason: problem });
    return { ...base, subject, fingerprint, valid: false, problem, status: status(false, false, problem) };
  }
  const usage = signingUsageProblem(check.cert!);
  if (usage) {
    const problem = `the signer certificate may not sign: ${usage}`;
    failures.push({ file, reason: problem });
    return { ...base, subject, fingerprint, valid: false, problem, status: status(false, false, problem) };
  }
  let timestamp: SignatureReport['timestamp'] = null;
  let at = check.signingTime ?? ctx.now;
  let timeSource: SignatureReport['timeSource'] = 'signer clock';
  const ts = judgeTimestamp(check, ctx.tsaAnchors, ctx.now);
  if (ts?.counted) {
    timestamp = { genTime: ts.info.genTime, tsa: ts.info.tsa, trusted: true };
    at = new Date(ts.info.genTime);
    timeSource = 'rfc3161';
  } else if (ts) {
    if (ts.info) timestamp = { genTime: ts.info.genTime, tsa: ts.info.tsa, trusted: false };
    ctx.warnings.push(`${file}: timestamp not trusted — ignored (${ts.reason}); the signing time is the signer's own clock`);
  }
  const trust = chainToAnchor(check.cert!, check.certs, ctx.anchors, at);
  return {
    role,
    file,
    valid: true,
    problem: null,
    subject,
    fingerprint,
    signingTime: (timeSource === 'rfc3161' ? at : check.signingTime)?.toISOString() ?? null,
    timeSource,
    timestamp,
    trusted: trust.trusted,
    trustReason: trust.reason,
    status: status(true, trust.trusted, null),
  };
}

/** What a pack made before a check existed is told, instead of failing it. */
export const PREDATES = {
  certification:
    'report.pdf carries an approval signature, not a certification (DocMDP) signature: PDF readers are not told to flag later changes (verify still refuses any byte after the signed range)',
} as const;

/**
 * report.pdf's embedded signature as a SignatureReport: it must hold over the
 * whole file (no byte after the signed range), be the only signature, and be
 * made by a certificate that may sign.
 */
function checkReportPdf(pdf: Buffer, ctx: Context): { report: SignatureReport; certified: boolean } {
  const r = checkPdfSignature(pdf);
  const cert = r.signer?.cert ?? null;
  const count = pdf.toString('latin1').split('/ByteRange').length - 1;
  const usage = cert && r.ok ? signingUsageProblem(cert) : null;
  const problem = usage ? `the signer certificate may not sign: ${usage}` : !r.ok ? r.problem : count > 1 ? `it holds ${count} signatures; a Vaultproof report holds one (one was added later)` : null;
  const ok = problem === null;
  const trust = cert && ok ? chainToAnchor(cert, r.signer!.certs, ctx.anchors, r.signer!.signingTime ?? ctx.now) : null;
  const report: SignatureReport = {
    role: 'pdf',
    file: 'report.pdf',
    valid: ok,
    problem,
    subject: cert ? describeCert(cert) : null,
    fingerprint: cert ? fingerprintOf(cert) : null,
    signingTime: r.signer?.signingTime?.toISOString() ?? null,
    timeSource: 'signer clock',
    timestamp: null,
    trusted: trust?.trusted ?? false,
    trustReason: trust?.reason ?? '',
    status: status(ok, trust?.trusted ?? false, problem),
  };
  if (!ok) ctx.failures.push({ file: 'report.pdf', reason: `embedded signature: ${problem}` });
  return { report, certified: r.certification !== null };
}

function summarise(kind: PackVerifyResult['kind'], trustRequired: boolean, parts: Omit<PackVerifyResult, 'ok' | 'intact' | 'allSignersTrusted' | 'trustRequired' | 'kind' | 'firstFailure'>): PackVerifyResult {
  const intact = parts.failures.length === 0;
  const allSignersTrusted = parts.signatures.length > 0 && parts.signatures.every((s) => s.trusted);
  return { ok: intact && (!trustRequired || allSignersTrusted), intact, allSignersTrusted, trustRequired, kind, firstFailure: parts.failures[0] ?? null, ...parts };
}

/** What verify cannot prove about a snapshot whose records were redacted, in the words it prints. */
export function notRecomputed(redacted: Record<string, number>): string {
  const where = Object.entries(redacted)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([kind, n]) => `${n} ${kind} record(s)`)
    .join(', ');
  return `snapshot content hash not recomputed: principals redacted in ${where}; the stated hash is the original snapshot's, and that these records are that snapshot's rests on the signature alone`;
}

/**
 * The redaction a snapshot file shows must be the one the signed manifest
 * declares, kind by kind: a file cannot opt out of its content hash on its own.
 */
function redactionProblem(manifest: Manifest, s: Manifest['snapshots'][number], found: Record<string, number>, headerSays: boolean): string | null {
  const declared = s.redactedRecords;
  const total = Object.values(found).reduce((a, b) => a + b, 0);
  if (!manifest.redaction || !declared) {
    if (total > 0 || headerSays) return 'holds redacted records, but the signed manifest declares no redaction';
    return null;
  }
  if (!headerSays) return 'the manifest declares redaction, but the file\'s header does not';
  for (const kind of new Set([...Object.keys(declared), ...Object.keys(found)])) {
    const want = declared[kind] ?? 0;
    const got = found[kind] ?? 0;
    if (want !== got) return `${got} redacted ${kind} record(s), the manifest declares ${want}`;
  }
  return null;
}

/** What a pack's and a lone PDF's verification start from: the anchors given, and empty failure, warning and predates lists. */
function startVerify(opts: VerifyOptions): { trustRequired: boolean; failures: Failure[]; warnings: string[]; predates: string[]; ctx: Context } {
  const anchors = opts.trust ?? [];
  const failures: Failure[] = [];
  const warnings: string[] = [];
  const ctx: Context = { anchors, tsaAnchors: opts.trustTsa ?? [], now: opts.now ?? new Date(), failures, warnings };
  return { trustRequired: anchors.length > 0 || opts.requireTrusted === true, failures, warnings, predates: [], ctx };
}

/** Any PDF reads whole; one larger than this is not a Vaultproof report. */
const MAX_LONE_PDF_BYTES = 256 * 1024 * 1024;

/** `vaultproof verify report.pdf`: a report on its own, outside its pack. */
export function verifyReportPdf(file: string, opts: VerifyOptions = {}): PackVerifyResult {
  const { trustRequired, failures, warnings, predates, ctx } = startVerify(opts);
  const signatures: SignatureReport[] = [];
  const size = fs.statSync(file).size;
  if (size > MAX_LONE_PDF_BYTES) failures.push({ file: 'report.pdf', reason: `${size} bytes, more than any report Vaultproof writes; refused unread` });
  else {
    const { report, certified } = checkReportPdf(fs.readFileSync(file), ctx);
    signatures.push(report);
    if (report.valid && !certified) predates.push(PREDATES.certification);
  }
  return summarise('pdf', trustRequired, { packId: null, createdAt: null, toolVersion: null, failures, signatures, files: { checked: 0, matching: 0 }, snapshots: [], warnings, predates });
}

function isPdfFile(location: string): boolean {
  try {
    if (!fs.statSync(location).isFile()) return false;
    const fd = fs.openSync(location, 'r');
    try {
      const head = Buffer.alloc(5);
      fs.readSync(fd, head, 0, 5, 0);
      return head.toString('latin1') === '%PDF-';
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** Verifies a pack (folder or zip), or a lone report.pdf when `location` is a PDF file. */
export async function verifyPack(location: string, opts: VerifyOptions = {}): Promise<PackVerifyResult> {
  if (isPdfFile(location)) return verifyReportPdf(location, opts);
  const { trustRequired, failures, warnings, predates, ctx } = startVerify(opts);
  const signatures: SignatureReport[] = [];
  const snapshots: PackVerifyResult['snapshots'] = [];
  let manifest: Manifest | null = null;
  let checked = 0;
  let matching = 0;
  const result = (): PackVerifyResult =>
    summarise('pack', trustRequired, {
      packId: manifest?.packId ?? null,
      createdAt: manifest?.createdAt ?? null,
      toolVersion: manifest?.toolVersion ?? null,
      failures,
      signatures,
      files: { checked, matching },
      snapshots,
      warnings,
      predates,
    });

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
  let work: SnapshotFileWork | null = null;
  try {
    // A Set: verify stays linear in the number of entries (a list search here made 100k entries take a minute).
    const present = new Set(src.files);
    const has = (p: string): boolean => present.has(p);
    if (!has('manifest.json')) {
      failures.push({ file: 'manifest.json', reason: 'missing: this is not a Vaultproof pack, or the manifest was removed' });
      return result();
    }
    if (!has('manifest.p7s')) {
      failures.push({ file: 'manifest.p7s', reason: 'missing: the manifest is not signed' });
      return result();
    }
    const manifestBytes = await src.read('manifest.json');
    signatures.push(checkSignatureFile('preparer', 'manifest.p7s', await src.read('manifest.p7s'), manifestBytes, ctx));
    if (has('manifest.reviewer.p7s')) {
      signatures.push(checkSignatureFile('reviewer', 'manifest.reviewer.p7s', await src.read('manifest.reviewer.p7s'), manifestBytes, ctx));
    }
    const dup = findDuplicateKey(manifestBytes);
    if (dup) {
      failures.push({ file: 'manifest.json', reason: `the key "${dup.key}" appears twice (at ${dup.at}); readers would disagree on its value` });
      return result();
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

    // The big snapshot files are read and checked on workers meanwhile (verify-files.ts); only those within their signed size.
    const sizeOf = new Map(manifest.files.map((f) => [f.path, f.size]));
    const offload = manifest.snapshots.map((s) => s.file).filter((p) => has(p) && sizeOf.has(p) && src.size(p) <= sizeOf.get(p)!);
    work = new SnapshotFileWork(src.location, offload, (p) => src.size(p));
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
      const actual = (await work.hash(f.path)) ?? (await hashFile(src, f.path));
      if (actual.sha256 !== f.sha256) {
        failures.push({ file: f.path, reason: `tampered: SHA-256 ${actual.sha256} differs from the manifest's ${f.sha256}${actual.size !== f.size ? ` (size ${actual.size}, manifest says ${f.size})` : ''}` });
        continue;
      }
      if (actual.size !== f.size) {
        failures.push({ file: f.path, reason: `size ${actual.size} differs from the manifest's ${f.size}` });
        continue;
      }
      if (actual.duplicate) {
        failures.push({ file: f.path, reason: `the key "${actual.duplicate.key}" appears twice (at ${actual.duplicate.at}); readers would disagree on its value` });
        continue;
      }
      matching++;
    }
    const listed = new Set(manifest.files.map((f) => f.path));
    const signatureFiles = new Set<string>(SIGNATURE_FILES);
    for (const p of src.files) {
      if (!listed.has(p) && !signatureFiles.has(p)) failures.push({ file: p, reason: 'not listed in the signed manifest (added after signing)' });
    }

    if (listed.has('report.pdf') && has('report.pdf') && !oversize.has('report.pdf')) {
      const { report, certified } = checkReportPdf(await src.read('report.pdf'), ctx);
      signatures.push(report);
      if (report.valid && report.fingerprint !== manifest.signing.signerFingerprint) {
        failures.push({ file: 'report.pdf', reason: `signed by a different certificate (SHA-256 ${report.fingerprint}) than the manifest names (${manifest.signing.signerFingerprint})` });
      } else if (report.valid && !certified) predates.push(PREDATES.certification);
    }

    for (const s of manifest.snapshots) {
      if (!has(s.file) || !listed.has(s.file)) {
        failures.push({ file: s.file, reason: 'snapshot file named by the manifest is missing' });
        continue;
      }
      if (oversize.has(s.file)) continue;
      const r = (await work.check(s.file)) ?? (await checkSnapshotStream(await src.stream(s.file)));
      let reason: string | null = r.problem;
      if (!reason && r.header?.id !== s.id) reason = `holds snapshot ${r.header?.id ?? '?'}, the manifest says ${s.id}`;
      const found = Object.entries(r.redacted).filter(([, n]) => n > 0);
      // Not recomputable, but still stated: the file and the manifest must state the same original hash.
      if (!reason && found.length > 0 && r.header?.contentHash !== s.contentHash) reason = `states content hash ${r.header?.contentHash ?? '?'}, the manifest says ${s.contentHash}`;
      if (!reason) reason = redactionProblem(manifest, s, r.redacted, r.header?.redaction !== undefined);
      if (!reason && found.length === 0 && r.contentHash !== s.contentHash) reason = `recomputed content hash ${r.contentHash ?? '?'} differs from the manifest's ${s.contentHash}`;
      const redacted = !reason && found.length > 0 ? Object.fromEntries(found) : null;
      snapshots.push({ id: s.id, role: s.role, contentHash: s.contentHash, recomputed: r.contentHash, ok: reason === null, ...(redacted ? { redacted } : {}) });
      if (reason) failures.push({ file: s.file, reason: `tampered: ${reason}` });
      if (redacted) warnings.push(`${s.file}: ${notRecomputed(redacted)}`);
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
    await work?.close();
    await src.close();
  }
}
