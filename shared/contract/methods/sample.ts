/** The sample.* methods. */
import { z } from 'zod';
import { filePath, stratifyValues, type SampleRun } from './analysis.ts';
import { snapshotRef } from './snapshots.ts';

export const sampleMethods = {
  'sample.draw': {
    input: z
      .object({
        snapshot: snapshotRef,
        size: z.number().int().min(0).max(1_000_000),
        seed: z.string().min(1).max(200),
        stratify: z.enum(stratifyValues).optional(),
        profilePath: filePath.optional(),
      })
      .strict(),
  },
} as const;

export type SampleOutputs = {
  'sample.draw': SampleRun;
};
