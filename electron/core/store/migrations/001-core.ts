import type { Migration } from './migration.ts';

/**
 * Snapshots, their items (normalised columns + normalised JSON + raw JSON)
 * and the other record types. Items and records are immutable: UPDATE is
 * refused; DELETE only when the snapshot is being deleted as a whole
 * (a row in snapshot_deletions, written in the same transaction).
 */
export const migration001Core: Migration = {
  id: 1,
  name: 'core',
  sql: `
CREATE TABLE snapshots (
  id TEXT PRIMARY KEY,
  label TEXT,
  created_at TEXT NOT NULL,
  as_of TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('import','live')),
  item_count INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  complete INTEGER NOT NULL CHECK (complete IN (0,1)),
  canonical_version INTEGER NOT NULL,
  provenance TEXT NOT NULL,
  coverage TEXT NOT NULL
);

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
  data TEXT NOT NULL,
  raw TEXT NOT NULL,
  raw_sha256 TEXT NOT NULL,
  PRIMARY KEY (snapshot_id, key)
);
CREATE UNIQUE INDEX items_diff ON items (snapshot_id, key, row_hash);
CREATE INDEX items_by_name ON items (snapshot_id, name, key);
CREATE INDEX items_by_vault ON items (snapshot_id, vault_name, key);
CREATE INDEX items_by_state ON items (snapshot_id, protection_state, key);
CREATE INDEX items_by_last_backup ON items (snapshot_id, last_backup_time, key);
CREATE INDEX items_by_workload ON items (snapshot_id, workload_type, key);

CREATE TABLE records (
  snapshot_id TEXT NOT NULL REFERENCES snapshots(id) DEFERRABLE INITIALLY DEFERRED,
  type TEXT NOT NULL,
  key TEXT NOT NULL,
  row_hash TEXT NOT NULL,
  data TEXT NOT NULL,
  raw TEXT NOT NULL,
  raw_sha256 TEXT NOT NULL,
  PRIMARY KEY (snapshot_id, type, key)
);

CREATE TABLE snapshot_deletions (
  snapshot_id TEXT PRIMARY KEY,
  deleted_at TEXT NOT NULL,
  deleted_by TEXT NOT NULL,
  reason TEXT NOT NULL,
  content_hash TEXT NOT NULL
);

CREATE TRIGGER snapshots_no_update BEFORE UPDATE ON snapshots
BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END;
CREATE TRIGGER snapshots_delete_whole BEFORE DELETE ON snapshots
WHEN NOT EXISTS (SELECT 1 FROM snapshot_deletions WHERE snapshot_id = OLD.id)
BEGIN SELECT RAISE(ABORT, 'a snapshot can only be deleted as a whole, with a reason'); END;
CREATE TRIGGER items_no_update BEFORE UPDATE ON items
BEGIN SELECT RAISE(ABORT, 'snapshot items are immutable'); END;
CREATE TRIGGER items_delete_whole BEFORE DELETE ON items
WHEN NOT EXISTS (SELECT 1 FROM snapshot_deletions WHERE snapshot_id = OLD.snapshot_id)
BEGIN SELECT RAISE(ABORT, 'snapshot items are immutable'); END;
CREATE TRIGGER records_no_update BEFORE UPDATE ON records
BEGIN SELECT RAISE(ABORT, 'snapshot records are immutable'); END;
CREATE TRIGGER records_delete_whole BEFORE DELETE ON records
WHEN NOT EXISTS (SELECT 1 FROM snapshot_deletions WHERE snapshot_id = OLD.snapshot_id)
BEGIN SELECT RAISE(ABORT, 'snapshot records are immutable'); END;
CREATE TRIGGER snapshot_deletions_no_update BEFORE UPDATE ON snapshot_deletions
BEGIN SELECT RAISE(ABORT, 'the deletion record is append-only'); END;
CREATE TRIGGER snapshot_deletions_no_delete BEFORE DELETE ON snapshot_deletions
BEGIN SELECT RAISE(ABORT, 'the deletion record is append-only'); END;
`,
};
