import type { StoreVerifyResult } from '../../../shared/contract/methods/snapshots.ts';
import type { BackupItem } from '../../../shared/domain/types.ts';
import { nameSortKey } from '../../../shared/domain/natural-sort.ts';
import { canonicalJson, sha256Hex } from './canonical.ts';
import { computeContentHash } from './content-hash.ts';
import { hasItemColumn, PROMOTED_FIELDS } from './rows.ts';
import { hasItemBody, unpackItemBody } from './item-body.ts';
import type { Store } from './store.ts';

/** Normalised columns that must agree with the item's normalised JSON. */
const columnChecks: Array<[string, (it: BackupItem) => unknown]> = [
  ['name', (it) => it.name],
  ['vault_key', (it) => it.vaultKey],
  ['vault_name', (it) => it.vaultName],
  ['vault_kind', (it) => it.vaultKind],
  ['subscription_id', (it) => it.subscriptionId],
  ['resource_group', (it) => it.resourceGroup],
  ['workload_type', (it) => it.workloadType],
  ['backup_management_type', (it) => it.backupManagementType],
  ['protection_state', (it) => it.protectionState],
  ['protection_status', (it) => it.protectionStatus],
  ['health_status', (it) => it.healthStatus],
  ['last_backup_status', (it) => it.lastBackupStatus],
  ['last_backup_time', (it) => it.lastBackupTime],
  ['policy_name', (it) => it.policyName],
  ['source_resource_key', (it) => it.sourceResourceKey],
  ['soft_deleted', (it) => (it.softDeleted ? 1 : 0)],
  ['size_gb', (it) => it.sizeGb],
  // Derived, not hashed: a wrong key only misorders the grid, but it is still the store disagreeing with itself.
  ['name_key', (it) => nameSortKey(it.name)],
];

type ItemRow = Record<string, unknown> & { key: string; data: string; raw: string; raw_sha256: string; row_hash: string };

/**
 * Recomputes every snapshot's content hash and checks each record: the raw
 * JSON against its SHA-256, the normalised JSON against its row hash, and
 * the normalised columns against the normalised JSON. Problems are named.
 */
export function verifyStore(store: Store, extraChecks: ReadonlyArray<(store: Store) => string[]> = []): StoreVerifyResult {
  const db = store.db;
  const result: StoreVerifyResult = { ok: true, snapshots: [], problems: [] };
  const integrity = db.pragma('integrity_check', { simple: true });
  if (integrity !== 'ok') result.problems.push(`SQLite integrity_check: ${String(integrity)}`);
  const snaps = db.prepare('SELECT id, content_hash, canonical_version, item_count FROM snapshots ORDER BY created_at, id').all() as Array<{
    id: string;
    content_hash: string;
    canonical_version: number;
    item_count: number;
  }>;
  // Migration 010's columns against SQLite's own reading of the JSON (the expressions the indexes held before).
  const promoted = hasItemColumn(db, 'policy_id');
  // Since migration 011 both texts are in the packed body (item-body.ts): unpacked here, and SQLite reads the
  // promoted members from the unpacked text by one statement (one unpacking per row, not one per member).
  const body = hasItemBody(db);
  const promotedSql = promoted && !body ? PROMOTED_FIELDS.map(([, m, op], i) => `, data${op}'$.${m}' AS vp_expected_${i}`).join('') : '';
  const readMembers = promoted && body ? db.prepare(`SELECT ${PROMOTED_FIELDS.map(([, m, op]) => `@d${op}'$.${m}'`).join(', ')}`).raw(true) : null;
  for (const s of snaps) {
    const problems: string[] = [];
    let n = 0;
    for (const row of db.prepare(`SELECT *${promotedSql} FROM items WHERE snapshot_id = ?`).iterate(s.id) as Iterable<ItemRow>) {
      n++;
      if (body) {
        try {
          Object.assign(row, unpackItemBody(row.body as Uint8Array));
        } catch (e) {
          problems.push(`item ${row.key}: its stored body cannot be read (${(e as Error).message})`);
          continue;
        }
      }
      checkRecord(`item ${row.key}`, row, problems);
      if (promoted) {
        let expectedAll: unknown[] | null = null;
        if (readMembers) {
          try {
            expectedAll = readMembers.get({ d: row.data }) as unknown[];
          } catch (e) {
            problems.push(`item ${row.key}: SQLite cannot read its normalised JSON (${(e as Error).message})`);
          }
        }
        PROMOTED_FIELDS.forEach(([col], i) => {
          if (readMembers && expectedAll === null) return;
          const expected = (expectedAll ? expectedAll[i] : row[`vp_expected_${i}`]) ?? null;
          if ((row[col] ?? null) !== expected) problems.push(`item ${row.key}: column ${col} is ${JSON.stringify(row[col])} but the normalised record says ${JSON.stringify(expected)}`);
        });
      }
      let it: BackupItem;
      try {
        it = JSON.parse(row.data) as BackupItem;
      } catch {
        continue;
      }
      for (const [col, get] of columnChecks) {
        if (col === 'name_key' && !(col in row)) continue; // a store opened without migration 008 (migration tests)
        const expected = get(it) ?? null;
        if ((row[col] ?? null) !== expected) problems.push(`item ${row.key}: column ${col} is ${JSON.stringify(row[col])} but the normalised record says ${JSON.stringify(expected)}`);
      }
    }
    if (n !== s.item_count) problems.push(`item count is ${n}, the snapshot says ${s.item_count}`);
    for (const row of db.prepare('SELECT * FROM records WHERE snapshot_id = ?').iterate(s.id) as Iterable<ItemRow & { type: string }>) {
      checkRecord(`${row.type} ${row.key}`, row, problems);
    }
    let actual: string;
    try {
      actual = computeContentHash(db, s.id, s.canonical_version);
    } catch (e) {
      actual = `error: ${(e as Error).message}`;
    }
    if (actual !== s.content_hash) problems.unshift(`content hash mismatch: recorded ${s.content_hash}, recomputed ${actual}`);
    const ok = problems.length === 0;
    if (!ok) result.ok = false;
    result.snapshots.push({ id: s.id, expected: s.content_hash, actual, ok, problems: problems.slice(0, 50) });
  }
  for (const check of extraChecks) {
    const more = check(store);
    if (more.length) {
      result.ok = false;
      for (const p of more) result.problems.push(p);
    }
  }
  if (result.problems.length) result.ok = false;
  return result;
}

function checkRecord(what: string, row: ItemRow, problems: string[]): void {
  if (sha256Hex(row.raw) !== row.raw_sha256) problems.push(`${what}: raw JSON does not match its SHA-256 (raw JSON changed)`);
  if (sha256Hex(row.data) !== row.row_hash) problems.push(`${what}: normalised record does not match its row hash (normalised JSON changed)`);
  else {
    try {
      if (canonicalJson(JSON.parse(row.data)) !== row.data) problems.push(`${what}: normalised record is not in canonical form`);
    } catch {
      problems.push(`${what}: normalised record is not valid JSON`);
    }
  }
}
