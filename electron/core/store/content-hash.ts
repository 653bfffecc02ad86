import { createHash } from 'node:crypto';
import type { Database as Db } from 'better-sqlite3';
import type { RecordType } from '../../../shared/domain/types.ts';
import { UserError } from '../errors.ts';
import { CANONICAL_VERSION, KNOWN_CANONICAL_VERSIONS } from './canonical.ts';
import { hasItemBody, itemBodyData } from './item-body.ts';

/*
 * A snapshot's content hash, on its own so that the row writer (rows.ts),
 * the repository (snapshots.ts), store verify and the pack's snapshot data
 * all depend on it and it depends on none of them.
 */

/** Record types in content-hash order (code-unit order of the type names). */
export const RECORD_TYPES_IN_HASH_ORDER: RecordType[] = (
  ['inventory', 'item', 'job', 'policy', 'recoveryPoint', 'vault', 'roleAssignment', 'roleDefinition', 'actionGroup', 'alertProcessingRule', 'policyState'] as RecordType[]
).sort();

/** The element of the content-hash array for one record (RFC 8785 canonical). */
export function hashElement(type: string, key: string, dataCanonical: string, rawSha256: string): string {
  return `{"data":${dataCanonical},"key":${JSON.stringify(key)},"rawSha256":${JSON.stringify(rawSha256)},"type":${JSON.stringify(type)}}`;
}

/** SHA-256 over `[e1,e2,...]`, one canonical element per record, sorted by type then key (UTF-8 byte order). */
export function computeContentHash(db: Db, snapshotId: string, version: number = CANONICAL_VERSION): string {
  if (!KNOWN_CANONICAL_VERSIONS.includes(version)) throw new UserError('VERIFY_FAILED', `canonical form version ${version} is unknown to this Vaultproof`);
  const h = createHash('sha256');
  h.update('[');
  let first = true;
  // Since migration 011 an item's normalised JSON is in its packed body (item-body.ts).
  const body = hasItemBody(db);
  const itemsStmt = db.prepare(`SELECT key, ${body ? 'body' : 'data'}, raw_sha256 FROM items WHERE snapshot_id = ? ORDER BY key`).raw(true);
  const recStmt = db.prepare('SELECT key, data, raw_sha256 FROM records WHERE snapshot_id = ? AND type = ? ORDER BY key').raw(true);
  for (const type of RECORD_TYPES_IN_HASH_ORDER) {
    const items = type === 'item';
    const rows = items ? itemsStmt.iterate(snapshotId) : recStmt.iterate(snapshotId, type);
    for (const row of rows as Iterable<[string, string | Uint8Array, string]>) {
      if (!first) h.update(',');
      first = false;
      const data = items && body ? itemBodyData(row[1] as Uint8Array) : (row[1] as string);
      h.update(hashElement(type, row[0], data, row[2]));
    }
  }
  h.update(']');
  return h.digest('hex');
}
