/**
 * The one way long work (import, collect, packs) stops when the user cancels:
 * a UserError with code CANCELLED, whatever the signal's reason was, so every
 * carrier (CLI, window, web) reports a cancellation the same way.
 */
import { UserError } from './errors.ts';

/** The CANCELLED error; `what` says what stopped and what it left behind ("import cancelled; nothing was stored"). */
export function cancelledError(what: string): UserError {
  return new UserError('CANCELLED', what);
}

export function throwIfCancelled(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw cancelledError(what);
}
