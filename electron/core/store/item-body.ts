import zlib from 'node:zlib';
import type { Database as Db } from 'better-sqlite3';
import { BODY_DICTIONARY_1_BASE64 } from './body-dictionary.ts';

/*
 * An item's body: its normalised JSON (canonical, the text row_hash and the
 * content hash are over) and its raw JSON (the source text, byte-exact, the
 * text raw_sha256 is over), kept together in one compressed BLOB since
 * migration 011 (issue 17: a 100k-item snapshot took 1.0 GB, 5.7x its JSON).
 *
 * Format 1, the whole format:
 *   byte 0      the format number, 1
 *   bytes 1..   raw DEFLATE (RFC 1951, zlib level 6) with the preset
 *               dictionary BODY_DICTIONARY_1 (body-dictionary.ts), of the
 *               UTF-8 text  normalised JSON, "\n", raw JSON.
 * Canonical JSON never holds a raw newline (JSON escapes it), so the first
 * newline separates the two; the raw text may hold any. Any zlib reader
 * gives the bytes back, e.g. Python:
 *   zlib.decompressobj(-15, zdict=dictionary).decompress(body[1:])
 * Lossless: the texts come back code unit for code unit as the store kept
 * them in TEXT columns before (UTF-8 both ways).
 *
 * Measured on the 100k bench estate (3.9 kB of text per item): 420 bytes per
 * body; 40-50 us of CPU to pack, 12-14 us to unpack.
 */

export const BODY_FORMAT = 1;
const DICTIONARY_1 = Buffer.from(BODY_DICTIONARY_1_BASE64, 'base64');
const NEWLINE = 0x0a;

/** The item's normalised JSON and raw JSON, packed as one body (format 1). */
export function packItemBody(data: string, raw: string): Buffer {
  if (data.includes('\n')) throw new Error('an item\'s normalised JSON holds a raw newline; canonical JSON never does');
  const z = zlib.deflateRawSync(Buffer.from(`${data}\n${raw}`, 'utf8'), { level: 6, dictionary: DICTIONARY_1 });
  const out = Buffer.allocUnsafe(z.length + 1);
  out[0] = BODY_FORMAT;
  z.copy(out, 1);
  return out;
}

function inflate(body: Uint8Array): Buffer {
  if (!(body instanceof Uint8Array) || body.length < 2) throw new Error(`an item body is not a packed body (${body instanceof Uint8Array ? `${body.length} bytes` : typeof body})`);
  if (body[0] !== BODY_FORMAT) throw new Error(`item body format ${body[0]} is unknown to this Vaultproof`);
  let text: Buffer;
  try {
    text = zlib.inflateRawSync(body.subarray(1), { dictionary: DICTIONARY_1 });
  } catch (e) {
    throw new Error(`an item body does not inflate (${(e as Error).message})`);
  }
  return text;
}

function split(text: Buffer): number {
  const nl = text.indexOf(NEWLINE);
  if (nl < 0) throw new Error('an item body holds no newline between its normalised and raw JSON');
  return nl;
}

/** Both texts of a body. Throws, naming the cause, on a body that is not format 1 or does not inflate. */
export function unpackItemBody(body: Uint8Array): { data: string; raw: string } {
  const text = inflate(body);
  const nl = split(text);
  return { data: text.toString('utf8', 0, nl), raw: text.toString('utf8', nl + 1) };
}

/** The normalised JSON of a body. */
export function itemBodyData(body: Uint8Array): string {
  const text = inflate(body);
  return text.toString('utf8', 0, split(text));
}

/** The raw JSON of a body. */
export function itemBodyRaw(body: Uint8Array): string {
  const text = inflate(body);
  return text.toString('utf8', split(text) + 1);
}

/** Whether this store's items keep their texts in a body (migration 011) rather than in data and raw columns. */
export function hasItemBody(db: Db): boolean {
  let has = bodySchema.get(db);
  if (has === undefined) {
    has = db.prepare("SELECT 1 FROM pragma_table_info('items') WHERE name = 'body'").get() !== undefined;
    // Known once migrations have run (a connection's schema does not change after its open).
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'items'").get() !== undefined) bodySchema.set(db, has);
  }
  return has;
}
const bodySchema = new WeakMap<Db, boolean>();

/**
 * SQL's view of a body, registered on every connection the engine opens:
 * `vp_item_data(body)` and `vp_item_raw(body)` give the texts, so a query
 * reads `vp_item_data(body)->>'$.member'` where it read `data->>'$.member'`.
 * Not part of the schema (no index, view or trigger calls them), so another
 * SQLite client opens the store as it is.
 */
export function registerItemBodyFunctions(db: Db): void {
  db.function('vp_item_data', { deterministic: true }, (body: unknown) => (body === null ? null : itemBodyData(body as Uint8Array)));
  db.function('vp_item_raw', { deterministic: true }, (body: unknown) => (body === null ? null : itemBodyRaw(body as Uint8Array)));
}

/**
 * The SQL that reads an item's normalised and raw JSON in this store: the
 * body functions since migration 011, the columns before (a store opened
 * with an earlier migration list, as the migration tests do).
 */
export function itemTextSql(db: Db, alias = ''): { data: string; raw: string } {
  const p = alias ? `${alias}.` : '';
  return hasItemBody(db) ? { data: `vp_item_data(${p}body)`, raw: `vp_item_raw(${p}body)` } : { data: `${p}data`, raw: `${p}raw` };
}
