/**
 * Reconciliation for finance: estimated monthly cost (from a snapshot and the
 * rate card) against billed cost (an Azure Cost Management export), per vault
 * and month. Amounts are integer cents inside.
 */
import { fromCents } from './ratecard.ts';

export type BilledVaultMonth = { vaultKey: string; month: string; cents: number; meters: Record<string, number> };
export type EstimatedVaultMonth = { vaultKey: string; vaultName: string | null; month: string; cents: number; complete: boolean; snapshotId: string; asOf: string };

export type ReconcileStatus = 'match' | 'difference' | 'notEstimated' | 'notBilled' | 'noSnapshot' | 'notInBilling';

export type ReconcileRow = {
  month: string;
  vaultKey: string;
  vaultName: string | null;
  estimated: number | null;
  estimateComplete: boolean | null;
  billed: number | null;
  /** billed − estimated */
  difference: number | null;
  /** difference / billed × 100, 2 decimals; null when billed is 0 or either side is missing. */
  differencePct: number | null;
  status: ReconcileStatus;
  snapshotId: string | null;
  meters: Record<string, number>;
};

export type ReconcileReport = {
  currency: string;
  billingCurrency: string | null;
  comparable: boolean;
  tolerancePct: number;
  months: string[];
  rows: ReconcileRow[];
  /** Rows that are not a match, in the same order. */
  differences: ReconcileRow[];
  totals: { estimated: number; billed: number; difference: number };
  notes: string[];
};

export const RECONCILE_NOTES = [
  'Estimates are the monthly run-rate at each snapshot\'s asOf; Azure prorates protected instances by day and bills storage by daily average, so partial months and mid-month changes differ.',
  'Billed cost is the sum of the Backup rows of the export for the vault in that month, in the billing currency.',
];

export function reconcileCosts(
  billed: readonly BilledVaultMonth[],
  estimated: readonly EstimatedVaultMonth[],
  opts: { currency: string; billingCurrency: string | null; tolerancePct: number },
): ReconcileReport {
  const comparable = opts.billingCurrency === null || opts.billingCurrency.toUpperCase() === opts.currency.toUpperCase();
  const billedMonths = new Set(billed.map((b) => b.month));
  const estMonths = new Set(estimated.map((e) => e.month));
  const months = [...new Set([...billedMonths, ...estMonths])].sort();
  const key = (v: string, m: string): string => `${m}|${v}`;
  const b = new Map(billed.map((x) => [key(x.vaultKey, x.month), x]));
  const e = new Map(estimated.map((x) => [key(x.vaultKey, x.month), x]));
  const keys = [...new Set([...b.keys(), ...e.keys()])].sort();
  const rows: ReconcileRow[] = [];
  let estCents = 0;
  let billCents = 0;
  for (const k of keys) {
    const x = b.get(k);
    const y = e.get(k);
    const [month, vaultKey] = [k.slice(0, k.indexOf('|')), k.slice(k.indexOf('|') + 1)];
    let status: ReconcileStatus;
    let difference: number | null = null;
    let differencePct: number | null = null;
    if (x && y) {
      const d = x.cents - y.cents;
      difference = fromCents(d);
      differencePct = x.cents !== 0 ? Math.round((d / x.cents) * 10000) / 100 : y.cents === 0 ? 0 : null;
      status = comparable && differencePct !== null && Math.abs(differencePct) <= opts.tolerancePct ? 'match' : 'difference';
    } else if (x) {
      status = estMonths.has(month) ? 'notEstimated' : 'noSnapshot';
    } else {
      status = billedMonths.has(month) ? 'notBilled' : 'notInBilling';
    }
    if (x) billCents += x.cents;
    if (y) estCents += y.cents;
    rows.push({
      month,
      vaultKey,
      vaultName: y?.vaultName ?? null,
      estimated: y ? fromCents(y.cents) : null,
      estimateComplete: y ? y.complete : null,
      billed: x ? fromCents(x.cents) : null,
      difference,
      differencePct,
      status,
      snapshotId: y?.snapshotId ?? null,
      meters: x ? Object.fromEntries(Object.entries(x.meters).map(([m, c]) => [m, fromCents(c)])) : {},
    });
  }
  const notes = [...RECONCILE_NOTES];
  if (!comparable) notes.unshift(`the export is billed in ${opts.billingCurrency}, the rate card prices in ${opts.currency}: amounts are listed but not compared`);
  return {
    currency: opts.currency,
    billingCurrency: opts.billingCurrency,
    comparable,
    tolerancePct: opts.tolerancePct,
    months,
    rows,
    differences: rows.filter((r) => r.status !== 'match'),
    totals: { estimated: fromCents(estCents), billed: fromCents(billCents), difference: fromCents(billCents - estCents) },
    notes,
  };
}
