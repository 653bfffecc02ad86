/** The adherence.* methods. */
import { z } from 'zod';
import type { AdherenceRun } from './analysis.ts';
import { snapshotRef } from './snapshots.ts';

export const adherenceMethods = {
  'adherence.run': { input: z.object({ snapshots: z.array(snapshotRef).max(1000).optional(), windowDays: z.number().int().min(1).max(3660).optional() }).strict() },
} as const;

export type AdherenceOutputs = {
  'adherence.run': AdherenceRun;
};
