/** owners.* handlers: owner annotations in bulk from a CSV. */
import { authorFor } from '../annotations/service.ts';
import { importOwners } from '../annotations/owners-import.ts';
import type { DomainHandlers } from './types.ts';

export const handlers: DomainHandlers<'owners'> = {
  'owners.import': (input, call) => {
    const store = call.core.store();
    return importOwners(store, input, authorFor(store, call.core.user(), call.core.now()));
  },
};
