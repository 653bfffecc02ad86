/** diff.* handlers. The logic lives in electron/core/analysis. */
import { runDiff } from '../analysis/run.ts';
import type { DomainHandlers } from './types.ts';

export const handlers: DomainHandlers<'diff'> = {
  'diff.run': (input, call) => runDiff(call.core.store(), input.baseline, input.current),
};
