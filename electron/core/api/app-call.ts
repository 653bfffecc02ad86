/**
 * Transitional: the committed electron/main and web server still call
 * invokeApp until the engine host (electron/core/host) replaces them; then
 * this file goes. New code calls dispatch() directly.
 */
import type { ProgressEvent } from '../../../shared/contract/events.ts';
import type { Result } from '../../../shared/contract/result.ts';
import type { CoreContext } from '../context.ts';
import { dispatch } from './dispatch.ts';
import type { DispatchCall, ShellHandlers } from './types.ts';

export type { ShellHandlers } from './types.ts';

export function invokeApp(core: CoreContext, shell: ShellHandlers, hostName: string, call: DispatchCall, onEvent: (e: ProgressEvent) => void, signal?: AbortSignal): Promise<Result<unknown>> {
  return dispatch(core, call, { shell: { name: hostName, handlers: shell }, onEvent, ...(signal ? { signal } : {}) });
}
