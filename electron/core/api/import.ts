/** import.* handlers. */
import { progressEvent } from '../../../shared/contract/events.ts';
import { importFiles } from '../import/index.ts';
import type { DomainHandlers } from './types.ts';

export const handlers: DomainHandlers<'import'> = {
  'import.files': (input, call) =>
    importFiles(call.core.store(), input.paths, {
      ...(input.label !== undefined ? { label: input.label } : {}),
      ...(input.asOf !== undefined ? { asOf: input.asOf } : {}),
      now: call.core.now(),
      user: call.core.user(),
      onProgress: (e) => call.emit(progressEvent(e)),
      signal: call.signal,
    }),
};
