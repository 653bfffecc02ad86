/** diff.* handlers. The logic lives in electron/core/analysis; the Compare view's summary and pages in electron/core/browse/diff-pages.ts. */
import { labelsFor } from '../analysis/labels.ts';
import { runDiff } from '../analysis/run.ts';
import { vaultLabelsFor } from '../analysis/vault-labels.ts';
import { accessDiffOf } from '../access/snapshot.ts';
import { alertRoutingDiffOf } from '../alerts/routing.ts';
import { diffPage, diffRollups, diffSummary } from '../browse/diff-pages.ts';
import type { DomainHandlers } from './types.ts';

export const handlers: DomainHandlers<'diff'> = {
  'diff.run': (input, call) => {
    const store = call.core.store();
    const d = runDiff(store, input.baseline, input.current);
    const keys = [...d.added, ...d.removed.map((r) => r.key), ...d.changed.map((c) => c.key)];
    const access = accessDiffOf(store, d.baseline.id, d.current.id);
    const alerts = alertRoutingDiffOf(store, d.baseline.id, d.current.id);
    if (input.labels === false) return { ...d, access, alerts };
    return { ...d, labels: labelsFor(store.db, [d.current.id, d.baseline.id], keys), vaultLabels: vaultLabelsFor(store.db, [d.current.id, d.baseline.id]), access, alerts };
  },
  'diff.summary': (input, call) => diffSummary(call.core.store(), input.baseline, input.current),
  'diff.page': (input, call) => diffPage(call.core.store(), input.baseline, input.current, input.kind, input.offset, input.limit),
  'diff.rollups': (input, call) => diffRollups(call.core.store(), input.baseline, input.current),
};
