import type { Migration } from './migration.ts';

/**
 * The item's last successful backup in SQL, as migration 007 defines it
 * (shared/domain/last-success.ts; test/db/browse-grid.test.ts checks they
 * agree), read from the last_recovery_point column instead of the JSON.
 * Frozen with this migration: items_ui and items_by_last_success hold this
 * exact expression, and a query finds a value in an index only when it writes
 * the same expression (electron/core/browse).
 */
export const lastSuccessSql = `(CASE
    WHEN lower(last_backup_status) IN ('completed', 'completedwithwarnings', 'healthy', 'succeeded')
      AND last_backup_time > '2001-01-01T00:00:00.000Z'
      AND (last_recovery_point IS NULL OR last_recovery_point <= last_backup_time)
      THEN last_backup_time
    WHEN last_recovery_point > '2001-01-01T00:00:00.000Z' THEN last_recovery_point
    ELSE NULL
  END)`;

/**
 * The normalised fields analysis reads, promoted from the item's JSON to
 * columns (issue 17: import speed).
 *
 * Measured on 40k items of the bench estate: the three indexes that held
 * `data->>'$.…'` expressions (items_analysis with ten, items_ui and
 * items_by_last_success with the last-success CASE) made SQLite parse each
 * row's 2.2 kB normalised JSON again and again on the writer thread, which
 * bounds an import (writer 15.8 s of CPU against the parser's 7.7 s at 100k
 * items): 4.5 s of CPU to insert 40k rows with the expressions, 2.5 s with
 * the same indexes over columns.
 *
 * - items gains the ten columns, without a declared type (no affinity, so a
 *   value is kept exactly as given), each exactly what its expression gave
 *   (`->>`: text, number, 1/0 for booleans, NULL for null or missing; tags
 *   by `->`, as JSON text). The writer fills them from the normalised record
 *   (rows.ts), this migration fills the rows already stored by the same
 *   expressions; `store verify` compares every row's columns with its JSON.
 * - items_analysis, items_ui and items_by_last_success are rebuilt over the
 *   columns, with the same columns in the same order otherwise.
 * The columns are not hashed (the content hash reads key, data and
 * raw_sha256): no evidence changes. The trigger is dropped and recreated with
 * migration 001's text inside this one transaction, as migration 008 does.
 *
 * Cost: every item row is rewritten once (about 230 bytes more per item, the
 * policy id most of it) and the three indexes are built again.
 */
export const migration010PromotedFields: Migration = {
  id: 10,
  name: 'promoted-fields',
  sql: `
ALTER TABLE items ADD COLUMN protected_item_health_status;
ALTER TABLE items ADD COLUMN never_backed_up;
ALTER TABLE items ADD COLUMN last_recovery_point;
ALTER TABLE items ADD COLUMN recovery_point_count;
ALTER TABLE items ADD COLUMN deferred_delete_time;
ALTER TABLE items ADD COLUMN soft_delete_retention_days;
ALTER TABLE items ADD COLUMN policy_id;
ALTER TABLE items ADD COLUMN tags;
ALTER TABLE items ADD COLUMN archive_enabled;
ALTER TABLE items ADD COLUMN location;
DROP INDEX items_analysis;
DROP INDEX items_ui;
DROP INDEX items_by_last_success;
DROP TRIGGER items_no_update;
UPDATE items SET
  protected_item_health_status = data->>'$.protectedItemHealthStatus',
  never_backed_up = data->>'$.neverBackedUp',
  last_recovery_point = data->>'$.lastRecoveryPoint',
  recovery_point_count = data->>'$.recoveryPointCount',
  deferred_delete_time = data->>'$.deferredDeleteTime',
  soft_delete_retention_days = data->>'$.softDeleteRetentionDays',
  policy_id = data->>'$.policyId',
  tags = data->'$.tags',
  archive_enabled = data->>'$.archiveEnabled',
  location = data->>'$.location';
CREATE TRIGGER items_no_update BEFORE UPDATE ON items
BEGIN SELECT RAISE(ABORT, 'snapshot items are immutable'); END;
CREATE INDEX items_analysis ON items (snapshot_id, key, row_hash, name, vault_key, vault_name, vault_kind, subscription_id, workload_type,
  protection_state, protection_status, health_status, last_backup_status, last_backup_time, policy_name, source_resource_key, soft_deleted, size_gb,
  protected_item_health_status, never_backed_up, last_recovery_point, recovery_point_count,
  deferred_delete_time, soft_delete_retention_days, policy_id, tags, archive_enabled, location,
  resource_group, backup_management_type);
CREATE INDEX items_ui ON items (snapshot_id, name_key, key, protection_state, health_status, workload_type, last_backup_status, soft_deleted,
  backup_management_type, vault_name, subscription_id, resource_group, policy_name, last_backup_time, ${lastSuccessSql}, name);
CREATE INDEX items_by_last_success ON items (snapshot_id, ${lastSuccessSql}, key);
`,
};
