/** sample.* handlers. The logic lives in electron/core/analysis. */
import { runSample } from '../analysis/run.ts';
import type { DomainHandlers } from './types.ts';

export const handlers: DomainHandlers<'sample'> = {
  'sample.draw': (input, call) =>
    runSample(call.core.store(), input.snapshot, {
      size: input.size,
      seed: input.seed,
      stratify: input.stratify ?? 'none',
      ...(input.profilePath ? { profilePath: input.profilePath } : {}),
    }),
};
