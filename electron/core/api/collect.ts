/** collect.* handlers: a live collection from Azure, and the offline collection kit. */
import { progressEvent } from '../../../shared/contract/events.ts';
import { collectionKit } from '../../../shared/domain/collection-kit.ts';
import { authRecordDirFor, collect, collectOptionsFrom } from '../collect/index.ts';
import type { DomainHandlers } from './types.ts';

export const handlers: DomainHandlers<'collect'> = {
  'collect.start': (input, call) =>
    collect(collectOptionsFrom(input), {
      store: call.core.store(),
      now: () => call.core.now(),
      user: call.core.user(),
      signal: call.signal,
      onProgress: (e) => call.emit(progressEvent(e)),
      authRecordDir: authRecordDirFor(call.core.storePath),
    }),
  'collect.kit': (input) => collectionKit(input),
};
