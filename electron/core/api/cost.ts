/** cost.* handlers. The logic lives in electron/core/analysis. */
import { runReconcile } from '../analysis/periodic.ts';
import { labelsFor } from '../analysis/labels.ts';
import { runCost } from '../analysis/run.ts';
import { costSummaryAsync } from '../browse/evaluations.ts';
import type { DomainHandlers } from './types.ts';

export const handlers: DomainHandlers<'cost'> = {
  'cost.run': (input, call) => {
    const store = call.core.store();
    const c = runCost(store, input.snapshot, {
      ...(input.compare ? { compare: input.compare } : {}),
      ...(input.ratecardPath ? { ratecardPath: input.ratecardPath } : {}),
      ...(input.sizes ? { sizesId: input.sizes } : {}),
    });
    // Only the items a reader is pointed at (not priced) are named in the CLI text.
    if (input.labels === false) return c;
    return { ...c, labels: labelsFor(store.db, [c.snapshot.id], [...c.unknownSizeItems, ...c.unpricedItems]) };
  },
  'cost.summary': (input, call) => {
    const store = call.core.store();
    const s = store.snapshots.resolve(input.snapshot);
    const compare = input.compare ? store.snapshots.resolve(input.compare).id : undefined;
    // Off the engine's thread and kept (evaluations.ts); the sizes dataset is resolved by the pricing itself.
    return costSummaryAsync(store, s.id, { ...(compare ? { compare } : {}), ...(input.sizes ? { sizes: input.sizes } : {}) }, input.unknownLimit ?? 300);
  },
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
};
