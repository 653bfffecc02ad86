import { lastSuccessSql } from './007-last-success.ts';
import type { Migration } from './migration.ts';

/**
 * One index fewer on items (issue 17: every import writes each row into
 * every index, and the store is several times its input). items_ui, the
 * grid's covering index (migrations 005 and 007), led with the plain name,
 * while the grid sorts by the natural name key of migration 008, which lived
 * in its own index, items_by_name_key. A filtered or searched page in name
 * order therefore joined the two indexes item by item
 * (electron/core/browse/name-order.ts, now gone).
 *
 * items_ui now leads with (snapshot_id, name_key, key), holds the same
 * filter columns and the last-success expression in the same order, and
 * keeps the plain name at its end (searches and name filters test it):
 * - a page in name order, filtered, searched or not, is one ordered walk of
 *   this index with every condition tested on the entry itself;
 * - items_by_name_key goes: its columns are a prefix of this index.
 * The expression is migration 007's text, as the browse queries write it, so
 * SQLite finds it in the index.
 *
 * Only indexes change: no row is rewritten, every content hash stays as it
 * is. Building the index reads every item once.
 */
export const migration009UiNameKey: Migration = {
  id: 9,
  name: 'ui-name-key',
  sql: `
DROP INDEX items_by_name_key;
DROP INDEX items_ui;
CREATE INDEX items_ui ON items (snapshot_id, name_key, key, protection_state, health_status, workload_type, last_backup_status, soft_deleted,
  backup_management_type, vault_name, subscription_id, resource_group, policy_name, last_backup_time, ${lastSuccessSql}, name);
`,
};
