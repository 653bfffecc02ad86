/**
 * Money that is true: an amount the engine could not price is shown as
 * "unknown" or as a lower bound with how much of it is priced — never as a
 * number that looks like a total ($0.00 with 97,632 items of unknown size).
 */
import { formatMoney } from './format.ts';

export type Bound = { text: string; exact: boolean; note: string | null };

/** A total: exact when known; "≥ $X" with "N of M priced" when part is priced; "unknown" when nothing is. */
export function boundedMoney(total: number | null, pricedTotal: number, pricedItems: number, billableItems: number, currency: string): Bound {
  if (total !== null) return { text: formatMoney(total, currency), exact: true, note: null };
  const note = `${pricedItems.toLocaleString('en-US')} of ${billableItems.toLocaleString('en-US')} priced`;
  if (pricedItems === 0) return { text: 'unknown', exact: false, note };
  return { text: `≥ ${formatMoney(pricedTotal, currency)}`, exact: false, note };
}

/** A sum over items some of which are unknown: "≥ $X" when any is unknown (or "unknown" when all are). */
export function partialMoney(priced: number, pricedCount: number, unknownCount: number, currency: string): string {
  if (unknownCount === 0) return formatMoney(priced, currency);
  // "≥ $0.00" says nothing: with nothing of it priced above zero, the sum is simply unknown.
  if (pricedCount === 0 || priced === 0) return 'unknown';
  return `≥ ${formatMoney(priced, currency)}`;
}
