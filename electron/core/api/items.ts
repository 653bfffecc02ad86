/**
 * items.* handlers: the item query, one item, and the desktop grid's facets,
 * counts and related rows. The logic lives in electron/core/browse/ and the store.
 */
import { notFound } from '../errors.ts';
import type { Store } from '../store/store.ts';
import { browseItems, countItems, countSql } from '../browse/browse.ts';
import { countOnWorker } from '../browse/count-worker.ts';
import { itemFacetsAsync, staticFacetsAsync } from '../browse/facets.ts';
import { findingKeySet } from '../browse/finding-keys.ts';
import { ensureRuleKeys, findingCountsAsync } from '../browse/evaluations.ts';
import { itemRelated } from '../browse/related.ts';
import { unprotectedFacets, unprotectedPage } from '../browse/unprotected.ts';
import { backupStateCounts } from '../browse/backup-states.ts';
import type { DomainHandlers } from './types.ts';
import { lastSuccessCutoff } from '../../../shared/domain/last-success.ts';
import { isNeverBackedUp, withJobBackup, type JobBackups } from '../../../shared/domain/backup-state.ts';
import type { BackupItem } from '../../../shared/domain/types.ts';
import { lastBackups } from '../analysis/load.ts';

type Db = Store['db'];

/** Jobs' last backups per snapshot: snapshots never change, so each is read once per open store. */
const jobBackupsCache = new WeakMap<Db, Map<string, JobBackups | null>>();

function jobBackupsOf(db: Db, snapshotId: string, asOf: string): JobBackups | null {
  let bySnapshot = jobBackupsCache.get(db);
  if (!bySnapshot) jobBackupsCache.set(db, (bySnapshot = new Map()));
  if (!bySnapshot.has(snapshotId)) bySnapshot.set(snapshotId, lastBackups(db, snapshotId, asOf));
  return bySnapshot.get(snapshotId) ?? null;
}

/**
 * `neverBackedUp` as the findings judge it: a Backup vault instance states no
 * last backup, its jobs in the same snapshot do (shared/domain/backup-state.ts).
 * Derived at read time; the stored record (hashed, immutable) keeps what was
 * normalised. The other fields stay as stored, so the record still matches its raw JSON.
 */
function judged(items: BackupItem[], db: Db, snapshotId: string, asOf: string): BackupItem[] {
  // Only jobs of Backup vaults name their item, and only an item stating no last backup time takes one from them:
  // a page of other items (most grids) never reads the snapshot's jobs.
  const fromJobsApplies = (it: BackupItem) => it.vaultKind === 'BackupVault' && it.lastBackupTime === null;
  if (!items.some(fromJobsApplies)) return items;
  const fromJobs = jobBackupsOf(db, snapshotId, asOf);
  return items.map((it) => {
    if (!fromJobsApplies(it)) return it;
    const never = isNeverBackedUp(withJobBackup(it, fromJobs));
    return never === it.neverBackedUp ? it : { ...it, neverBackedUp: never };
  });
}

/** The grid's filter for the engine: the finding's item set, and "no successful backup in N hours" as a cut-off at the snapshot's asOf. */
function withFindingKeys<T extends { finding?: string | undefined; noSuccessHours?: number | undefined }>(
  store: Store,
  snapshotId: string,
  input: T,
): T & { findingKeys?: { tag: string; count: number }; lastSuccessBefore?: string } {
  let out: T & { findingKeys?: { tag: string; count: number }; lastSuccessBefore?: string } = input;
  if (input.noSuccessHours !== undefined) out = { ...out, lastSuccessBefore: lastSuccessCutoff(store.snapshots.resolve(snapshotId).asOf, input.noSuccessHours) };
  return input.finding === undefined ? out : { ...out, findingKeys: findingKeySet(store, snapshotId, input.finding) };
}

export const handlers: DomainHandlers<'items'> = {
  'items.get': (input, call) => {
    const repo = call.core.store().snapshots;
    const s = repo.resolve(input.snapshot);
    const found = repo.getItem(s.id, input.key.toLowerCase()) ?? repo.getItem(s.id, input.key);
    if (!found) throw notFound(`snapshot ${s.id} has no item "${input.key}"`);
    const [item] = judged([found.item], call.core.store().db, s.id, s.asOf);
    return item === found.item ? found : { ...found, item: item! };
  },
  'items.facets': (input, call) => {
    const store = call.core.store();
    return itemFacetsAsync(store.db, store.path, store.snapshots.resolve(input.snapshot).id);
  },
  'items.related': (input, call) => {
    const store = call.core.store();
    const s = store.snapshots.resolve(input.snapshot);
    const found = store.snapshots.getItem(s.id, input.key.toLowerCase());
    if (!found) throw notFound(`snapshot ${s.id} has no item "${input.key}"`);
    return itemRelated(store.db, s.id, found.item.key, found.item.vaultKey, found.item.policyId);
  },
  'items.query': async (input, call) => {
    const store = call.core.store();
    const s = store.snapshots.resolve(input.snapshot);
    if (input.finding !== undefined) await ensureRuleKeys(store, s.id, input.finding);
    // Filtered pages sorted by other than name pick their plan from the snapshot's counts: start computing
    // them (once per snapshot, off this thread); until they are in, such pages walk their sort index.
    if ((input.where?.length ?? 0) > 0 || input.owner !== undefined || input.owners !== undefined || input.noSuccessHours !== undefined || input.finding !== undefined) void staticFacetsAsync(store.db, store.path, s.id).catch(() => {});
    const page = browseItems(store.db, s.id, withFindingKeys(store, s.id, input), input.total !== false);
    return { ...page, items: judged(page.items, store.db, s.id, s.asOf) };
  },
  'items.count': async (input, call) => {
    const store = call.core.store();
    const s = store.snapshots.resolve(input.snapshot);
    if (input.finding !== undefined) await ensureRuleKeys(store, s.id, input.finding);
    const filter = withFindingKeys(store, s.id, input);
    const c = countSql(store.db, s.id, filter);
    // Off the main thread (see count-worker.ts), except where a TEMP table of this connection is involved.
    // A read-only archive is read from its private copy (store.ts); the count worker reads the same file.
    const total = c.usesTemp || store.db.inTransaction ? null : await countOnWorker(store.workingCopy ?? store.path, c.sql, c.params);
    return { total: total ?? countItems(store.db, s.id, filter) };
  },
  'items.unprotected': (input, call) => {
    const store = call.core.store();
    const { snapshot, ...q } = input;
    return unprotectedPage(store.db, store.snapshots.resolve(snapshot).id, q);
  },
  'items.unprotectedFacets': (input, call) => {
    const store = call.core.store();
    return unprotectedFacets(store.db, store.snapshots.resolve(input.snapshot).id);
  },
  'items.backupStates': (input, call) => {
    const store = call.core.store();
    const s = store.snapshots.resolve(input.snapshot);
    return backupStateCounts(store.db, s.id, s.asOf);
  },
  'items.findingCounts': (input, call) => {
    const store = call.core.store();
    return findingCountsAsync(store, store.snapshots.resolve(input.snapshot).id);
  },
};
