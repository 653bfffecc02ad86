/**
 * Loads the audit profile and the rate card (the shipped defaults in assets/,
 * or a user's file), validates them and hashes them: SHA-256 over the
 * canonical JSON (RFC 8785), so reformatting a file does not change its hash.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AuditProfile } from '../../../shared/domain/profile.ts';
import { parseAuditProfile } from '../../../shared/domain/profile.ts';
import type { RateCard } from '../../../shared/domain/ratecard.ts';
import { parseRateCard } from '../../../shared/domain/ratecard.ts';
import { badInput } from '../errors.ts';
import { parseJsonText, decodeText } from '../import/text.ts';
import { canonicalJson, sha256Hex } from '../store/canonical.ts';

export const DEFAULT_PROFILE_PATH = fileURLToPath(new URL('../../../assets/profiles/default.json', import.meta.url));
export const DEFAULT_RATECARD_PATH = fileURLToPath(new URL('../../../assets/ratecards/default-usd.json', import.meta.url));

export type Loaded<T> = { value: T; hash: string; source: string };

function readJson(file: string): unknown {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    throw badInput(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, { file });
  }
  const value = parseJsonText(decodeText(buf, file).text, file);
  refuseProtoKeys(value, file);
  return value;
}

/**
 * A "__proto__" key is dropped (or turns into a prototype) when the schema
 * rebuilds the object, so the hash recorded would not cover what was written.
 */
function refuseProtoKeys(value: unknown, file: string): void {
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length > 0) {
    const [v, p] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) v.forEach((c, i) => stack.push([c, `${p}[${i}]`]));
    else {
      for (const k of Object.keys(v)) {
        const at = p ? `${p}.${k}` : k;
        if (k === '__proto__') throw badInput(`${file}: the key "__proto__" (at ${at}) is not allowed`, { file });
        stack.push([(v as Record<string, unknown>)[k], at]);
      }
    }
  }
}

export function hashOf(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

const cache = new Map<string, Loaded<unknown>>();

function load<T>(file: string | undefined, fallback: string, parse: (v: unknown) => { ok: true; value: T } | { ok: false; issues: Array<{ path: string; message: string }> }, what: string): Loaded<T> {
  const abs = path.resolve(file ?? fallback);
  // The shipped defaults never change at run time; user files are re-read every time.
  if (!file && cache.has(abs)) return cache.get(abs) as Loaded<T>;
  const raw = readJson(abs);
  const r = parse(raw);
  if (!r.ok) throw badInput(`${abs}: not a valid ${what}: ${r.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { file: abs });
  const loaded: Loaded<T> = { value: r.value, hash: hashOf(r.value), source: file ? abs : `default (${path.relative(path.resolve(DEFAULT_PROFILE_PATH, '../../..'), abs)})` };
  if (!file) cache.set(abs, loaded);
  return loaded;
}

export function loadProfile(file?: string): Loaded<AuditProfile> {
  return load(
    file,
    DEFAULT_PROFILE_PATH,
    (v) => {
      const r = parseAuditProfile(v);
      return r.ok ? { ok: true, value: r.profile } : r;
    },
    'audit profile',
  );
}

export function loadRatecard(file?: string): Loaded<RateCard> {
  return load(
    file,
    DEFAULT_RATECARD_PATH,
    (v) => {
      const r = parseRateCard(v);
      return r.ok ? { ok: true, value: r.card } : r;
    },
    'rate card',
  );
}
