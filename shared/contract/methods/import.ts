/** The import.* methods. */
import { z } from 'zod';
import type { ImportResult } from './snapshots.ts';

export const importMethods = {
  'import.files': {
    input: z
      .object({
        paths: z.array(z.string().min(1).max(4096)).min(1).max(10000),
        label: z.string().max(500).optional(),
        asOf: z.string().max(64).optional(),
      })
      .strict(),
  },
} as const;

export type ImportOutputs = {
  'import.files': ImportResult;
};
