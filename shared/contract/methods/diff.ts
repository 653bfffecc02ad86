/** The diff.* methods. */
import { z } from 'zod';
import { withLabels, type DiffReport } from './analysis.ts';
import { snapshotRef } from './snapshots.ts';

export const diffMethods = {
  'diff.run': { input: z.object({ baseline: snapshotRef, current: snapshotRef, labels: withLabels }).strict() },
} as const;

export type DiffOutputs = {
  'diff.run': DiffReport;
};
