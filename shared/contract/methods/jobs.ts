import { z } from 'zod';

/** A caller-chosen job id (see shared/contract/transport.ts). */
export const jobId = z.string().min(1).max(200);

export const jobsMethods = {
  /** Aborts a running job started with this id; `cancelled` is false when no such job runs. */
  'jobs.cancel': { input: z.object({ job: jobId }).strict() },
} as const;

export type JobsOutputs = {
  'jobs.cancel': { cancelled: boolean };
};
