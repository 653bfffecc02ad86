/**
 * Runs the analysis (electron/core/analysis) for a pack and reshapes its
 * results into the pack model. Nothing of the size of the estate is held
 * (issue 17): findings are spooled to disk under the pack's work folder and
 * read back in order (analysis/stream-findings.ts), per-item costs are priced
 * again from the store whenever a writer walks them (analysis/stream-cost.ts);
 * memory keeps counts, totals and the diff. The raw parts become
 * data/diff.json, findings.json, cost.json and sample.json unchanged.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DiffReport, FindingsRun, SampleRun } from '../../../shared/contract/methods/analysis.ts';
import type { AnnotationIndex } from '../../../shared/domain/annotations.ts';
import type { Amount, CostGroup, CostReport, ItemCost } from '../../../shared/domain/cost.ts';
import { describeGroup, describeTotal, statedDelta } from '../../../shared/domain/cost.ts';
import type { RuleId } from '../../../shared/domain/findings-rules.ts';
import type { AuditProfile } from '../../../shared/domain/profile.ts';
import type { RateCard } from '../../../shared/domain/ratecard.ts';
import { diffOf, loadProfile, loadRatecard, sampleOf } from '../analysis/index.ts';
import { priceStreamed, type CostTotals } from '../analysis/stream-cost.ts';
import { findingsRunOf, spoolFindings, type SpooledFindings } from '../analysis/stream-findings.ts';
import type { Store } from '../store/store.ts';
import type { PackRequest } from './request.ts';
import type { PackAnalysis, PackCost, SnapshotInfo } from './model.ts';

type Hashed<T> = { name: string; version: string; hash: string; source: string; value: T };

/** What the data files are written from: the analysis's own results, findings and item costs streamed. */
export type RawAnalysis = {
  diff: DiffReport | null;
  findings: SpooledFindings;
  /** The cost run without its long lists, which stream: */
  cost: CostTotals;
  items(): Iterable<ItemCost>;
  unknownSizeItems(): Iterable<string>;
  unpricedItems(): Iterable<string>;
  sample: SampleRun | null;
  profile: Hashed<AuditProfile>;
  ratecard: Hashed<RateCard>;
};

export type AnalysisBundle = {
  analysis: PackAnalysis;
  raw: RawAnalysis;
  /** The baseline's own cost run without items (cost by vault before the change), when compared. */
  baselineCost: CostTotals | null;
  /** Removes the spooled findings (the pack's work folder). */
  close(): void;
};

/**
 * A lookup of item costs for keys asked in the store's key order (the Items
 * sheet): it walks the priced items alongside, holding only those it passed
 * over (none when both orders agree). close() ends the walk (its SQL statement).
 */
function costCursor(items: () => Iterable<ItemCost>): { of(key: string): Amount | null; close(): void } {
  const it = items()[Symbol.iterator]();
  const passed = new Map<string, Amount>();
  let done = false;
  return {
    of(key) {
      const seen = passed.get(key);
      if (seen !== undefined) {
        passed.delete(key);
        return seen;
      }
      while (!done) {
        const r = it.next();
        if (r.done) {
          done = true;
          break;
        }
        if (r.value.key === key) return r.value.total;
        passed.set(r.value.key, r.value.total);
      }
      return null;
    },
    close() {
      if (!done) it.return?.();
      done = true;
    },
  };
}

/**
 * The pack's analysis, from snapshots the caller has already resolved and
 * annotations it has already loaded; the request is the packs.build input as
 * is. `workDir` is a private folder for the spooled findings (created here,
 * removed by close()).
 */
export function runPackAnalysis(
  store: Store,
  inp: { current: SnapshotInfo; baseline: SnapshotInfo | null; request: Pick<PackRequest, 'profile' | 'ratecard' | 'sizes' | 'sample'>; annotations: AnnotationIndex; now: Date; workDir: string },
): AnalysisBundle {
  const req = inp.request;
  const profile = loadProfile(req.profile ? path.resolve(req.profile) : undefined);
  const card = loadRatecard(req.ratecard ? path.resolve(req.ratecard) : undefined);
  const s = inp.current.summary;
  const base = inp.baseline?.summary ?? null;
  const { annotations } = inp;
  // The same parts, in the same order, as analyseSnapshot (electron/core/analysis/index.ts).
  const spool = spoolFindings(store, s, profile, annotations, path.join(inp.workDir, 'findings'));
  try {
    const streamed = priceStreamed(store, s, card, req.sizes, annotations, base);
    const diff = base ? diffOf(store, base, s, annotations, inp.current.coverage) : null;
    const sampleOpts = req.sample ? { seed: req.sample.seed, size: req.sample.size, stratify: req.sample.stratify ?? 'none' } : null;
    // Stratifying by severity reads the findings once, streamed.
    const sample = sampleOpts ? sampleOf(store, s, sampleOpts, findingsRunOf(spool.head, spool.all()) as unknown as FindingsRun) : null;
    const raw: RawAnalysis = {
      diff,
      findings: spool,
      cost: streamed.head,
      items: () => streamed.items(),
      unknownSizeItems: () => streamed.unknownSizeItems(),
      unpricedItems: () => streamed.unpricedItems(),
      sample,
      profile: { name: profile.value.name, version: profile.value.version, hash: profile.hash, source: profile.source, value: profile.value },
      ratecard: { name: card.value.name, version: card.value.version, hash: card.hash, source: card.source, value: card.value },
    };
    return { ...packAnalysisOf(raw, streamed.baseline, req), close: () => fs.rmSync(inp.workDir, { recursive: true, force: true }) };
  } catch (e) {
    fs.rmSync(inp.workDir, { recursive: true, force: true });
    throw e;
  }
}

function packAnalysisOf(raw: RawAnalysis, baselineCost: CostTotals | null, req: Pick<PackRequest, 'sizes'>): Omit<AnalysisBundle, 'close'> {
  // Cost by vault before the change reads the baseline's own cost report, priced once with the delta.
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
    items: raw.items,
    totals: () => costCursor(raw.items),
    vaultNames,
    delta: raw.cost.delta && raw.cost.delta.complete ? { removed: -raw.cost.delta.retired.savings, added: raw.cost.delta.added.cost, changed: raw.cost.delta.changed.change } : null,
  };

  const notes: string[] = [];
  for (const a of raw.findings.head.assumptions) notes.push(`Findings (${a.rule}): ${a.note}`);
  if (raw.cost.unknownSize > 0) notes.push(`${raw.cost.unknownSize} item(s) have no known size: their cost is reported as unknown, not as zero.`);
  if (raw.cost.delta && !raw.cost.delta.complete) notes.push('No cost change is stated: the total on at least one side is not complete, and two lower bounds make no saving.');
  if (raw.cost.unpriced > 0) notes.push(`${raw.cost.unpriced} item(s) are unpriced: the rate card has no fee for their workload, and no other workload's fee is used.`);
  if (raw.cost.unconfirmedFees.length > 0) notes.push(`Rate-card figures marked unconfirmed in the card were used for: ${raw.cost.unconfirmedFees.join(', ')}.`);

  const analysis: PackAnalysis = {
    diff: raw.diff,
    findings: {
      asOf: raw.findings.head.asOf,
      profileHash: raw.findings.head.profileHash,
      notEvaluated: raw.findings.head.notEvaluated,
      rules: raw.findings.rules,
      total: raw.findings.total,
      all: () => raw.findings.all(),
      ofRule: (rule) => raw.findings.ofRule(rule as RuleId),
      ofItem: (ordinal, key) => raw.findings.perItem.of(ordinal, key),
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
