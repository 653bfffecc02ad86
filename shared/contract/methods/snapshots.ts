import { z } from 'zod';
import type { Completeness } from '../../domain/coverage.ts';
import type { BackupItem, CoverageEntry, InputFile, Provenance, SnapshotSummary } from '../../domain/types.ts';
import type { AnnotationLogEntry } from './annotations.ts';

/** A snapshot reference: full id, unique prefix, or `latest`. */
export const snapshotRef = z.string().min(1).max(200);

export const itemFilterFields = [
  'protectionState',
  'healthStatus',
  'protectionStatus',
  'lastBackupStatus',
  'workloadType',
  'backupManagementType',
  'vaultName',
  'subscriptionId',
  'resourceGroup',
  'policyName',
  'softDeleted',
  'vaultKind',
  'name',
  'key',
] as const;
export type ItemFilterField = (typeof itemFilterFields)[number];

export type ImportResult = {
  snapshotId: string;
  itemCount: number;
  contentHash: string;
  asOf: string;
  files: Array<{ path: string; format: string; records: number }>;
  warnings: string[];
};

/** A snapshot as listed: its summary and what it can say about its own completeness (see completenessOf). */
export type SnapshotListed = SnapshotSummary & { completeness: Completeness };

export type SnapshotDetail = SnapshotListed & {
  provenance: Provenance;
  coverage: CoverageEntry[];
  files: InputFile[];
  recordCounts: Record<string, number>;
};

/** `raw` is the source JSON parsed (numbers as JavaScript reads them); `rawText` is it exactly as stored and hashed. */
export type ItemDetail = { item: BackupItem; raw: unknown; rawText: string; rawSha256: string };

export type StoreVerifyResult = {
  ok: boolean;
  snapshots: Array<{ id: string; expected: string; actual: string; ok: boolean; problems: string[] }>;
  problems: string[];
};

export const snapshotsMethods = {
  'snapshots.list': { input: z.object({}).strict() },
  'snapshots.get': { input: z.object({ snapshot: snapshotRef }).strict() },
  'snapshots.delete': { input: z.object({ snapshot: snapshotRef, reason: z.string().max(10000) }).strict() },
} as const;

export type SnapshotsOutputs = {
  'snapshots.list': SnapshotListed[];
  'snapshots.get': SnapshotDetail;
  'snapshots.delete': { snapshotId: string; contentHash: string; entry: AnnotationLogEntry };
};
