import type { Migration } from './migration.ts';

/**
 * A covering index for analysis: every field the diff, findings and cost read
 * (promoted columns plus a few JSON fields), so 100k items are analysed from
 * the index without reading the wide rows (normalised + raw JSON). Its
 * expressions must stay textually identical to ANALYSIS_JSON in
 * electron/core/analysis/load.ts for SQLite to use it as covering.
 *
 * Analysis datasets that live beside snapshots, never inside them:
 * - sizes datasets: a Backup Reports "Backup Items" export (front-end size and
 *   storage consumed per item), used by cost;
 * - billing datasets: an Azure Cost Management export (Backup meters), used to
 *   reconcile estimated with billed cost.
 * Each dataset is written once, hashed (SHA-256 of the file and of the
 * canonical rows) and is immutable: UPDATE and DELETE are refused.
 */
export const migration003Analysis: Migration = {
  id: 3,
  name: 'analysis',
  sql: `
CREATE INDEX items_analysis ON items (snapshot_id, key, row_hash, name, vault_key, vault_name, vault_kind, subscription_id, workload_type,
  protection_state, protection_status, health_status, last_backup_status, last_backup_time, policy_name, source_resource_key, soft_deleted, size_gb,
  data->>'$.protectedItemHealthStatus', data->>'$.neverBackedUp', data->>'$.lastRecoveryPoint', data->>'$.recoveryPointCount',
  data->>'$.deferredDeleteTime', data->>'$.softDeleteRetentionDays', data->>'$.policyId', data->'$.tags', data->>'$.archiveEnabled', data->>'$.location');
CREATE INDEX records_inventory ON records (snapshot_id, type, key, data->>'$.name', data->>'$.type', data->>'$.kind', data->>'$.subscriptionId',
  data->>'$.resourceGroup', data->'$.tags') WHERE type = 'inventory';

CREATE TABLE sizes_datasets (
  id TEXT PRIMARY KEY,
  label TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  file_name TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  file_size INTEGER NOT NULL,
  format TEXT NOT NULL,
  row_count INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  columns TEXT NOT NULL,
  warnings TEXT NOT NULL
);

CREATE TABLE sizes_rows (
  dataset_id TEXT NOT NULL REFERENCES sizes_datasets(id) DEFERRABLE INITIALLY DEFERRED,
  row_no INTEGER NOT NULL,
  item_key TEXT,
  source_key TEXT,
  name TEXT,
  vault_name TEXT,
  front_end_gb REAL,
  storage_gb REAL,
  data TEXT NOT NULL,
  PRIMARY KEY (dataset_id, row_no)
);
CREATE INDEX sizes_by_item ON sizes_rows (dataset_id, item_key);

CREATE TABLE billing_datasets (
  id TEXT PRIMARY KEY,
  label TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  file_name TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  file_size INTEGER NOT NULL,
  row_count INTEGER NOT NULL,
  skipped_rows INTEGER NOT NULL,
  currency TEXT,
  content_hash TEXT NOT NULL,
  columns TEXT NOT NULL,
  warnings TEXT NOT NULL
);

CREATE TABLE billing_rows (
  dataset_id TEXT NOT NULL REFERENCES billing_datasets(id) DEFERRABLE INITIALLY DEFERRED,
  row_no INTEGER NOT NULL,
  vault_key TEXT NOT NULL,
  month TEXT NOT NULL,
  meter TEXT,
  cost_cents INTEGER NOT NULL,
  currency TEXT,
  data TEXT NOT NULL,
  PRIMARY KEY (dataset_id, row_no)
);
CREATE INDEX billing_by_vault_month ON billing_rows (dataset_id, vault_key, month);

CREATE TRIGGER sizes_datasets_no_update BEFORE UPDATE ON sizes_datasets
BEGIN SELECT RAISE(ABORT, 'sizes datasets are immutable'); END;
CREATE TRIGGER sizes_datasets_no_delete BEFORE DELETE ON sizes_datasets
BEGIN SELECT RAISE(ABORT, 'sizes datasets are immutable'); END;
CREATE TRIGGER sizes_rows_no_update BEFORE UPDATE ON sizes_rows
BEGIN SELECT RAISE(ABORT, 'sizes datasets are immutable'); END;
CREATE TRIGGER sizes_rows_no_delete BEFORE DELETE ON sizes_rows
BEGIN SELECT RAISE(ABORT, 'sizes datasets are immutable'); END;
CREATE TRIGGER billing_datasets_no_update BEFORE UPDATE ON billing_datasets
BEGIN SELECT RAISE(ABORT, 'billing datasets are immutable'); END;
CREATE TRIGGER billing_datasets_no_delete BEFORE DELETE ON billing_datasets
BEGIN SELECT RAISE(ABORT, 'billing datasets are immutable'); END;
CREATE TRIGGER billing_rows_no_update BEFORE UPDATE ON billing_rows
BEGIN SELECT RAISE(ABORT, 'billing datasets are immutable'); END;
CREATE TRIGGER billing_rows_no_delete BEFORE DELETE ON billing_rows
BEGIN SELECT RAISE(ABORT, 'billing datasets are immutable'); END;
`,
};
