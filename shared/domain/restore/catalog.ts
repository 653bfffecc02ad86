/**
 * The restore catalog: per backup item and backup instance, what can be
 * restored (latest and oldest point by tier and region), how (the options its
 * workload offers), with which commands, and how the last drill went. The
 * help desk reads it under pressure, so every entry says where a fact is
 * missing rather than leaving a blank that reads like "none".
 */
import type { AnnotationIndex, RestoreTest } from '../annotations.ts';
import { restoreTestsFor } from '../annotation-lookup.ts';
import type { BackupItem, VaultRecord } from '../types.ts';
import type { RestoreCommands } from './commands.ts';
import { armNames, restoreCommands } from './commands.ts';
import type { RestoreOption } from './options.ts';
import { restoreOptionsFor } from './options.ts';
import type { ItemPoints, PointSpan, RestoreTier } from './points.ts';
import { pointName, restoreTiers } from './points.ts';

export type CatalogItem = Pick<
  BackupItem,
  | 'key'
  | 'id'
  | 'name'
  | 'vaultKey'
  | 'vaultName'
  | 'vaultResourceGroup'
  | 'vaultKind'
  | 'workloadType'
  | 'backupManagementType'
  | 'protectionState'
  | 'lastRecoveryPoint'
  | 'oldestRecoveryPoint'
  | 'recoveryPointCount'
  | 'sourceResourceKey'
  | 'softDeleted'
>;

export type CatalogVault = Pick<VaultRecord, 'key' | 'crossRegionRestore'>;

export type RestoreEntry = {
  key: string;
  name: string;
  vault: string | null;
  vaultKind: BackupItem['vaultKind'];
  container: string | null;
  /** The item's (or backup instance's) ARM name. */
  itemName: string | null;
  workload: string | null;
  protectionState: string | null;
  softDeleted: boolean;
  /**
   * Listed points: null when the snapshot holds no recovery point records for
   * the item's vault (not collected), so nothing can be said from them.
   */
  points: {
    primary: PointSpan;
    byTier: Record<RestoreTier, PointSpan | null>;
    untiered: number;
    /** null when no secondary-region points were collected for the vault. */
    secondary: PointSpan | null;
    secondaryCollected: boolean;
    latestName: string | null;
  } | null;
  /** What the item record itself says (extendedInfo), for when points were not listed. */
  itemSays: { latest: string | null; oldest: string | null; count: number | null };
  crossRegionRestore: boolean | null;
  options: RestoreOption[];
  commands: RestoreCommands;
  lastDrill: { date: string; outcome: RestoreTest['outcome']; id: string } | null;
};

export type CatalogContext = {
  vaults: ReadonlyMap<string, CatalogVault>;
  /** Vaults whose recovery points the snapshot holds (primary region). */
  vaultsWithPoints: ReadonlySet<string>;
  /** Vaults whose secondary-region points the snapshot holds. */
  vaultsWithSecondary: ReadonlySet<string>;
  annotations: AnnotationIndex;
  asOfMs: number;
};

const emptyTiers = (): Record<RestoreTier, PointSpan | null> => ({ snapshot: null, vaultStandard: null, archive: null });

/** The latest drill on or before asOf (the item's own tests and its source resource's). */
export function lastDrill(annotations: AnnotationIndex, key: string, sourceKey: string | null, asOfMs: number): RestoreEntry['lastDrill'] {
  let best: RestoreTest | null = null;
  for (const t of restoreTestsFor(annotations, key, sourceKey)) {
    if (Date.parse(`${t.date}T00:00:00.000Z`) > asOfMs) continue;
    if (!best || t.date > best.date || (t.date === best.date && t.id > best.id)) best = t;
  }
  return best ? { date: best.date, outcome: best.outcome, id: best.id } : null;
}

export function restoreEntry(item: CatalogItem, points: ItemPoints | null, ctx: CatalogContext): RestoreEntry {
  const vault = item.vaultKey ? ctx.vaults.get(item.vaultKey) : undefined;
  const crr = vault?.crossRegionRestore ?? null;
  const listed = item.vaultKey !== null && ctx.vaultsWithPoints.has(item.vaultKey);
  const secondaryCollected = item.vaultKey !== null && ctx.vaultsWithSecondary.has(item.vaultKey);
  const latestName = points ? pointName(points.primary.latestId) : null;
  // A Backup vault restore reads from the store the latest point is in: the snapshot tier when it has the newest point.
  let store: 'OperationalStore' | 'VaultStore' | null = null;
  if (points && item.vaultKind === 'BackupVault') {
    const snap = points.byTier.snapshot?.latest ?? null;
    const vaultStd = points.byTier.vaultStandard?.latest ?? null;
    if (snap && snap === points.primary.latest) store = 'OperationalStore';
    else if (vaultStd) store = 'VaultStore';
  }
  const names = armNames(item.id);
  return {
    key: item.key,
    name: item.name,
    vault: item.vaultName,
    vaultKind: item.vaultKind,
    container: names.container,
    itemName: names.item ?? names.instance,
    workload: item.workloadType,
    protectionState: item.protectionState,
    softDeleted: item.softDeleted,
    points:
      listed || points
        ? {
            primary: points ? { latest: points.primary.latest, oldest: points.primary.oldest, count: points.primary.count } : { latest: null, oldest: null, count: 0 },
            byTier: points ? points.byTier : emptyTiers(),
            untiered: points?.untiered ?? 0,
            secondary: points?.secondary ?? null,
            secondaryCollected,
            latestName,
          }
        : null,
    itemSays: { latest: item.lastRecoveryPoint, oldest: item.oldestRecoveryPoint, count: item.recoveryPointCount },
    crossRegionRestore: crr,
    options: restoreOptionsFor(item, crr),
    commands: restoreCommands(item, latestName, store),
    lastDrill: lastDrill(ctx.annotations, item.key, item.sourceResourceKey, ctx.asOfMs),
  };
}

/** One line per tier for text output: "Snapshot 2026-11-30 … 2026-12-03 (4)". */
export function describeSpan(span: PointSpan | null): string {
  if (!span || span.count === 0) return 'none';
  const d = (t: string | null): string => (t ? t.slice(0, 16).replace('T', ' ') : '?');
  return span.count === 1 ? `${d(span.latest)} (1)` : `${d(span.oldest)} to ${d(span.latest)} (${span.count})`;
}

export { restoreTiers };
