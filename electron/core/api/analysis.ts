/**
 * Analysis handlers: thin wrappers over electron/core/analysis.
 */
import { atOrAbove } from '../../../shared/domain/profile.ts';
import { ruleIds, rules } from '../../../shared/domain/findingsRules.ts';
import { loadProfile, loadRatecard } from '../analysis/assets.ts';
import { runAdherence, runReconcile } from '../analysis/periodic.ts';
import { runCost, runDiff, runFindings, runSample } from '../analysis/run.ts';
import { importSizes, listSizes } from '../analysis/sizes.ts';
import type { HandlerTable } from './dispatch.ts';

type AnalysisMethod =
  | 'diff.run'
  | 'findings.run'
  | 'findings.rules'
  | 'cost.run'
  | 'cost.reconcile'
  | 'sample.draw'
  | 'sizes.import'
  | 'sizes.list'
  | 'adherence.run'
  | 'profiles.default'
  | 'ratecards.default';

export const analysisHandlers: Pick<HandlerTable, AnalysisMethod> = {
  'diff.run': (input, call) => runDiff(call.core.store(), input.baseline, input.current),
  'findings.run': (input, call) => {
    const report = runFindings(call.core.store(), input.snapshot, input.profilePath ? { profilePath: input.profilePath } : {});
    if (!input.failOn) return report;
    const failOn = input.failOn;
    // Excepted findings are accepted risk: they never fail the gate.
    const count = report.findings.filter((f) => !f.excepted && atOrAbove(f.severity, failOn)).length;
    return { ...report, gate: { failOn, failed: count > 0, count } };
  },
  'findings.rules': () => ruleIds.map((r) => rules[r]),
  'cost.run': (input, call) =>
    runCost(call.core.store(), input.snapshot, {
      ...(input.compare ? { compare: input.compare } : {}),
      ...(input.ratecardPath ? { ratecardPath: input.ratecardPath } : {}),
      ...(input.sizes ? { sizesId: input.sizes } : {}),
    }),
  'cost.reconcile': (input, call) =>
    runReconcile(call.core.store(), {
      billing: input.billing,
      snapshots: input.snapshots,
      ...(input.ratecardPath ? { ratecardPath: input.ratecardPath } : {}),
      ...(input.sizes ? { sizesId: input.sizes } : {}),
      ...(input.tolerancePct !== undefined ? { tolerancePct: input.tolerancePct } : {}),
      now: call.core.now(),
      user: call.core.user(),
    }),
  'sample.draw': (input, call) =>
    runSample(call.core.store(), input.snapshot, {
      size: input.size,
      seed: input.seed,
      stratify: input.stratify ?? 'none',
      ...(input.profilePath ? { profilePath: input.profilePath } : {}),
    }),
  'sizes.import': (input, call) => importSizes(call.core.store(), input.path, { now: call.core.now(), user: call.core.user(), ...(input.label ? { label: input.label } : {}) }),
  'sizes.list': (_input, call) => listSizes(call.core.store()),
  'adherence.run': (input, call) =>
    runAdherence(call.core.store(), { ...(input.snapshots ? { snapshots: input.snapshots } : {}), ...(input.windowDays ? { windowDays: input.windowDays } : {}) }),
  'profiles.default': () => {
    const p = loadProfile();
    return { profile: p.value, hash: p.hash, source: p.source };
  },
  'ratecards.default': () => {
    const r = loadRatecard();
    return { ratecard: r.value, hash: r.hash, source: r.source };
  },
};
