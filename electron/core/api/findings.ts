/** findings.* handlers. The logic lives in electron/core/analysis; the rules in shared/domain. */
import { ruleIds, rules } from '../../../shared/domain/findings-rules.ts';
import { exportFindingsXlsx } from '../analysis/findings-export.ts';
import { labelsFor } from '../analysis/labels.ts';
import { findingsGate, runFindings } from '../analysis/run.ts';
import { findingsPageAsync, findingsSummaryAsync, prepareViews } from '../browse/evaluations.ts';
import type { DomainHandlers } from './types.ts';

export const handlers: DomainHandlers<'findings'> = {
  'findings.run': (input, call) => {
    const store = call.core.store();
    const run = runFindings(store, input.snapshot, input.profilePath ? { profilePath: input.profilePath } : {});
    const report = input.labels === false ? run : { ...run, labels: labelsFor(store.db, [run.snapshot.id], run.findings.filter((f) => f.target.startsWith('item:')).map((f) => f.key)) };
    return input.failOn ? { ...report, gate: findingsGate(report.findings, input.failOn) } : report;
  },
  'findings.rules': () => ruleIds.map((r) => rules[r]),
  'findings.summary': (input, call) => {
    const store = call.core.store();
    return findingsSummaryAsync(store, store.snapshots.resolve(input.snapshot).id);
  },
  'findings.page': (input, call) => {
    const store = call.core.store();
    return findingsPageAsync(store, store.snapshots.resolve(input.snapshot).id, input.view, input.offset, input.limit);
  },
  'findings.prepare': (input, call) => {
    const store = call.core.store();
    const s = store.snapshots.resolve(input.snapshot);
    const b = input.baseline ? store.snapshots.resolve(input.baseline) : null;
    prepareViews(store, s.id, b && b.id !== s.id ? b.id : null);
    return { started: true };
  },
  'findings.export': async (input, call) => {
    const store = call.core.store();
    const run = runFindings(store, input.snapshot, input.profilePath ? { profilePath: input.profilePath } : {});
    return exportFindingsXlsx(run.findings, input.view, input.path, { storePath: store.path, force: input.force });
  },
};
