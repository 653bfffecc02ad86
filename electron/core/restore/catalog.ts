/**
 * The restore catalog of a snapshot: items stream in key order and look up
 * their recovery-point groups (a few small groups per item, gathered in one
 * pass), so a 100k-item estate never holds its points or full items. The
 * pack, the restore.catalog method (CLI, item drawer) all read it from here.
 */
import type { Database as Db } from 'better-sqlite3';
import type { AnnotationIndex } from '../../../shared/domain/annotations.ts';
import type { CatalogItem, CatalogVault, RestoreEntry } from '../../../shared/domain/restore/catalog.ts';
import { restoreEntry } from '../../../shared/domain/restore/catalog.ts';
import { summarisePoints, vaultKeyOfItem } from '../../../shared/domain/restore/points.ts';
import type { BackupItem, VaultRecord } from '../../../shared/domain/types.ts';
import { recoveryPointGroups } from '../analysis/restore-points.ts';
import type { Store } from '../store/store.ts';
import { itemTextSql } from '../store/item-body.ts';
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

/**
 * The catalog's item columns; the item's ARM id, vault resource group and
 * oldest point come from its normalised JSON (read once per row: since
 * migration 011 it is unpacked from the body, store/item-body.ts).
 */
function itemsSql(db: Db): string {
  return `SELECT key, name, vault_key, vault_name, vault_kind, workload_type, backup_management_type, protection_state, source_resource_key, soft_deleted,
    last_recovery_point AS lrp, recovery_point_count AS rpc, ${itemTextSql(db).data} AS data
  FROM items WHERE snapshot_id = @snapshot`;
}

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
  lrp: string | null;
  rpc: number | null;
  data: string;
};

/** What `data->>'$.member'` gave for a text member: the text, or null when missing or not text. */
function textMember(o: Record<string, unknown>, member: string): string | null {
  const v = o[member];
  return typeof v === 'string' ? v : null;
}

/** Narrows the catalog: one item by key, or the items of vaults with this name (case-insensitive). */
export type CatalogFilter = { key?: string; vaultName?: string };

function* catalogItems(db: Db, snapshotId: string, filter: CatalogFilter): Generator<CatalogItem> {
  const where = [filter.key !== undefined ? ' AND key = @key' : '', filter.vaultName !== undefined ? ' AND vault_name = @vault COLLATE NOCASE' : ''].join('');
  const params = { snapshot: snapshotId, ...(filter.key !== undefined ? { key: filter.key } : {}), ...(filter.vaultName !== undefined ? { vault: filter.vaultName } : {}) };
  for (const r of db.prepare(`${itemsSql(db)}${where} ORDER BY key`).iterate(params) as Iterable<Row>) {
    const d = JSON.parse(r.data) as Record<string, unknown>;
    yield {
      key: r.key,
      id: textMember(d, 'id') as string,
      name: r.name,
      vaultKey: r.vault_key,
      vaultName: r.vault_name,
      vaultResourceGroup: textMember(d, 'vaultResourceGroup'),
      vaultKind: r.vault_kind,
      workloadType: r.workload_type,
      backupManagementType: r.backup_management_type,
      protectionState: r.protection_state,
      lastRecoveryPoint: r.lrp,
      oldestRecoveryPoint: textMember(d, 'oldestRecoveryPoint'),
      recoveryPointCount: r.rpc === null ? null : Number(r.rpc),
      sourceResourceKey: r.source_resource_key,
      softDeleted: r.soft_deleted === 1,
    };
  }
}

export function gatherRestore(store: Store, snapshotId: string, asOf: string, annotations: AnnotationIndex, filter: CatalogFilter = {}): RestoreCatalog {
  const db = store.db;
  const vaults = new Map<string, CatalogVault>(store.snapshots.records(snapshotId, 'vault').map((v: VaultRecord) => [v.key, { key: v.key, crossRegionRestore: v.crossRegionRestore }]));
  // One pass over the points (one item's when filtered by key); the catalog then looks each item up.
  const groups = recoveryPointGroups(db, snapshotId, filter.key);
  const primary = new Set<string>();
  const secondary = new Set<string>();
  if (filter.key === undefined) {
    for (const [k, list] of groups) {
      const v = vaultKeyOfItem(k);
      if (!v) continue;
      if (list.some((g) => g.region === 'primary')) primary.add(v);
      if (list.some((g) => g.region === 'secondary')) secondary.add(v);
    }
  } else {
    // One item: whether its vault's points were listed at all is a question about the vault, asked of the store.
    const v = vaultKeyOfItem(filter.key.toLowerCase());
    if (v) {
      const range = `FROM records WHERE snapshot_id = ? AND type = 'recoveryPoint' AND key >= ? AND key < ?`;
      const has = (cond: string): boolean => db.prepare(`SELECT 1 ${range} AND ${cond} LIMIT 1`).pluck(true).get(snapshotId, `${v}/`, `${v}0`) !== undefined;
      if (has(`COALESCE(data->>'$.region', 'primary') <> 'secondary'`)) primary.add(v);
      if (has(`data->>'$.region' = 'secondary'`)) secondary.add(v);
    }
  }
  const count =
    filter.key === undefined && filter.vaultName === undefined
      ? ((db.prepare('SELECT COUNT(*) FROM items WHERE snapshot_id = ?').pluck(true).get(snapshotId) as number) ?? 0)
      : [...catalogItems(db, snapshotId, filter)].length;
  const ctx = { vaults, vaultsWithPoints: primary, vaultsWithSecondary: secondary, annotations, asOfMs: Date.parse(asOf) };
  return {
    count,
    listedVaults: primary.size,
    *rows(): Generator<RestoreEntry> {
      for (const it of catalogItems(db, snapshotId, filter)) {
        const mine = groups.get(it.key);
        yield restoreEntry(it, mine && mine.length > 0 ? summarisePoints(mine) : null, ctx);
      }
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
