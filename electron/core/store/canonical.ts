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
    case 'boolean':
      return JSON.stringify(value);
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
      const keys = Object.keys(o).sort();
      let out = '{';
      let first = true;
      for (const k of keys) {
        const v = o[k];
        if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
        if (!first) out += ',';
        first = false;
        out += `${JSON.stringify(k)}:${canonicalJson(v)}`;
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
