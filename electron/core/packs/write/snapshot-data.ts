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
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import type { CoverageEntry, Provenance, SnapshotSummary } from '../../../../shared/domain/types.ts';
import { KNOWN_CANONICAL_VERSIONS, canonicalJson, sha256Hex } from '../../store/canonical.ts';
import { RECORD_TYPES_IN_HASH_ORDER, hashElement } from '../../store/content-hash.ts';
import type { Store } from '../../store/store.ts';
import { UserError } from '../../errors.ts';

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
};

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
    this.fd = fs.openSync(filePath, 'wx');
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
export function writeSnapshotFile(store: Store, snap: { summary: SnapshotSummary; provenance: Provenance; coverage: CoverageEntry[] }, file: string): { sha256: string; size: number } {
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
  };
  if (!KNOWN_CANONICAL_VERSIONS.includes(summary.canonicalVersion)) {
    throw new UserError('VERIFY_FAILED', `snapshot ${summary.id} uses canonical form ${summary.canonicalVersion}, unknown to this Vaultproof`);
  }
  const out = new HashingFileWriter(file);
  const content = createHash('sha256');
  content.update('[');
  let first = true;
  out.write(`${HEAD_PREFIX}${JSON.stringify(header)}${HEAD_SUFFIX}\n`);
  const itemsStmt = store.db.prepare('SELECT key, data, raw, raw_sha256 FROM items WHERE snapshot_id = ? ORDER BY key').raw(true);
  const recStmt = store.db.prepare('SELECT key, data, raw, raw_sha256 FROM records WHERE snapshot_id = ? AND type = ? ORDER BY key').raw(true);
  for (const type of RECORD_TYPES_IN_HASH_ORDER) {
    const rows = type === 'item' ? itemsStmt.iterate(summary.id) : recStmt.iterate(summary.id, type);
    for (const [key, data, raw, rawSha] of rows as Iterable<[string, string, string, string]>) {
      if (!first) {
        content.update(',');
        out.write(',\n');
      }
      first = false;
      content.update(hashElement(type, key, data, rawSha));
      // Version 2 keeps the source text exactly: as a JSON string, so the file stays one record per line.
      const rawOut = summary.canonicalVersion === 1 ? raw : JSON.stringify(raw);
      out.write(`{"data":${data},"key":${JSON.stringify(key)},"raw":${rawOut},"rawSha256":${JSON.stringify(rawSha)},"type":${JSON.stringify(type)}}`);
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
  return written;
}

export type SnapshotFileCheck = { ok: boolean; problem: string | null; header: SnapshotFileHeader | null; contentHash: string | null; records: number };

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
  const fail = (problem: string): SnapshotFileCheck => {
    rl.close();
    input.destroy();
    return { ok: false, problem, header, contentHash: null, records };
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
      let rec: { data: unknown; key: string; raw: unknown; rawSha256: string; type: string };
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
      if (records > 0) content.update(',');
      content.update(hashElement(rec.type, rec.key, canonicalJson(rec.data), rec.rawSha256));
      records++;
    }
  } catch (e) {
    return fail(`line ${lineNo}: ${(e as Error).message}`);
  }
  if (!header) return fail('the file is empty');
  if (!closed) return fail('the file ends before its closing "]}" (truncated)');
  content.update(']');
  const hash = content.digest('hex');
  if (hash !== header.contentHash) return { ok: false, problem: `recomputed content hash ${hash} differs from the recorded ${header.contentHash}`, header, contentHash: hash, records };
  return { ok: true, problem: null, header, contentHash: hash, records };
}
