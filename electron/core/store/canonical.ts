import { createHash } from 'node:crypto';

/**
 * Version of the canonical form recorded with each snapshot, so verify can
 * recompute it years later. Both versions hash the same elements (canonical
 * normalised record, key, SHA-256 of the stored raw JSON text, type); they
 * differ in what that raw text is:
 * - 1: the parsed source value serialised again (JSON.stringify) — lossy:
 *   `12345678901234567891` came back as `12345678901234567000`, `1e-400` as
 *   `0`, and of two equal keys only the last was kept;
 * - 2: the source element's text exactly as it stood in the input (records
 *   the importer cut from a file), else the value serialised (CSV and table
 *   rows, the SDK). A pack's snapshot file carries it as a JSON string.
 * Version 1 snapshots keep verifying under version 1.
 */
export const CANONICAL_VERSION = 2;

/** The canonical versions this Vaultproof can recompute. */
export const KNOWN_CANONICAL_VERSIONS: readonly number[] = [1, 2];

// eslint-disable-next-line no-control-regex -- what JSON.stringify escapes: quote, backslash, C0 controls, surrogates (lone ones)
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** An object's keys in canonical order and each one's `"name":` text. */
type Shape = { keys: readonly string[]; sorted: readonly string[]; names: readonly string[] };
const shapes = new Map<string, Shape>();

/**
 * Records of one kind share their keys in the same order (the normaliser
 * builds them), so the sort and the quoted names are made once per shape and
 * found again by a cheap tag, then checked key by key (a different object
 * whose tag collides is sorted afresh, never given another's order).
 */
function shapeOf(keys: string[]): Shape {
  const tag = keys.length === 0 ? '' : `${keys.length}\u0000${keys[0]}\u0000${keys[keys.length - 1]}`;
  const hit = shapes.get(tag);
  if (hit !== undefined && hit.keys.length === keys.length) {
    let same = true;
    for (let i = 0; i < keys.length && same; i++) same = hit.keys[i] === keys[i];
    if (same) return hit;
  }
  const sorted = [...keys].sort();
  const shape: Shape = { keys, sorted, names: sorted.map((k) => `${JSON.stringify(k)}:`) };
  // Bounded: keys come from data (tags, raw payloads), so shapes are not a closed set.
  if (shapes.size >= 512) shapes.clear();
  shapes.set(tag, shape);
  return shape;
}

/**
 * RFC 8785 (JSON Canonicalization Scheme): object keys sorted by UTF-16 code
 * units (Array.prototype.sort's default order), no whitespace, strings and
 * numbers serialised as ECMAScript's JSON.stringify does. Written here rather
 * than taken from the `canonicalize` package because the store hashes every
 * record twice and this is ~3× faster; a property test checks both agree.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      // JSON.stringify's text; a string with nothing it would escape (almost all) is just quoted.
      return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new Error('a non-finite number cannot be canonicalised');
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          const v: unknown = value[i];
          if (i > 0) out += ',';
          out += v === undefined || typeof v === 'function' || typeof v === 'symbol' ? 'null' : canonicalJson(v);
        }
        return `${out}]`;
      }
      const o = value as Record<string, unknown>;
      const { sorted, names } = shapeOf(Object.keys(o));
      let out = '{';
      let first = true;
      for (let i = 0; i < sorted.length; i++) {
        const v = o[sorted[i]!];
        if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
        if (!first) out += ',';
        first = false;
        out += names[i]! + canonicalJson(v);
      }
      return `${out}}`;
    }
    default:
      throw new Error(`a ${typeof value} cannot be canonicalised`);
  }
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
