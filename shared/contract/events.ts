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
