/**
 * data/snapshot-<id>.json: one snapshot in the canonical form its content hash
 * is computed over, so anyone can recompute the hash from the pack alone.
 *
 * Layout (valid JSON; one record per line so readers can stream it):
 *   {"header":{...},"records":[
 *   {"data":{…},"key":"…","raw":{…},"rawSha256":"…","type":"…"},
 *   …
 *   ]}
 * Records come in content-hash order (type, then key by UTF-8 bytes). `data`
 * is the RFC 8785 canonical normalised record; `raw` is the source JSON as the
 * store keeps it and `rawSha256` the SHA-256 of that text.
 *
 * In a pack made with --redact-principals a record that named a principal is
 * written redacted (../redact.ts) and says so: `"redacted":true`, its data
 * and raw carry pseudonyms and its rawSha256 is that of the redacted text.
 * The header's contentHash stays the original snapshot's; it cannot be
 * recomputed from a file holding a redacted record, and the header says so.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import type { CoverageEntry, Provenance, SnapshotSummary } from '../../../../shared/domain/types.ts';
import { KNOWN_CANONICAL_VERSIONS, canonicalJson, sha256Hex } from '../../store/canonical.ts';
import { RECORD_TYPES_IN_HASH_ORDER, hashElement } from '../../store/content-hash.ts';
import { hasItemBody, unpackItemBody } from '../../store/item-body.ts';
import type { Store } from '../../store/store.ts';
import { UserError } from '../../errors.ts';
import { jsonProblem } from '../../import/text.ts';
import type { RecordRedactor } from '../redact.ts';

export const SNAPSHOT_FILE_SCHEMA = 'vaultproof.snapshot/1';

export type SnapshotFileHeader = {
  schema: string;
  id: string;
  label: string | null;
  createdAt: string;
  asOf: string;
  source: 'import' | 'live';
  complete: boolean;
  canonicalVersion: number;
  contentHash: string;
  itemCount: number;
  provenance: unknown;
  coverage: unknown;
  /** Present only in a redacted pack's file: what was done, in words. */
  redaction?: string;
};

export const REDACTION_HEADER_NOTE =
  'principals redacted: records with "redacted":true carry pseudonyms in place of principal object ids, names and UPNs, and their rawSha256 is of the redacted raw text; contentHash is the original snapshot\'s, and cannot be recomputed from this file when any record is redacted';

/** Redacted records per record kind. */
export type RedactedCounts = Record<string, number>;

const HEAD_PREFIX = '{"header":';
const HEAD_SUFFIX = ',"records":[';

/** A sink that writes and hashes at once, so the manifest needs no second read. */
export class HashingFileWriter {
  readonly path: string;
  private readonly fd: number;
  private readonly hash = createHash('sha256');
  private chunks: string[] = [];
  private pending = 0;
  size = 0;

  constructor(filePath: string) {
    this.path = filePath;
    this.fd = fs.openSync(filePath, 'wx', 0o600);
  }

  write(s: string): void {
    this.chunks.push(s);
    this.pending += s.length;
    if (this.pending > 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.chunks.length === 0) return;
    const b = Buffer.from(this.chunks.join(''), 'utf8');
    this.chunks = [];
    this.pending = 0;
    this.hash.update(b);
    fs.writeSync(this.fd, b);
    this.size += b.length;
  }

  close(): { sha256: string; size: number } {
    this.flush();
    fs.closeSync(this.fd);
    return { sha256: this.hash.digest('hex'), size: this.size };
  }
}

/**
 * Writes the snapshot file straight from the store (no row is held in memory
 * beyond the current one) and checks on the way that the records still give
 * the content hash recorded at import: a store altered by hand is refused.
 */
export function writeSnapshotFile(
  store: Store,
  snap: { summary: SnapshotSummary; provenance: Provenance; coverage: CoverageEntry[] },
  file: string,
  redactor: RecordRedactor | null = null,
): { sha256: string; size: number; redacted: RedactedCounts } {
  const { summary, provenance, coverage } = snap;
  const header: SnapshotFileHeader = {
    schema: SNAPSHOT_FILE_SCHEMA,
    id: summary.id,
    label: summary.label,
    createdAt: summary.createdAt,
    asOf: summary.asOf,
    source: summary.source,
    complete: summary.complete,
    canonicalVersion: summary.canonicalVersion,
    contentHash: summary.contentHash,
    itemCount: summary.itemCount,
    provenance,
    coverage,
    ...(redactor ? { redaction: REDACTION_HEADER_NOTE } : {}),
  };
  const redacted: RedactedCounts = {};
  if (!KNOWN_CANONICAL_VERSIONS.includes(summary.canonicalVersion)) {
    throw new UserError('VERIFY_FAILED', `snapshot ${summary.id} uses canonical form ${summary.canonicalVersion}, unknown to this Vaultproof`);
  }
  const out = new HashingFileWriter(file);
  const content = createHash('sha256');
  content.update('[');
  let first = true;
  out.write(`${HEAD_PREFIX}${JSON.stringify(header)}${HEAD_SUFFIX}\n`);
  // Since migration 011 an item's two texts are its packed body (store/item-body.ts), unpacked once here.
  const body = hasItemBody(store.db);
  const itemsStmt = store.db.prepare(`SELECT key, ${body ? 'body, NULL' : 'data, raw'}, raw_sha256 FROM items WHERE snapshot_id = ? ORDER BY key`).raw(true);
  const recStmt = store.db.prepare('SELECT key, data, raw, raw_sha256 FROM records WHERE snapshot_id = ? AND type = ? ORDER BY key').raw(true);
  for (const type of RECORD_TYPES_IN_HASH_ORDER) {
    const packed = type === 'item' && body;
    const rows = type === 'item' ? itemsStmt.iterate(summary.id) : recStmt.iterate(summary.id, type);
    for (const row of rows as Iterable<[string, string | Uint8Array, string | null, string]>) {
      const [key, , , rawSha] = row;
      const { data, raw } = packed ? unpackItemBody(row[1] as Uint8Array) : { data: row[1] as string, raw: row[2] as string };
      if (!first) {
        content.update(',');
        out.write(',\n');
      }
      first = false;
      // The content hash is always of the store's records: a redacted pack is still refused from an altered store.
      content.update(hashElement(type, key, data, rawSha));
      const r = redactor?.redact(type, data, raw) ?? null;
      // Version 2 keeps the source text exactly: as a JSON string, so the file stays one record per line.
      const rawText = r ? r.raw : raw;
      const rawOut = summary.canonicalVersion === 1 ? rawText : JSON.stringify(rawText);
      if (r) {
        redacted[type] = (redacted[type] ?? 0) + 1;
        out.write(`{"data":${r.data},"key":${JSON.stringify(key)},"raw":${rawOut},"rawSha256":${JSON.stringify(sha256Hex(r.raw))},"redacted":true,"type":${JSON.stringify(type)}}`);
      } else out.write(`{"data":${data},"key":${JSON.stringify(key)},"raw":${rawOut},"rawSha256":${JSON.stringify(rawSha)},"type":${JSON.stringify(type)}}`);
    }
  }
  content.update(']');
  out.write('\n]}\n');
  const written = out.close();
  const actual = content.digest('hex');
  if (actual !== summary.contentHash) {
    fs.rmSync(file, { force: true });
    throw new UserError(
      'VERIFY_FAILED',
      `snapshot ${summary.id} in the store no longer matches its recorded content hash (${summary.contentHash}, now ${actual}); run \`vaultproof store verify\` — no pack was written`,
    );
  }
  return { ...written, redacted };
}

/**
 * contentHash is null when the file holds redacted records: the hash then
 * cannot be recomputed, and `redacted` says which records made it so.
 */
export type SnapshotFileCheck = { ok: boolean; problem: string | null; header: SnapshotFileHeader | null; contentHash: string | null; records: number; redacted: RedactedCounts };

function typeRank(t: string): number {
  return RECORD_TYPES_IN_HASH_ORDER.indexOf(t as (typeof RECORD_TYPES_IN_HASH_ORDER)[number]);
}

/**
 * Streams a snapshot file and recomputes its content hash the way the store
 * does: canonical data, key, SHA-256 of the raw JSON text, in hash order.
 */
export async function checkSnapshotStream(input: Readable): Promise<SnapshotFileCheck> {
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  const content = createHash('sha256');
  content.update('[');
  let header: SnapshotFileHeader | null = null;
  let lineNo = 0;
  let records = 0;
  let closed = false;
  let prev: { rank: number; key: Buffer } | null = null;
  const redacted: RedactedCounts = {};
  let anyRedacted = false;
  const fail = (problem: string): SnapshotFileCheck => {
    rl.close();
    input.destroy();
    return { ok: false, problem, header, contentHash: null, records, redacted };
  };
  try {
    for await (const line of rl) {
      lineNo++;
      if (lineNo === 1) {
        if (!line.startsWith(HEAD_PREFIX) || !line.endsWith(HEAD_SUFFIX)) return fail('line 1: not a Vaultproof snapshot file');
        header = JSON.parse(line.slice(HEAD_PREFIX.length, -HEAD_SUFFIX.length)) as SnapshotFileHeader;
        if (header.schema !== SNAPSHOT_FILE_SCHEMA) return fail(`line 1: unknown schema ${String(header.schema)}`);
        if (!KNOWN_CANONICAL_VERSIONS.includes(header.canonicalVersion)) return fail(`line 1: canonical form version ${header.canonicalVersion} is unknown to this Vaultproof`);
        continue;
      }
      if (closed) {
        if (line.trim() !== '') return fail(`line ${lineNo}: data after the end of the records`);
        continue;
      }
      if (line === ']}') {
        closed = true;
        continue;
      }
      const text = line.endsWith(',') ? line.slice(0, -1) : line;
      let rec: { data: unknown; key: string; raw: unknown; rawSha256: string; type: string; redacted?: unknown };
      try {
        rec = JSON.parse(text) as typeof rec;
      } catch {
        return fail(`line ${lineNo}: not valid JSON`);
      }
      if (typeof rec.key !== 'string' || typeof rec.type !== 'string' || typeof rec.rawSha256 !== 'string') return fail(`line ${lineNo}: record lacks key, type or rawSha256`);
      const rank = typeRank(rec.type);
      if (rank < 0) return fail(`line ${lineNo}: unknown record type "${rec.type}"`);
      const keyBytes = Buffer.from(rec.key, 'utf8');
      if (prev && (rank < prev.rank || (rank === prev.rank && Buffer.compare(keyBytes, prev.key) <= 0))) return fail(`line ${lineNo}: records out of order at ${rec.type} ${rec.key}`);
      prev = { rank, key: keyBytes };
      // Version 1 stored the raw JSON as JSON.stringify wrote it (parse → stringify gives those bytes back); version 2 carries the stored text as a string.
      const rawBytes = header?.canonicalVersion === 1 ? (JSON.stringify(rec.raw) ?? 'null') : typeof rec.raw === 'string' ? rec.raw : null;
      if (rawBytes === null) return fail(`line ${lineNo}: raw JSON of ${rec.type} ${rec.key} is not a string (canonical form 2 carries the source text)`);
      if (sha256Hex(rawBytes) !== rec.rawSha256) return fail(`line ${lineNo}: raw JSON of ${rec.type} ${rec.key} does not match its rawSha256`);
      if (rec.redacted !== undefined) {
        // Only the literal true, and only in a file whose header declares redaction: anything else is not what Vaultproof writes.
        if (rec.redacted !== true) return fail(`line ${lineNo}: "redacted" of ${rec.type} ${rec.key} is not true`);
        if (header?.redaction === undefined) return fail(`line ${lineNo}: ${rec.type} ${rec.key} is marked redacted, but the file's header declares no redaction`);
        redacted[rec.type] = (redacted[rec.type] ?? 0) + 1;
        anyRedacted = true;
      }
      if (records > 0) content.update(',');
      content.update(hashElement(rec.type, rec.key, canonicalJson(rec.data), rec.rawSha256));
      records++;
    }
  } catch (e) {
    return fail(`line ${lineNo}: ${jsonProblem((e as Error).message)}`);
  }
  if (!header) return fail('the file is empty');
  if (!closed) return fail('the file ends before its closing "]}" (truncated)');
  if (anyRedacted) return { ok: true, problem: null, header, contentHash: null, records, redacted };
  content.update(']');
  const hash = content.digest('hex');
  if (hash !== header.contentHash) return { ok: false, problem: `recomputed content hash ${hash} differs from the recorded ${header.contentHash}`, header, contentHash: hash, records, redacted };
  return { ok: true, problem: null, header, contentHash: hash, records, redacted };
}
