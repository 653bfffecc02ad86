/**
 * Cost for a pack without holding 100k priced items (issue 17): one pass
 * prices the snapshot (and its baseline, side by side in key order, for the
 * delta) keeping only the totals, groups and the delta's lists; readers that
 * need every item's cost, or the keys of the unknown and unpriced ones,
 * re-price the items from the store as they go, in the report's order. The results equal `costRunOf` over
 * `priceSnapshot` (test/packs/stream-analysis.test.ts compares them).
 *
 * The report sorts items by key as JavaScript compares strings; the store
 * returns them in SQLite's byte order. The two agree unless a key mixes
 * characters above U+E000 with ones outside the BMP; then this falls back
 * to the priced items held in memory, as before.
 */
import type { CostRun, SnapshotRefInfo } from '../../../shared/contract/methods/analysis.ts';
import type { AnnotationIndex } from '../../../shared/domain/annotations.ts';
import { CostSums, DeltaSums, costItem, priceCache, type CostReport, type CostVault, type ItemCost } from '../../../shared/domain/cost.ts';
import type { RateCard } from '../../../shared/domain/ratecard.ts';
import type { SnapshotSummary } from '../../../shared/domain/types.ts';
import type { Store } from '../store/store.ts';
import type { Loaded } from './assets.ts';
import { costItems } from './load.ts';
import { costRunOf, priceSnapshot, refInfo, sizesOf } from './run.ts';

/** A cost run without its per-item list: what `costRunOf` returns, minus `items`. */
export type CostHead = Omit<CostRun, 'items'>;

/** costSnapshot's sums (shared/domain/cost.ts), noting whether the items came in strictly increasing key order. */
class KeyOrderedSums extends CostSums {
  private last: string | null = null;
  inOrder = true;

  override add(c: ItemCost, vaultName: string | null): void {
    if (this.last !== null && !(this.last < c.key)) this.inOrder = false;
    this.last = c.key;
    super.add(c, vaultName);
  }
}

type Pricer = { run(): Generator<{ cost: ItemCost; vaultName: string | null }>; datasetId: string | null; sizesMatch: CostRun['sizesMatch'] };

function pricerOf(store: Store, s: SnapshotSummary, card: Loaded<RateCard>, sizesId: string | undefined, annotations: AnnotationIndex): Pricer {
  const { sizes, sizesMatch } = sizesOf(store, s, sizesId);
  const vaults = new Map<string, CostVault>(store.snapshots.records(s.id, 'vault').map((v) => [v.key, v]));
  const input = { card: card.value, ratecardHash: card.hash, annotations, ...(sizes ? { sizes } : {}) };
  // One price cache for every pass over this snapshot (each reader prices the items again).
  const cache = priceCache(card.value);
  return {
    datasetId: sizes?.datasetId ?? null,
    sizesMatch,
    *run() {
      for (const it of costItems(store.db, s.id)) yield { cost: costItem(it, it.vaultKey ? vaults.get(it.vaultKey) : undefined, input, cache), vaultName: it.vaultName };
    },
  };
}

/** A cost run without the lists as long as the estate: its items and the keys of its unknown and unpriced items. */
export type CostTotals = Omit<CostHead, 'unknownSizeItems' | 'unpricedItems'>;

/** A snapshot's cost for a pack: the run without its long lists, which are priced again on each read. */
export type StreamedCost = {
  /** The cost run (`costRunOf` of the snapshot against its baseline), without the long lists. */
  head: CostTotals;
  /** The baseline's own cost run without the long lists (cost by vault before the change), when compared. */
  baseline: CostTotals | null;
  /** Every item's cost, in the report's order (key order). */
  items(): Iterable<ItemCost>;
  /** The run's unknownSizeItems and unpricedItems, in its order (sorted). */
  unknownSizeItems(): Iterable<string>;
  unpricedItems(): Iterable<string>;
};

function withoutItems(run: CostRun): CostHead {
  const { items: _items, ...rest } = run;
  return rest;
}

/**
 * Prices the snapshot (and the baseline) in one pass over both, in key order:
 * costSnapshot's sums for each side and costDelta's lists, with no item kept.
 */
export function priceStreamed(store: Store, s: SnapshotSummary, card: Loaded<RateCard>, sizesId: string | undefined, annotations: AnnotationIndex, base: SnapshotSummary | null): StreamedCost {
  const cur = pricerOf(store, s, card, sizesId, annotations);
  const bp = base ? pricerOf(store, base, card, sizesId, annotations) : null;
  // Counts only: the keys of unknown and unpriced items are not kept (readers filter them from items()).
  const after = new KeyOrderedSums(false);
  const before = new KeyOrderedSums(false);
  const changes = base ? new DeltaSums() : null;
  const ai = cur.run();
  const bi = bp?.run() ?? null;
  let a = ai.next();
  let b = bi?.next() ?? null;
  while (!a.done || (b && !b.done)) {
    const x = b && !b.done ? b.value : null;
    const y = !a.done ? a.value : null;
    if (y && (!x || y.cost.key < x.cost.key)) {
      after.add(y.cost, y.vaultName);
      changes?.add(y.cost.key, y.cost.total);
      a = ai.next();
    } else if (x && (!y || x.cost.key < y.cost.key)) {
      before.add(x.cost, x.vaultName);
      changes!.retire(x.cost.key, x.cost.total);
      b = bi!.next();
    } else {
      // The same key on both sides.
      after.add(y!.cost, y!.vaultName);
      before.add(x!.cost, x!.vaultName);
      changes!.both(x!.cost.key, x!.cost.total, y!.cost.total);
      a = ai.next();
      b = bi!.next();
    }
  }
  if (!after.inOrder || !before.inOrder) return materialised(store, s, card, sizesId, annotations, base);

  const report = after.report(card.value, card.hash, cur.datasetId, null);
  const beforeReport = bp ? before.report(card.value, card.hash, bp.datasetId, null) : null;
  const delta: CostRun['delta'] = beforeReport && base ? { ...changes!.delta(beforeReport, report), baseline: refInfo(base) } : null;
  const head = headOf(report, refInfo(s), card, cur.sizesMatch, delta);
  const baselineHead = beforeReport && base ? headOf(beforeReport, refInfo(base), card, bp!.sizesMatch, null) : null;
  return {
    head: totalsOf(head),
    baseline: baselineHead ? totalsOf(baselineHead) : null,
    *items() {
      for (const x of cur.run()) yield x.cost;
    },
    // Items come in key order, so the keys filtered from them are sorted as costSnapshot sorts them.
    *unknownSizeItems() {
      for (const { cost: c } of cur.run()) if (typeof c.total !== 'number' && c.status !== 'unpriced') yield c.key;
    },
    *unpricedItems() {
      for (const { cost: c } of cur.run()) if (typeof c.total !== 'number' && c.status === 'unpriced') yield c.key;
    },
  };
}

function totalsOf(head: CostHead): CostTotals {
  const { unknownSizeItems: _u, unpricedItems: _p, ...rest } = head;
  return rest;
}

function headOf(report: Omit<CostReport, 'items'> & { items: null }, snapshot: SnapshotRefInfo, card: Loaded<RateCard>, sizesMatch: CostRun['sizesMatch'], delta: CostRun['delta']): CostHead {
  const { items: _items, ...rest } = report;
  return { ...rest, snapshot, ratecardSource: card.source, sizesMatch, delta };
}

/** The fallback: both snapshots priced in memory, as analyseSnapshot does. */
function materialised(store: Store, s: SnapshotSummary, card: Loaded<RateCard>, sizesId: string | undefined, annotations: AnnotationIndex, base: SnapshotSummary | null): StreamedCost {
  const priced = priceSnapshot(store, s, card, sizesId, annotations);
  const pricedBase = base ? priceSnapshot(store, base, card, sizesId, annotations) : null;
  const run = costRunOf(priced, card, pricedBase);
  const { items, unknownSizeItems, unpricedItems } = run;
  return {
    head: totalsOf(withoutItems(run)),
    baseline: pricedBase ? totalsOf(withoutItems(costRunOf(pricedBase, card, null))) : null,
    items: () => items,
    unknownSizeItems: () => unknownSizeItems,
    unpricedItems: () => unpricedItems,
  };
}

/** The cost run as `costRunOf` returns it, keys in its order, with its long lists given. */
export function costRunWith<I, K>(head: CostTotals, lists: { items: I; unknownSizeItems: K; unpricedItems: K }): CostTotals & { items: I; unknownSizeItems: K; unpricedItems: K } {
  const { currency, total, pricedTotal, pricedItems, billableItems, unknownItems, unconfirmedFees, complete, unknownSize, unpriced, itemCount, ...rest } = head;
  return {
    currency,
    total,
    pricedTotal,
    pricedItems,
    billableItems,
    unknownItems,
    unconfirmedFees,
    complete,
    unknownSize,
    unpriced,
    unknownSizeItems: lists.unknownSizeItems,
    unpricedItems: lists.unpricedItems,
    itemCount,
    items: lists.items,
    ...rest,
  };
}
