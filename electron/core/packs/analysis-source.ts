/**
 * Runs the analysis (electron/core/analysis) for a pack and reshapes its
 * results into the pack model. The raw results are also kept: they become
 * data/diff.json, findings.json, cost.json and sample.json unchanged.
 */
import path from 'node:path';
import type { AnnotationIndex } from '../../../shared/domain/annotations.ts';
import type { CostGroup, CostReport } from '../../../shared/domain/cost.ts';
import { describeGroup, describeTotal, statedDelta } from '../../../shared/domain/cost.ts';
import { analyseSnapshot, type BaselineCost, type SnapshotAnalysis } from '../analysis/index.ts';
import type { Store } from '../store/store.ts';
import type { PackRequest } from './request.ts';
import type { PackAnalysis, PackCost, SnapshotInfo } from './model.ts';

export type AnalysisBundle = { analysis: PackAnalysis; raw: SnapshotAnalysis; baselineCost: BaselineCost | null };

/**
 * The pack's analysis, from snapshots the caller has already resolved and
 * annotations it has already loaded; the request is the packs.build input as is.
 */
export function runPackAnalysis(
  store: Store,
  inp: { current: SnapshotInfo; baseline: SnapshotInfo | null; request: Pick<PackRequest, 'profile' | 'ratecard' | 'sizes' | 'sample'>; annotations: AnnotationIndex; now: Date },
): AnalysisBundle {
  const req = inp.request;
  const raw = analyseSnapshot(store, {
    current: inp.current,
    baseline: inp.baseline,
    ...(req.profile ? { profile: path.resolve(req.profile) } : {}),
    ...(req.ratecard ? { ratecard: path.resolve(req.ratecard) } : {}),
    ...(req.sizes ? { sizesId: req.sizes } : {}),
    ...(req.sample ? { sample: { seed: req.sample.seed, size: req.sample.size, stratify: req.sample.stratify ?? 'none' } } : {}),
    annotations: inp.annotations,
    now: inp.now,
  });
  // Cost by vault before the change reads the baseline's own cost report, priced once with the delta.
  const baselineCost = raw.baselineCost;
  const items = new Map(raw.cost.items.map((c) => [c.key, c]));
  const vaultNames = new Map(raw.cost.byVault.map((g) => [g.group, g.label]));
  const before = new Map((baselineCost?.byVault ?? []).map((g) => [g.group, g]));
  const after = new Map(raw.cost.byVault.map((g) => [g.group, g]));
  const vaultKeys = [...new Set([...after.keys(), ...before.keys()])];
  const currency = raw.cost.currency;
  const totalOf = (r: Pick<CostReport, 'total' | 'pricedTotal' | 'pricedItems' | 'billableItems'>) => ({
    total: r.total,
    pricedTotal: r.pricedTotal,
    pricedItems: r.pricedItems,
    billableItems: r.billableItems,
    text: describeTotal(currency, r),
  });
  // A vault's total is a number only when all its items are priced; otherwise it is said in words.
  const groupTotal = (g: CostGroup | undefined) => {
    // A vault absent on one side costs nothing there.
    if (g === undefined) return { total: 0, text: describeTotal(currency, { total: 0, pricedTotal: 0, pricedItems: 0, billableItems: 0 }) };
    return { total: g.unknownSize + g.unpriced === 0 ? g.total : null, text: describeGroup(currency, g) };
  };
  const cost: PackCost = {
    currency,
    rounding: raw.cost.rounding,
    after: totalOf(raw.cost),
    before: baselineCost ? totalOf(baselineCost) : null,
    change: raw.cost.delta ? statedDelta(raw.cost.delta).change : null,
    unconfirmedFees: raw.cost.unconfirmedFees,
    unknownSize: raw.cost.unknownSize,
    unpriced: raw.cost.unpriced,
    byVault: vaultKeys
      .map((k) => {
        const a = after.get(k);
        const b = before.get(k);
        const ga = groupTotal(a);
        const gb = baselineCost ? groupTotal(b) : null;
        return { group: a?.label ?? b?.label ?? k, items: a?.items ?? 0, before: gb ? gb.total : null, after: ga.total, beforeText: gb ? gb.text : null, afterText: ga.text };
      })
      .sort((x, y) => (x.group.toLowerCase() < y.group.toLowerCase() ? -1 : 1)),
    items,
    vaultNames,
    delta: raw.cost.delta && raw.cost.delta.complete ? { removed: -raw.cost.delta.retired.savings, added: raw.cost.delta.added.cost, changed: raw.cost.delta.changed.change } : null,
  };

  const notes: string[] = [];
  for (const a of raw.findings.assumptions) notes.push(`Findings (${a.rule}): ${a.note}`);
  if (raw.cost.unknownSize > 0) notes.push(`${raw.cost.unknownSize} item(s) have no known size: their cost is reported as unknown, not as zero.`);
  if (raw.cost.delta && !raw.cost.delta.complete) notes.push('No cost change is stated: the total on at least one side is not complete, and two lower bounds make no saving.');
  if (raw.cost.unpriced > 0) notes.push(`${raw.cost.unpriced} item(s) are unpriced: the rate card has no fee for their workload, and no other workload's fee is used.`);
  if (raw.cost.unconfirmedFees.length > 0) notes.push(`Rate-card figures marked unconfirmed in the card were used for: ${raw.cost.unconfirmedFees.join(', ')}.`);

  const analysis: PackAnalysis = {
    diff: raw.diff,
    findings: {
      asOf: raw.findings.asOf,
      profileHash: raw.findings.profileHash,
      findings: raw.findings.findings,
      notEvaluated: raw.findings.notEvaluated,
    },
    cost,
    sample: raw.sample ? { seed: raw.sample.seed, size: raw.sample.requested, method: `${raw.sample.method}${raw.sample.stratify !== 'none' ? `, stratified by ${raw.sample.stratify}` : ''}`, keys: raw.sample.items.map((i) => i.key) } : null,
    profile: { name: raw.profile.name, version: raw.profile.version, sha256: raw.profile.hash, json: raw.profile.value },
    ratecard: {
      name: raw.ratecard.name,
      version: raw.ratecard.version,
      sha256: raw.ratecard.hash,
      json: raw.ratecard.value,
      currency: raw.ratecard.value.currency,
      effectiveDate: raw.ratecard.value.effectiveDate,
      source: raw.ratecard.value.source,
    },
    sizes: req.sizes ? { id: req.sizes, sha256: raw.cost.sizesMatch?.contentHash ?? null } : null,
    notes,
  };
  return { analysis, raw, baselineCost };
}
