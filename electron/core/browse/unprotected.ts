/**
 * Unprotected workloads for the grid (issue 15 item 1): the snapshot's
 * inventory records that no live backup item names as its source — the same
 * set as the coverage figures and the unprotected-workload finding (before
 * the profile narrows the finding to some kinds). Read from two indexes:
 * records_inventory (migration 003, which holds the name, type, kind,
 * subscription and resource group) and the items table (each item's source
 * and soft-deleted flag are columns); the protected sources are
 * gathered once per query into a temporary b-tree by SQLite (NOT IN).
 */
import type { Database as Db } from 'better-sqlite3';
import { likeEscape } from '../store/snapshots.ts';
import type { UnprotectedFacets, UnprotectedField, UnprotectedPage, UnprotectedResource } from '../../../shared/contract/methods/items.ts';
import type { FacetValue } from '../../../shared/contract/methods/ui.ts';
import { hasTable } from './facets.ts';

export type UnprotectedQuery = {
  search?: string | undefined;
  /** Entries of one field are alternatives (A or B); "" stands for none. */
  where?: Array<{ field: UnprotectedField; value: string }> | undefined;
  /** Any of these current owners (resource annotations); "" stands for resources nobody owns. */
  owners?: string[] | undefined;
  after?: { value: string; key: string } | undefined;
  limit?: number | undefined;
};

const columns: Record<UnprotectedField, string> = {
  kind: "data->>'$.kind'",
  subscriptionId: "data->>'$.subscriptionId'",
  resourceGroup: "data->>'$.resourceGroup'",
};

const ownedSql =
  "SELECT substr(target, 10) FROM annotation_values WHERE field = 'owner' AND target LIKE 'resource:%' AND json_type(value) = 'text' AND json_extract(value, '$') <> ''";

function baseWhere(db: Db, snapshotId: string, q: UnprotectedQuery, params: Record<string, unknown>): string[] {
  params.sid = snapshotId;
  const conds = [
    'snapshot_id = @sid',
    "type = 'inventory'",
    'key NOT IN (SELECT source_resource_key FROM items WHERE snapshot_id = @sid AND soft_deleted = 0 AND source_resource_key IS NOT NULL)',
  ];
  const groups = new Map<UnprotectedField, string[]>();
  (q.where ?? []).forEach((w, i) => {
    const col = columns[w.field];
    const cond = w.value === '' ? `(${col} IS NULL OR ${col} = '')` : `${col} = @u${i} COLLATE NOCASE`;
    if (w.value !== '') params[`u${i}`] = w.value;
    groups.set(w.field, [...(groups.get(w.field) ?? []), cond]);
  });
  for (const g of groups.values()) conds.push(g.length === 1 ? g[0]! : `(${g.join(' OR ')})`);
  if (q.search && q.search.trim() !== '') {
    conds.push(`(data->>'$.name' LIKE @search ESCAPE '\\' OR key LIKE @search ESCAPE '\\')`);
    params.search = `%${likeEscape(q.search.trim())}%`;
  }
  const owners = q.owners ?? [];
  if (owners.length > 0) {
    if (!hasTable(db, 'annotation_values')) {
      if (!owners.includes('')) conds.push('0');
    } else {
      const alts: string[] = [];
      const named = owners.filter((o) => o !== '');
      if (named.length > 0) {
        named.forEach((o, i) => (params[`uo${i}`] = o));
        alts.push(`key IN (${ownedSql} AND json_extract(value, '$') COLLATE NOCASE IN (${named.map((_, i) => `@uo${i}`).join(', ')}))`);
      }
      if (named.length < owners.length) alts.push(`key NOT IN (${ownedSql})`);
      conds.push(alts.length === 1 ? alts[0]! : `(${alts.join(' OR ')})`);
    }
  }
  return conds;
}

function ownersOf(db: Db, keys: string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (keys.length === 0 || !hasTable(db, 'annotation_values')) return out;
  const stmt = db.prepare("SELECT json_extract(value, '$') FROM annotation_values WHERE target = ? AND field = 'owner' AND json_type(value) = 'text'").pluck(true);
  for (const k of keys) {
    const o = stmt.get(`resource:${k}`) as string | undefined;
    if (o) out.set(k, o);
  }
  return out;
}

/** A page of unprotected workloads in name order (then key), with the total matching. */
export function unprotectedPage(db: Db, snapshotId: string, q: UnprotectedQuery): UnprotectedPage {
  const params: Record<string, unknown> = {};
  const conds = baseWhere(db, snapshotId, q, params);
  const total = db.prepare(`SELECT COUNT(*) FROM records INDEXED BY records_inventory WHERE ${conds.join(' AND ')}`).pluck(true).get(params) as number;
  const pageConds = [...conds];
  if (q.after) {
    params.an = q.after.value;
    params.ak = q.after.key;
    pageConds.push(`(data->>'$.name' > @an OR (data->>'$.name' = @an AND key > @ak))`);
  }
  const limit = q.limit ?? 200;
  params.lim = limit + 1;
  const rows = db
    .prepare(
      `SELECT key, data->>'$.name', data->>'$.type', data->>'$.kind', data->>'$.subscriptionId', data->>'$.resourceGroup'
       FROM records INDEXED BY records_inventory WHERE ${pageConds.join(' AND ')} ORDER BY data->>'$.name', key LIMIT @lim`,
    )
    .raw(true)
    .all(params) as Array<[string, string, string, string, string | null, string | null]>;
  const page = rows.slice(0, limit);
  const owners = ownersOf(db, page.map((r) => r[0]));
  const resources: UnprotectedResource[] = page.map((r) => ({
    key: r[0],
    name: r[1],
    type: r[2],
    kind: r[3],
    subscriptionId: r[4],
    resourceGroup: r[5],
    owner: owners.get(r[0]) ?? null,
  }));
  const last = page[page.length - 1];
  return { resources, total, next: rows.length > limit && last ? { value: last[1], key: last[0] } : null };
}

/** The values each filter of the unprotected list can take, with counts; "" is "(none)" ("(no owner)" first for owner). */
export function unprotectedFacets(db: Db, snapshotId: string): UnprotectedFacets {
  const params: Record<string, unknown> = {};
  const where = baseWhere(db, snapshotId, {}, params).join(' AND ');
  const fields = {} as Record<UnprotectedField | 'owner', FacetValue[]>;
  let total = 0;
  for (const f of Object.keys(columns) as UnprotectedField[]) {
    const rows = db.prepare(`SELECT coalesce(${columns[f]}, '') AS value, COUNT(*) AS count FROM records INDEXED BY records_inventory WHERE ${where} GROUP BY 1 ORDER BY 2 DESC, 1`).all(params) as FacetValue[];
    fields[f] = rows;
    total = rows.reduce((a, r) => a + r.count, 0);
  }
  const named = hasTable(db, 'annotation_values')
    ? (db
        .prepare(
          `SELECT json_extract(av.value, '$') AS value, COUNT(*) AS count FROM annotation_values av
           WHERE av.field = 'owner' AND av.target LIKE 'resource:%' AND json_type(av.value) = 'text' AND json_extract(av.value, '$') <> ''
             AND substr(av.target, 10) IN (SELECT key FROM records INDEXED BY records_inventory WHERE ${where})
           GROUP BY 1 ORDER BY 2 DESC, 1`,
        )
        .all(params) as FacetValue[])
    : [];
  fields.owner = [{ value: '', count: total - named.reduce((a, o) => a + o.count, 0) }, ...named];
  const inventory = db.prepare("SELECT COUNT(*) FROM records INDEXED BY records_inventory WHERE snapshot_id = ? AND type = 'inventory'").pluck(true).get(snapshotId) as number;
  return { snapshotId, inventory, total, fields };
}
