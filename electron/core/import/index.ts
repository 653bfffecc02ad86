import { createHash } from 'node:crypto';
import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import type { Progress } from '../../../shared/contract/events.ts';
import type { ImportResult } from '../../../shared/contract/methods/snapshots.ts';
import { isObj, parseTime } from '../../../shared/domain/normalise/fields.ts';
import { recogniseResource } from '../../../shared/domain/normalise/index.ts';
import type { CoverageEntry, InputFile, Provenance } from '../../../shared/domain/types.ts';
import { toolVersion } from '../version.ts';
import { throwIfCancelled } from '../cancel.ts';
import { badInput, badOption, UserError } from '../errors.ts';
import type { Store } from '../store/store.ts';
import type { SnapshotSink } from '../store/snapshots.ts';
import { ParallelSnapshotWriter } from '../store/parallel.ts';
import { type Container, timeMarker, unwrap } from './containers.ts';
import { isBackupReportsHeader, parseCsvRows } from './csv.ts';
import { shapeProblem } from './shape.ts';
import { ArraySplitter, ElementTooLarge, MAX_ELEMENT_CHARS } from './split.ts';
import { mayRepeatKeys, scanElement } from './verbatim.ts';
import { decodeText, detectEncoding, jsonProblem, parseJsonText } from './text.ts';

/** Files above this size are parsed as a stream (bounded memory); below, in one piece (exact error positions). */
function streamThreshold(): number {
  const env = Number(process.env.VAULTPROOF_STREAM_THRESHOLD);
  return Number.isFinite(env) && env > 0 ? env : 64 * 1024 * 1024;
}

function parallelThreshold(): number {
  const env = Number(process.env.VAULTPROOF_PARALLEL_THRESHOLD);
  return Number.isFinite(env) && env >= 0 ? env : 8 * 1024 * 1024;
}

export const EXPECTED =
  'Azure Backup data: protected items (az backup item list, ARM backupProtectedItems, Get-AzRecoveryServicesBackupItem | ConvertTo-Json, Resource Graph RecoveryServicesResources), Backup vault instances, vaults, policies, recovery points, jobs, or inventory (VMs, storage accounts) — `vaultproof kit` prints the commands that produce them';

export type ImportOptions = {
  label?: string;
  asOf?: string;
  now: Date;
  user: string;
  onProgress?: Progress;
  signal?: AbortSignal;
};

type FileOutcome = { path: string; format: string; records: number; input: InputFile; asOf?: string; mtime: number };

type Tally = {
  subscriptions: Set<string>;
  tenants: Set<string>;
  vaults: Map<string, number>;
  warnings: string[];
  skippedTypes: Map<string, number>;
  /** Records added, by type (an import without items is refused). */
  byType: Map<string, number>;
};

function checkAbort(signal: AbortSignal | undefined): void {
  throwIfCancelled(signal, 'import cancelled; nothing was stored');
}

/**
 * Adds one raw object; returns whether it was recognised as backup data (a
 * duplicate still counts). `text` is the object's source text when the file
 * had one per object: the store keeps it byte-exact as the raw JSON.
 */
function addObject(writer: SnapshotSink, obj: unknown, index: number, file: string, tally: Tally, tenantHint: string | null, kindLabel: string, text?: string): boolean {
  const problem = shapeProblem(obj);
  if (problem) throw badInput(`${file}: ${kindLabel} ${index}: ${problem}`, { file });
  const r = recogniseResource(obj, { tenantId: tenantHint });
  if (!r.ok) {
    if (r.reason === 'no-id') throw badInput(`${file}: ${kindLabel} ${index}: no id`, { file });
    const t = r.type ?? (obj !== null && typeof obj === 'object' ? 'an object without a type' : typeof obj);
    tally.skippedTypes.set(t, (tally.skippedTypes.get(t) ?? 0) + 1);
    return false;
  }
  const rec = r.record;
  if (text !== undefined) {
    rec.rawText = text;
    // JSON.parse keeps the last of two equal keys in silence; the raw text keeps both.
    for (const d of mayRepeatKeys(text, obj) ? scanElement(text).duplicates : []) {
      tally.warnings.push(`${file}: ${kindLabel} ${index} (${rec.type} ${rec.key}): the key "${d.key}" appears more than once (at ${d.path}); the normalised record takes the last value, the raw JSON keeps both`);
    }
  }
  if (!writer.add(rec)) {
    tally.warnings.push(`${file}: ${rec.type} ${rec.key} appears more than once in this import; kept the first`);
    return true;
  }
  tally.byType.set(rec.type, (tally.byType.get(rec.type) ?? 0) + 1);
  if (rec.type === 'item') {
    const it = rec.data;
    if (it.subscriptionId) tally.subscriptions.add(it.subscriptionId.toLowerCase());
    if (it.tenantId) tally.tenants.add(it.tenantId.toLowerCase());
    if (it.vaultKey) tally.vaults.set(it.vaultKey, (tally.vaults.get(it.vaultKey) ?? 0) + 1);
  } else if (rec.type === 'vault') {
    if (rec.data.subscriptionId) tally.subscriptions.add(rec.data.subscriptionId.toLowerCase());
    if (rec.data.tenantId) tally.tenants.add(rec.data.tenantId.toLowerCase());
    if (!tally.vaults.has(rec.data.key)) tally.vaults.set(rec.data.key, 0);
  }
  return true;
}

function refuseUnrecognised(file: string, tally: Tally, before: Map<string, number>, total: number): never {
  const found = [...tally.skippedTypes.entries()]
    .map(([t, n]) => [t, n - (before.get(t) ?? 0)] as const)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${n} × ${t}`)
    .join(', ');
  throw badInput(`${file}: holds no Azure Backup data (found ${total === 0 ? 'nothing' : found || `${total} unrecognised values`}); expected ${EXPECTED}`, { file });
}

async function importSmallFile(writer: SnapshotSink, file: string, buf: Buffer, tally: Tally, opts: ImportOptions): Promise<{ format: string; records: number; asOf?: string }> {
  if (buf.length === 0 || buf.toString('latin1').trim() === '') throw badInput(`${file}: empty file; expected ${EXPECTED}`, { file });
  const { text, encoding } = decodeText(buf, file);
  const trimmed = text.trimStart();
  const enc = encoding === 'utf-8' ? '' : ` (${encoding})`;
  let container: Container | null;
  let texts: string[] | null = null;
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const doc = parseJsonText(text, file);
    container = unwrap(doc);
    if (!container) throw badInput(`${file}: a JSON object that is not a resource, a list ({value: [...]}) or a Resource Graph result; expected ${EXPECTED}`, { file });
    texts = elementTexts(text, doc, container, file);
  } else {
    const marker = timeMarker(text);
    if (marker) return { format: 'collection-time', records: 0, asOf: marker };
    const firstLine = trimmed.split(/\r?\n/, 1)[0] ?? '';
    if (!firstLine.includes(',')) throw badInput(`${file}:1:1: neither JSON nor CSV (it does not start with { or [ and its first line has no comma); expected ${EXPECTED}`, { file, line: 1, column: 1 });
    const { header, rows } = parseCsvRows(text, file);
    if (isBackupReportsHeader(header)) {
      throw badInput(`${file}: this is a Backup Reports export (sizes), not a list of backup items; import it with \`vaultproof sizes import ${path.basename(file)}\``, { file });
    }
    if (!header.some((h) => h.toLowerCase() === 'id')) throw badInput(`${file}:1: CSV without an "id" column (${header.length} column(s), none named id); expected a Resource Graph Explorer export with id, type and properties`, { file, line: 1 });
    const tenants = [...new Set(rows.map((r) => r.tenantId).filter((t): t is string => typeof t === 'string'))];
    container = { format: 'resource-graph-csv', objects: rows, tenantIds: tenants };
  }
  if (container.format === 'collection-time') return { format: container.format, records: 0, ...(container.asOf ? { asOf: container.asOf } : {}) };
  for (const t of container.tenantIds ?? []) tally.tenants.add(t.toLowerCase());
  const before = new Map(tally.skippedTypes);
  let records = 0;
  const label = container.format.startsWith('resource-graph') ? 'row' : 'item';
  for (let i = 0; i < container.objects.length; i++) {
    if (addObject(writer, container.objects[i], i + 1, file, tally, null, label, texts?.[i])) records++;
    if ((i & 1023) === 1023) {
      checkAbort(opts.signal);
      await writer.drain?.();
      opts.onProgress?.({ phase: 'import', done: writer.recordCount, total: null, message: path.basename(file) });
    }
  }
  const skipped = container.objects.length - records;
  if (records === 0 && container.objects.length > 0) refuseUnrecognised(file, tally, before, container.objects.length);
  if (skipped > 0) {
    for (const [t, n] of tally.skippedTypes) {
      const d = n - (before.get(t) ?? 0);
      if (d > 0) tally.warnings.push(`${file}: skipped ${d} object(s) of type ${t} (not backup data)`);
    }
  }
  return { format: container.format + enc, records };
}

/**
 * The source text of each of the container's objects, when they are the
 * elements of the document's array (top level, `value` or `data`) or the
 * document itself; null when the objects were built (table rows). Checked
 * against the parse: the splitter must have found the same array, element
 * for element.
 */
function elementTexts(text: string, doc: unknown, container: Container, file: string): string[] | null {
  if (container.objects.length === 1 && container.objects[0] === doc) {
    const whole = text.trim();
    if (whole.length > MAX_ELEMENT_CHARS) throw tooLarge(file, new ElementTooLarge(1, 1, MAX_ELEMENT_CHARS));
    return [whole];
  }
  const key = container.objects === doc ? null : isObj(doc) && container.objects === doc.value ? 'value' : isObj(doc) && container.objects === doc.data ? 'data' : undefined;
  if (key === undefined) return null;
  const splitter = new ArraySplitter();
  let texts: string[];
  try {
    texts = splitter.push(text);
    splitter.end();
  } catch (e) {
    if (e instanceof ElementTooLarge) throw tooLarge(file, e);
    return null;
  }
  return splitter.targetKey === key && texts.length === container.objects.length ? texts : null;
}

function tooLarge(file: string, e: ElementTooLarge): UserError {
  return badInput(`${file}:${e.line}: ${e.message}; split the export (e.g. one file per vault) or remove the oversized value`, { file, line: e.line });
}

/**
 * A file's bytes a megabyte at a time, each read into the same buffer: every chunk is used up (hashed, decoded
 * into a string) before the loop asks for the next. A new buffer per read (a read stream) made fresh pages to
 * fault in for each of a 170 MB file's megabytes.
 */
async function* fileChunks(file: string): AsyncGenerator<Buffer> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafeSlow(1 << 20);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) return;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

/**
 * Big files: the elements of the top-level array (or of `value` / `data`) are parsed one at a time. The file's
 * SHA-256 (provenance) is taken from the same chunks, in the same read: `digest` is set once the whole file is read.
 */
async function importLargeFile(writer: SnapshotSink, file: string, tally: Tally, opts: ImportOptions, digest: { sha256: string; size: number }): Promise<{ format: string; records: number } | null> {
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(4096);
  const n = fs.readSync(fd, head, 0, head.length, 0);
  fs.closeSync(fd);
  const encoding = detectEncoding(head.subarray(0, n), file);
  const skip = encoding === 'utf-8-bom' ? 3 : encoding === 'utf-8' ? 0 : 2;
  const decoder = new TextDecoder(encoding.startsWith('utf-16le') ? 'utf-16le' : encoding.startsWith('utf-16be') ? 'utf-16be' : 'utf-8', { fatal: true });
  const splitter = new ArraySplitter();
  const before = new Map(tally.skippedTypes);
  let records = 0;
  let count = 0;
  let offset = 0;
  const fileHash = createHash('sha256');
  const utf8 = !encoding.startsWith('utf-16');
  /** Whether the decoder may hold the start of a character cut by the end of the last chunk. */
  let decoderHolds = false;
  try {
    for await (const chunk of fileChunks(file)) {
      fileHash.update(chunk);
      const bytes = offset === 0 ? chunk.subarray(skip) : chunk;
      let text: string;
      try {
        // ASCII (almost every export) is its own Latin-1: copied into a string, where the streaming UTF-8
        // decoder took 3 % of the import. Anything else, or a character cut between chunks, goes to the decoder.
        if (utf8 && !decoderHolds && isAscii(bytes)) text = bytes.toString('latin1');
        else {
          text = decoder.decode(bytes, { stream: true });
          decoderHolds = bytes.length > 0 && bytes[bytes.length - 1]! >= 0x80;
        }
      } catch {
        throw badInput(`${file}: not valid ${encoding.startsWith('utf-16') ? 'UTF-16' : 'UTF-8'} text near byte ${offset}`, { file });
      }
      offset += chunk.length;
      for (const elementText of splitter.push(text)) {
        count++;
        let value: unknown;
        try {
          value = JSON.parse(elementText) as unknown;
        } catch (e) {
          throw badInput(`${file}:${splitter.line}: item ${count}: invalid JSON: ${jsonProblem((e as Error).message)}`, { file, line: splitter.line });
        }
        if (addObject(writer, value, count, file, tally, null, 'item', elementText)) records++;
      }
      checkAbort(opts.signal);
      await writer.drain?.();
      opts.onProgress?.({ phase: 'import', done: writer.recordCount, total: null, message: path.basename(file) });
    }
    splitter.end();
    digest.sha256 = fileHash.digest('hex');
    digest.size = offset;
  } catch (e) {
    if (e instanceof UserError) throw e;
    if (e instanceof ElementTooLarge) throw tooLarge(file, e);
    const line = (e as { line?: number }).line;
    throw badInput(`${file}${line ? `:${line}` : ''}: invalid JSON: ${(e as Error).message}`, { file, ...(line ? { line } : {}) });
  }
  // A single resource (no list inside): the caller parses it whole — unless it is bigger than one element may be.
  if (!splitter.foundArray) {
    if (splitter.chars > MAX_ELEMENT_CHARS) throw tooLarge(file, new ElementTooLarge(1, 1, MAX_ELEMENT_CHARS));
    return null;
  }
  if (records === 0 && count > 0) refuseUnrecognised(file, tally, before, count);
  return { format: splitter.topIsArray ? 'json-array (streamed)' : 'arm-list (streamed)', records };
}

function openable(file: string): fs.Stats {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw badInput(`${file}: no such file`, { file });
    if (code === 'EACCES' || code === 'EPERM') throw badInput(`${file}: permission denied (cannot read this file)`, { file });
    throw badInput(`${file}: cannot read: ${(e as Error).message}`, { file });
  }
  if (st.isDirectory()) throw badInput(`${file}: is a directory; give the export files inside it (e.g. ${path.join(file, '*.json')})`, { file });
  if (!st.isFile()) throw badInput(`${file}: not a regular file`, { file });
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    throw badInput(`${file}: permission denied (cannot read this file)`, { file });
  }
  return st;
}

const typeWords: Record<string, string> = { job: 'job(s)', recoveryPoint: 'recovery point(s)', vault: 'vault(s)', policy: 'policy record(s)', inventory: 'inventory record(s)' };

/**
 * An import is a snapshot of backup items: files holding only jobs, recovery
 * points, vaults, policies or inventory describe items that are not there,
 * and a 0-item snapshot marked complete would claim an empty estate.
 */
function refuseWithoutItems(paths: string[], tally: Tally): void {
  if ((tally.byType.get('item') ?? 0) > 0) return;
  const found = [...tally.byType.entries()].map(([t, n]) => `${n} ${typeWords[t] ?? t}`).join(', ');
  const files = paths.length === 1 ? paths[0]! : `${paths.length} files (${paths.map((p) => path.basename(p)).join(', ')})`;
  throw badInput(
    `${files}: no backup item or backup instance found (found ${found || 'no records'}). Jobs, recovery points, vaults, policies and inventory describe backup items: import them together with the item list (e.g. az backup item list, or the backupProtectedItems / backupInstances export) in the same import`,
    paths.length === 1 ? { file: paths[0]! } : {},
  );
}

/**
 * Times in the data later than the snapshot's asOf cannot be true of the
 * estate at asOf: a wrong collected-at file, or exports from different days
 * mixed together. Says how many records carry one and names the first.
 */
function timesAfterAsOf(store: Store, snapshotId: string, asOf: string): string | null {
  const db = store.db;
  // Normalised times are ISO-8601 UTC with milliseconds, so text order is time order.
  const items = db
    .prepare(`SELECT key, last_backup_time AS lb, last_recovery_point AS rp FROM items WHERE snapshot_id = ? AND (last_backup_time > @asOf OR last_recovery_point > @asOf) ORDER BY key`)
    .all(snapshotId, { asOf }) as Array<{ key: string; lb: string | null; rp: string | null }>;
  const recs = db
    .prepare(`SELECT type, key, coalesce(data->>'$.time', data->>'$.startTime') AS t, data->>'$.endTime' AS e FROM records
      WHERE snapshot_id = ? AND type IN ('recoveryPoint', 'job') AND (data->>'$.time' > @asOf OR data->>'$.startTime' > @asOf OR data->>'$.endTime' > @asOf) ORDER BY type, key`)
    .all(snapshotId, { asOf }) as Array<{ type: string; key: string; t: string | null; e: string | null }>;
  const n = items.length + recs.length;
  if (n === 0) return null;
  const first = items[0]
    ? `item ${items[0].key} (${items[0].lb !== null && items[0].lb > asOf ? `last backup ${items[0].lb}` : `last recovery point ${items[0].rp}`})`
    : `${recs[0]!.type === 'job' ? 'job' : 'recovery point'} ${recs[0]!.key} (${recs[0]!.t !== null && recs[0]!.t > asOf ? recs[0]!.t : recs[0]!.e})`;
  return `${n} record(s) carry a time later than the snapshot's asOf ${asOf}, first ${first}: the data cannot be true at asOf. The usual cause is a wrong collection time (collected-at file or --as-of) or exports from different days mixed together`;
}

/**
 * Imports export files into ONE snapshot, in one transaction: on any error
 * nothing is stored and the store is exactly as it was.
 */
export async function importFiles(store: Store, paths: string[], opts: ImportOptions): Promise<ImportResult> {
  if (paths.length === 0) throw badInput('no files to import');
  let optionAsOf: string | null = null;
  if (opts.asOf !== undefined) {
    optionAsOf = /^\d{4}-\d{2}-\d{2}T/.test(opts.asOf) || /^\d{4}-\d{2}-\d{2}$/.test(opts.asOf) ? parseTime(opts.asOf) : null;
    if (!optionAsOf) throw badOption('asOf', `the "as of" time ${JSON.stringify(opts.asOf)} is not an ISO-8601 time (e.g. 2026-11-01T08:00:00Z)`);
  }
  const stats = paths.map((p) => openable(p));
  const tally: Tally = { subscriptions: new Set(), tenants: new Set(), vaults: new Map(), warnings: [], skippedTypes: new Map(), byType: new Map() };
  const outcomes: FileOutcome[] = [];
  // Big imports write through a worker thread so parsing and SQLite overlap (see test/bench/import.ts).
  const totalBytes = stats.reduce((a, s) => a + s.size, 0);
  const writer: SnapshotSink = totalBytes >= parallelThreshold() ? await ParallelSnapshotWriter.open(store.path, opts.now.getTime()) : store.snapshots.begin(opts.now.getTime());
  let current: string | null = null;
  try {
    for (let i = 0; i < paths.length; i++) {
      checkAbort(opts.signal);
      const file = paths[i]!;
      current = file;
      const st = stats[i]!;
      opts.onProgress?.({ phase: 'import', done: writer.recordCount, total: null, message: `reading ${path.basename(file)}` });
      let res: { format: string; records: number; asOf?: string };
      let digest: { sha256: string; size: number };
      if (st.size > streamThreshold()) {
        digest = { sha256: '', size: 0 };
        const streamed = await importLargeFile(writer, file, tally, opts, digest);
        if (streamed) res = streamed;
        else {
          // One resource, parsed whole from a second read: hashed from that read, so the digest is of the bytes parsed.
          const buf = fs.readFileSync(file);
          digest = { sha256: createHash('sha256').update(buf).digest('hex'), size: buf.length };
          res = await importSmallFile(writer, file, buf, tally, opts);
        }
      } else {
        let buf: Buffer;
        try {
          buf = fs.readFileSync(file);
        } catch (e) {
          throw badInput(`${file}: cannot read: ${(e as Error).message}`, { file });
        }
        digest = { sha256: createHash('sha256').update(buf).digest('hex'), size: buf.length };
        res = await importSmallFile(writer, file, buf, tally, opts);
      }
      outcomes.push({
        path: file,
        format: res.format,
        records: res.records,
        input: { name: path.basename(file), sha256: digest.sha256, size: digest.size, format: res.format, records: res.records },
        ...(res.asOf ? { asOf: res.asOf } : {}),
        mtime: st.mtimeMs,
      });
    }
    checkAbort(opts.signal);
    if (writer.duplicates > 0 && tally.warnings.length > 20) {
      const dup = tally.warnings.filter((w) => w.includes('appears more than once')).length;
      tally.warnings = [...tally.warnings.filter((w) => !w.includes('appears more than once')).slice(0, 20), `${dup} duplicate records in this import; kept the first of each`];
    }
    const markers = outcomes.map((o) => o.asOf).filter((t): t is string => t !== undefined).sort();
    let asOf: string;
    let asOfSource: Provenance['asOfSource'];
    if (markers.length > 0) {
      asOf = markers[0]!;
      asOfSource = 'file';
      if (new Set(markers).size > 1) tally.warnings.push(`files carry ${markers.length} different collection times; asOf is the earliest, ${asOf}`);
    } else if (optionAsOf) {
      asOf = optionAsOf;
      asOfSource = 'option';
    } else {
      // The data were true at the latest when the files were written; the earliest is the conservative choice.
      asOf = new Date(Math.min(...outcomes.map((o) => o.mtime))).toISOString();
      asOfSource = 'mtime';
      tally.warnings.push(`no collection time in the files and no --as-of: asOf is the earliest file modification time, ${asOf}`);
    }
    refuseWithoutItems(paths, tally);
    const coverage: CoverageEntry[] = [
      ...[...tally.subscriptions].sort().map((s): CoverageEntry => ({ scope: `subscription:${s}`, status: 'collected', error: null })),
      ...[...tally.vaults.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([v, n]): CoverageEntry => ({ scope: `vault:${v}`, status: 'collected', error: null, itemCount: n })),
    ];
    const provenance: Provenance = {
      toolVersion,
      source: 'import',
      user: opts.user,
      createdAt: opts.now.toISOString(),
      asOfSource,
      files: outcomes.map((o) => o.input),
      tenants: [...tally.tenants].sort(),
      subscriptions: [...tally.subscriptions].sort(),
    };
    const summary = await writer.commitAsync({ label: opts.label ?? null, createdAt: opts.now.toISOString(), asOf, source: 'import', complete: true, provenance, coverage });
    const late = timesAfterAsOf(store, summary.id, asOf);
    if (late) tally.warnings.push(late);
    opts.onProgress?.({ phase: 'done', done: writer.recordCount, total: writer.recordCount });
    return {
      snapshotId: summary.id,
      itemCount: summary.itemCount,
      contentHash: summary.contentHash,
      asOf,
      files: outcomes.map((o) => ({ path: o.path, format: o.format, records: o.records })),
      warnings: tally.warnings,
    };
  } catch (e) {
    writer.abort();
    // Input-driven exhaustion (shapeProblem should refuse it first) is the file's fault, not an internal error.
    if (e instanceof RangeError && /call stack|string length/i.test(e.message)) {
      throw badInput(`${current ?? paths[0]}: too deeply nested or too large to read (${e.message})`, current ? { file: current } : {});
    }
    throw e;
  }
}
