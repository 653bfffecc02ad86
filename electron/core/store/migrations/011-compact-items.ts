import { packItemBody } from '../item-body.ts';
import type { Migration } from './migration.ts';
import { lastSuccessSql } from './010-promoted-fields.ts';

/** The columns items keeps from 010, in order, besides the body that replaces data and raw. */
const KEPT = `snapshot_id, key, row_hash, name, vault_key, vault_name, vault_kind, subscription_id, resource_group, workload_type,
  backup_management_type, protection_state, protection_status, health_status, last_backup_status, last_backup_time, policy_name,
  source_resource_key, soft_deleted, size_gb, raw_sha256, name_key, protected_item_health_status, never_backed_up, last_recovery_point,
  recovery_point_count, deferred_delete_time, soft_delete_retention_days, policy_id, tags, archive_enabled, location`;

/**
 * Compact items (issue 17: a 100k-item snapshot took 1.0 GB on disk, 5.7x
 * the JSON imported; the target is 1.5x).
 *
 * Where the bytes were, per item of the 100k bench estate (dbstat): the row
 * 5.5 kB (normalised JSON 2.2 kB, raw JSON 1.7 kB, the 285-byte key, the
 * columns), items_analysis 1.2 kB (a copy of every column, so analysis could
 * read in key order without touching the wide rows), items_ui 0.6 kB, and
 * six narrow indexes and the primary key's own index 0.4 kB each, each
 * repeating snapshot id and key.
 *
 * What changes:
 * - items becomes a WITHOUT ROWID table clustered on (snapshot_id, key): the
 *   table itself is in key order, so analysis reads it in one ordered walk
 *   and a lookup by key is one descent. No separate primary-key index, and
 *   no items_analysis: the row is now about as narrow as that index was.
 * - data and raw become one BLOB, body: both texts, DEFLATE-packed with a
 *   frozen dictionary (electron/core/store/item-body.ts says the format);
 *   about 420 bytes instead of 3.9 kB. row_hash and raw_sha256 stay, over
 *   the same texts, and so does every content hash.
 * - items_ui stays (the grid's covering index, with name_key first), now
 *   also holding last_recovery_point, the one column its last-success
 *   expression reads that it lacked: without it SQLite looked up every row
 *   in the table to sort by last success (100k items: 706 ms for the first
 *   page, 34 ms with it). items_by_vault, _by_state, _by_last_backup,
 *   _by_workload and _by_last_success go: the grid sorts on those columns
 *   from items_ui (which holds each of them), the CLI's item query from the
 *   table.
 * - The triggers are recreated with migration 001's text.
 *
 * Rows are copied in (snapshot_id, key) order, so the new table's pages fill
 * as an append does. The old table's pages become free pages; the store
 * compacts the file after this migration (store.ts).
 */
export const migration011CompactItems: Migration = {
  id: 11,
  name: 'compact-items',
  rowsOf: 'items',
  functions: [{ name: 'vp_item_body_v1', fn: (data: string, raw: string) => packItemBody(data, raw) }],
  sql: `
DROP TRIGGER items_no_update;
DROP TRIGGER items_delete_whole;
DROP INDEX items_analysis;
DROP INDEX items_ui;
DROP INDEX items_by_last_success;
DROP INDEX items_by_vault;
DROP INDEX items_by_state;
DROP INDEX items_by_last_backup;
DROP INDEX items_by_workload;
ALTER TABLE items RENAME TO items_v10;
CREATE TABLE items (
  snapshot_id TEXT NOT NULL REFERENCES snapshots(id) DEFERRABLE INITIALLY DEFERRED,
  key TEXT NOT NULL,
  row_hash TEXT NOT NULL,
  name TEXT NOT NULL,
  vault_key TEXT,
  vault_name TEXT,
  vault_kind TEXT NOT NULL,
  subscription_id TEXT,
  resource_group TEXT,
  workload_type TEXT,
  backup_management_type TEXT,
  protection_state TEXT,
  protection_status TEXT,
  health_status TEXT,
  last_backup_status TEXT,
  last_backup_time TEXT,
  policy_name TEXT,
  source_resource_key TEXT,
  soft_deleted INTEGER NOT NULL,
  size_gb REAL,
  raw_sha256 TEXT NOT NULL,
  name_key TEXT,
  protected_item_health_status, never_backed_up, last_recovery_point, recovery_point_count, deferred_delete_time,
  soft_delete_retention_days, policy_id, tags, archive_enabled, location,
  body BLOB NOT NULL,
  PRIMARY KEY (snapshot_id, key)
) WITHOUT ROWID;
INSERT INTO items (${KEPT}, body)
  SELECT ${KEPT}, vp_item_body_v1(data, raw) FROM items_v10 ORDER BY snapshot_id, key;
DROP TABLE items_v10;
CREATE TRIGGER items_no_update BEFORE UPDATE ON items
BEGIN SELECT RAISE(ABORT, 'snapshot items are immutable'); END;
CREATE TRIGGER items_delete_whole BEFORE DELETE ON items
WHEN NOT EXISTS (SELECT 1 FROM snapshot_deletions WHERE snapshot_id = OLD.snapshot_id)
BEGIN SELECT RAISE(ABORT, 'snapshot items are immutable'); END;
CREATE INDEX items_ui ON items (snapshot_id, name_key, key, protection_state, health_status, workload_type, last_backup_status, soft_deleted,
  backup_management_type, vault_name, subscription_id, resource_group, policy_name, last_backup_time, ${lastSuccessSql}, name, last_recovery_point);
`,
};
