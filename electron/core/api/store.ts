/** store.* handlers. */
import { verifyStoreIntegrity } from '../integrity/store-integrity.ts';
import type { DomainHandlers } from './types.ts';

export const handlers: DomainHandlers<'store'> = {
  'store.verify': (_input, call) => verifyStoreIntegrity(call.core.store()),
};
