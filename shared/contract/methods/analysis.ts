import { z } from 'zod';
import type { AccessDiff } from '../../domain/access/diff.ts';
import type { RoutingChange } from '../../domain/alerts/routing.ts';
import type { AdherenceReport } from '../../domain/adherence.ts';
import type { CostDelta, CostReport } from '../../domain/cost.ts';
import type { DiffResult } from '../../domain/diff.ts';
import type { FindingsReport } from '../../domain/findings.ts';
import type { severities } from '../../domain/profile.ts';
import type { ReconcileReport } from '../../domain/reconcile.ts';
import type { SampleResult } from '../../domain/sample.ts';
import type { SizesDatasetSummary } from '../../domain/sizes.ts';

export const filePath = z.string().min(1).max(4096);
/** false: leave out the display labels (the CLI's --json prints none; at 100k items they cost a walk of the snapshot). */
export const withLabels = z.boolean().optional();
export const datasetRef = z.string().min(1).max(200);

export const stratifyValues = ['none', 'workload', 'vault', 'severity'] as const;

export type SnapshotRefInfo = { id: string; asOf: string; contentHash: string; label: string | null };

/** Item labels by key for the items a report names (name, with context where the name repeats; see shared/domain/names.ts). */
export type ItemLabels = { labels?: Record<string, string> };

export type DiffReport = DiffResult & { baseline: SnapshotRefInfo; current: SnapshotRefInfo } & ItemLabels & {
  /** Changes in who can delete, stop, weaken, restore or grant per vault, and in its guards (diff.run only). */
  access?: AccessDiff;
  /** Changes in alert routing (compared only when both snapshots hold action groups or alert processing rules). */
  alerts?: { compared: boolean; changes: RoutingChange[] };
  /** Vault key → the vault's name as the grid shows it, for the by-vault roll-up (diff.run only). */
  vaultLabels?: Record<string, string>;
};

export type FindingsRun = FindingsReport & ItemLabels & {
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

export type CostRun = CostReport & ItemLabels & {
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

