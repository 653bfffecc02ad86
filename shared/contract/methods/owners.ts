/** The owners.* methods. */
import { z } from 'zod';
import { ownerFields, type OwnersImportReport } from './annotations.ts';
import { snapshotRef } from './snapshots.ts';

export const ownersMethods = {
  'owners.import': {
    input: z
      .object({
        path: z.string().min(1).max(4096),
        /** CSV column and what it holds: resourceId | name | resourceGroup | tag:NAME */
        match: z.object({ column: z.string().min(1).max(500), by: z.string().min(1).max(300) }).strict(),
        /** annotation field → CSV column */
        columns: z.partialRecord(z.enum(ownerFields), z.string().min(1).max(500)),
        dryRun: z.boolean().optional(),
        snapshot: snapshotRef.optional(),
      })
      .strict(),
  },
} as const;

export type OwnersOutputs = {
  'owners.import': OwnersImportReport;
};
