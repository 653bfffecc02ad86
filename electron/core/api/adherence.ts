/** adherence.* handlers. The logic lives in electron/core/analysis. */
import { runAdherence } from '../analysis/periodic.ts';
import type { DomainHandlers } from './types.ts';

export const handlers: DomainHandlers<'adherence'> = {
  'adherence.run': (input, call) =>
    runAdherence(call.core.store(), { ...(input.snapshots ? { snapshots: input.snapshots } : {}), ...(input.windowDays ? { windowDays: input.windowDays } : {}) }),
};
