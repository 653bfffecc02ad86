/** The cost.* methods. */
import { z } from 'zod';
import { datasetRef, filePath, type CostRun, type ReconcileRun } from './analysis.ts';
import { snapshotRef } from './snapshots.ts';

export const costMethods = {
  'cost.run': { input: z.object({ snapshot: snapshotRef, compare: snapshotRef.optional(), ratecardPath: filePath.optional(), sizes: datasetRef.optional() }).strict() },
  'cost.reconcile': {
    input: z
      .object({
        /** A Cost Management export file (imported as a billing dataset first) or the id of one already imported. */
        billing: filePath,
        snapshots: z.array(snapshotRef).min(1).max(120),
        ratecardPath: filePath.optional(),
        sizes: datasetRef.optional(),
        tolerancePct: z.number().min(0).max(1000).optional(),
      })
      .strict(),
  },
} as const;

export type CostOutputs = {
  'cost.run': CostRun;
  'cost.reconcile': ReconcileRun;
};
