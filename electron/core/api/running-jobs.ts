/**
 * Running jobs per core: dispatch() registers an AbortController under the
 * caller's job id; `jobs.cancel` aborts it. Jobs are kept per CoreContext so
 * two servers in one process (tests) never see each other's jobs.
 */
import type { CoreContext } from '../context.ts';

const running = new WeakMap<CoreContext, Map<string, AbortController>>();

export function jobsOf(core: CoreContext): Map<string, AbortController> {
  let jobs = running.get(core);
  if (!jobs) {
    jobs = new Map();
    running.set(core, jobs);
  }
  return jobs;
}

export function cancelJob(core: CoreContext, job: string): boolean {
  const controller = jobsOf(core).get(job);
  if (!controller || controller.signal.aborted) return false;
  controller.abort();
  return true;
}

/** Cancels every running job of this core (window closed, server stopped). */
export function cancelAllJobs(core: CoreContext): void {
  for (const controller of jobsOf(core).values()) controller.abort();
}
