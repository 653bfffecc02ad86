import { z } from 'zod';
import type { BackupItem, CoverageEntry, InputFile, Provenance, SnapshotSummary } from '../../domain/types.ts';

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

export const snapshotsMethods = {
  'snapshots.list': { input: z.object({}).strict() },
  'snapshots.get': { input: z.object({ snapshot: snapshotRef }).strict() },
  'import.files': {
    input: z
      .object({
        paths: z.array(z.string().min(1).max(4096)).min(1).max(10000),
        label: z.string().max(500).optional(),
        asOf: z.string().max(64).optional(),
      })
      .strict(),
  },
  'items.query': {
    input: z
      .object({
        snapshot: snapshotRef,
        where: z.array(z.object({ field: z.enum(itemFilterFields), value: z.string().max(1000) }).strict()).max(20).optional(),
        search: z.string().max(500).optional(),
        sort: z.enum(['key', 'name', 'vaultName', 'protectionState', 'lastBackupTime', 'workloadType']).optional(),
        desc: z.boolean().optional(),
        /** keyset paging: the sort value and key of the last row of the previous page */
        after: z.object({ value: z.string().nullable(), key: z.string() }).strict().optional(),
        limit: z.number().int().min(1).max(100000).optional(),
      })
      .strict(),
  },
  'items.get': { input: z.object({ snapshot: snapshotRef, key: z.string().min(1).max(4096) }).strict() },
  'store.verify': { input: z.object({}).strict() },
} as const;

export type ImportResult = {
  snapshotId: string;
  itemCount: number;
  contentHash: string;
  asOf: string;
  files: Array<{ path: string; format: string; records: number }>;
  warnings: string[];
};

export type SnapshotDetail = SnapshotSummary & {
  provenance: Provenance;
  coverage: CoverageEntry[];
  files: InputFile[];
  recordCounts: Record<string, number>;
};

export type ItemsPage = {
  items: BackupItem[];
  total: number;
  next: { value: string | null; key: string } | null;
};

export type ItemDetail = { item: BackupItem; raw: unknown; rawSha256: string };

export type StoreVerifyResult = {
  ok: boolean;
  snapshots: Array<{ id: string; expected: string; actual: string; ok: boolean; problems: string[] }>;
  problems: string[];
};

export type SnapshotsOutputs = {
  'snapshots.list': SnapshotSummary[];
  'snapshots.get': SnapshotDetail;
  'import.files': ImportResult;
  'items.query': ItemsPage;
  'items.get': ItemDetail;
  'store.verify': StoreVerifyResult;
};
