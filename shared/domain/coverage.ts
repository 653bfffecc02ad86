/**
 * What a snapshot's coverage says about a vault or subscription, and how
 * much of the workload inventory has a backup item.
 */
import type { CoverageEntry, InventoryKind } from './types.ts';

export type CoverageLookup = {
  /** 'failed' when the vault (or its subscription) failed to collect; 'outOfScope' when the snapshot listed subscriptions and this one is not among them. */
  statusOf(vaultKey: string | null, subscriptionId: string | null): 'collected' | 'failed' | 'outOfScope' | 'unknown';
};

export function coverageLookup(coverage: readonly CoverageEntry[]): CoverageLookup {
  const failedVaults = new Set<string>();
  const collectedVaults = new Set<string>();
  const failedSubs = new Set<string>();
  const listedSubs = new Set<string>();
  for (const c of coverage) {
    const i = c.scope.indexOf(':');
    if (i < 0) continue;
    const kind = c.scope.slice(0, i);
    const value = c.scope.slice(i + 1).toLowerCase();
    if (kind === 'vault') (c.status === 'failed' ? failedVaults : collectedVaults).add(value);
    else if (kind === 'subscription') {
      listedSubs.add(value);
      if (c.status === 'failed') failedSubs.add(value);
    }
  }
  return {
    statusOf(vaultKey, subscriptionId) {
      const v = vaultKey?.toLowerCase() ?? null;
      const s = subscriptionId?.toLowerCase() ?? null;
      if (v && failedVaults.has(v)) return 'failed';
      if (s && failedSubs.has(s) && !(v && collectedVaults.has(v))) return 'failed';
      if (v && collectedVaults.has(v)) return 'collected';
      if (s && listedSubs.size > 0 && !listedSubs.has(s)) return 'outOfScope';
      if (s && listedSubs.has(s)) return 'collected';
      return 'unknown';
    },
  };
}

export type InventoryCoverage = {
  kind: InventoryKind;
  resources: number;
  protected: number;
  unprotected: number;
};

/** Per inventory kind: resources, and how many are the source of at least one (not soft-deleted) backup item. */
export function inventoryCoverage(
  inventory: Iterable<{ key: string; kind: InventoryKind }>,
  protectedSourceKeys: ReadonlySet<string>,
): InventoryCoverage[] {
  const by = new Map<InventoryKind, InventoryCoverage>();
  for (const r of inventory) {
    let e = by.get(r.kind);
    if (!e) {
      e = { kind: r.kind, resources: 0, protected: 0, unprotected: 0 };
      by.set(r.kind, e);
    }
    e.resources++;
    if (protectedSourceKeys.has(r.key)) e.protected++;
    else e.unprotected++;
  }
  return [...by.values()].sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
}

/**
 * What a snapshot can say about its own completeness:
 * - `verified`: a live collection that listed and collected every requested scope;
 * - `asStated`: an import — the files state what they cover, and nothing can
 *   check that they hold whole vaults or subscriptions (real exports are often filtered);
 * - `incomplete`: something failed to collect.
 * Derived from what every snapshot records (its source and whether any scope
 * failed), so stored snapshots of every age answer the same way.
 */
export type Completeness = 'verified' | 'asStated' | 'incomplete';

export function completenessOf(s: { source: 'import' | 'live'; complete: boolean }): Completeness {
  if (!s.complete) return 'incomplete';
  return s.source === 'live' ? 'verified' : 'asStated';
}

/** The completeness in words, for the PDF cover, the workbook Summary and the CLI. */
export const completenessWords: Record<Completeness, { badge: string; sentence: string }> = {
  verified: { badge: 'COMPLETE COLLECTION (VERIFIED)', sentence: 'Live collection: every requested scope was listed and collected.' },
  asStated: {
    badge: 'IMPORTED: COVERAGE AS STATED',
    sentence: 'Imported from files: the coverage is as the files state it, not verified. The files may hold only part of a vault or subscription (exports are often filtered).',
  },
  incomplete: { badge: 'INCOMPLETE COLLECTION', sentence: 'Part of the estate could not be collected; nothing is claimed about the parts that failed.' },
};
