import { createHash, randomBytes } from 'node:crypto';
import type { AnnotationLogEntry } from '../../../shared/contract/methods/annotations.ts';
import { canonicalJson, sha256Hex } from '../store/canonical.ts';

/** The "previous hash" of entry 1. */
export const GENESIS_HASH = '0'.repeat(64);

/** Version of the hashed form of an entry; bump only with a migration of the verifier. */
export const ENTRY_HASH_VERSION = 1;

export type HashedFields = Omit<AnnotationLogEntry, 'hash'>;

/** The RFC 8785 canonical JSON of an entry without its own hash (reference form). */
export function entryCanonical(e: HashedFields): string {
  return canonicalJson({
    v: ENTRY_HASH_VERSION,
    seq: e.seq,
    id: e.id,
    kind: e.kind,
    at: e.at,
    user: e.user,
    displayName: e.displayName,
    target: e.target,
    field: e.field,
    oldValue: e.oldValue,
    newValue: e.newValue,
    reason: e.reason,
    applied: e.applied,
    mergedFrom: e.mergedFrom,
    prevHash: e.prevHash,
  });
}

/** A JSON value in canonical form; scalars (most values) skip the general canonicaliser. */
function canonicalValue(v: unknown): string {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (typeof v === 'number' && Number.isFinite(v)) return JSON.stringify(v);
  return canonicalJson(v);
}

/**
 * SHA-256 over the RFC 8785 canonical JSON of everything in the entry except
 * its own hash — including its position (seq) and the previous entry's hash.
 * Built by hand with the keys in canonical order (the same bytes as
 * `entryCanonical`, which a test checks) because verify hashes every entry.
 */
export function entryHash(e: HashedFields): string {
  const s =
    `{"applied":${e.applied ? 'true' : 'false'},"at":${JSON.stringify(e.at)},"displayName":${canonicalValue(e.displayName)},` +
    `"field":${JSON.stringify(e.field)},"id":${JSON.stringify(e.id)},"kind":${JSON.stringify(e.kind)},"mergedFrom":${canonicalValue(e.mergedFrom)},` +
    `"newValue":${canonicalValue(e.newValue)},"oldValue":${canonicalValue(e.oldValue)},"prevHash":${JSON.stringify(e.prevHash)},` +
    `"reason":${canonicalValue(e.reason)},"seq":${canonicalValue(e.seq)},"target":${JSON.stringify(e.target)},"user":${JSON.stringify(e.user)},"v":${ENTRY_HASH_VERSION}}`;
  return createHash('sha256').update(s).digest('hex');
}

export function entryHashReference(e: HashedFields): string {
  return sha256Hex(entryCanonical(e));
}

let pool = Buffer.alloc(0);
let poolAt = 0;

/** UUIDv7 (time-ordered) for log entries, exceptions, notes, restore tests; random bits drawn from a pool (bulk imports write 100k). */
export function newId(nowMs: number): string {
  if (poolAt + 10 > pool.length) {
    pool = randomBytes(10 * 4096);
    poolAt = 0;
  }
  const b = Buffer.alloc(16);
  const ts = Math.max(0, Math.floor(nowMs));
  b.writeUIntBE(ts, 0, 6);
  pool.copy(b, 6, poolAt, poolAt + 10);
  poolAt += 10;
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
