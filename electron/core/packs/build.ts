/**
 * Builds an evidence pack: data files, signed PDF, workbook, signer
 * certificate, manifest and its detached signature (optionally timestamped),
 * in a staging folder that becomes the pack (or its zip) only when complete.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Progress } from '../../../shared/contract/events.ts';
import type { PackBuildResult, SignerChoice } from '../../../shared/contract/methods/packs.ts';
import { annotationLogHead, loadAnnotationIndex, recordLogHead } from '../annotations/repository.ts';
import { throwIfCancelled } from '../cancel.ts';
import { badOption, UserError } from '../errors.ts';
import { claimOutputFile, claimOutputFolder } from '../output/guard.ts';
import { canonicalJson } from '../store/canonical.ts';
import { uuidv7 } from '../store/snapshots.ts';
import type { Store } from '../store/store.ts';
import { runPackAnalysis, type AnalysisBundle } from './analysis-source.ts';
import { costRunWith } from '../analysis/stream-cost.ts';
import { findingsRunOf } from '../analysis/stream-findings.ts';
import { gatherModel, resolveSnapshot } from './gather.ts';
import type { PackRequest } from './request.ts';
import { certFingerprint, loadP12File, localIdentityForSigning, signerPem, subjectString, type IdentityInfo, type SigningIdentity } from './sign/identity.ts';
import { serialiseManifest, type Manifest, type ManifestFile } from './write/manifest.ts';
import { buildReport } from './pdf/report.ts';
import { HashingFileWriter, writeSnapshotFile } from './write/snapshot-data.ts';
import { SnapshotFiles } from './write/snapshot-files.ts';
import { gatherAccess, pseudonymiser, redactFindings } from './access.ts';
import { REDACTION_RULES, recordRedactor, type PrincipalRef } from './redact.ts';
import { gatherRestore } from '../restore/catalog.ts';
import { alertRoutingDiffOf, routingOf } from '../alerts/routing.ts';
import { policyReport } from '../policy/report.ts';
import { writePrettyJson, writePrettyJsonStreaming } from './write/json-file.ts';
import { signManifest } from './sign/tsa.ts';
import { writeWorkbook } from './write/workbook.ts';
import { zipFolder } from './write/zip.ts';

export type BuildEnv = {
  now: Date;
  user: string;
  toolVersion: string;
  onProgress?: Progress;
  signal?: AbortSignal;
};

const PHASES = ['analyse', 'data', 'workbook', 'report', 'sign'] as const;

export async function openSigner(store: Store, choice: SignerChoice, passphrase: string, env: Pick<BuildEnv, 'now' | 'user'>): Promise<{ identity: SigningIdentity; created: IdentityInfo | null }> {
  if (choice.kind === 'p12') return { identity: loadP12File(path.resolve(choice.file), passphrase), created: null };
  return localIdentityForSigning({
    storeDir: store.dir,
    name: choice.identity ?? 'local',
    passphrase,
    commonName: choice.commonName ?? env.user,
    email: choice.email ?? null,
    now: env.now,
  });
}

function checkCancelled(signal?: AbortSignal): void {
  throwIfCancelled(signal, 'pack build cancelled');
}

/** Where the pack goes; refuses to overwrite anything. */
function planOutput(out: string, zip: boolean, storePath: string): { final: string; staging: string } {
  const abs = path.resolve(out);
  const final = zip ? (abs.toLowerCase().endsWith('.zip') ? abs : `${abs}.zip`) : abs;
  // Never the store or beside-store folders; an existing zip or a non-empty folder whatever the flags (a pack is never written over another).
  if (zip) claimOutputFile(final, { storePath, option: 'out' });
  else claimOutputFolder(final, { storePath, option: 'out' });
  const parent = path.dirname(final);
  try {
    fs.mkdirSync(parent, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new UserError('BAD_INPUT', `cannot create ${parent}: ${(e as Error).message}`, { file: parent });
  }
  // Staging beside the target, so the final rename stays on one file system.
  const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(final)}.partial-`));
  // Private while it is being written, and afterwards: a pack holds the estate's inventory.
  fs.chmodSync(staging, 0o700);
  return { final, staging };
}

/** Every file under `dir` 0600 and every folder 0700 (a pack holds the estate's inventory). */
function makePrivate(dir: string): void {
  fs.chmodSync(dir, 0o700);
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) makePrivate(p);
    else if (e.isFile()) fs.chmodSync(p, 0o600);
  }
}

function writeJsonFile(dir: string, rel: string, value: unknown, canonical = false): ManifestFile {
  const w = new HashingFileWriter(path.join(dir, ...rel.split('/')));
  // Streamed: findings.json alone is ~250 MB at 100k items, too big to hold as one string.
  if (canonical) w.write(canonicalJson(value));
  else if (writePrettyJson(w, value)) w.write('\n');
  const r = w.close();
  return { path: rel, sha256: r.sha256, size: r.size };
}

/** A data file whose big arrays stream (findings, item costs): see writePrettyJsonStreaming. */
function writeStreamedJsonFile(dir: string, rel: string, value: Record<string, unknown>, streams: Record<string, Iterable<unknown>>): ManifestFile {
  const w = new HashingFileWriter(path.join(dir, ...rel.split('/')));
  writePrettyJsonStreaming(w, value, streams);
  w.write('\n');
  const r = w.close();
  return { path: rel, sha256: r.sha256, size: r.size };
}

function writeBytes(dir: string, rel: string, bytes: Buffer): ManifestFile {
  fs.writeFileSync(path.join(dir, ...rel.split('/')), bytes, { flag: 'wx', mode: 0o600 });
  return { path: rel, sha256: sha(bytes), size: bytes.length };
}

/** The principals a snapshot's role assignments name, with who created and last changed each assignment (raw only). */
function principalsOf(store: Store, snapshotId: string): PrincipalRef[] {
  const rows = store.db.prepare("SELECT data, raw FROM records WHERE snapshot_id = ? AND type = 'roleAssignment'").raw(true).all(snapshotId) as Array<[string, string]>;
  return rows.map(([data, raw]) => {
    const d = JSON.parse(data) as { principalId: string; principalName: string | null; principalType: string | null };
    let createdBy: string | null = null;
    let updatedBy: string | null = null;
    try {
      const r = JSON.parse(raw) as Record<string, unknown>;
      const props = (typeof r.properties === 'object' && r.properties !== null ? r.properties : r) as Record<string, unknown>;
      createdBy = typeof props.createdBy === 'string' ? props.createdBy : null;
      updatedBy = typeof props.updatedBy === 'string' ? props.updatedBy : null;
    } catch {
      // The raw text was valid JSON at import; a field it lacks is simply not an identifier to look for.
    }
    return { principalId: d.principalId, principalName: d.principalName, principalType: d.principalType, createdBy, updatedBy };
  });
}

function sha(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

/**
 * One pass: each snapshot ref is resolved once here and the resolved
 * snapshot is what the analysis, the model and the writers get; annotations
 * are loaded once; the request is the packs.build input as the contract
 * checked it.
 */
export async function buildPack(store: Store, opts: PackRequest, env: BuildEnv): Promise<PackBuildResult> {
  const emit = (phase: (typeof PHASES)[number], message: string): void => env.onProgress?.({ phase, done: PHASES.indexOf(phase), total: PHASES.length, message });
  const currentInfo = resolveSnapshot(store, opts.snapshot);
  const baselineInfo = opts.compare ? resolveSnapshot(store, opts.compare) : null;
  const current = currentInfo.summary;
  const baseline = baselineInfo?.summary ?? null;
  if (baseline && baseline.id === current.id) throw badOption('compare', `the snapshot to compare with is the pack's own snapshot (${current.id}); choose an earlier one`);
  if (opts.tsa && !/^https?:\/\//i.test(opts.tsa)) throw badOption('tsa', `the timestamp authority must be an http(s) URL, got "${opts.tsa}"`);

  // Open the signing identity first: a wrong passphrase should fail before minutes of work.
  const { identity, created } = await openSigner(store, opts.signer, opts.passphrase, env);
  const packId = uuidv7(env.now.getTime());
  const createdAt = env.now.toISOString();

  const { final, staging } = planOutput(opts.out, opts.zip ?? false, store.path);
  // The analysis's spooled findings live in the private staging folder while the pack is written, and go before it is signed.
  const workDir = path.join(staging, '.work');
  let bundle: AnalysisBundle | null = null;
  const snapFile = (id: string): string => `data/snapshot-${id}.json`;
  const snaps = [currentInfo, ...(baselineInfo ? [baselineInfo] : [])];
  // The snapshot files are written on a thread of their own from the start, beside everything else (write/snapshot-files.ts);
  // a redacted pack writes them here, with its redactor, in the data phase.
  let snapshotFiles: SnapshotFiles | null = null;
  const between = (): void => {
    checkCancelled(env.signal);
    snapshotFiles?.throwIfFailed();
  };
  try {
    fs.mkdirSync(path.join(staging, 'data'), { mode: 0o700 });
    if (!opts.redactPrincipals) snapshotFiles = SnapshotFiles.start(store, snaps.map((s) => ({ snap: s, file: path.join(staging, ...snapFile(s.summary.id).split('/')) })));
    emit('analyse', 'analysing the snapshot');
    const annotations = loadAnnotationIndex(store);
    const head = annotationLogHead(store);
    bundle = runPackAnalysis(store, { current: currentInfo, baseline: baselineInfo, request: opts, annotations, now: env.now, workDir });
    between();
    const signerSubject = subjectString(identity.cert);
    const model = gatherModel({
      store,
      packId,
      createdAt,
      createdBy: env.user,
      toolVersion: env.toolVersion,
      current: currentInfo,
      baseline: baselineInfo,
      analysis: bundle.analysis,
      annotations,
      annotationLogHead: head,
      signing: { timeSource: opts.tsa ? 'rfc3161' : 'signer clock', tsaUrl: opts.tsa ?? null, signer: signerSubject },
      ...(opts.appendixCap !== undefined ? { appendixCap: opts.appendixCap } : {}),
    });
    const pseudo = opts.redactPrincipals ? pseudonymiser() : null;
    // Every reader of the findings (data file, PDF, workbook) gets them redacted (pseudonyms are keyed, not numbered in order).
    if (pseudo) bundle.raw.findings.transform = (f) => redactFindings([f], pseudo);
    model.access = gatherAccess(store, current.id, pseudo, baseline?.id ?? null);
    model.restore = gatherRestore(store, current.id, current.asOf, annotations);
    model.alerts = { ...routingOf(store, current.id), changes: baseline ? alertRoutingDiffOf(store, baseline.id, current.id) : null };
    model.policy = policyReport(store, current.id);

    const files: ManifestFile[] = [];
    emit('data', 'writing data files');
    // One redactor over the principals of both snapshots: one person, one pseudonym in the whole pack.
    const redactor = pseudo ? recordRedactor(snaps.flatMap((s) => principalsOf(store, s.summary.id)), pseudo) : null;
    const redactedRecords = new Map<string, Record<string, number>>();
    const snapshotWritten = (s: (typeof snaps)[number], r: { sha256: string; size: number; redacted: Record<string, number> }): void => {
      files.push({ path: snapFile(s.summary.id), sha256: r.sha256, size: r.size });
      redactedRecords.set(s.summary.id, r.redacted);
    };
    if (!snapshotFiles) {
      for (const s of snaps) {
        snapshotWritten(s, writeSnapshotFile(store, s, path.join(staging, ...snapFile(s.summary.id).split('/')), redactor));
        between();
      }
    }
    const raw = bundle.raw;
    if (raw.diff) files.push(writeJsonFile(staging, 'data/diff.json', raw.diff));
    // The two big arrays stream: findings from the spool, item costs priced again from the store.
    files.push(writeStreamedJsonFile(staging, 'data/findings.json', findingsRunOf(raw.findings.head, null), { findings: raw.findings.all() }));
    const costRun = costRunWith(raw.cost, { items: null, unknownSizeItems: null, unpricedItems: null });
    files.push(
      writeStreamedJsonFile(staging, 'data/cost.json', bundle.baselineCost ? { ...costRun, baselineByVault: bundle.baselineCost.byVault } : costRun, {
        unknownSizeItems: raw.unknownSizeItems(),
        unpricedItems: raw.unpricedItems(),
        items: raw.items(),
      }),
    );
    if (raw.sample) files.push(writeJsonFile(staging, 'data/sample.json', raw.sample));
    // Written in canonical form, so each file's SHA-256 is the profile / rate-card hash recorded everywhere else.
    files.push(writeJsonFile(staging, 'data/profile.json', raw.profile.value, true));
    files.push(writeJsonFile(staging, 'data/ratecard.json', raw.ratecard.value, true));
    files.push(
      writeJsonFile(staging, 'data/annotations.json', {
        logHead: head,
        annotations: [...annotations.values()].sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0)),
      }),
    );

    // The workbook before the PDF: its long walk over every row then starts on a small heap. After
    // the PDF, V8 let the workbook's garbage grow the heap by 90 MB more before collecting it
    // (100k pack: peak RSS 434 MB that way round, 334-343 MB this way; live heap after a GC 28 MB).
    emit('workbook', 'writing workbook.xlsx');
    between();
    const wb = await writeWorkbook(path.join(staging, 'workbook.xlsx'), model, env.signal);
    files.push({ path: 'workbook.xlsx', sha256: wb.sha256, size: wb.size });
    between();

    emit('report', 'rendering report.pdf');
    const pdf = await buildReport(model, identity, env.signal);
    files.push(writeBytes(staging, 'report.pdf', pdf));
    bundle.close();
    if (snapshotFiles) for (const [i, r] of (await snapshotFiles.results()).entries()) snapshotWritten(snaps[i]!, r);
    checkCancelled(env.signal);

    emit('sign', 'signing the manifest');
    files.push(writeBytes(staging, 'signer.pem', Buffer.from(signerPem(identity), 'utf8')));
    const fingerprint = certFingerprint(identity.cert);
    const manifest: Manifest = {
      schema: 'vaultproof.pack/1',
      packId,
      toolVersion: env.toolVersion,
      createdAt,
      createdBy: env.user,
      complete: current.complete && (baseline?.complete ?? true),
      snapshots: [
        ...[current, ...(baseline ? [baseline] : [])].map((s) => ({
          role: (s === current ? 'current' : 'baseline') as 'current' | 'baseline',
          id: s.id,
          label: s.label,
          asOf: s.asOf,
          createdAt: s.createdAt,
          source: s.source,
          itemCount: s.itemCount,
          complete: s.complete,
          contentHash: s.contentHash,
          canonicalVersion: s.canonicalVersion,
          file: snapFile(s.id),
          ...(pseudo ? { redactedRecords: redactedRecords.get(s.id) ?? {} } : {}),
        })),
      ],
      ...(pseudo ? { redaction: { what: 'principals' as const, files: ['report.pdf', 'workbook.xlsx', 'data/findings.json', ...snaps.map((s) => snapFile(s.summary.id))], ...REDACTION_RULES } } : {}),
      profile: { name: raw.profile.name, version: raw.profile.version, sha256: raw.profile.hash, file: 'data/profile.json' },
      ratecard: { name: raw.ratecard.name, version: raw.ratecard.version, currency: raw.ratecard.value.currency, effectiveDate: raw.ratecard.value.effectiveDate, sha256: raw.ratecard.hash, file: 'data/ratecard.json' },
      sizes: bundle.analysis.sizes,
      sample: raw.sample ? { seed: raw.sample.seed, size: raw.sample.requested, method: raw.sample.method } : null,
      annotationLog: { count: head.count, head: head.hash },
      signing: { signer: signerSubject, signerFingerprint: fingerprint, timeSource: opts.tsa ? 'rfc3161' : 'signer clock', tsa: opts.tsa ?? null },
      files,
    };
    const manifestBytes = serialiseManifest(manifest);
    fs.writeFileSync(path.join(staging, 'manifest.json'), manifestBytes, { flag: 'wx', mode: 0o600 });
    const { p7s, timestamp } = await signManifest(manifestBytes, identity, env.now, opts.tsa, env.signal);
    fs.writeFileSync(path.join(staging, 'manifest.p7s'), p7s, { flag: 'wx', mode: 0o600 });
    checkCancelled(env.signal);
    // Every file 0600, every folder 0700, whatever wrote it and whatever the umask.
    makePrivate(staging);

    let tmpZip: string | null = null;
    if (opts.zip) {
      const entries = [...files.map((f) => f.path), 'manifest.json', 'manifest.p7s'].sort();
      tmpZip = `${staging}.zip`;
      await zipFolder(staging, entries, tmpZip, env.now);
    }
    // Pin the annotation log head the pack records before the pack appears, so every pack at --out has its head
    // pinned and a later truncation of the log is caught. A build killed between the pin and the rename leaves a
    // true head of the log pinned for a pack that never appeared (pins are append-only), which `log verify` still
    // checks against the log.
    recordLogHead(store, { packId, count: head.count, hash: head.hash, at: createdAt });
    if (tmpZip !== null) {
      fs.renameSync(tmpZip, final);
      fs.rmSync(staging, { recursive: true, force: true });
    } else {
      if (fs.existsSync(final)) fs.rmdirSync(final);
      fs.renameSync(staging, final);
    }
    return {
      packId,
      path: final,
      zip: opts.zip ?? false,
      snapshotId: current.id,
      baselineId: baseline?.id ?? null,
      itemCount: current.itemCount,
      complete: manifest.complete,
      files: [...files].sort((a, b) => (a.path < b.path ? -1 : 1)),
      manifestSha256: sha(manifestBytes),
      signer: { subject: signerSubject, fingerprint, identityCreated: created !== null, caPath: created?.caPath ?? (opts.signer.kind === 'local' ? path.join(store.dir, 'identities', `${opts.signer.identity ?? 'local'}-ca.pem`) : null) },
      timestamp,
      annotationLog: { count: head.count, head: head.hash },
      notes: bundle.analysis.notes,
    };
  } catch (e) {
    bundle?.close();
    // Stopped before its folder goes, so nothing it writes outlives the build.
    await snapshotFiles?.stop();
    fs.rmSync(staging, { recursive: true, force: true });
    fs.rmSync(`${staging}.zip`, { force: true });
    throw e;
  }
}
