/**
 * Recovery points summed up per item: the latest and oldest point by tier
 * (snapshot, vault-standard, archive) and by region. The store hands these in
 * as groups (one per item, tier combination and region) so 3 million points
 * never become 3 million objects; a point held in two tiers (a snapshot that
 * is also in the vault) counts in each.
 *
 * Region: a recovery point record says nothing about the region it was listed
 * from (the secondary-region list returns the same shape), so a point is
 * secondary only when the record was marked so by the collection that listed
 * it (`region: 'secondary'`); everything else is primary.
 */

export const restoreTiers = ['snapshot', 'vaultStandard', 'archive'] as const;
export type RestoreTier = (typeof restoreTiers)[number];

/**
 * Tier names as the sources write them: Recovery Services tier details
 * (InstantRP, HardenedRP, ArchivedRP) and Backup vault data stores
 * (OperationalStore, VaultStore, ArchiveStore).
 */
const tierBySourceName: Record<string, RestoreTier> = {
  instantrp: 'snapshot',
  operationalstore: 'snapshot',
  snapshot: 'snapshot',
  hardenedrp: 'vaultStandard',
  vaultstore: 'vaultStandard',
  vaultstandard: 'vaultStandard',
  archivedrp: 'archive',
  archivestore: 'archive',
  vaultarchive: 'archive',
};

export function tierOf(sourceName: string): RestoreTier | null {
  return tierBySourceName[sourceName.toLowerCase()] ?? null;
}

/** One group of an item's points with the same tiers and region. */
export type RecoveryPointGroup = {
  itemKey: string;
  /** The record's tier names as the source wrote them. */
  tiers: readonly string[];
  region: 'primary' | 'secondary';
  latest: string | null;
  /** The id of the latest point of the group (its last segment is the point's name). */
  latestId: string | null;
  oldest: string | null;
  count: number;
};

export type PointSpan = { latest: string | null; oldest: string | null; count: number };

export type ItemPoints = {
  /** Every point of the primary region, whatever its tier. */
  primary: PointSpan & { latestId: string | null };
  byTier: Record<RestoreTier, PointSpan | null>;
  /** Points whose tier the source did not name. */
  untiered: number;
  secondary: PointSpan | null;
};

function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

function earlier(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(b) < Date.parse(a) ? b : a;
}

function widen(span: PointSpan | null, g: RecoveryPointGroup): PointSpan {
  if (!span) return { latest: g.latest, oldest: g.oldest, count: g.count };
  return { latest: later(span.latest, g.latest), oldest: earlier(span.oldest, g.oldest), count: span.count + g.count };
}

/** Folds one item's groups into its summary. */
export function summarisePoints(groups: Iterable<RecoveryPointGroup>): ItemPoints {
  const out: ItemPoints = { primary: { latest: null, oldest: null, count: 0, latestId: null }, byTier: { snapshot: null, vaultStandard: null, archive: null }, untiered: 0, secondary: null };
  for (const g of groups) {
    if (g.region === 'secondary') {
      out.secondary = widen(out.secondary, g);
      continue;
    }
    const takesLatest = out.primary.count === 0 || (g.latest !== null && later(out.primary.latest, g.latest) === g.latest && g.latest !== out.primary.latest);
    out.primary = { ...widen(out.primary, g), latestId: takesLatest ? g.latestId : out.primary.latestId };
    const tiers = new Set(g.tiers.map(tierOf).filter((t): t is RestoreTier => t !== null));
    if (tiers.size === 0) out.untiered += g.count;
    for (const t of tiers) out.byTier[t] = widen(out.byTier[t], g);
  }
  return out;
}

/** A recovery point's name: the last segment of its id. */
export function pointName(id: string | null): string | null {
  if (!id) return null;
  const parts = id.split('/').filter((p) => p !== '');
  return parts.length > 0 ? parts[parts.length - 1]! : null;
}

/** Every item's points, and which vaults had points listed at all (primary and secondary region). */
export type RestorePointsIndex = {
  byItem: ReadonlyMap<string, ItemPoints>;
  vaultsWithPoints: ReadonlySet<string>;
  vaultsWithSecondary: ReadonlySet<string>;
};

/** The vault key an item key lives in (item keys are canonical ARM ids). */
export function vaultKeyOfItem(itemKey: string): string | null {
  const m = /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/(?:microsoft\.recoveryservices\/vaults|microsoft\.dataprotection\/backupvaults)\/[^/?]+)/.exec(itemKey);
  return m ? m[1]! : null;
}

/** Builds the index from groups in any order. */
export function indexPoints(groups: Iterable<RecoveryPointGroup>): RestorePointsIndex {
  const perItem = new Map<string, RecoveryPointGroup[]>();
  const vaultsWithPoints = new Set<string>();
  const vaultsWithSecondary = new Set<string>();
  for (const g of groups) {
    const list = perItem.get(g.itemKey);
    if (list) list.push(g);
    else perItem.set(g.itemKey, [g]);
    const v = vaultKeyOfItem(g.itemKey);
    if (v) (g.region === 'secondary' ? vaultsWithSecondary : vaultsWithPoints).add(v);
  }
  const byItem = new Map<string, ItemPoints>();
  for (const [k, list] of perItem) byItem.set(k, summarisePoints(list));
  return { byItem, vaultsWithPoints, vaultsWithSecondary };
}
