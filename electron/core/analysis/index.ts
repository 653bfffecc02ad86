/**
 * One call for evidence packs: everything the analysis says about a snapshot
 * (and its change against a baseline), with the hashes of the profile and
 * rate card used and the sample's seed and method.
 */
import type { AuditProfile } from '../../../shared/domain/profile.ts';
import type { RateCard } from '../../../shared/domain/ratecard.ts';
import type { AnnotationIndex } from '../../../shared/domain/annotations.ts';
import type { CoverageEntry, SnapshotSummary } from '../../../shared/domain/types.ts';
import type { Store } from '../store/store.ts';
import type { Loaded } from './assets.ts';
import { hashOf, loadProfile, loadRatecard } from './assets.ts';
import type { CostRun, DiffReport, FindingsRun, SampleRun } from '../../../shared/contract/methods/analysis.ts';
import { costRunOf, diffOf, findingsOf, priceSnapshot, sampleOf, type SampleOptions } from './run.ts';

export { annotationsFor, costRunOf, diffOf, findingsOf, priceSnapshot, runCost, runDiff, runFindings, runSample, sampleOf } from './run.ts';
export { runAdherence, runReconcile } from './periodic.ts';
export { importSizes, listSizes, resolveSizes } from './sizes.ts';
export { importBilling } from './billing.ts';
export { loadProfile, loadRatecard, hashOf } from './assets.ts';

export type AnalyseOptions = {
  /** The snapshot analysed and its baseline, already resolved by the caller (resolved once per pack). */
  current: { summary: SnapshotSummary; coverage: CoverageEntry[] };
  baseline: { summary: SnapshotSummary } | null;
  /** A profile file path, or an already-parsed profile (hashed here when given as an object). */
  profile?: string | AuditProfile;
  ratecard?: string | RateCard;
  sizesId?: string;
  sample?: SampleOptions;
  /** Loaded once by the caller and shared by every part of the analysis. */
  annotations: AnnotationIndex;
  /** When the analysis ran (recorded as generatedAt; rules are judged at the snapshot's asOf, never at this). */
  now: Date;
};

export type SnapshotAnalysis = {
  generatedAt: string;
  snapshotId: string;
  profile: { name: string; version: string; hash: string; source: string; value: AuditProfile };
  ratecard: { name: string; version: string; hash: string; source: string; value: RateCard };
  diff: DiffReport | null;
  findings: FindingsRun;
  cost: CostRun;
  /**
   * The baseline's own cost report (no delta), for cost by vault before the change: its
   * totals and groups only. The per-item costs were needed for the delta alone, and at
   * 100k items they held 86 MB of heap through the whole pack.
   */
  baselineCost: BaselineCost | null;
  sample: SampleRun | null;
};

/** A cost report without its per-item list. */
export type BaselineCost = Omit<CostRun, 'items'>;

function withoutItems(run: CostRun): BaselineCost {
  const { items: _items, ...rest } = run;
  return rest;
}

function asLoaded<T extends object>(v: string | T | undefined, load: (file?: string) => Loaded<T>): Loaded<T> {
  if (v === undefined) return load();
  if (typeof v === 'string') return load(v);
  return { value: v, hash: hashOf(v), source: 'given' };
}

/**
 * Everything the analysis says about a snapshot, each part computed once:
 * findings once (the severity sample reuses them), each snapshot priced once
 * (the delta compares the two pricings).
 */
export function analyseSnapshot(store: Store, opts: AnalyseOptions): SnapshotAnalysis {
  const profile = asLoaded(opts.profile, loadProfile);
  const card = asLoaded(opts.ratecard, loadRatecard);
  const s = opts.current.summary;
  const baseline = opts.baseline?.summary ?? null;
  const { annotations } = opts;
  const findings = findingsOf(store, s, profile, annotations);
  const priced = priceSnapshot(store, s, card, opts.sizesId, annotations);
  const pricedBaseline = baseline ? priceSnapshot(store, baseline, card, opts.sizesId, annotations) : null;
  const diff = baseline ? diffOf(store, baseline, s, annotations, opts.current.coverage) : null;
  const sample = opts.sample ? sampleOf(store, s, opts.sample, findings) : null;
  return {
    generatedAt: opts.now.toISOString(),
    snapshotId: s.id,
    profile: { name: profile.value.name, version: profile.value.version, hash: profile.hash, source: profile.source, value: profile.value },
    ratecard: { name: card.value.name, version: card.value.version, hash: card.hash, source: card.source, value: card.value },
    diff,
    findings,
    cost: costRunOf(priced, card, pricedBaseline),
    baselineCost: pricedBaseline ? withoutItems(costRunOf(pricedBaseline, card, null)) : null,
    sample,
  };
}
