/** jobs.* handlers. The running-job registry itself is in running-jobs.ts (dispatch uses it too). */
import { cancelJob } from './running-jobs.ts';
import type { DomainHandlers } from './types.ts';

export { cancelAllJobs, cancelJob, jobsOf } from './running-jobs.ts';

export const handlers: DomainHandlers<'jobs'> = {
  'jobs.cancel': (input, call) => ({ cancelled: cancelJob(call.core, input.job) }),
};
