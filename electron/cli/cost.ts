/**
 * `vaultproof cost` and `reconcile` (cost.* methods).
 */
import type { CostRun } from '../../shared/contract/methods/analysis.ts';
import type { ItemCost } from '../../shared/domain/cost.ts';
import { describeGroup, describeTotal, formatMoney, statedDelta } from '../../shared/domain/cost.ts';
import { elementText, objectPieces, shape, type EscapedPieces } from '../core/output/json-text.ts';
import { printPieces } from './json-out.ts';
import { resourceGroupOfId, vaultLabels } from '../../shared/domain/names.ts';
import { terminalSafeName } from '../core/terminal-text.ts';
import { UserError } from '../core/errors.ts';
import { call, listArg, numArg, printJson, requirePositionals, strArg, table, withCore } from './run.ts';
import type { CommandRuns } from './types.ts';

function money(v: number | string): string {
  return typeof v === 'number' ? v.toFixed(2) : v;
}

const ITEM = shape(['key', 'frontEndGb', 'storageGb', 'instanceFee', 'storageCost', 'total', 'status', 'instanceFeeSource', 'instanceFeeConfirmed', 'frontEndSource', 'storageSource', 'vaultKey', 'owner', 'redundancy', 'region', 'note']);

/**
 * The --json text: `JSON.stringify(costJson, null, 2)` of { currency, total,
 * unknownSize, items: [{ key, frontEndGb, storageGb, instanceFee, storageCost,
 * total, status, instanceFeeSource, instanceFeeConfirmed, frontEndSource,
 * storageSource, vaultKey, owner, redundancy, region, note }], byVault, delta
 * (with the stated before/after/change), complete, … snapshot }, written item
 * by item (electron/core/output/json-text.ts) rather than built as a second 100k-object report.
 */
export function costJsonPieces(c: CostRun): EscapedPieces {
  const element = (i: ItemCost, indent: string): string =>
    elementText(
      [i.key, i.frontEndGb, i.storageGb, i.instanceFee, i.storageCost, i.total, i.status, i.instanceFeeSource, i.instanceFeeConfirmed, i.frontEndSource, i.storageSource, i.vaultKey, i.owner, i.redundancy, i.region, i.note],
      ITEM,
      indent,
    );
  return objectPieces(
    [
      ['currency', c.currency],
      ['total', c.total],
      ['unknownSize', c.unknownSize],
      ['items', null],
      ['byVault', c.byVault],
      // before/after/change are null unless both totals are complete; the priced parts are always given.
      ['delta', c.delta ? { ...c.delta, ...statedDelta(c.delta) } : null],
      ['complete', c.complete],
      ['pricedTotal', c.pricedTotal],
      ['pricedItems', c.pricedItems],
      ['billableItems', c.billableItems],
      ['unknownItems', c.unknownItems],
      ['unconfirmedFees', c.unconfirmedFees],
      ['unpriced', c.unpriced],
      ['unknownSizeItems', c.unknownSizeItems],
      ['unpricedItems', c.unpricedItems],
      ['bySubscription', c.bySubscription],
      ['byOwner', c.byOwner],
      ['rounding', c.rounding],
      ['ratecard', { ...c.ratecard, source: c.ratecardSource }],
      ['sizes', c.sizesMatch],
      ['snapshot', c.snapshot],
    ],
    { key: 'items', items: c.items, element },
  );
}

export const runs: CommandRuns = {
  async 'cost'(args, io) {
    const [snapshot] = requirePositionals(args, 1, this.usage);
    const compare = strArg(args, 'compare');
    const ratecardPath = strArg(args, 'ratecard');
    const sizes = strArg(args, 'sizes');
    const c = await withCore(args, (core) =>
      call(core, 'cost.run', { snapshot, ...(compare ? { compare } : {}), ...(ratecardPath ? { ratecardPath } : {}), ...(sizes ? { sizes } : {}), ...(args.values.json ? { labels: false } : {}) }),
    );
    if (args.values.json) await printPieces(io, costJsonPieces(c));
    else {
      io.stdout(`cost of ${c.snapshot.id} per month, ${c.ratecard.name} ${c.ratecard.version} (effective ${c.ratecard.effectiveDate})\n`);
      io.stdout(`  total ${describeTotal(c.currency, c)}${c.complete ? '' : ` — incomplete: ${c.unknownSize} item(s) of unknown size, ${c.unpriced} unpriced (cost unknown, not counted as zero)`}\n`);
      if (c.unconfirmedFees.length > 0) io.stdout(`  rate-card figures marked unconfirmed were used for: ${c.unconfirmedFees.join(', ')}\n`);
      io.stdout(`  rounding: ${c.rounding}\n`);
      const vaults = vaultLabels(c.byVault.map((v) => ({ key: v.group, name: v.label ?? v.group, resourceGroup: resourceGroupOfId(v.group) })));
      io.stdout(table(c.byVault.map((v) => ({ vault: terminalSafeName(vaults.get(v.group) ?? v.group), items: v.items, total: describeGroup(c.currency, v), unknownSize: v.unknownSize, unpriced: v.unpriced })), ['vault', 'items', 'total', 'unknownSize', 'unpriced']));
      const unknown = c.items.filter((i) => i.status === 'unpriced' || i.status === 'unknownSize');
      const SHOWN = 20;
      for (const i of unknown.slice(0, SHOWN)) io.stdout(`  ${i.status === 'unpriced' ? 'unpriced' : 'size unknown'}: ${terminalSafeName(c.labels?.[i.key] ?? i.name)}${i.note ? ` — ${i.note}` : ''}\n`);
      if (unknown.length > SHOWN) io.stdout(`  … and ${unknown.length - SHOWN} more (see --json)\n`);
      if (c.delta) {
        const d = c.delta;
        if (!d.complete) {
          // Two lower bounds make no saving: say what is priced on each side and no change.
          io.stdout(`  compared with ${d.baseline.id}: no change stated — a total is incomplete (before: at least ${formatMoney(d.currency, d.pricedBefore)} priced; after: at least ${formatMoney(d.currency, d.pricedAfter)} priced)\n`);
        } else {
          io.stdout(`  compared with ${d.baseline.id}: ${money(d.before)} → ${money(d.after)} (${d.change >= 0 ? '+' : ''}${money(d.change)})\n`);
          io.stdout(`    retired ${d.retired.count} item(s): saves ${money(d.retired.savings)}; added ${d.added.count}: costs ${money(d.added.cost)}; changed ${d.changed.count}: ${money(d.changed.change)}\n`);
        }
      }
    }
    return 0;
  },
  async 'reconcile'(args, io) {
    const [billing] = requirePositionals(args, 1, this.usage);
    const snapshots = listArg(args, 'snapshot');
    if (snapshots.length === 0) throw new UserError('BAD_INPUT', `reconcile needs at least one --snapshot; usage: vaultproof ${this.usage}`);
    const ratecardPath = strArg(args, 'ratecard');
    const sizes = strArg(args, 'sizes');
    const tolerancePct = numArg(args, 'tolerance');
    const r = await withCore(args, (core) =>
      call(core, 'cost.reconcile', {
        billing,
        snapshots,
        ...(ratecardPath ? { ratecardPath } : {}),
        ...(sizes ? { sizes } : {}),
        ...(tolerancePct !== undefined ? { tolerancePct } : {}),
      }),
    );
    if (args.values.json) await printJson(io, r);
    else {
      io.stdout(`billing dataset ${r.billing.id} (${r.billing.fileName}, ${r.billing.rowCount} Backup rows, ${r.billing.currency ?? 'currency not stated'})\n`);
      io.stdout(`  estimated ${r.currency} ${money(r.totals.estimated)}, billed ${money(r.totals.billed)}, difference ${money(r.totals.difference)}; tolerance ${r.tolerancePct}%\n`);
      io.stdout(table(r.rows.map((x) => ({ month: x.month, vault: x.vaultName ?? x.vaultKey, estimated: x.estimated === null ? '' : `${money(x.estimated)}${x.estimateComplete === false ? '*' : ''}`, billed: x.billed === null ? '' : money(x.billed), difference: x.difference === null ? '' : money(x.difference), pct: x.differencePct ?? '', status: x.status })), ['month', 'vault', 'estimated', 'billed', 'difference', 'pct', 'status']));
      if (r.rows.some((x) => x.estimateComplete === false)) io.stdout('  * the estimate leaves out items of unknown size or unpriced items (see `vaultproof cost`)\n');
      for (const n of r.notes) io.stdout(`  note: ${n}\n`);
    }
    return 0;
  },
};
