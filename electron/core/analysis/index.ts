/**
 * One call for evidence packs: everything the analysis says about a snapshot
 * (and its change against a baseline), with the hashes of the profile and
 * rate card used and the sample's seed and method.
 */
import type { AuditProfile } from '../../../shared/domain/profile.ts';
import type { RateCard } from '../../../shared/domain/ratecard.ts';
import type { Stratify } from '../../../shared/domain/sample.ts';
import type { Store } from '../store/store.ts';
import type { Loaded } from './assets.ts';
import { hashOf, loadProfile, loadRatecard } from './assets.ts';
import type { CostRun, DiffReport, FindingsRun, SampleRun } from '../../../shared/contract/methods/analysis.ts';
import { annotationsFor, runCost, runDiff, runFindings, runSample } from './run.ts';

export { annotationsFor, runCost, runDiff, runFindings, runSample } from './run.ts';
export { runAdherence, runReconcile } from './periodic.ts';
export { importSizes, listSizes, resolveSizes } from './sizes.ts';
export { importBilling } from './billing.ts';
export { loadProfile, loadRatecard, hashOf } from './assets.ts';

export type AnalyseOptions = {
  baselineId?: string;
  /** A profile file path, or an already-parsed profile (hashed here when given as an object). */
  profile?: string | AuditProfile;
  ratecard?: string | RateCard;
  sizesId?: string;
  sample?: { size: number; seed: string; stratify: Stratify };
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
  sample: SampleRun | null;
};

function asLoaded<T extends object>(v: string | T | undefined, load: (file?: string) => Loaded<T>): Loaded<T> {
  if (v === undefined) return load();
  if (typeof v === 'string') return load(v);
  return { value: v, hash: hashOf(v), source: 'given' };
}

export function analyseSnapshot(store: Store, snapshotId: string, opts: AnalyseOptions): SnapshotAnalysis {
  const profile = asLoaded(opts.profile, loadProfile);
  const card = asLoaded(opts.ratecard, loadRatecard);
  const annotations = annotationsFor(store);
  const s = store.snapshots.resolve(snapshotId);
  const findings = runFindings(store, s.id, { profile, annotations });
  const cost = runCost(store, s.id, { ratecard: card, annotations, ...(opts.sizesId ? { sizesId: opts.sizesId } : {}), ...(opts.baselineId ? { compare: opts.baselineId } : {}) });
  const diff = opts.baselineId ? runDiff(store, opts.baselineId, s.id, { annotations }) : null;
  const sample = opts.sample ? runSample(store, s.id, { ...opts.sample, profile, annotations }) : null;
  return {
    generatedAt: opts.now.toISOString(),
    snapshotId: s.id,
    profile: { name: profile.value.name, version: profile.value.version, hash: profile.hash, source: profile.source, value: profile.value },
    ratecard: { name: card.value.name, version: card.value.version, hash: card.hash, source: card.source, value: card.value },
    diff,
    findings,
    cost,
    sample,
  };
}
