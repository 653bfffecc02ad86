/**
 * The Cost view's figures at any size (issue 17): cost.run priced every item
 * and sent each priced row to the page (100k rows at 100k items), where the
 * view summed two columns and listed the first 300 unknown ones. Here the
 * engine sums and cuts, and the page gets aggregates only.
 */
import type { AmountSum, CostSummary } from '../../../shared/contract/methods/cost.ts';
import type { CostRun } from '../../../shared/contract/methods/analysis.ts';
import type { Amount } from '../../../shared/domain/cost.ts';

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
