import { nameSortKey } from '../../../../shared/domain/natural-sort.ts';
import type { Migration } from './migration.ts';

/**
 * Natural name order for the grid (issue 15 item 5: "db_2" before "db_10"),
 * read from an index at 100k items.
 *
 * - items gains name_key: nameSortKey(name) (shared/domain/natural-sort.ts),
 *   whose plain BINARY order is the natural order; the writer fills it for
 *   new rows (rows.ts), this migration for the rows already stored.
 * - items_by_name_key walks it in order, with the key as the tiebreak that
 *   keyset paging needs (electron/core/browse/browse.ts).
 * A column, not an index on an expression: the key is computed in JS, and an
 * index on a JS function would make the schema unusable to any other SQLite
 * client (the sqlite3 shell, an auditor's tools).
 *
 * items is immutable (trigger items_no_update refuses every UPDATE). The
 * backfill sets a column the content hash does not read (it reads key, data
 * and raw_sha256), so no evidence changes; it drops the trigger, updates, and
 * recreates it with the exact text of migration 001, all inside this
 * migration's one transaction: no other connection ever sees items without
 * the trigger, and a failure rolls the drop back. `store verify` compares the
 * trigger with the text the migrations leave (integrity/triggers.ts), which
 * reads this DROP and CREATE in order.
 *
 * Cost: every item row is rewritten once (the WAL holds about the items
 * table while the transaction runs) and the index is built (about 2 × the
 * names' size per item).
 */
export const migration008NameSort: Migration = {
  id: 8,
  name: 'name-sort',
  sql: `
ALTER TABLE items ADD COLUMN name_key TEXT;
DROP TRIGGER items_no_update;
UPDATE items SET name_key = vp_name_key_v1(name);
CREATE TRIGGER items_no_update BEFORE UPDATE ON items
BEGIN SELECT RAISE(ABORT, 'snapshot items are immutable'); END;
CREATE INDEX items_by_name_key ON items (snapshot_id, name_key, key);
`,
  rowsOf: 'items',
  functions: [{ name: 'vp_name_key_v1', fn: (name: string) => nameSortKey(name) }],
};
