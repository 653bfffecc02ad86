/** sizes.* handlers. The logic lives in electron/core/analysis. */
import { importSizes, listSizes } from '../analysis/sizes.ts';
import type { DomainHandlers } from './types.ts';

export const handlers: DomainHandlers<'sizes'> = {
  'sizes.import': (input, call) => importSizes(call.core.store(), input.path, { now: call.core.now(), user: call.core.user(), ...(input.label ? { label: input.label } : {}) }),
  'sizes.list': (_input, call) => listSizes(call.core.store()),
};
