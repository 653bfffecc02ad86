/** The cost.* methods. */
import { z } from 'zod';
import type { ItemCost } from '../../domain/cost.ts';
import { datasetRef, filePath, withLabels, type CostRun, type ReconcileRun } from './analysis.ts';
import { snapshotRef } from './snapshots.ts';

/** A sum of amounts of which some may be unknown: the known ones added (rounded to cents), and how many were not. */
export type AmountSum = { sum: number; priced: number; unknown: number };

/**
 * The Cost view's figures (issue 17): cost.run's totals, groups, delta and notes, the instance fees and storage
 * summed over the items, and the first of the items not in the total — not one priced row per item.
 */
export type CostSummary = Omit<CostRun, 'items' | 'labels' | 'unknownSizeItems' | 'unpricedItems'> & {
  instanceFees: AmountSum;
  storage: AmountSum;
  /** Items of unknown size or unpriced, in cost.run's order: the first `limit`, and how many there are. */
  unknown: { items: ItemCost[]; total: number };
};

export const costMethods = {
  'cost.run': { input: z.object({ snapshot: snapshotRef, compare: snapshotRef.optional(), ratecardPath: filePath.optional(), sizes: datasetRef.optional(), labels: withLabels }).strict() },
  /** cost.run for the view (default rate card): aggregates and the first `unknownLimit` unknown items (default 300). */
  'cost.summary': { input: z.object({ snapshot: snapshotRef, compare: snapshotRef.optional(), sizes: datasetRef.optional(), unknownLimit: z.number().int().min(0).max(10_000).optional() }).strict() },
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
  'cost.summary': CostSummary;
  'cost.reconcile': ReconcileRun;
};
