/** The findings.* methods. */
import { z } from 'zod';
import type { RuleInfo } from '../../domain/findingsRules.ts';
import { severities } from '../../domain/profile.ts';
import { filePath, type FindingsRun } from './analysis.ts';
import { snapshotRef } from './snapshots.ts';

export const findingsMethods = {
  'findings.run': { input: z.object({ snapshot: snapshotRef, profilePath: filePath.optional(), failOn: z.enum(severities).optional() }).strict() },
  'findings.rules': { input: z.object({}).strict() },
} as const;

export type FindingsOutputs = {
  'findings.run': FindingsRun;
  'findings.rules': RuleInfo[];
};
