import type { Migration } from './migration.ts';

/**
 * The desktop UI's item table: filters, search, counts and facets at 100k
 * items. Items rows are wide (the normalised and the raw JSON live inline),
 * so any COUNT, GROUP BY or filtered page that has to read a column outside
 * an index walks the whole table: ~800 MB and seconds at 100k items. This one
 * covering index, in name order (the table's default sort) and holding every
 * filter column, answers all of them from a few tens of MB, without touching
 * the wide rows until the page's 100 items are read (DESIGN.md: never filter
 * the UI path on anything an index does not hold).
 */
export const migration005ItemsUi: Migration = {
  id: 5,
  name: 'items-ui',
  sql: `
CREATE INDEX items_ui ON items (snapshot_id, name, key, protection_state, health_status, workload_type, last_backup_status, soft_deleted,
  backup_management_type, vault_name, subscription_id, resource_group, policy_name, last_backup_time);
`,
};
