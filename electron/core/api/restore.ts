/** restore.* handlers. The logic lives in shared/domain/restore and electron/core/restore. */
import { restoreCatalogOf } from '../restore/catalog.ts';
import type { DomainHandlers } from './types.ts';

export const handlers: DomainHandlers<'restore'> = {
  'restore.catalog': (input, call) => restoreCatalogOf(call.core.store(), input.snapshot, input),
};
