/**
 * The restore catalog of a snapshot, streamed: items in key order are merged
 * with their recovery-point groups (also in item-key order), so a 100k-item
 * estate is catalogued without holding its points or items. The pack, the
 * restore.catalog method (CLI, item drawer) all read it from here.
 */
import type { Database as Db } from 'better-sqlite3';
import type { AnnotationIndex } from '../../../shared/domain/annotations.ts';
import type { CatalogItem, CatalogVault, RestoreEntry } from '../../../shared/domain/restore/catalog.ts';
import { restoreEntry } from '../../../shared/domain/restore/catalog.ts';
import type { RecoveryPointGroup } from '../../../shared/domain/restore/points.ts';
import { summarisePoints, vaultKeyOfItem } from '../../../shared/domain/restore/points.ts';
import type { BackupItem, VaultRecord } from '../../../shared/domain/types.ts';
import { recoveryPointGroups } from '../analysis/restore-points.ts';
import type { Store } from '../store/store.ts';
import { loadAnnotationIndex } from '../annotations/repository.ts';
import { UserError } from '../errors.ts';
import type { RestoreCatalogRun } from '../../../shared/contract/methods/restore.ts';

export type RestoreCatalog = {
  /** Items catalogued (every item of the snapshot). */
  count: number;
  /** Items whose vault's recovery points the snapshot lists. */
  listedVaults: number;
  /** Streams the catalog in item-key order. */
  rows(): Iterable<RestoreEntry>;
};

const ITEMS_SQL = `SELECT key, name, vault_key, vault_name, vault_kind, workload_type, backup_management_type, protection_state, source_resource_key, soft_deleted,
    data->>'$.id' AS id, data->>'$.vaultResourceGroup' AS vrg, data->>'$.lastRecoveryPoint' AS lrp, data->>'$.oldestRecoveryPoint' AS orp, data->>'$.recoveryPointCount' AS rpc
  FROM items WHERE snapshot_id = @snapshot`;

type Row = {
  key: string;
  name: string;
  vault_key: string | null;
  vault_name: string | null;
  vault_kind: BackupItem['vaultKind'];
  workload_type: string | null;
  backup_management_type: string | null;
  protection_state: string | null;
  source_resource_key: string | null;
  soft_deleted: number;
  id: string;
  vrg: string | null;
  lrp: string | null;
  orp: string | null;
  rpc: number | null;
};

/** Narrows the catalog: one item by key, or the items of vaults with this name (case-insensitive). */
export type CatalogFilter = { key?: string; vaultName?: string };

function* catalogItems(db: Db, snapshotId: string, filter: CatalogFilter): Generator<CatalogItem> {
  const where = [filter.key !== undefined ? ' AND key = @key' : '', filter.vaultName !== undefined ? ' AND vault_name = @vault COLLATE NOCASE' : ''].join('');
  const params = { snapshot: snapshotId, ...(filter.key !== undefined ? { key: filter.key } : {}), ...(filter.vaultName !== undefined ? { vault: filter.vaultName } : {}) };
  for (const r of db.prepare(`${ITEMS_SQL}${where} ORDER BY key`).iterate(params) as Iterable<Row>) {
    yield {
      key: r.key,
      id: r.id,
      name: r.name,
      vaultKey: r.vault_key,
      vaultName: r.vault_name,
      vaultResourceGroup: r.vrg,
      vaultKind: r.vault_kind,
      workloadType: r.workload_type,
      backupManagementType: r.backup_management_type,
      protectionState: r.protection_state,
      lastRecoveryPoint: r.lrp,
      oldestRecoveryPoint: r.orp,
      recoveryPointCount: r.rpc === null ? null : Number(r.rpc),
      sourceResourceKey: r.source_resource_key,
      softDeleted: r.soft_deleted === 1,
    };
  }
}

/** Which vaults have primary and secondary points listed: one grouped pass over the points, by vault only. */
function listedVaults(db: Db, snapshotId: string): { primary: Set<string>; secondary: Set<string> } {
  const primary = new Set<string>();
  const secondary = new Set<string>();
  for (const g of recoveryPointGroups(db, snapshotId)) {
    const v = vaultKeyOfItem(g.itemKey);
    if (v) (g.region === 'secondary' ? secondary : primary).add(v);
  }
  return { primary, secondary };
}

export function gatherRestore(store: Store, snapshotId: string, asOf: string, annotations: AnnotationIndex, filter: CatalogFilter = {}): RestoreCatalog {
  const db = store.db;
  const vaults = new Map<string, CatalogVault>(store.snapshots.records(snapshotId, 'vault').map((v: VaultRecord) => [v.key, { key: v.key, crossRegionRestore: v.crossRegionRestore }]));
  const listed = listedVaults(db, snapshotId);
  const count =
    filter.key === undefined && filter.vaultName === undefined
      ? ((db.prepare('SELECT COUNT(*) FROM items WHERE snapshot_id = ?').pluck(true).get(snapshotId) as number) ?? 0)
      : [...catalogItems(db, snapshotId, filter)].length;
  const ctx = { vaults, vaultsWithPoints: listed.primary, vaultsWithSecondary: listed.secondary, annotations, asOfMs: Date.parse(asOf) };
  return {
    count,
    listedVaults: listed.primary.size,
    *rows(): Generator<RestoreEntry> {
      const groups = recoveryPointGroups(db, snapshotId, filter.key);
      let next = groups.next();
      for (const it of catalogItems(db, snapshotId, filter)) {
        // Points of items not in the snapshot (or sorting before this item) are skipped.
        while (!next.done && next.value.itemKey < it.key) next = groups.next();
        const mine: RecoveryPointGroup[] = [];
        while (!next.done && next.value.itemKey === it.key) {
          mine.push(next.value);
          next = groups.next();
        }
        yield restoreEntry(it, mine.length > 0 ? summarisePoints(mine) : null, ctx);
      }
      // Close the point cursor if items ended first.
      groups.return(undefined);
    },
  };
}

/** The restore.catalog method's answer: every item (or one by key, or one vault's), capped at `limit` entries. */
export function restoreCatalogOf(store: Store, snapshotRef: string, opts: { key?: string; vault?: string; limit?: number } = {}): RestoreCatalogRun {
  const s = store.snapshots.resolve(snapshotRef);
  const filter: CatalogFilter = { ...(opts.key !== undefined ? { key: opts.key.toLowerCase() } : {}), ...(opts.vault !== undefined ? { vaultName: opts.vault } : {}) };
  const catalog = gatherRestore(store, s.id, s.asOf, loadAnnotationIndex(store), filter);
  if (opts.key !== undefined && catalog.count === 0) throw new UserError('NOT_FOUND', `no item with key ${opts.key} in snapshot ${s.id}`, { details: { option: 'key' } });
  if (opts.vault !== undefined && catalog.count === 0) throw new UserError('NOT_FOUND', `no items in a vault named "${opts.vault}" in snapshot ${s.id}`, { details: { option: 'vault' } });
  const limit = opts.limit ?? 500;
  const entries: RestoreEntry[] = [];
  for (const e of catalog.rows()) {
    if (entries.length >= limit) break;
    entries.push(e);
  }
  return { snapshot: { id: s.id, asOf: s.asOf, contentHash: s.contentHash, label: s.label }, total: catalog.count, listedVaults: catalog.listedVaults, entries };
}
