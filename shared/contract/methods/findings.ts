/** The findings.* methods. */
import { z } from 'zod';
import type { RuleInfo } from '../../domain/findings-rules.ts';
import { severities } from '../../domain/profile.ts';
import { filePath, type FindingsRun } from './analysis.ts';
import { snapshotRef } from './snapshots.ts';

export const findingsMethods = {
  'findings.run': { input: z.object({ snapshot: snapshotRef, profilePath: filePath.optional(), failOn: z.enum(severities).optional() }).strict() },
  'findings.rules': { input: z.object({}).strict() },
  /** The Findings view as shown (group and search) written as an .xlsx to path (issue 15 item 10). */
  'findings.export': {
    input: z
      .object({
        snapshot: snapshotRef,
        profilePath: filePath.optional(),
        view: z.object({ groupBy: z.enum(['severity', 'rule']), group: z.string().max(200).nullable(), search: z.string().max(1000) }).strict(),
        path: z.string().min(1).max(4096),
        force: z.boolean().optional(),
      })
      .strict(),
  },
} as const;

export type FindingsOutputs = {
  'findings.run': FindingsRun;
  'findings.rules': RuleInfo[];
  'findings.export': { path: string; rows: number; sheet: string };
};
