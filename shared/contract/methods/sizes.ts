/** The sizes.* methods. */
import { z } from 'zod';
import type { SizesDatasetSummary } from '../../domain/sizes.ts';
import { filePath, type SizesImportResult } from './analysis.ts';

export const sizesMethods = {
  'sizes.import': { input: z.object({ path: filePath, label: z.string().max(500).optional() }).strict() },
  'sizes.list': { input: z.object({}).strict() },
} as const;

export type SizesOutputs = {
  'sizes.import': SizesImportResult;
  'sizes.list': SizesDatasetSummary[];
};
