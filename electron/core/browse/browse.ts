/**
 * Item paging for the UI: the same filters, search and keyset paging as
 * items.query (SnapshotRepository.query), plus owner and finding filters,
 * with query plans chosen for 100k items around the items_ui covering index
 * (migration 009: natural name order, every filter column):
 *
 * - sorted by name (the default): natural order ("db_2" before "db_10"), by
 *   items.name_key (migration 008, shared/domain/natural-sort.ts), which
 *   leads items_ui: one ordered walk of it, every filter and the search tested
 *   on the entry (a store read-only at migration 008 walks
 *   items_by_name_key and tests filters on the rows instead);
 * - sorted by another column: scan items_ui (it holds every sort column) and
 *   sort just the matches; a store before migration 011 walks that column's
 *   own index in order when many rows can match;
 * - either way the item bodies (normalised + raw JSON, packed since 011) are
 *   read and unpacked for the page's keys only.
 *
 * Counting is separate (countItems) so that the rows can be shown before the
 * total arrives.
 */
import type { Database as Db } from 'better-sqlite3';
import { itemFilterColumns, itemFilterSql, keysetAfter } from '../store/snapshots.ts';
import { lastSuccessSql } from '../store/migrations/010-promoted-fields.ts';
import { hasItemBody, itemBodyData } from '../store/item-body.ts';
import type { BackupItem } from '../../../shared/domain/types.ts';
import type { ItemFilterField } from '../../../shared/contract/methods/snapshots.ts';
import type { ItemsBrowsePage } from '../../../shared/contract/methods/ui.ts';
import { cachedStaticFacets, facetColumns, hasIndex, hasTable, ownerFacetWithNone, type StaticFacetField } from './facets.ts';

export type BrowseFilter = {
  /** Entries of one field are alternatives (A or B); different fields must all hold. */
  where?: Array<{ field: ItemFilterField; value: string }> | undefined;
  search?: string | undefined;
  owner?: string | undefined;
  /** Any of these current owners; "" stands for items nobody owns. */
  owners?: string[] | undefined;
  /** Only items whose last successful backup (shared/domain/last-success.ts) is before this ISO time, or that have none. */
  lastSuccessBefore?: string | undefined;
  /** The items with the chosen finding: a tag of temp.ui_finding_keys (see finding-keys.ts) and its size. */
  findingKeys?: { tag: string; count: number } | undefined;
};

export type BrowseQuery = BrowseFilter & {
  sort?: 'key' | 'name' | 'vaultName' | 'protectionState' | 'lastBackupTime' | 'lastSuccessTime' | 'workloadType' | undefined;
  desc?: boolean | undefined;
  after?: { value: string | null; key: string } | undefined;
  /**
   * Skip this many matching rows (after `after` when given): the grid's seek to any position (issue 17). A snapshot
   * never changes, so a position is stable for a given filter and sort; the skipped rows are stepped over in the
   * plan's covering index, never read (100k items: 11 ms to the middle, 19 ms to the end, on a loaded 2-core machine).
   */
  offset?: number | undefined;
  limit?: number | undefined;
};

const filterColumns = itemFilterColumns;

const sortColumns = {
  key: { col: 'key', index: 'sqlite_autoindex_items_1' },
  // items_ui from migration 009; a read-only store at 008 still has items_by_name_key (see nameIndex).
  name: { col: 'name_key', index: 'items_ui' },
  vaultName: { col: 'vault_name', index: 'items_by_vault' },
  protectionState: { col: 'protection_state', index: 'items_by_state' },
  lastBackupTime: { col: 'last_backup_time', index: 'items_by_last_backup' },
  // An expression, read from the indexes of migration 010 that hold it (see lastSuccessSql).
  lastSuccessTime: { col: lastSuccessSql, index: 'items_by_last_success' },
  workloadType: { col: 'workload_type', index: 'items_by_workload' },
} as const;

/** Columns items_ui holds: a plan on it never reads the wide rows for these. */
const uiIndexColumns = new Set([
  'name',
  'key',
  'protection_state',
  'health_status',
  'workload_type',
  'last_backup_status',
  'soft_deleted',
  'backup_management_type',
  'vault_name',
  'subscription_id',
  'resource_group',
  'policy_name',
  'last_backup_time',
  lastSuccessSql,
  'last_recovery_point',
]);

/**
 * Whole orders of a snapshot in a sort that has no index of its own (since
 * migration 011 every sort but name and key): (sort value, key) per matching
 * item, kept per connection for the last two filter-and-sort pairs. A jump
 * deep into such a sort otherwise sorts every match again (100k items, by
 * last backup: 430-650 ms); from a kept order it is a slice and a lookup of
 * the page's rows. Safe to keep: a snapshot never changes. Not kept for the
 * owner and finding filters, whose matches change with annotations.
 */
const keptOrders = new WeakMap<Db, Map<string, Array<[string | null, string]>>>();
const KEPT_ORDERS = 2;

function keptOrder(db: Db, cacheKey: string, build: () => Array<[string | null, string]>): Array<[string | null, string]> {
  let orders = keptOrders.get(db);
  if (!orders) keptOrders.set(db, (orders = new Map()));
  let order = orders.get(cacheKey);
  if (order) {
    orders.delete(cacheKey);
  } else {
    order = build();
    if (orders.size >= KEPT_ORDERS) orders.delete(orders.keys().next().value!);
  }
  orders.set(cacheKey, order);
  return order;
}

/** Current owner annotations of items, as (key) rows: the owner filter's subquery. */
const ownedKeysSql =
  "SELECT substr(target, 6) FROM annotation_values WHERE field = 'owner' AND target LIKE 'item:%' AND json_type(value) = 'text' AND json_extract(value, '$') <> ''";

/** Where-entries grouped by field, each group one OR (values of a facet are alternatives), with items.query's equality semantics. */
function whereSql(where: ReadonlyArray<{ field: ItemFilterField; value: string }>, params: Record<string, unknown>): string[] {
  const groups = new Map<ItemFilterField, string[]>();
  where.forEach((w, i) => {
    const col = filterColumns[w.field];
    let cond: string;
    if (w.field === 'softDeleted') {
      cond = `${col} = @w${i}`;
      params[`w${i}`] = w.value === 'true' || w.value === '1' ? 1 : 0;
    } else if (w.value === '') {
      cond = `(${col} IS NULL OR ${col} = '')`;
    } else {
      cond = `${col} = @w${i} COLLATE NOCASE`;
      params[`w${i}`] = w.value;
    }
    const g = groups.get(w.field);
    if (g) g.push(cond);
    else groups.set(w.field, [cond]);
  });
  return [...groups.values()].map((g) => (g.length === 1 ? g[0]! : `(${g.join(' OR ')})`));
}

type Built = { conds: string[]; params: Record<string, unknown>; columns: Set<string> };

/** The WHERE conditions, with items.query's semantics ("" matches null or empty; equality ignores case). */
export function buildFilter(snapshotId: string, f: BrowseFilter, db: Db): Built {
  const { conds, params } = itemFilterSql(snapshotId, [], f.search);
  conds.push(...whereSql(f.where ?? [], params));
  const columns = new Set<string>((f.where ?? []).map((w) => filterColumns[w.field]));
  if (f.lastSuccessBefore !== undefined) {
    conds.push(`(${lastSuccessSql} IS NULL OR ${lastSuccessSql} < @lsb)`);
    params.lsb = f.lastSuccessBefore;
    // Without migration 007's indexes the expression is computed from each row: right, but not covered.
    // Since 011 items_ui alone holds it.
    columns.add(hasIndex(db, 'items_by_last_success') || hasItemBody(db) ? lastSuccessSql : 'data');
  }
  const owners = [...(f.owners ?? [])];
  if (owners.length > 0) {
    if (hasTable(db, 'annotation_values')) {
      const alts: string[] = [];
      const named = owners.filter((o) => o !== '');
      if (named.length > 0) {
        named.forEach((o, i) => (params[`ow${i}`] = o));
        alts.push(`key IN (${ownedKeysSql} AND json_extract(value, '$') COLLATE NOCASE IN (${named.map((_, i) => `@ow${i}`).join(', ')}))`);
      }
      if (named.length < owners.length) alts.push(`key NOT IN (${ownedKeysSql})`);
      conds.push(alts.length === 1 ? alts[0]! : `(${alts.join(' OR ')})`);
    } else if (!owners.includes('')) {
      conds.push('0');
    }
    columns.add('key');
  }
  if (f.search && f.search.trim() !== '') {
    columns.add('name');
    columns.add('key');
  }
  if (f.owner !== undefined) {
    if (hasTable(db, 'annotation_values')) {
      conds.push(
        "key IN (SELECT substr(target, 6) FROM annotation_values WHERE field = 'owner' AND target LIKE 'item:%' AND json_type(value) = 'text' AND json_extract(value, '$') = @owner COLLATE NOCASE)",
      );
      params.owner = f.owner;
    } else {
      conds.push('0');
    }
    columns.add('key');
  }
  if (f.findingKeys !== undefined) {
    conds.push('key IN (SELECT key FROM temp.ui_finding_keys WHERE tag = @ftag)');
    params.ftag = f.findingKeys.tag;
    columns.add('key');
  }
  return { conds, params, columns };
}

/** The COUNT statement for a filter, with its parameters (run here or on another connection, see count-worker.ts). */
export function countSql(db: Db, snapshotId: string, f: BrowseFilter): { sql: string; params: Record<string, unknown>; usesTemp: boolean } {
  const b = buildFilter(snapshotId, f, db);
  // Unfiltered: the primary key is the narrowest covering index. Otherwise items_ui covers every condition.
  const hint = b.conds.length > 1 && hasIndex(db, 'items_ui') && [...b.columns].every((c) => uiIndexColumns.has(c)) ? 'INDEXED BY items_ui' : '';
  return { sql: `SELECT COUNT(*) FROM items ${hint} WHERE ${b.conds.join(' AND ')}`, params: b.params, usesTemp: f.findingKeys !== undefined };
}

export function countItems(db: Db, snapshotId: string, f: BrowseFilter): number {
  const c = countSql(db, snapshotId, f);
  return db.prepare(c.sql).pluck(true).get(c.params) as number;
}

/** An upper bound of the rows the filter can match, from cached counts; null when unknown. */
function estimateMatches(db: Db, snapshotId: string, f: BrowseFilter): number | null {
  const facets = cachedStaticFacets(db, snapshotId);
  if (!facets) return null;
  let est = facets.total;
  // Values of one field are alternatives: their counts add up.
  const perField = new Map<StaticFacetField, number>();
  for (const w of f.where ?? []) {
    const field = w.field as StaticFacetField;
    if (!(field in facetColumns)) continue;
    const v = w.field === 'softDeleted' ? (w.value === 'true' || w.value === '1' ? 'true' : 'false') : w.value.toLowerCase();
    const n = facets.fields[field].filter((x) => (w.field === 'softDeleted' ? x.value === v : x.value.toLowerCase() === v)).reduce((a, x) => a + x.count, 0);
    perField.set(field, (perField.get(field) ?? 0) + n);
  }
  for (const n of perField.values()) est = Math.min(est, n);
  const owners = f.owner !== undefined ? [f.owner] : (f.owners ?? []);
  if (owners.length > 0) {
    const wanted = new Set(owners.map((o) => o.toLowerCase()));
    est = Math.min(est, ownerFacetWithNone(db, snapshotId, facets.total).filter((x) => wanted.has(x.value.toLowerCase())).reduce((a, x) => a + x.count, 0));
  }
  if (f.findingKeys !== undefined) est = Math.min(est, f.findingKeys.count);
  return est;
}

/**
 * The index that walks natural name order: items_ui from migration 009, items_by_name_key in a store opened
 * read-only at 008 (there a filtered walk tests its conditions on the rows: slower, same order).
 */
function nameIndex(db: Db): 'items_ui' | 'items_by_name_key' {
  return hasIndex(db, 'items_by_name_key') ? 'items_by_name_key' : 'items_ui';
}

export function browseItems(db: Db, snapshotId: string, q: BrowseQuery, withTotal: boolean): ItemsBrowsePage {
  const b = buildFilter(snapshotId, q, db);
  const { col, index: sortIndex } = sortColumns[q.sort ?? 'key'];
  const index = col === 'name_key' ? nameIndex(db) : sortIndex;
  const dir = q.desc ? 'DESC' : 'ASC';
  const pageConds = [...b.conds];
  const params = { ...b.params };
  if (q.after) pageConds.push(keysetAfter(col, q.after, q.desc === true, params));
  const limit = q.limit ?? 100;
  params.lim = limit + 1;
  const offset = q.offset ?? 0;
  params.off = offset;
  const order = col === 'key' ? `key ${dir}` : `${col} ${dir}, key ${dir}`;

  const haveUi = hasIndex(db, 'items_ui') && [...b.columns].every((c) => uiIndexColumns.has(c));
  const filtered = (q.where?.length ?? 0) > 0 || q.owner !== undefined || (q.owners?.length ?? 0) > 0 || q.lastSuccessBefore !== undefined || q.findingKeys !== undefined;
  const searched = b.conds.some((c) => c.includes('@search'));
  let hint: string | null = null;
  if (haveUi && (filtered || searched)) {
    // A walk tests ~limit/selectivity rows in sort order, each a lookup into the wide rows;
    // filter-first scans the narrow index once and sorts the matches. Searches have no estimate:
    // filter-first bounds their worst case.
    const est = filtered ? estimateMatches(db, snapshotId, q) : null;
    const total = cachedStaticFacets(db, snapshotId)?.total ?? 0;
    const few = est !== null && est <= Math.max(5000, total / 4);
    hint = few || searched ? 'items_ui' : hasIndex(db, index) ? index : null;
  }
  // Name order is read from an index, never sorted: the walk stops at the page.
  if (col === 'name_key' && hint === null && hasIndex(db, index)) hint = index;
  // Since 011 the other sorts have no index of their own: their keys are sorted from items_ui, which holds
  // every sort column (narrow entries), and only the page's bodies are read.
  if (hint === null && col !== 'key' && haveUi && uiIndexColumns.has(col) && !hasIndex(db, index)) hint = 'items_ui';
  const where = pageConds.join(' AND ');
  // The item's normalised JSON: its packed body since 011 (unpacked below for the page's rows only), else the data column.
  const body = hasItemBody(db);
  const text = body ? 'body' : 'data';
  const annotationBound = q.owner !== undefined || (q.owners?.length ?? 0) > 0 || q.findingKeys !== undefined;
  if (body && hint === 'items_ui' && col !== 'name_key' && offset > 0 && !q.after && !annotationBound) {
    const cacheKey = JSON.stringify([snapshotId, col, dir, b.conds, b.params]);
    const whole = keptOrder(db, cacheKey, () =>
      db.prepare(`SELECT ${col} AS sv, key FROM items INDEXED BY items_ui WHERE ${where} ORDER BY ${order}`).raw(true).all(params) as Array<[string | null, string]>,
    );
    const slice = whole.slice(offset, offset + limit + 1);
    const bodies = new Map(
      (db.prepare('SELECT key, body FROM items WHERE snapshot_id = @sid AND key IN (SELECT value FROM json_each(@keys))').raw(true).all({ sid: snapshotId, keys: JSON.stringify(slice.map((r) => r[1])) }) as Array<[string, Uint8Array]>),
    );
    const more = slice.length > limit;
    const page = more ? slice.slice(0, limit) : slice;
    const last = page[page.length - 1];
    return {
      items: page.map(([, key]) => JSON.parse(itemBodyData(bodies.get(key)!)) as BackupItem),
      total: withTotal ? countItems(db, snapshotId, q) : null,
      next: more && last ? { value: last[0], key: last[1] } : null,
    };
  }
  // The page's keys from an index (covered), then the wide rows of just those keys.
  const sql =
    hint === 'items_ui'
      ? `SELECT p.sv, p.key, i.${text} FROM (SELECT key, ${col} AS sv FROM items INDEXED BY items_ui WHERE ${where} ORDER BY ${order} LIMIT @lim OFFSET @off) p
         JOIN items i ON i.snapshot_id = @sid AND i.key = p.key ORDER BY ${col === 'key' ? `p.key ${dir}` : `p.sv ${dir}, p.key ${dir}`}`
      : offset > 0
        ? // A seek: step over the skipped rows in the sort's index (keys only), then read the wide rows of the page.
          `SELECT p.sv, p.key, i.${text} FROM (SELECT ${col} AS sv, key FROM items ${hint ? `INDEXED BY ${hint}` : ''} WHERE ${where} ORDER BY ${order} LIMIT @lim OFFSET @off) p
           JOIN items i ON i.snapshot_id = @sid AND i.key = p.key ORDER BY ${col === 'key' ? `p.key ${dir}` : `p.sv ${dir}, p.key ${dir}`}`
        : `SELECT ${col} AS sv, key, ${text} FROM items ${hint ? `INDEXED BY ${hint}` : ''} WHERE ${where} ORDER BY ${order} LIMIT @lim`;
  const rows = db.prepare(sql).raw(true).all(params) as Array<[string | null, string, string | Uint8Array]>;
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return {
    items: page.map((r) => JSON.parse(body ? itemBodyData(r[2] as Uint8Array) : (r[2] as string)) as BackupItem),
    total: withTotal ? countItems(db, snapshotId, q) : null,
    next: more && last ? { value: last[0], key: last[1] } : null,
  };
}

