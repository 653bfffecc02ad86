import type { Migration } from './migration.ts';

/**
 * The item's last successful backup in SQL: the later of the last backup
 * time when that backup succeeded and the latest recovery point, the
 * service's 2001-01-01 placeholder counting as none. The same definition as
 * lastSuccessfulBackup() in shared/domain/last-success.ts
 * (test/db/browse-grid.test.ts checks they agree). Frozen with the migration:
 * the indexes below hold this exact expression, and a query finds a value in
 * an index only when it writes the same expression (electron/core/browse).
 */
export const lastSuccessSql = `(CASE
    WHEN lower(last_backup_status) IN ('completed', 'completedwithwarnings', 'healthy', 'succeeded')
      AND last_backup_time > '2001-01-01T00:00:00.000Z'
      AND (data->>'$.lastRecoveryPoint' IS NULL OR data->>'$.lastRecoveryPoint' <= last_backup_time)
      THEN last_backup_time
    WHEN data->>'$.lastRecoveryPoint' > '2001-01-01T00:00:00.000Z' THEN data->>'$.lastRecoveryPoint'
    ELSE NULL
  END)`;

/**
 * The grid's "Last successful backup" (issue 15): "which VMs have no
 * successful backup in 48 h?" filters and sorts 100k items, so the value must
 * be read from an index, never from the JSON on the UI path.
 * - items_ui (migration 005) is rebuilt with the expression at its end, so
 *   the filter combines with every other filter, facet and count on the
 *   covering index;
 * - items_by_last_success walks it in order when the grid sorts by it.
 * An index on an expression, not a generated column: SQLite (3.53) does not
 * treat an index on a VIRTUAL column as covering, so every test of the column
 * would read the wide row; a STORED column cannot be added to a table that
 * holds rows. No row is rewritten: content hashes and the writer's column
 * list stay as they are. Rebuilding items_ui and building the new index read
 * every item once.
 */
export const migration007LastSuccess: Migration = {
  id: 7,
  name: 'last-success',
  sql: `
DROP INDEX items_ui;
CREATE INDEX items_ui ON items (snapshot_id, name, key, protection_state, health_status, workload_type, last_backup_status, soft_deleted,
  backup_management_type, vault_name, subscription_id, resource_group, policy_name, last_backup_time, ${lastSuccessSql});
CREATE INDEX items_by_last_success ON items (snapshot_id, ${lastSuccessSql}, key);
`,
};
