/**
 * A page of filtered or searched items in natural name order (issue 15 item
 * 5), for browse.ts. The order is items.name_key (migration 008), which the
 * items_ui covering index that tests every filter does not hold, so a page
 * joins two indexes by the item, never reading a wide row to test it and
 * never sorting the matches:
 *
 * 0. a search tests name and key, which items_by_name_key holds (the name
 *    is the text after the key's first U+0001, shared/domain/natural-sort.ts):
 *    it is tested on the walk itself, and a search alone needs nothing more
 *    (the plan items_ui gave before natural order: up to one index walk);
 * 1. walk the next PROBE_CAP entries of items_by_name_key from the cursor and
 *    test each on its items_ui entry, found by (snapshot_id, name, key).
 *    When most rows match, the page is found here after ~limit probes;
 * 2. if the page is not full yet, the rest: the matching keys from one
 *    covered scan of items_ui, kept while items_by_name_key is walked on from
 *    where 1 stopped. A rare filter or search costs one scan of items_ui (as
 *    counting it does) plus PROBE_CAP probes, instead of up to one probe per item.
 *
 * Measured at 100k items (test estate, shared 2-core machine, median of 5
 * pages of 60; in brackets the plain-name walk of items_ui this replaced):
 * unfiltered 0.6–1.3 ms (0.2); "Protected" (80%) 0.6–0.9 ms (0.2–0.4);
 * "ProtectionError" (4%) 2.6–10 ms (0.3–0.7); "ActionRequired" (4%, VMs
 * only, which sort last) 60–86 ms (11–12); searches at par: "share-4242"
 * 43–52 ms (41–58), "sh" 9–19 ms (10–14). Migration 009 may put name_key in
 * items_ui itself; then this module is one walk of that index.
 */
import type { Database as Db } from 'better-sqlite3';

const PROBE_CAP = 4000;
/** The item's name, read from its name_key (what follows the first U+0001). */
const NAME_OF_KEY = 'substr(name_key, instr(name_key, char(1)) + 1)';

type Row = [string | null, string, string];

/**
 * `filterConds` test columns of items_ui (browse.ts buildFilter, `snapshot_id = @sid` among them); `afterConds` are the
 * cursor's conditions on name_key and key; `params` bind both; `lim` is the page size plus one; `cap` (tests) the probes of step 1.
 */
export function nameOrderedRows(db: Db, filterConds: string[], afterConds: string[], params: Record<string, unknown>, dir: 'ASC' | 'DESC', lim: number, cap = PROBE_CAP): Row[] {
  // A search tests name and key, which items_by_name_key holds (the name after the key's U+0001): tested on the walk itself.
  const search = filterConds.find((c) => c.includes('@search') && c.includes('name LIKE'));
  const rest = filterConds.filter((c) => c !== search && c !== 'snapshot_id = @sid');
  const from = ['snapshot_id = @sid', ...afterConds, ...(search ? [search.replace('name LIKE', `${NAME_OF_KEY} LIKE`)] : [])].join(' AND ');
  const order = `name_key ${dir}, key ${dir}`;
  if (rest.length === 0) {
    return db.prepare(`SELECT name_key AS sv, key, data FROM items INDEXED BY items_by_name_key WHERE ${from} ORDER BY ${order} LIMIT @lim`).raw(true).all({ ...params, lim }) as Row[];
  }
  const filter = ['snapshot_id = @sid', ...rest].join(' AND ');
  const first = db
    .prepare(
      `SELECT p.sv, p.key, i.data FROM (SELECT name_key AS sv, key FROM items INDEXED BY items_by_name_key WHERE ${from} ORDER BY ${order} LIMIT @cap) p
       JOIN items i ON i.snapshot_id = @sid AND i.key = p.key
       WHERE EXISTS (SELECT 1 FROM items INDEXED BY items_ui WHERE name = substr(p.sv, instr(p.sv, char(1)) + 1) AND key = p.key AND ${filter})
       ORDER BY p.sv ${dir}, p.key ${dir} LIMIT @lim`,
    )
    .raw(true)
    .all({ ...params, cap, lim }) as Row[];
  if (first.length >= lim) return first;
  const edge = db.prepare(`SELECT name_key, key FROM items INDEXED BY items_by_name_key WHERE ${from} ORDER BY ${order} LIMIT 1 OFFSET @off`).raw(true).get({ ...params, off: cap - 1 }) as
    | [string, string]
    | undefined;
  if (!edge) return first;
  const cmp = dir === 'ASC' ? '>' : '<';
  const more = db
    .prepare(
      `SELECT name_key AS sv, key, data FROM items INDEXED BY items_by_name_key
       WHERE ${from} AND (name_key ${cmp} @edgeValue OR (name_key = @edgeValue AND key ${cmp} @edgeKey))
         AND key IN (SELECT key FROM items INDEXED BY items_ui WHERE ${filter})
       ORDER BY ${order} LIMIT @lim`,
    )
    .raw(true)
    .all({ ...params, edgeValue: edge[0], edgeKey: edge[1], lim: lim - first.length }) as Row[];
  return [...first, ...more];
}
