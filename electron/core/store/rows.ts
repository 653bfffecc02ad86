import type { Database as Db, Statement } from 'better-sqlite3';
import type { BackupItem, CoverageEntry, NormalisedRecord, Provenance, SnapshotSummary } from '../../../shared/domain/types.ts';
import { CANONICAL_VERSION, canonicalJson, sha256Hex } from './canonical.ts';
import { computeContentHash } from './content-hash.ts';
import { nameSortKey } from '../../../shared/domain/natural-sort.ts';

/** A record ready for the store: canonical JSON, hashes and the item columns, positionally. */
export type PreparedRow = { item: true; values: unknown[] } | { item: false; values: unknown[] };

const ITEM_COLUMNS = [
  'snapshot_id', 'key', 'row_hash', 'name', 'vault_key', 'vault_name', 'vault_kind', 'subscription_id', 'resource_group',
  'workload_type', 'backup_management_type', 'protection_state', 'protection_status', 'health_status', 'last_backup_status',
  'last_backup_time', 'policy_name', 'source_resource_key', 'soft_deleted', 'size_gb', 'data', 'raw', 'raw_sha256',
  // The natural sort key of the name (migration 008); not hashed, derived from name.
  'name_key',
] as const;

export const INSERT_ITEM_SQL = `INSERT INTO items (${ITEM_COLUMNS.join(', ')}) VALUES (${ITEM_COLUMNS.map(() => '?').join(', ')})`;
export const INSERT_RECORD_SQL = 'INSERT INTO records (snapshot_id, type, key, row_hash, data, raw, raw_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)';

/** The raw JSON text the store keeps and hashes: the source text when the importer has it (canonical version 2), else the value serialised. */
export function rawText(rec: Pick<NormalisedRecord, 'raw' | 'rawText'>): string {
  return rec.rawText ?? JSON.stringify(rec.raw) ?? 'null';
}

export function prepareRow(snapshotId: string, rec: NormalisedRecord): PreparedRow {
  const data = canonicalJson(rec.data);
  const rowHash = sha256Hex(data);
  const raw = rawText(rec);
  const rawSha = sha256Hex(raw);
  if (rec.type === 'item') {
    const it: BackupItem = rec.data;
    return {
      item: true,
      values: [
        snapshotId, rec.key, rowHash, it.name, it.vaultKey, it.vaultName, it.vaultKind, it.subscriptionId, it.resourceGroup,
        it.workloadType, it.backupManagementType, it.protectionState, it.protectionStatus, it.healthStatus, it.lastBackupStatus,
        it.lastBackupTime, it.policyName, it.sourceResourceKey, it.softDeleted ? 1 : 0, it.sizeGb, data, raw, rawSha,
      ],
    };
  }
  return { item: false, values: [snapshotId, rec.type, rec.key, rowHash, data, raw, rawSha] };
}

/** What a snapshot row records besides its items: written by finishSnapshot when the transaction commits. */
export type NewSnapshot = {
  id?: string;
  label: string | null;
  createdAt: string;
  asOf: string;
  source: 'import' | 'live';
  complete: boolean;
  provenance: Provenance;
  coverage: CoverageEntry[];
};

export type RowStatements = { item: Statement; record: Statement; itemColumns: number };

/** The item columns before migration 008 (no name_key): a store opened with an earlier migration list, as the migration tests do. */
const PRE_008_ITEM_SQL = `INSERT INTO items (${ITEM_COLUMNS.slice(0, -1).join(', ')}) VALUES (${ITEM_COLUMNS.slice(0, -1).map(() => '?').join(', ')})`;

export function rowStatements(db: Db): RowStatements {
  const hasNameKey = db.prepare("SELECT 1 FROM pragma_table_info('items') WHERE name = 'name_key'").get() !== undefined;
  return { item: db.prepare(hasNameKey ? INSERT_ITEM_SQL : PRE_008_ITEM_SQL), record: db.prepare(INSERT_RECORD_SQL), itemColumns: hasNameKey ? ITEM_COLUMNS.length : ITEM_COLUMNS.length - 1 };
}

/**
 * Inserts prepared rows. An item's name_key (migration 008) is derived here,
 * on the thread that writes, from the name (values[3]): a prepared row
 * crossing to the writer worker carries the name once, not twice (a
 * 12 Mi-character name is the importer's limit).
 */
export function insertRows(st: RowStatements, rows: PreparedRow[]): void {
  const withKey = st.itemColumns === ITEM_COLUMNS.length;
  for (const r of rows) {
    // The row is this writer's own (prepared here or received by message): the key is appended in place, no copy.
    if (r.item && withKey && r.values.length === ITEM_COLUMNS.length - 1) r.values.push(nameSortKey(r.values[3] as string));
    if (r.item) st.item.run(r.values);
    else st.record.run(r.values);
  }
}

/** Computes the content hash, writes the snapshot row and commits the open transaction. */
export function finishSnapshot(db: Db, id: string, itemCount: number, meta: NewSnapshot): SnapshotSummary {
  // Outside its transaction the snapshot row would be committed on its own, without (all) its items.
  if (!db.inTransaction) throw new Error('the snapshot transaction is no longer open; nothing was stored');
  const contentHash = computeContentHash(db, id);
  db.prepare(`INSERT INTO snapshots (id, label, created_at, as_of, source, item_count, content_hash, complete, canonical_version, provenance, coverage)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
    id, meta.label, meta.createdAt, meta.asOf, meta.source, itemCount, contentHash, meta.complete ? 1 : 0, CANONICAL_VERSION,
    JSON.stringify(meta.provenance), JSON.stringify(meta.coverage),
  );
  db.exec('COMMIT');
  return {
    id, label: meta.label, createdAt: meta.createdAt, asOf: meta.asOf, source: meta.source, itemCount, contentHash,
    complete: meta.complete, canonicalVersion: CANONICAL_VERSION,
  };
}
