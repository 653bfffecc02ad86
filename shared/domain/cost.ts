/**
 * Monthly cost per backup item from an offline rate card:
 * protected-instance fee (from the front-end size) + storageGb × rate (by the
 * vault's region and redundancy). Sizes carry their source. An unknown size
 * is "unknown", never 0; items the card cannot price are "unpriced"; both are
 * counted and listed. Items with protection stopped and data retained still
 * cost. Money follows ROUNDING_RULE (integer cents inside).
 */
import { ownerFor, sizeOverridesFor } from './annotation-lookup.ts';
import type { AnnotationIndex } from './annotations.ts';
import type { FeeSchedule, InstanceFeeResult, InstanceFeeSource, RateCard, Redundancy } from './ratecard.ts';
import { ROUNDING_RULE, fromCents, instanceFeeCents, instanceFeeFor, multiplyToCents, normaliseRegion, redundancyOf, storageRateFor } from './ratecard.ts';
import type { BackupItem, VaultRecord } from './types.ts';

export type CostItemInput = Pick<
  BackupItem,
  'key' | 'name' | 'vaultKey' | 'vaultName' | 'subscriptionId' | 'workloadType' | 'protectionState' | 'softDeleted' | 'sizeGb' | 'location' | 'sourceResourceKey'
>;
export type CostVault = Pick<VaultRecord, 'key' | 'name' | 'location' | 'storageRedundancy' | 'crossRegionRestore'>;

/** A row of a sizes dataset, already matched to an item key. */
export type DatasetSize = { frontEndGb: number | null; storageGb: number | null };

export type Amount = number | 'unknown' | 'unpriced';
export type CostStatus = 'priced' | 'unknownSize' | 'unpriced' | 'notBilled';

export type ItemCost = {
  key: string;
  name: string;
  vaultKey: string | null;
  subscriptionId: string | null;
  owner: string | null;
  workloadType: string | null;
  region: string | null;
  redundancy: Redundancy | null;
  frontEndGb: number | 'unknown';
  frontEndSource: string | null;
  storageGb: number | 'unknown';
  storageSource: string | null;
  instanceFee: Amount;
  /** The rate-card entry the instance fee came from (`sapHanaInAzureVm`, `westeurope:azureVm`), null when none applied. */
  instanceFeeSource: string | null;
  /** false when that entry's figures are marked unconfirmed in the card; null when no fee applied. */
  instanceFeeConfirmed: boolean | null;
  storageCost: Amount;
  total: Amount;
  status: CostStatus;
  note: string | null;
};

export type CostGroup = { group: string; label: string | null; items: number; total: number; unknownSize: number; unpriced: number };

export type CostReport = {
  currency: string;
  /** The monthly total, or null unless every billable item is priced: an unknown amount is never a number. */
  total: number | null;
  /** Sum of the totals of the items that are priced (a lower bound when `complete` is false). */
  pricedTotal: number;
  /** Billable items whose total is known. */
  pricedItems: number;
  /** Items that are billed (all but soft-deleted items the card says are not billed). */
  billableItems: number;
  /** Billable items whose total is unknown (unknown size or unpriced). */
  unknownItems: number;
  /** Rate-card entries used whose figures the card marks unconfirmed. */
  unconfirmedFees: string[];
  complete: boolean;
  unknownSize: number;
  unpriced: number;
  unknownSizeItems: string[];
  unpricedItems: string[];
  itemCount: number;
  items: ItemCost[];
  byVault: CostGroup[];
  bySubscription: CostGroup[];
  byOwner: CostGroup[];
  rounding: string;
  ratecard: { name: string; version: string; effectiveDate: string; source: string; hash: string };
  sizes: { datasetId: string | null };
};

export type CostInput = {
  items: Iterable<CostItemInput>;
  vaults: readonly CostVault[];
  card: RateCard;
  ratecardHash: string;
  annotations: AnnotationIndex;
  /** Lookup into a sizes dataset (already matched to item keys). */
  sizes?: { datasetId: string; get(key: string): DatasetSize | undefined };
};

const NONE = '(none)';
const NO_OWNER = '(no owner)';

/**
 * What pricing looks up per item but depends only on a few values: the
 * region's spelling, a vault's redundancy, the fee schedule of (region,
 * workload), the storage rate of (region, workload, redundancy) and the fee
 * of a schedule at a size. 100k items share a handful of each, so one run
 * (costSnapshot, the delta's repricing) works each out once; the card must not
 * change during the run. The figures are those of the uncached functions.
 */
export type PriceCache = {
  card: RateCard;
  regions: Map<string, string | null>;
  redundancy: Map<CostVault, Redundancy | null>;
  fees: Map<string | null, Map<string | null, InstanceFeeSource>>;
  rates: Map<string | null, Map<string | null, Map<Redundancy, number | null>>>;
  feeCents: Map<FeeSchedule, Map<number, InstanceFeeResult>>;
};

export function priceCache(card: RateCard): PriceCache {
  return { card, regions: new Map(), redundancy: new Map(), fees: new Map(), rates: new Map(), feeCents: new Map() };
}

function regionOf(cache: PriceCache | undefined, location: string | null | undefined): string | null {
  if (!cache || !location) return normaliseRegion(location);
  let r = cache.regions.get(location);
  if (r === undefined) cache.regions.set(location, (r = normaliseRegion(location)));
  return r;
}

function redundancyOfVault(cache: PriceCache | undefined, vault: CostVault): Redundancy | null {
  if (!cache) return redundancyOf(vault.storageRedundancy, vault.crossRegionRestore);
  let r = cache.redundancy.get(vault);
  if (r === undefined) cache.redundancy.set(vault, (r = redundancyOf(vault.storageRedundancy, vault.crossRegionRestore)));
  return r;
}

function feeFor(cache: PriceCache | undefined, card: RateCard, region: string | null, workloadType: string | null): InstanceFeeSource {
  if (!cache) return instanceFeeFor(card, region, workloadType);
  let byWorkload = cache.fees.get(region);
  if (!byWorkload) cache.fees.set(region, (byWorkload = new Map()));
  let f = byWorkload.get(workloadType);
  if (f === undefined) byWorkload.set(workloadType, (f = instanceFeeFor(card, region, workloadType)));
  return f;
}

function rateFor(cache: PriceCache | undefined, card: RateCard, region: string | null, workloadType: string | null, redundancy: Redundancy): number | null {
  if (!cache) return storageRateFor(card, region, workloadType, redundancy);
  let byWorkload = cache.rates.get(region);
  if (!byWorkload) cache.rates.set(region, (byWorkload = new Map()));
  let byRedundancy = byWorkload.get(workloadType);
  if (!byRedundancy) byWorkload.set(workloadType, (byRedundancy = new Map()));
  let r = byRedundancy.get(redundancy);
  if (r === undefined) byRedundancy.set(redundancy, (r = storageRateFor(card, region, workloadType, redundancy)));
  return r;
}

function feeCentsFor(cache: PriceCache | undefined, schedule: FeeSchedule, frontEndGb: number): InstanceFeeResult {
  if (!cache) return instanceFeeCents(schedule, frontEndGb);
  let bySize = cache.feeCents.get(schedule);
  if (!bySize) cache.feeCents.set(schedule, (bySize = new Map()));
  let f = bySize.get(frontEndGb);
  if (f === undefined) bySize.set(frontEndGb, (f = instanceFeeCents(schedule, frontEndGb)));
  return f;
}

const SOFT_DELETED_NOTE = 'soft-deleted: not billed during the soft-delete retention (rate card)';
const STOPPED_NOTE = 'protection stopped, data retained: still billed';

/**
 * Prices one item. `cache` (priceCache(input.card)) shares the lookups of a
 * run; without it every lookup is made afresh. The object is written as one
 * literal per outcome (no spread): V8 built spread copies far slower.
 */
export function costItem(it: CostItemInput, vault: CostVault | undefined, input: Omit<CostInput, 'items' | 'vaults'>, cache?: PriceCache): ItemCost {
  const { card } = input;
  if (cache && cache.card !== card) cache = undefined;
  const annotated = input.annotations.size > 0;
  const overFront = annotated ? sizeOverridesFor(input.annotations, it.key, it.sourceResourceKey) : null;
  const ds = input.sizes?.get(it.key);
  const dsSource = input.sizes ? `sizes:${input.sizes.datasetId}` : null;
  let frontEndGb: number | null = null;
  let frontEndSource: string | null = null;
  if (overFront && overFront.frontEndGb !== null) {
    frontEndGb = overFront.frontEndGb;
    frontEndSource = 'annotation';
  } else if (ds && ds.frontEndGb !== null) {
    frontEndGb = ds.frontEndGb;
    frontEndSource = dsSource;
  } else if (it.sizeGb !== null) {
    frontEndGb = it.sizeGb;
    frontEndSource = 'item';
  }
  let storageGb: number | null = null;
  let storageSource: string | null = null;
  if (overFront && overFront.storageGb !== null) {
    storageGb = overFront.storageGb;
    storageSource = 'annotation';
  } else if (ds && ds.storageGb !== null) {
    storageGb = ds.storageGb;
    storageSource = dsSource;
  }

  const region = regionOf(cache, vault?.location ?? it.location);
  const redundancy = vault ? redundancyOfVault(cache, vault) : null;
  const owner = annotated ? ownerFor(input.annotations, it.key, it.sourceResourceKey) : null;
  if (it.softDeleted && !card.softDeletedBilled) {
    return {
      key: it.key,
      name: it.name,
      vaultKey: it.vaultKey,
      subscriptionId: it.subscriptionId,
      owner,
      workloadType: it.workloadType,
      region,
      redundancy,
      frontEndGb: frontEndGb ?? 'unknown',
      frontEndSource,
      storageGb: storageGb ?? 'unknown',
      storageSource,
      instanceFee: 0,
      instanceFeeSource: null,
      instanceFeeConfirmed: null,
      storageCost: 0,
      total: 0,
      status: 'notBilled',
      note: SOFT_DELETED_NOTE,
    };
  }
  let feeCents: number | null = null;
  let storageCents: number | null = null;
  let unpriced: string | null = null;
  let instanceFee: Amount = 'unknown';
  let instanceFeeConfirmed: boolean | null = null;
  let storageCost: Amount = 'unknown';
  const schedule = feeFor(cache, card, region, it.workloadType);
  if (schedule.schedule === null) {
    // The workload has no fee in the card: unpriced whatever its size, never priced at another workload's fee.
    unpriced = schedule.reason;
    instanceFee = 'unpriced';
  } else {
    instanceFeeConfirmed = schedule.confirmed;
    if (frontEndGb !== null) {
      const fee = feeCentsFor(cache, schedule.schedule, frontEndGb);
      if (fee.cents === null) unpriced = fee.rule;
      else feeCents = fee.cents;
      instanceFee = fee.cents === null ? 'unpriced' : fromCents(fee.cents);
    }
  }
  if (storageGb !== null) {
    const rate = redundancy ? rateFor(cache, card, region, it.workloadType, redundancy) : null;
    if (rate === null) {
      unpriced ??= redundancy ? `no ${redundancy} storage rate for ${region ?? 'this region'}` : "the vault's storage redundancy is unknown";
      storageCost = 'unpriced';
    } else {
      storageCents = multiplyToCents(storageGb, rate);
      storageCost = fromCents(storageCents);
    }
  }
  let status: CostStatus = 'priced';
  let total: Amount = 'unknown';
  let note: string | null = null;
  if (unpriced !== null) {
    status = 'unpriced';
    total = 'unpriced';
    note = unpriced;
  } else if (feeCents === null || storageCents === null) {
    status = 'unknownSize';
    note = frontEndGb === null ? (storageGb === null ? 'front-end size and storage consumed unknown' : 'front-end size unknown') : storageGb === null ? 'storage consumed unknown' : ' unknown';
  } else {
    total = fromCents(feeCents + storageCents);
  }
  if (note === null && it.protectionState?.toLowerCase() === 'protectionstopped') note = STOPPED_NOTE;
  return {
    key: it.key,
    name: it.name,
    vaultKey: it.vaultKey,
    subscriptionId: it.subscriptionId,
    owner,
    workloadType: it.workloadType,
    region,
    redundancy,
    frontEndGb: frontEndGb ?? 'unknown',
    frontEndSource,
    storageGb: storageGb ?? 'unknown',
    storageSource,
    instanceFee,
    instanceFeeSource: schedule.source,
    instanceFeeConfirmed,
    storageCost,
    total,
    status,
    note,
  };
}

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

/**
 * costSnapshot's sums, one priced item at a time: totals, counts, the groups
 * and, when `keepKeys`, the keys of the unknown and unpriced items. The packs'
 * streamed pricing (electron/core/analysis/stream-cost.ts) keeps counts only
 * and holds no item.
 */
export class CostSums {
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
  private readonly keepKeys: boolean;
  constructor(keepKeys: boolean) {
    this.keepKeys = keepKeys;
  }

  /** One priced item; `vaultName` labels its vault's group. */
  add(c: ItemCost, vaultName: string | null): void {
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
    this.byVault.add(c.vaultKey ?? NONE, vaultName, c);
    this.bySub.add(c.subscriptionId?.toLowerCase() ?? NONE, null, c);
    this.byOwner.add(c.owner ?? NO_OWNER, null, c);
  }

  /** The report, keys in costSnapshot's order, with `items` as given (and the key lists empty unless kept). Call once. */
  report<T>(card: RateCard, ratecardHash: string, datasetId: string | null, items: T): Omit<CostReport, 'items'> & { items: T } {
    this.unknownSizeItems.sort();
    this.unpricedItems.sort();
    const complete = this.unknownSize === 0 && this.unpriced === 0;
    return {
      currency: card.currency,
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
      ratecard: { name: card.name, version: card.version, effectiveDate: card.effectiveDate, source: card.source, hash: ratecardHash },
      sizes: { datasetId },
    };
  }
}

export function costSnapshot(input: CostInput): CostReport {
  const vaults = new Map(input.vaults.map((v) => [v.key, v]));
  const items: ItemCost[] = [];
  const sums = new CostSums(true);
  const cache = priceCache(input.card);
  for (const it of input.items) {
    const c = costItem(it, it.vaultKey ? vaults.get(it.vaultKey) : undefined, input, cache);
    items.push(c);
    sums.add(c, it.vaultName);
  }
  items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return sums.report(input.card, input.ratecardHash, input.sizes?.datasetId ?? null, items);
}

export type CostDelta = {
  currency: string;
  /**
   * The priced sums of each side and their difference. They are the totals
   * only when `complete`; otherwise lower bounds whose difference is no
   * saving. Readers get `statedDelta` (null unless complete): `cost --json`
   * prints that as before/after/change.
   */
  before: number;
  after: number;
  change: number;
  /** The priced parts of each side (lower bounds when incomplete). */
  pricedBefore: number;
  pricedAfter: number;
  /** Items in the baseline only: the monthly cost they no longer incur. */
  retired: { count: number; savings: number; unknown: number; items: Array<{ key: string; total: Amount }> };
  /** Items in the current snapshot only: their new monthly cost. */
  added: { count: number; cost: number; unknown: number; items: Array<{ key: string; total: Amount }> };
  /** Items in both whose cost changed. */
  changed: { count: number; change: number; items: Array<{ key: string; before: Amount; after: Amount }> };
  complete: boolean;
};

const centsOf = (x: Amount): number => (typeof x === 'number' ? Math.round(x * 100) : 0);

/**
 * costDelta's sums, one item at a time: retired (baseline only), added
 * (current only) and changed items, each list in the order given. The packs'
 * streamed pricing (electron/core/analysis/stream-cost.ts) feeds it both
 * snapshots side by side in key order.
 */
export class DeltaSums {
  private readonly retired: CostDelta['retired'] = { count: 0, savings: 0, unknown: 0, items: [] };
  private readonly added: CostDelta['added'] = { count: 0, cost: 0, unknown: 0, items: [] };
  private readonly changed: CostDelta['changed'] = { count: 0, change: 0, items: [] };
  private retiredCents = 0;
  private addedCents = 0;
  private changedCents = 0;
  /** False once a changed item is unknown or unpriced on either side. */
  private changesKnown = true;

  /** An item of the baseline only. */
  retire(key: string, total: Amount): void {
    this.retired.count++;
    this.retired.items.push({ key, total });
    if (typeof total === 'number') this.retiredCents += centsOf(total);
    else this.retired.unknown++;
  }

  /** An item of the current snapshot only. */
  add(key: string, total: Amount): void {
    this.added.count++;
    this.added.items.push({ key, total });
    if (typeof total === 'number') this.addedCents += centsOf(total);
    else this.added.unknown++;
  }

  /** An item in both: counted when its cost changed. */
  both(key: string, before: Amount, after: Amount): void {
    if (before === after) return;
    this.changed.count++;
    this.changed.items.push({ key, before, after });
    if (typeof before === 'number' && typeof after === 'number') this.changedCents += centsOf(after) - centsOf(before);
    else this.changesKnown = false;
  }

  /** The delta between the two sides' reports. Call once. */
  delta(before: Pick<CostReport, 'pricedTotal' | 'complete'>, after: Pick<CostReport, 'currency' | 'pricedTotal' | 'complete'>): CostDelta {
    this.retired.savings = fromCents(this.retiredCents);
    this.added.cost = fromCents(this.addedCents);
    this.changed.change = fromCents(this.changedCents);
    return {
      currency: after.currency,
      before: before.pricedTotal,
      after: after.pricedTotal,
      change: fromCents(Math.round(after.pricedTotal * 100) - Math.round(before.pricedTotal * 100)),
      pricedBefore: before.pricedTotal,
      pricedAfter: after.pricedTotal,
      retired: this.retired,
      added: this.added,
      changed: this.changed,
      complete: before.complete && after.complete && this.changesKnown,
    };
  }
}

/** Before/after: savings from retired items, new cost from added ones. Sums in cents of rounded item totals. */
export function costDelta(before: CostReport, after: CostReport): CostDelta {
  const b = new Map(before.items.map((i) => [i.key, i]));
  const a = new Map(after.items.map((i) => [i.key, i]));
  const sums = new DeltaSums();
  for (const [key, x] of b) {
    const y = a.get(key);
    if (!y) sums.retire(key, x.total);
    else sums.both(key, x.total, y.total);
  }
  for (const [key, y] of a) if (!b.has(key)) sums.add(key, y.total);
  return sums.delta(before, after);
}

const symbols: Record<string, string> = { USD: '$', EUR: '€', GBP: '£' };

/** An amount in the card's currency as a reader sees it: `$12.30`, or `CHF 12.30`. */
export function formatMoney(currency: string, amount: number): string {
  const sym = symbols[currency];
  const text = Math.abs(amount).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${amount < 0 ? '-' : ''}${sym ?? `${currency} `}${text}`;
}

/** Before, after and change as a reader may be told them: null unless both sides are complete (two lower bounds make no saving). */
export function statedDelta(d: Pick<CostDelta, 'before' | 'after' | 'change' | 'complete'>): { before: number | null; after: number | null; change: number | null } {
  return d.complete ? { before: d.before, after: d.after, change: d.change } : { before: null, after: null, change: null };
}

/** A vault's (or any group's) total in words: an amount only when all its items are known. */
export function describeGroup(currency: string, g: Pick<CostGroup, 'items' | 'total' | 'unknownSize' | 'unpriced'>): string {
  const unknown = g.unknownSize + g.unpriced;
  return describeTotal(currency, { total: unknown === 0 ? g.total : null, pricedTotal: g.total, pricedItems: g.items - unknown, billableItems: g.items });
}

/**
 * A total in words that never states an unknown amount as a number:
 * `$120.00` when complete, `≥ $80.00 (3 of 5 priced)` when partly priced,
 * `unknown (0 of 21 priced)` when nothing is.
 */
export function describeTotal(currency: string, t: { total: number | null; pricedTotal: number; pricedItems: number; billableItems: number }): string {
  if (t.total !== null) return formatMoney(currency, t.total);
  if (t.pricedItems === 0) return `unknown (0 of ${t.billableItems} priced)`;
  return `≥ ${formatMoney(currency, t.pricedTotal)} (${t.pricedItems} of ${t.billableItems} priced)`;
}
