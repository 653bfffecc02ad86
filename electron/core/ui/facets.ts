/**
 * Filter values with their counts for one snapshot. A snapshot never changes,
 * so its counts are computed once (one scan of the items_ui covering index,
 * migration 005) and kept; only the owner counts, which follow the
 * annotation log, are recounted on each call.
 */
import type { Database as Db } from 'better-sqlite3';
import type { FacetField, FacetValue, ItemFacets } from '../../../shared/contract/methods/ui.ts';

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

function computeStaticFacets(db: Db, snapshotId: string): StaticFacets {
  const fields = Object.keys(facetColumns) as StaticFacetField[];
  const counts = fields.map(() => new Map<string, number>());
  const indexed = hasIndex(db, 'items_ui') ? 'INDEXED BY items_ui' : '';
  const stmt = db.prepare(`SELECT ${fields.map((f) => facetColumns[f]).join(', ')} FROM items ${indexed} WHERE snapshot_id = ?`).raw(true);
  let total = 0;
  for (const row of stmt.iterate(snapshotId) as Iterable<unknown[]>) {
    total++;
    for (let i = 0; i < fields.length; i++) {
      const s = facetValue(fields[i]!, row[i]);
      const m = counts[i]!;
      m.set(s, (m.get(s) ?? 0) + 1);
    }
  }
  const out = {} as Record<StaticFacetField, FacetValue[]>;
  fields.forEach((f, i) => {
    out[f] = [...counts[i]!.entries()].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  });
  return { total, fields: out };
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
       WHERE av.field = 'owner' AND av.target LIKE 'item:%' AND json_type(av.value) = 'text'
       GROUP BY 1 ORDER BY 2 DESC, 1`,
    )
    .all(snapshotId) as FacetValue[];
}

export function itemFacets(db: Db, snapshotId: string): ItemFacets {
  const s = staticFacets(db, snapshotId);
  return { snapshotId, total: s.total, fields: { ...s.fields, owner: ownerFacet(db, snapshotId) } };
}
