/** demo.* handlers: the bundled demo data in the window (demo.load) and the one-command demo pack (demo.run). */
import { progressEvent } from '../../../shared/contract/events.ts';
import { loadDemo } from '../browse/demo.ts';
import { runDemo } from '../packs/demo.ts';
import type { DomainHandlers } from './types.ts';

export const handlers: DomainHandlers<'demo'> = {
  'demo.load': (_input, call) => loadDemo(call),
  'demo.run': (input, call) => runDemo({ out: input.out, storePath: call.core.storePath, now: call.core.now(), user: call.core.user(), onProgress: (e) => call.emit(progressEvent(e)), signal: call.signal }),
};
