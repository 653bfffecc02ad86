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
 * body; 40-50 us of CPU to pack with a new zlib stream per body, about 30 us
 * with the kept one (below); 12-14 us to unpack.
 */

export const BODY_FORMAT = 1;
const DICTIONARY_1 = Buffer.from(BODY_DICTIONARY_1_BASE64, 'base64');
const NEWLINE = 0x0a;

/**
 * The deflater a thread packs its bodies with, kept from one body to the
 * next. zlib.deflateRawSync builds a new zlib stream per call (about 270 KB
 * allocated and cleared, the dictionary loaded, a stream object set up):
 * for a 4 kB body that was a third to a half of its cost (issue 17). Kept,
 * the stream is reset per body (deflateReset, which keeps level and window,
 * then the dictionary set again, as Node's own reset does), so each body is
 * still one complete raw DEFLATE stream made from the same state: the same
 * bytes deflateRawSync makes. That is checked once per thread on two sample
 * bodies before the kept stream is used; deflateRawSync is the fallback when
 * this Node's zlib does not offer the handle or a call fails.
 */
type ZlibHandle = {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
  reset(): void;
  onerror?: (message: string, errno: number) => void;
};
type Deflater = { handle: ZlibHandle; state: Uint32Array; failed: string | null };
let deflater: Deflater | null | undefined;
/** Buffers kept for bodies up to this size; a bigger one gets buffers of its own. */
const KEPT_BUFFER = 256 * 1024;
let input = Buffer.allocUnsafe(16 * 1024);
let output = Buffer.allocUnsafe(16 * 1024);

function deflateOnce(text: Uint8Array): Buffer {
  const z = zlib.deflateRawSync(text, { level: 6, dictionary: DICTIONARY_1 });
  const out = Buffer.allocUnsafe(z.length + 1);
  out[0] = BODY_FORMAT;
  z.copy(out, 1);
  return out;
}

/** The format byte, then the raw DEFLATE of `text[start, start + len)` through the kept stream; null when zlib reported an error. */
function deflateKept(d: Deflater, text: Uint8Array, start: number, len: number): Buffer | null {
  d.handle.reset();
  if (len + 1024 > output.length && len + 1024 <= KEPT_BUFFER) output = Buffer.allocUnsafe(KEPT_BUFFER);
  let out = len + 1024 <= output.length ? output : Buffer.allocUnsafe(len + (len >> 3) + 1024);
  out[0] = BODY_FORMAT;
  let outOff = 1;
  let inOff = start;
  let inLen = len;
  for (;;) {
    d.handle.writeSync(zlib.constants.Z_FINISH, text, inOff, inLen, out, outOff, out.length - outOff);
    if (d.failed !== null) return null;
    const availOut = d.state[0]!;
    const availIn = d.state[1]!;
    outOff = out.length - availOut;
    inOff += inLen - availIn;
    inLen = availIn;
    // Room left after Z_FINISH: the stream is complete.
    if (availOut !== 0) break;
    const bigger = Buffer.allocUnsafe(out.length * 2);
    out.copy(bigger, 0, 0, outOff);
    out = bigger;
  }
  return Buffer.from(out.subarray(0, outOff));
}

function keptDeflater(): Deflater | null {
  if (deflater !== undefined) return deflater;
  deflater = null;
  try {
    const stream = zlib.createDeflateRaw({ level: 6, dictionary: DICTIONARY_1 }) as unknown as { _handle?: ZlibHandle; _writeState?: unknown };
    const handle = stream._handle;
    const state = stream._writeState;
    if (!handle || typeof handle.writeSync !== 'function' || typeof handle.reset !== 'function' || !(state instanceof Uint32Array) || state.length < 2) return null;
    const d: Deflater = { handle, state, failed: null };
    handle.onerror = (message) => {
      d.failed = message || 'zlib error';
    };
    // The same bytes as deflateRawSync or not used: two bodies, so the reset between them is checked too.
    for (const probe of ['{"a":1}\n{"a" : 1}', `${'{"name":"vm-0","id":"/subscriptions/x"}'.repeat(300)}\n\u00e9\u{1f600}`]) {
      const text = Buffer.from(probe, 'utf8');
      const kept = deflateKept(d, text, 0, text.length);
      if (kept === null || !kept.equals(deflateOnce(text))) return null;
    }
    deflater = d;
  } catch {
    deflater = null;
  }
  return deflater;
}

/** The item's normalised JSON and raw JSON, packed as one body (format 1). */
export function packItemBody(data: string, raw: string): Buffer {
  const most = itemTextBytesAtMost(data, raw);
  if (most > input.length && most <= KEPT_BUFFER) input = Buffer.allocUnsafe(KEPT_BUFFER);
  const text = most <= input.length ? input : Buffer.allocUnsafe(most);
  const len = writeItemText(text, 0, data, raw);
  return packItemText(text, 0, len);
}

/**
 * A body from its text already written as UTF-8 (`normalised JSON \n raw JSON`, bytes `start` to
 * `start + len` of `text`): the parallel writer's parsing thread writes the texts of a batch into one
 * buffer it hands over to the writer thread, which packs them from there.
 */
export function packItemText(text: Uint8Array, start: number, len: number): Buffer {
  const d = keptDeflater();
  const kept = d === null ? null : deflateKept(d, text, start, len);
  if (kept !== null) return kept;
  if (d !== null) deflater = null; // zlib reported an error: deflateRawSync from now on
  return deflateOnce(text.subarray(start, start + len));
}

/** The room writeItemText needs for these texts: UTF-8 takes at most 3 bytes per UTF-16 code unit (a lone surrogate is written as U+FFFD, as Buffer.from does), and one for the newline. */
export function itemTextBytesAtMost(data: string, raw: string): number {
  return 3 * (data.length + raw.length) + 1;
}

/** Writes an item's texts as a body's text (`normalised JSON \n raw JSON`, UTF-8) into `buf` at `at`, which has itemTextBytesAtMost(data, raw) bytes of room; returns the bytes written. */
export function writeItemText(buf: Buffer, at: number, data: string, raw: string): number {
  if (data.includes('\n')) throw new Error('an item\'s normalised JSON holds a raw newline; canonical JSON never does');
  let len = buf.write(data, at, 'utf8');
  buf[at + len++] = NEWLINE;
  len += buf.write(raw, at + len, 'utf8');
  return len;
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
