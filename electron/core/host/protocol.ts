/**
 * Messages between the engine host (the thread that keeps windows or the
 * web server responsive) and the engine worker (the thread that runs the
 * core). A call is the one entrance's `{ method, input, job }`; its answer
 * is the same Result; progress events carry the id of the call they belong to.
 */
import type { ProgressEvent } from '../../../shared/contract/events.ts';
import type { Result } from '../../../shared/contract/result.ts';

export type EngineCall = { method: string; input: unknown; job?: string | undefined };

export type ToEngine =
  | ({ type: 'call'; id: number } & EngineCall)
  /** The host's caller gave up (window closed, connection dropped): abort that call's signal. */
  | { type: 'abort'; id: number }
  | { type: 'cancelAll' }
  | { type: 'openStore'; id: number; path: string }
  | { type: 'ping'; id: number }
  | { type: 'close'; id: number };

export type FromEngine =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'event'; id: number; event: ProgressEvent }
  /** An event of the engine itself, not of a call (the store's upgrade as it opens: STORE_UPGRADE_JOB). */
  | { type: 'notice'; event: ProgressEvent };

export type EngineWorkerData = { storePath: string };
