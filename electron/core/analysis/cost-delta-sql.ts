/**
 * The cost delta against a baseline snapshot without pricing the whole
 * baseline. An item's cost is a function of its cost inputs (vault key,
 * workload, soft-deleted, size, location, source resource), its vault's
 * record, the rate card and the annotations: where all of those are the same
 * in both snapshots, the baseline item costs exactly what the current one
 * does. So SQL (one merge of the two snapshots' walks in key order) hands JS
 * only the baseline items that are gone or whose cost inputs differ; only
 * those are priced, and the rest of the baseline is read off the current
 * report. The result is `costDelta(before, after)` of the full reports,
 * figure for figure (test/analysis/sql-agreement.test.ts).
 *
 * When a vault's cost fields differ between the snapshots, or a sizes
 * dataset is given, the caller prices the whole baseline instead (null).
 */
import type { AnnotationIndex } from '../../../shared/domain/annotations.ts';
import type { CostDelta, CostReport, CostVault, ItemCost } from '../../../shared/domain/cost.ts';
import { costItem, priceCache } from '../../../shared/domain/cost.ts';
import type { RateCard } from '../../../shared/domain/ratecard.ts';
import { fromCents } from '../../../shared/domain/ratecard.ts';
import type { Store } from '../store/store.ts';
import { J } from './load.ts';

/** The columns an item's cost depends on (besides its vault's record, the card and the annotations), the key first. */
const COST_INPUTS = `key, vault_key, workload_type, soft_deleted, size_gb, ${J.location}, source_resource_key`;

/**
 * The rows of cost inputs found in one snapshot only, each with its side (0:
 * the baseline, 1: the current snapshot), in key order: a baseline item gone
 * or with an input that differs has a row of side 0, a current item that is
 * new or differs one of side 1. Both walks come in key order, so SQLite merges
 * them (MERGE (UNION ALL)) and groups equal rows as they pass, with no sort:
 * one walk of each snapshot. GROUP BY takes NULL as equal to NULL, as IS does.
 * The order it relies on is checked by test/analysis/cost-delta-plan.test.ts;
 * with a sort the answer is the same, only slower. 100k items: 190 ms, where
 * two compound EXCEPTs (baseline rows less current rows, current keys less
 * baseline keys) walked each snapshot twice for 210 ms, and a LEFT JOIN and a
 * NOT EXISTS looking each key up in the other snapshot took 330 ms.
 */
export const ONE_SIDE_SQL = `SELECT ${COST_INPUTS}, min(side) FROM (
    SELECT ${COST_INPUTS}, 0 AS side FROM items WHERE snapshot_id = @a
    UNION ALL SELECT ${COST_INPUTS}, 1 FROM items WHERE snapshot_id = @b
    ORDER BY ${COST_INPUTS})
  GROUP BY ${COST_INPUTS} HAVING count(*) = 1`;

type Row = [key: string, vaultKey: string | null, workloadType: string | null, softDeleted: number, sizeGb: number | null, location: string | null, sourceResourceKey: string | null, side: 0 | 1];

function vaultCostText(vaults: readonly CostVault[]): Map<string, string> {
  return new Map(vaults.map((v) => [v.key, JSON.stringify([v.location, v.storageRedundancy, v.crossRegionRestore])]));
}

/** True when every vault key prices the same in both snapshots (same vaults, same location and redundancy). */
function sameVaultCosts(a: readonly CostVault[], b: readonly CostVault[]): boolean {
  const x = vaultCostText(a);
  const y = vaultCostText(b);
  if (x.size !== y.size || x.size !== a.length || y.size !== b.length) return false;
  for (const [k, t] of x) if (y.get(k) !== t) return false;
  return true;
}

const byKey = (x: { key: string }, y: { key: string }): number => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0);
/** The items as they are when already in key order (costSnapshot sorts them), else a sorted copy. */
function inKeyOrder(items: readonly ItemCost[]): readonly ItemCost[] {
  for (let i = 1; i < items.length; i++) if (items[i - 1]!.key >= items[i]!.key) return [...items].sort(byKey);
  return items;
}
const cents = (x: ItemCost['total']): number => (typeof x === 'number' ? Math.round(x * 100) : 0);

/**
 * costDelta(baseline report, `after`) for the baseline snapshot `baselineId`
 * against the already-priced current snapshot `currentId`; null when the
 * shortcut does not apply (vault cost fields changed, or a sizes dataset).
 */
export function costDeltaSql(
  store: Store,
  baselineId: string,
  currentId: string,
  after: CostReport,
  opts: { card: RateCard; ratecardHash: string; annotations: AnnotationIndex; sizesId?: string | undefined },
): CostDelta | null {
  if (opts.sizesId) return null;
  const vaultsA = store.snapshots.records(baselineId, 'vault') as CostVault[];
  const vaultsB = store.snapshots.records(currentId, 'vault') as CostVault[];
  if (!sameVaultCosts(vaultsA, vaultsB)) return null;
  const vaults = new Map(vaultsA.map((v) => [v.key, v]));
  const db = store.db;
  const params = { a: baselineId, b: currentId };
  const input = { card: opts.card, ratecardHash: opts.ratecardHash, annotations: opts.annotations };

  // The baseline items whose cost may differ, priced as costSnapshot prices them (one lookup cache for the run).
  const cache = priceCache(opts.card);
  const priced: ItemCost[] = [];
  const addedKeys: string[] = [];
  // A key's rows are neighbours (one per side that has it): a current row is an added item unless a baseline row of its key
  // comes just before or just after it, so it waits (pending) for the next row.
  let baselineKey: string | null = null;
  let pending: string | null = null;
  for (const r of db.prepare(ONE_SIDE_SQL).raw(true).iterate(params) as Iterable<Row>) {
    if (r[7] === 1) {
      if (pending !== null) addedKeys.push(pending);
      pending = r[0] === baselineKey ? null : r[0];
      continue;
    }
    if (r[0] === pending) pending = null;
    baselineKey = r[0];
    // Only the total of a re-priced item is read, and it depends on the cost inputs alone (name, vault name, subscription and state only label it).
    const it = { key: r[0], name: '', vaultKey: r[1], vaultName: null, subscriptionId: null, workloadType: r[2], protectionState: null, softDeleted: r[3] === 1, sizeGb: r[4], location: r[5], sourceResourceKey: r[6] };
    priced.push(costItem(it, it.vaultKey ? vaults.get(it.vaultKey) : undefined, input, cache));
  }
  if (pending !== null) addedKeys.push(pending);
  priced.sort(byKey);
  addedKeys.sort();

  // The baseline's priced total and completeness: its re-priced items, plus every other item in both, which costs what it costs now.
  let beforeCents = 0;
  let beforeUnknown = 0;
  const tally = (c: ItemCost): void => {
    if (typeof c.total === 'number') beforeCents += Math.round(c.total * 100);
    else beforeUnknown++;
  };
  for (const c of priced) tally(c);
  // One merge walk of the current report (in key order, as costSnapshot sorts it) with the re-priced and the added keys,
  // both sorted the same way: no map of 100k keys.
  const now: Array<ItemCost | undefined> = new Array<ItemCost | undefined>(priced.length);
  const addedItems: ItemCost[] = [];
  let p = 0;
  let q = 0;
  for (const y of inKeyOrder(after.items)) {
    while (p < priced.length && priced[p]!.key < y.key) p++;
    while (q < addedKeys.length && addedKeys[q]! < y.key) q++;
    if (q < addedKeys.length && addedKeys[q] === y.key) addedItems.push(y);
    else if (p < priced.length && priced[p]!.key === y.key) now[p] = y;
    else tally(y);
  }
  const beforePricedTotal = fromCents(beforeCents);

  // As costDelta: the baseline in key order (only re-priced items can be retired or changed), then the added items in the current report's order.
  const retired: CostDelta['retired'] = { count: 0, savings: 0, unknown: 0, items: [] };
  const addedOut: CostDelta['added'] = { count: 0, cost: 0, unknown: 0, items: [] };
  const changed: CostDelta['changed'] = { count: 0, change: 0, items: [] };
  let retiredCents = 0;
  let addedCents = 0;
  let changedCents = 0;
  let complete = beforeUnknown === 0 && after.complete;
  for (let i = 0; i < priced.length; i++) {
    const x = priced[i]!;
    const y = now[i];
    if (!y) {
      retired.count++;
      retired.items.push({ key: x.key, total: x.total });
      if (typeof x.total === 'number') retiredCents += cents(x.total);
      else retired.unknown++;
    } else if (x.total !== y.total) {
      changed.count++;
      changed.items.push({ key: x.key, before: x.total, after: y.total });
      if (typeof x.total === 'number' && typeof y.total === 'number') changedCents += cents(y.total) - cents(x.total);
      else complete = false;
    }
  }
  for (const y of addedItems) {
    addedOut.count++;
    addedOut.items.push({ key: y.key, total: y.total });
    if (typeof y.total === 'number') addedCents += cents(y.total);
    else addedOut.unknown++;
  }
  retired.savings = fromCents(retiredCents);
  addedOut.cost = fromCents(addedCents);
  changed.change = fromCents(changedCents);
  return {
    currency: after.currency,
    before: beforePricedTotal,
    after: after.pricedTotal,
    change: fromCents(Math.round(after.pricedTotal * 100) - Math.round(beforePricedTotal * 100)),
    pricedBefore: beforePricedTotal,
    pricedAfter: after.pricedTotal,
    retired,
    added: addedOut,
    changed,
    complete,
  };
}
