/**
 * Builds the PackModel from the store, the analysis results and the
 * annotations. Statistics are computed in one streaming pass over items.
 */
import type { Annotation, AnnotationIndex } from '../../../shared/domain/annotations.ts';
import { endOfDayUtc } from '../../../shared/domain/annotations.ts';
import type { JobBackups } from '../../../shared/domain/backup-state.ts';
import { isLastBackupFailed, isNeverBackedUp, withJobBackup } from '../../../shared/domain/backup-state.ts';
import { repeatedNameLabels, snapshotLabeller } from '../analysis/labels.ts';
import { J, lastBackups } from '../analysis/load.ts';
import type { Store as StoreType } from '../store/store.ts';
import type { Store } from '../store/store.ts';
import {
  protectionGroup,
  protectionGroups,
  portalBaseFor,
  ownerOfItem,
  type EstateStats,
  type ItemLite,
  type ExceptionRow,
  type OwnerRow,
  type PackAnalysis,
  type PackModel,
  type RestoreTestRow,
  type SnapshotInfo,
} from './model.ts';

/**
 * Resolves a snapshot ref (id, prefix, `latest`) once, with what the pack
 * shows of it; everything after this takes the result, never the ref.
 */
export function resolveSnapshot(store: Store, ref: string): SnapshotInfo {
  const d = store.snapshots.detail(store.snapshots.resolve(ref).id);
  return { summary: d.summary, provenance: d.provenance, coverage: d.coverage, recordCounts: d.recordCounts };
}

// Every field here is a column of items (the JSON fields promoted by migration 010, J),
// so a snapshot's item list is one ordered walk of the clustered table (migration 011)
// that never unpacks an item's body (its normalised and raw JSON).
const ITEM_LITE_SQL = `SELECT key, name, vault_key, vault_name, subscription_id, resource_group,
  workload_type, backup_management_type, protection_state, health_status,
  CASE WHEN health_status IS NULL THEN ${J.pihs} END,
  last_backup_status, last_backup_time,
  CASE WHEN last_backup_time IS NULL THEN coalesce(${J.never}, 0) ELSE 0 END,
  policy_name, soft_deleted, size_gb, source_resource_key,
  CASE WHEN last_backup_time IS NULL THEN ${J.lrp} END,
  CASE WHEN last_backup_time IS NULL THEN ${J.rpc} END
  FROM items WHERE snapshot_id = ? ORDER BY key`;

type LiteRow = [string, string, string | null, string | null, string | null, string | null, string | null, string | null, string | null, string | null, string | null, string | null, string | null, number, string | null, number, number | null, string | null, string | null, number | null];

/**
 * A snapshot's items in key order, from the store's columns. Ids come
 * lower-cased (keys): ARM ids are case-insensitive, so portal links still work.
 */
export function* itemLites(store: StoreType, snapshotId: string, fromJobs?: JobBackups | null, labels?: ReadonlyMap<string, string>): Generator<ItemLite> {
  for (const r of store.db.prepare(ITEM_LITE_SQL).raw(true).iterate(snapshotId) as Iterable<LiteRow>) {
    const it: ItemLite = {
      key: r[0],
      id: r[0],
      // A name that repeats in the snapshot carries its server and vault (shared/domain/names.ts).
      name: labels?.get(r[0]) ?? r[1],
      vaultKey: r[2],
      vaultName: r[3],
      vaultId: r[2],
      subscriptionId: r[4],
      tenantId: null,
      resourceGroup: r[5],
      workloadType: r[6],
      backupManagementType: r[7],
      protectionState: r[8],
      healthStatus: r[9],
      protectedItemHealthStatus: r[10],
      lastBackupStatus: r[11],
      lastBackupTime: r[12],
      neverBackedUp: r[13] === 1,
      policyName: r[14],
      softDeleted: r[15] === 1,
      sizeGb: r[16],
      sourceResourceKey: r[17],
      sourceResourceId: r[17],
      lastRecoveryPoint: r[18],
      recoveryPointCount: r[19],
    };
    // Backup vault instances take their last backup from jobs; "never" is the domain's one definition.
    const seen = withJobBackup(it, fromJobs);
    seen.neverBackedUp = isNeverBackedUp(seen);
    yield seen;
  }
}

/** A snapshot's items as the pack shows and counts them (with Backup vault jobs applied). */
export function packItems(store: StoreType, info: SnapshotInfo): () => Generator<ItemLite> {
  const fromJobs = lastBackups(store.db, info.summary.id, info.summary.asOf);
  const labels = repeatedNameLabels(store.db, info.summary.id);
  return () => itemLites(store, info.summary.id, fromJobs, labels);
}

export function computeStats(items: Iterable<ItemLite>, info: SnapshotInfo): EstateStats {
  const byWorkload = new Map<string, { workload: string; total: number; groups: Record<string, number> }>();
  const byGroup = new Map<string, number>(protectionGroups.map((g) => [g, 0]));
  const vaults = new Map<string, { vaultKey: string; name: string; subscriptionId: string | null; items: number }>();
  const subs = new Set<string>(info.provenance.subscriptions ?? []);
  const tenants = new Set<string>(info.provenance.tenants ?? []);
  let n = 0;
  let failed = 0;
  let soft = 0;
  let never = 0;
  for (const it of items) {
    n++;
    const g = protectionGroup(it);
    byGroup.set(g, (byGroup.get(g) ?? 0) + 1);
    const wl = it.workloadType ?? 'Unknown';
    let w = byWorkload.get(wl);
    if (!w) {
      w = { workload: wl, total: 0, groups: {} };
      byWorkload.set(wl, w);
    }
    w.total++;
    w.groups[g] = (w.groups[g] ?? 0) + 1;
    const vk = it.vaultKey ?? '(no vault)';
    let v = vaults.get(vk);
    if (!v) {
      v = { vaultKey: vk, name: it.vaultName ?? vk, subscriptionId: it.subscriptionId, items: 0 };
      vaults.set(vk, v);
    }
    v.items++;
    if (it.subscriptionId) subs.add(it.subscriptionId.toLowerCase());
    // The same definitions as the findings (shared/domain/backup-state.ts).
    if (it.softDeleted) soft++;
    else {
      if (isLastBackupFailed(it)) failed++;
      if (it.neverBackedUp) never++;
    }
  }
  return {
    items: n,
    protectedItems: byGroup.get('Protected') ?? 0,
    byWorkload: [...byWorkload.values()].sort((a, b) => b.total - a.total || (a.workload < b.workload ? -1 : 1)),
    byGroup: [...byGroup.entries()].map(([label, count]) => ({ label, count })),
    vaults: [...vaults.values()].sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0)),
    subscriptions: [...new Set([...subs].map((s) => s.toLowerCase()))].sort(),
    tenants: [...new Set([...tenants].map((s) => s.toLowerCase()))].sort(),
    lastBackupFailed: failed,
    softDeleted: soft,
    neverBackedUp: never,
  };
}

function targetName(target: string, name: (key: string) => string): string {
  if (target.startsWith('item:')) return name(target.slice(5));
  const id = target.slice(target.indexOf(':') + 1);
  return id.split('/').filter(Boolean).pop() ?? id;
}

/** Exceptions, restore tests and owners from the annotation index, for the registers. */
export function registers(ann: AnnotationIndex, asOf: string, name: (key: string) => string): { exceptions: ExceptionRow[]; restoreTests: RestoreTestRow[]; owners: OwnerRow[] } {
  const exceptions: ExceptionRow[] = [];
  const restoreTests: RestoreTestRow[] = [];
  const owners: OwnerRow[] = [];
  const at = Date.parse(asOf);
  const targets = [...ann.keys()].sort();
  for (const t of targets) {
    const a = ann.get(t) as Annotation;
    const nm = targetName(t, name);
    for (const e of a.exceptions) exceptions.push({ target: t, name: nm, owner: a.owner, entry: e, activeAtAsOf: endOfDayUtc(e.expires) >= at });
    for (const r of a.restoreTests) restoreTests.push({ target: t, name: nm, owner: a.owner, test: r });
    if (a.owner || a.team || a.costCentre || a.criticality || a.decision) {
      owners.push({
        target: t,
        name: nm,
        owner: a.owner,
        ownerEmail: a.ownerEmail,
        team: a.team,
        costCentre: a.costCentre,
        criticality: a.criticality,
        decision: a.decision ? `${a.decision.decision}${a.decision.after ? ` after ${a.decision.after}` : ''}: ${a.decision.reason}` : null,
      });
    }
  }
  restoreTests.sort((x, y) => (x.test.date < y.test.date ? 1 : x.test.date > y.test.date ? -1 : 0));
  return { exceptions, restoreTests, owners };
}

/**
 * Owner lookup for findings without a query per finding: item targets come
 * from the index; owners set on a source resource are mapped to the items of
 * this snapshot that back that resource, in one pass.
 */
function ownerLookup(store: StoreType, snapshotId: string, ann: AnnotationIndex): (key: string, target: string) => string | null {
  if (ann.size === 0) return () => null;
  const resourceOwners = new Map<string, string>();
  for (const [t, a] of ann) if (t.startsWith('resource:') && a.owner) resourceOwners.set(t.slice('resource:'.length), a.owner);
  const viaSource = new Map<string, string>();
  if (resourceOwners.size > 0) {
    const rows = store.db.prepare('SELECT key, source_resource_key FROM items WHERE snapshot_id = ? AND source_resource_key IS NOT NULL').raw(true).iterate(snapshotId) as Iterable<[string, string]>;
    for (const [key, src] of rows) {
      const o = resourceOwners.get(src);
      if (o) viaSource.set(key, o);
    }
  }
  return (key, target) => ann.get(target)?.owner ?? (target.startsWith('item:') ? (viaSource.get(key) ?? null) : null);
}

export type GatherInput = {
  store: Store;
  packId: string;
  createdAt: string;
  createdBy: string;
  toolVersion: string;
  current: SnapshotInfo;
  baseline: SnapshotInfo | null;
  analysis: PackAnalysis;
  annotations: AnnotationIndex;
  annotationLogHead: { count: number; hash: string } | null;
  signing: PackModel['signing'];
  appendixCap?: number;
};

export function gatherModel(inp: GatherInput): PackModel {
  const { store, current, baseline } = inp;
  const currentLabel = snapshotLabeller(store.db, current.summary.id);
  const baselineLabel = baseline ? snapshotLabeller(store.db, baseline.summary.id) : null;
  const nameCache = new Map<string, string>();
  const nameOf = (key: string): string => {
    let n = nameCache.get(key);
    if (n === undefined) {
      n = currentLabel(key) ?? baselineLabel?.(key) ?? key;
      if (nameCache.size < 200_000) nameCache.set(key, n);
    }
    return n;
  };
  const currentItems = packItems(store, current);
  const stats = computeStats(currentItems(), current);
  const baselineStats = baseline ? computeStats(packItems(store, baseline)(), baseline) : null;
  const regs = registers(inp.annotations, current.summary.asOf, nameOf);
  return {
    packId: inp.packId,
    createdAt: inp.createdAt,
    createdBy: inp.createdBy,
    toolVersion: inp.toolVersion,
    current,
    baseline,
    stats,
    baselineStats,
    analysis: inp.analysis,
    annotations: inp.annotations,
    annotationLogHead: inp.annotationLogHead,
    ...regs,
    nameOf,
    ownerOf: ownerLookup(store, current.summary.id, inp.annotations),
    items: currentItems,
    baselineItem: (key) => (baseline ? (store.snapshots.getItem(baseline.summary.id, key)?.item ?? null) : null),
    currentItem: (key) => store.snapshots.getItem(current.summary.id, key)?.item ?? null,
    portalBase: portalBaseFor(current.provenance),
    portalTenant: stats.tenants.length === 1 ? stats.tenants[0]! : null,
    signing: inp.signing,
    appendixCap: inp.appendixCap ?? 1000,
  };
}

export { ownerOfItem };
