import { z } from 'zod';
import type { AdherenceReport } from '../../domain/adherence.ts';
import type { CostDelta, CostReport } from '../../domain/cost.ts';
import type { DiffResult } from '../../domain/diff.ts';
import type { FindingsReport } from '../../domain/findings.ts';
import type { RuleInfo } from '../../domain/findingsRules.ts';
import type { AuditProfile } from '../../domain/profile.ts';
import { severities } from '../../domain/profile.ts';
import type { RateCard } from '../../domain/ratecard.ts';
import type { ReconcileReport } from '../../domain/reconcile.ts';
import type { SampleResult } from '../../domain/sample.ts';
import type { SizesDatasetSummary } from '../../domain/sizes.ts';
import { snapshotRef } from './snapshots.ts';

const filePath = z.string().min(1).max(4096);
const datasetRef = z.string().min(1).max(200);

export const stratifyValues = ['none', 'workload', 'vault', 'severity'] as const;

export const analysisMethods = {
  'diff.run': { input: z.object({ baseline: snapshotRef, current: snapshotRef }).strict() },
  'findings.run': { input: z.object({ snapshot: snapshotRef, profilePath: filePath.optional(), failOn: z.enum(severities).optional() }).strict() },
  'findings.rules': { input: z.object({}).strict() },
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
  'sizes.import': { input: z.object({ path: filePath, label: z.string().max(500).optional() }).strict() },
  'sizes.list': { input: z.object({}).strict() },
  'adherence.run': { input: z.object({ snapshots: z.array(snapshotRef).max(1000).optional(), windowDays: z.number().int().min(1).max(3660).optional() }).strict() },
  'profiles.default': { input: z.object({}).strict() },
  'ratecards.default': { input: z.object({}).strict() },
} as const;

export type SnapshotRefInfo = { id: string; asOf: string; contentHash: string; label: string | null };

export type DiffReport = DiffResult & { baseline: SnapshotRefInfo; current: SnapshotRefInfo };

export type FindingsRun = FindingsReport & {
  snapshot: SnapshotRefInfo;
  profileSource: string;
  /** With failOn: whether findings that are not excepted exist at or above that severity (the CLI exits 3). */
  gate?: { failOn: (typeof severities)[number]; failed: boolean; count: number };
};

export type SizesMatchSummary = {
  datasetId: string;
  contentHash: string;
  fileName: string;
  matched: { byKey: number; bySource: number; byName: number };
  ambiguousRows: number;
  unmatchedRows: number;
  /** First rows (file line numbers) that matched nothing or several items. */
  examples: { ambiguous: number[]; unmatched: number[] };
};

export type CostRun = CostReport & {
  snapshot: SnapshotRefInfo;
  ratecardSource: string;
  sizesMatch: SizesMatchSummary | null;
  delta: (CostDelta & { baseline: SnapshotRefInfo }) | null;
};

export type SampleRun = SampleResult & { snapshot: SnapshotRefInfo; profileHash: string | null };

export type AdherenceRun = AdherenceReport & { snapshotIds: string[] };

export type BillingDatasetSummary = {
  id: string;
  label: string | null;
  createdAt: string;
  createdBy: string;
  fileName: string;
  fileSha256: string;
  rowCount: number;
  skippedRows: number;
  currency: string | null;
  contentHash: string;
  columns: Record<string, string>;
  warnings: string[];
};

export type ReconcileRun = ReconcileReport & {
  billing: BillingDatasetSummary;
  snapshots: Array<{ id: string; asOf: string; month: string; used: boolean }>;
  ratecard: { name: string; version: string; hash: string };
  sizesId: string | null;
};

export type SizesImportResult = SizesDatasetSummary & { matchedColumns: Record<string, string | null> };

export type AnalysisOutputs = {
  'diff.run': DiffReport;
  'findings.run': FindingsRun;
  'findings.rules': RuleInfo[];
  'cost.run': CostRun;
  'cost.reconcile': ReconcileRun;
  'sample.draw': SampleRun;
  'sizes.import': SizesImportResult;
  'sizes.list': SizesDatasetSummary[];
  'adherence.run': AdherenceRun;
  'profiles.default': { profile: AuditProfile; hash: string; source: string };
  'ratecards.default': { ratecard: RateCard; hash: string; source: string };
};
