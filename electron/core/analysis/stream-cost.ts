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
import { costItem, priceCache, type Amount, type CostDelta, type CostGroup, type CostReport, type CostVault, type ItemCost } from '../../../shared/domain/cost.ts';
import { ROUNDING_RULE, fromCents, type RateCard } from '../../../shared/domain/ratecard.ts';
import type { SnapshotSummary } from '../../../shared/domain/types.ts';
import type { Store } from '../store/store.ts';
import type { Loaded } from './assets.ts';
import { costItems } from './load.ts';
import { costRunOf, priceSnapshot, refInfo, sizesOf } from './run.ts';

/** A cost run without its per-item list: what `costRunOf` returns, minus `items`. */
export type CostHead = Omit<CostRun, 'items'>;

class GroupSums {
  private readonly m = new Map<string, { label: string | null; items: number; cents: number; unknownSize: number; unpriced: number }>();
  add(group: string, label: string | null, c: ItemCost): void {
    let e = this.m.get(group);
    if (!e) {
      e = { label, items: 0, cents: 0, unknownSize: 0, unpriced: 0 };
      this.m.set(group, e);
    }
    e.items++;
    if (typeof c.total === 'number') e.cents += Math.round(c.total * 100);
    else if (c.status === 'unpriced') e.unpriced++;
    else e.unknownSize++;
  }
  build(): CostGroup[] {
    return [...this.m.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([group, e]) => ({ group, label: e.label, items: e.items, total: fromCents(e.cents), unknownSize: e.unknownSize, unpriced: e.unpriced }));
  }
}

/** costSnapshot's sums, one item at a time (shared/domain/cost.ts). */
class CostSums {
  private readonly byVault = new GroupSums();
  private readonly bySub = new GroupSums();
  private readonly byOwner = new GroupSums();
  private cents = 0;
  private priced = 0;
  private notBilled = 0;
  private n = 0;
  private readonly unknownSizeItems: string[] = [];
  private readonly unpricedItems: string[] = [];
  private unknownSize = 0;
  private unpriced = 0;
  private readonly unconfirmed = new Set<string>();
  private last: string | null = null;
  inOrder = true;
  /** Counts only: the keys of unknown and unpriced items are not kept (a reader filters them from items()). */
  constructor(private readonly keepKeys: boolean) {}

  add(c: ItemCost, vaultName: string | null): void {
    if (this.last !== null && !(this.last < c.key)) this.inOrder = false;
    this.last = c.key;
    this.n++;
    if (c.instanceFeeConfirmed === false && c.instanceFeeSource) this.unconfirmed.add(c.instanceFeeSource);
    if (c.status === 'notBilled') this.notBilled++;
    else if (typeof c.total === 'number') this.priced++;
    if (typeof c.total === 'number') this.cents += Math.round(c.total * 100);
    else if (c.status === 'unpriced') {
      this.unpriced++;
      if (this.keepKeys) this.unpricedItems.push(c.key);
    } else {
      this.unknownSize++;
      if (this.keepKeys) this.unknownSizeItems.push(c.key);
    }
    this.byVault.add(c.vaultKey ?? '(none)', vaultName, c);
    this.bySub.add(c.subscriptionId?.toLowerCase() ?? '(none)', null, c);
    this.byOwner.add(c.owner ?? '(no owner)', null, c);
  }

  /** The report, keys in costSnapshot's order, with `items` as given (and the key lists empty unless kept). */
  report<T>(card: Loaded<RateCard>, datasetId: string | null, items: T): Omit<CostReport, 'items'> & { items: T } {
    this.unknownSizeItems.sort();
    this.unpricedItems.sort();
    const complete = this.unknownSize === 0 && this.unpriced === 0;
    return {
      currency: card.value.currency,
      total: complete ? fromCents(this.cents) : null,
      pricedTotal: fromCents(this.cents),
      pricedItems: this.priced,
      billableItems: this.n - this.notBilled,
      unknownItems: this.unknownSize + this.unpriced,
      unconfirmedFees: [...this.unconfirmed].sort(),
      complete,
      unknownSize: this.unknownSize,
      unpriced: this.unpriced,
      unknownSizeItems: this.unknownSizeItems,
      unpricedItems: this.unpricedItems,
      itemCount: this.n,
      items,
      byVault: this.byVault.build(),
      bySubscription: this.bySub.build(),
      byOwner: this.byOwner.build(),
      rounding: ROUNDING_RULE,
      ratecard: { name: card.value.name, version: card.value.version, effectiveDate: card.value.effectiveDate, source: card.value.source, hash: card.hash },
      sizes: { datasetId },
    };
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

const cents = (x: Amount): number => (typeof x === 'number' ? Math.round(x * 100) : 0);

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
  const after = new CostSums(false);
  const before = new CostSums(false);
  const retired: CostDelta['retired'] = { count: 0, savings: 0, unknown: 0, items: [] };
  const added: CostDelta['added'] = { count: 0, cost: 0, unknown: 0, items: [] };
  const changed: CostDelta['changed'] = { count: 0, change: 0, items: [] };
  let retiredCents = 0;
  let addedCents = 0;
  let changedCents = 0;
  let bothComplete = true;
  const ai = cur.run();
  const bi = bp?.run() ?? null;
  let a = ai.next();
  let b = bi?.next() ?? null;
  while (!a.done || (b && !b.done)) {
    const x = b && !b.done ? b.value : null;
    const y = !a.done ? a.value : null;
    if (y && (!x || y.cost.key < x.cost.key)) {
      after.add(y.cost, y.vaultName);
      if (bi) {
        added.count++;
        added.items.push({ key: y.cost.key, total: y.cost.total });
        if (typeof y.cost.total === 'number') addedCents += cents(y.cost.total);
        else added.unknown++;
      }
      a = ai.next();
    } else if (x && (!y || x.cost.key < y.cost.key)) {
      before.add(x.cost, x.vaultName);
      retired.count++;
      retired.items.push({ key: x.cost.key, total: x.cost.total });
      if (typeof x.cost.total === 'number') retiredCents += cents(x.cost.total);
      else retired.unknown++;
      b = bi!.next();
    } else {
      // The same key on both sides.
      after.add(y!.cost, y!.vaultName);
      before.add(x!.cost, x!.vaultName);
      if (x!.cost.total !== y!.cost.total) {
        changed.count++;
        changed.items.push({ key: x!.cost.key, before: x!.cost.total, after: y!.cost.total });
        if (typeof x!.cost.total === 'number' && typeof y!.cost.total === 'number') changedCents += cents(y!.cost.total) - cents(x!.cost.total);
        else bothComplete = false;
      }
      a = ai.next();
      b = bi!.next();
    }
  }
  if (!after.inOrder || !before.inOrder) return materialised(store, s, card, sizesId, annotations, base);

  const report = after.report(card, cur.datasetId, null);
  const beforeReport = bp ? before.report(card, bp.datasetId, null) : null;
  let delta: CostRun['delta'] = null;
  if (beforeReport && base) {
    retired.savings = fromCents(retiredCents);
    added.cost = fromCents(addedCents);
    changed.change = fromCents(changedCents);
    const d: CostDelta = {
      currency: report.currency,
      before: beforeReport.pricedTotal,
      after: report.pricedTotal,
      change: fromCents(Math.round(report.pricedTotal * 100) - Math.round(beforeReport.pricedTotal * 100)),
      pricedBefore: beforeReport.pricedTotal,
      pricedAfter: report.pricedTotal,
      retired,
      added,
      changed,
      complete: beforeReport.complete && report.complete && bothComplete,
    };
    delta = { ...d, baseline: refInfo(base) };
  }
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
