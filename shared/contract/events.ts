import { z } from 'zod';

/** Progress of long work (import, collect, pack). `total` is null when unknown. */
export const progressEventSchema = z.object({
  job: z.string(),
  phase: z.string(),
  done: z.number(),
  total: z.number().nullable(),
  message: z.string().optional(),
});
export type ProgressEvent = z.infer<typeof progressEventSchema>;

/**
 * The job of the events an engine sends while it upgrades the store it opens
 * (phase 'upgrade', done/total the rows of a row-by-row migration where
 * known) and once the upgrade is done (phase 'upgraded', the message says
 * where the backup is): not a job anyone started, so the app shows them as a
 * notice of their own.
 */
export const STORE_UPGRADE_JOB = 'store-upgrade';

/**
 * What long work (import, collect, pack) reports as it goes: the one
 * progress shape the core uses. The host adds the job id when it forwards
 * an update as a ProgressEvent. `total` is left out (or null) when unknown.
 */
export type ProgressUpdate = { phase: string; done: number; total?: number | null; message?: string };
export type Progress = (e: ProgressUpdate) => void;

/** The ProgressEvent body (without the job id) for an update: `total` becomes null when unknown. */
export function progressEvent(e: ProgressUpdate): Omit<ProgressEvent, 'job'> {
  return { phase: e.phase, done: e.done, total: e.total ?? null, ...(e.message !== undefined ? { message: e.message } : {}) };
}
