/**
 * The Cost view's figures at any size (issue 17): cost.run priced every item
 * and sent each priced row to the page (100k rows at 100k items), where the
 * view summed two columns and listed the first 300 unknown ones. Here the
 * engine sums and cuts, and the page gets aggregates only. The summary is
 * kept (costSummaryOf) and, in the app, worked out on the evaluation worker
 * (evaluations.ts), started as soon as the UI opens a snapshot.
 */
import type { AmountSum, CostSummary } from '../../../shared/contract/methods/cost.ts';
import type { CostRun } from '../../../shared/contract/methods/analysis.ts';
import type { Amount } from '../../../shared/domain/cost.ts';
import type { Database as Db } from 'better-sqlite3';
import { loadRatecard } from '../analysis/assets.ts';
import { runCost } from '../analysis/run.ts';
import type { Store } from '../store/store.ts';
import { logHead } from '../annotations/repository.ts';
import { evaluated } from './finding-keys.ts';

/** The known amounts added (rounded to cents) and the unknown ones counted: never an unknown as 0; the Cost view shows these sums through renderer/src/money.ts. */
export function sumAmounts(amounts: Iterable<Amount>): AmountSum {
  let sum = 0;
  let priced = 0;
  let unknown = 0;
  for (const a of amounts) {
    if (typeof a === 'number') {
      sum += a;
      priced++;
    } else unknown++;
  }
  return { sum: Math.round(sum * 100) / 100, priced, unknown };
}

export function costSummary(run: CostRun, unknownLimit: number): CostSummary {
  const { items, labels: _labels, unknownSizeItems: _u, unpricedItems: _p, ...rest } = run;
  const unknown = items.filter((i) => i.status === 'unknownSize' || i.status === 'unpriced');
  return {
    ...rest,
    instanceFees: sumAmounts(items.map((i) => i.instanceFee)),
    storage: sumAmounts(items.map((i) => i.storageCost)),
    unknown: { items: unknown.slice(0, unknownLimit), total: unknown.length },
  };
}

type Kept = { key: string; summary: CostSummary };
const kept = new WeakMap<Db, Kept[]>();

/**
 * The Cost view's summary of a snapshot (default rate card; optionally against a baseline and with a sizes
 * dataset), kept per open store and keyed by everything the pricing reads that can change while the store is
 * open: the annotation-log head and the rate card's hash (the snapshots and a sizes dataset are immutable, the
 * tool and rules version is this process's own). So a new annotation is never answered from the old pricing.
 */
export function costSummaryOf(store: Store, snapshotId: string, opts: { compare?: string; sizes?: string }, unknownLimit: number): CostSummary {
  const db = store.db;
  const card = loadRatecard();
  const key = JSON.stringify([snapshotId, opts.compare ?? null, opts.sizes ?? null, logHead(db), card.hash]);
  let list = kept.get(db);
  const hit = list?.find((k) => k.key === key);
  if (!hit) evaluated.pricings++;
  const whole =
    hit?.summary ??
    costSummary(
      runCost(store, snapshotId, { ratecard: card, ...(opts.compare ? { compare: opts.compare } : {}), ...(opts.sizes ? { sizesId: opts.sizes } : {}) }),
      Number.MAX_SAFE_INTEGER,
    );
  // Inside another transaction (an import still writing) the answer may not last: do not keep it.
  if (!hit && !db.inTransaction) {
    if (!list) kept.set(db, (list = []));
    list.push({ key, summary: whole });
    // A few at a time (a view with a baseline asks for two): each holds its unknown items.
    while (list.length > 4) list.shift();
  }
  return { ...whole, unknown: { items: whole.unknown.items.slice(0, unknownLimit), total: whole.unknown.total } };
}
