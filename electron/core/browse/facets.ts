/**
 * Filter values with their counts for one snapshot. A snapshot never changes,
 * so its counts are computed once (GROUP BYs over the items_ui covering
 * index, migration 005, on the read worker) and kept; only the owner counts, which follow the
 * annotation log, are recounted on each call.
 */
import type { Database as Db } from 'better-sqlite3';
import type { FacetField, FacetValue, ItemFacets } from '../../../shared/contract/methods/ui.ts';
import { rowsOnWorker } from './count-worker.ts';

export type StaticFacetField = Exclude<FacetField, 'owner'>;

/** Item columns behind each facet (all held by the items_ui covering index, migration 005). */
export const facetColumns: Record<StaticFacetField, string> = {
  protectionState: 'protection_state',
  healthStatus: 'health_status',
  workloadType: 'workload_type',
  lastBackupStatus: 'last_backup_status',
  softDeleted: 'soft_deleted',
  backupManagementType: 'backup_management_type',
  vaultName: 'vault_name',
  subscriptionId: 'subscription_id',
  resourceGroup: 'resource_group',
  policyName: 'policy_name',
};

export type StaticFacets = { total: number; fields: Record<StaticFacetField, FacetValue[]> };

const cache = new WeakMap<Db, Map<string, StaticFacets>>();
const keep = 8;

export function hasIndex(db: Db, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?").get(name) !== undefined;
}

export function hasTable(db: Db, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

function facetValue(field: StaticFacetField, v: unknown): string {
  if (field === 'softDeleted') return v === 1 ? 'true' : 'false';
  return v === null || v === undefined ? '' : String(v);
}

const facetFieldList = Object.keys(facetColumns) as StaticFacetField[];

/** One GROUP BY per field over the covering index: `field index, value, count` rows. */
function facetsSql(db: Db): string {
  const indexed = hasIndex(db, 'items_ui') ? 'INDEXED BY items_ui' : '';
  return facetFieldList.map((f, i) => `SELECT ${i}, ${facetColumns[f]}, COUNT(*) FROM items ${indexed} WHERE snapshot_id = @sid GROUP BY 2`).join(' UNION ALL ');
}

function facetsFromRows(rows: unknown[][]): StaticFacets {
  const out = Object.fromEntries(facetFieldList.map((f) => [f, [] as FacetValue[]])) as Record<StaticFacetField, FacetValue[]>;
  for (const [i, v, n] of rows) {
    const field = facetFieldList[i as number]!;
    const value = facetValue(field, v);
    const list = out[field];
    // "" stands for null and empty alike.
    const same = list.find((x) => x.value === value);
    if (same) same.count += n as number;
    else list.push({ value, count: n as number });
  }
  for (const f of facetFieldList) out[f].sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  const total = out.protectionState.reduce((a, x) => a + x.count, 0);
  return { total, fields: out };
}

function computeStaticFacets(db: Db, snapshotId: string): StaticFacets {
  return facetsFromRows(db.prepare(facetsSql(db)).raw(true).all({ sid: snapshotId }) as unknown[][]);
}

export function staticFacets(db: Db, snapshotId: string): StaticFacets {
  let perDb = cache.get(db);
  if (!perDb) {
    perDb = new Map();
    cache.set(db, perDb);
  }
  const hit = perDb.get(snapshotId);
  if (hit) {
    perDb.delete(snapshotId);
    perDb.set(snapshotId, hit);
    return hit;
  }
  const f = computeStaticFacets(db, snapshotId);
  perDb.set(snapshotId, f);
  while (perDb.size > keep) perDb.delete(perDb.keys().next().value!);
  return f;
}

function remember(db: Db, snapshotId: string, f: StaticFacets): StaticFacets {
  let perDb = cache.get(db);
  if (!perDb) {
    perDb = new Map();
    cache.set(db, perDb);
  }
  perDb.set(snapshotId, f);
  while (perDb.size > keep) perDb.delete(perDb.keys().next().value!);
  return f;
}

/** The same counts computed on the read worker (off this thread); on this connection when the worker cannot. */
export async function staticFacetsAsync(db: Db, storePath: string, snapshotId: string): Promise<StaticFacets> {
  const hit = cachedStaticFacets(db, snapshotId);
  if (hit) return hit;
  const rows = db.inTransaction ? null : await rowsOnWorker(storePath, facetsSql(db), { sid: snapshotId });
  return rows ? remember(db, snapshotId, facetsFromRows(rows)) : staticFacets(db, snapshotId);
}

export function cachedStaticFacets(db: Db, snapshotId: string): StaticFacets | undefined {
  return cache.get(db)?.get(snapshotId);
}

/** Owners of the snapshot's items (current owner annotation), with counts. */
export function ownerFacet(db: Db, snapshotId: string): FacetValue[] {
  if (!hasTable(db, 'annotation_values')) return [];
  return db
    .prepare(
      `SELECT json_extract(av.value, '$') AS value, COUNT(*) AS count
       FROM annotation_values av JOIN items i ON i.snapshot_id = ? AND i.key = substr(av.target, 6)
       WHERE av.field = 'owner' AND av.target LIKE 'item:%' AND json_type(av.value) = 'text' AND json_extract(av.value, '$') <> ''
       GROUP BY 1 ORDER BY 2 DESC, 1`,
    )
    .all(snapshotId) as FacetValue[];
}

/**
 * The owner counts with "(no owner)" first (value ""): the items that no
 * current owner annotation names, the total less the owned ones (an item has
 * at most one current owner). The question a reviewer asks first.
 */
export function ownerFacetWithNone(db: Db, snapshotId: string, total: number): FacetValue[] {
  const named = ownerFacet(db, snapshotId).filter((o) => o.value !== '');
  const owned = named.reduce((a, o) => a + o.count, 0);
  return [{ value: '', count: total - owned }, ...named];
}

/** Every facet offers "(none)" (value ""), with a count of 0 when no item lacks the value: the choice is there, and its count says it is empty. */
function withNone(fields: StaticFacets['fields']): StaticFacets['fields'] {
  const out = { ...fields };
  for (const f of facetFieldList) {
    if (f === 'softDeleted' || out[f].some((v) => v.value === '')) continue;
    out[f] = [...out[f], { value: '', count: 0 }];
  }
  return out;
}

export function itemFacets(db: Db, snapshotId: string): ItemFacets {
  const s = staticFacets(db, snapshotId);
  return { snapshotId, total: s.total, fields: { ...withNone(s.fields), owner: ownerFacetWithNone(db, snapshotId, s.total) } };
}

export async function itemFacetsAsync(db: Db, storePath: string, snapshotId: string): Promise<ItemFacets> {
  const s = await staticFacetsAsync(db, storePath, snapshotId);
  return { snapshotId, total: s.total, fields: { ...withNone(s.fields), owner: ownerFacetWithNone(db, snapshotId, s.total) } };
}
