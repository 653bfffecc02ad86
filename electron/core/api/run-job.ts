/** dispatch() plus job registration; kept apart from jobs.ts so the handler table never imports dispatch (cycle). */
import type { Result } from '../../../shared/contract/result.ts';
import type { ProgressEvent } from '../../../shared/contract/events.ts';
import type { CoreContext } from '../context.ts';
import { dispatch } from './dispatch.ts';
import { jobsOf } from './jobs.ts';

/**
 * dispatch() with a cancellable job: without a job id it is plain dispatch.
 * A second call with an id that is still running is refused (CONFLICT).
 */
export async function runJob(
  core: CoreContext,
  method: string,
  input: unknown,
  opts: { job?: string | undefined; onEvent?: (e: ProgressEvent) => void; signal?: AbortSignal } = {},
): Promise<Result<unknown>> {
  const { job } = opts;
  if (job === undefined) return dispatch(core, method, input, { ...(opts.onEvent ? { onEvent: opts.onEvent } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
  const jobs = jobsOf(core);
  if (jobs.has(job)) return { ok: false, error: { code: 'CONFLICT', message: `a job named "${job}" is already running` } };
  const controller = new AbortController();
  const outer = opts.signal;
  const onOuterAbort = (): void => controller.abort();
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  if (outer?.aborted) controller.abort();
  jobs.set(job, controller);
  try {
    return await dispatch(core, method, input, {
      job,
      signal: controller.signal,
      ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
    });
  } finally {
    jobs.delete(job);
    outer?.removeEventListener('abort', onOuterAbort);
  }
}

