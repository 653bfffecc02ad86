import { z } from 'zod';
import { itemFilterFields, snapshotRef } from './snapshots.ts';
import type { BackupItem, JobRecord, PolicyRecord, RecoveryPointRecord, VaultRecord } from '../../domain/types.ts';

/**
 * Methods the desktop UI needs beside the domain ones: the values (with
 * counts) a snapshot's item filters can take, the records related to one
 * item for its drawer, item paging that can also filter by owner, and
 * loading the bundled demo estate.
 */

export const facetFields = [
  'protectionState',
  'healthStatus',
  'workloadType',
  'vaultName',
  'subscriptionId',
  'resourceGroup',
  'lastBackupStatus',
  'backupManagementType',
  'policyName',
  'softDeleted',
  'owner',
] as const;
export type FacetField = (typeof facetFields)[number];

export type FacetValue = { value: string; count: number };

export type FindingCount = { rule: string; title: string; severity: string; items: number; excepted: number };

export type ItemsBrowsePage = {
  items: BackupItem[];
  /** null when the call asked for no total. */
  total: number | null;
  next: { value: string | null; key: string } | null;
};

export type ItemFacets = {
  snapshotId: string;
  total: number;
  /** Per field, the values seen (null/empty shown as ""), most frequent first. */
  fields: Record<FacetField, FacetValue[]>;
};

export type ItemRelated = {
  vault: VaultRecord | null;
  policy: PolicyRecord | null;
  recoveryPoints: RecoveryPointRecord[];
  jobs: JobRecord[];
};

export const itemsQueryInput = z
  .object({
    snapshot: snapshotRef,
    where: z.array(z.object({ field: z.enum(itemFilterFields), value: z.string().max(1000) }).strict()).max(20).optional(),
    search: z.string().max(500).optional(),
    sort: z.enum(['key', 'name', 'vaultName', 'protectionState', 'lastBackupTime', 'lastSuccessTime', 'workloadType']).optional(),
    desc: z.boolean().optional(),
    after: z.object({ value: z.string().max(10_000).nullable(), key: z.string().max(4096) }).strict().optional(),
    /** Seek: skip this many matching items (after `after` when given, else from the start of the sorted list): the grid's jump to any position. */
    offset: z.number().int().min(0).max(100_000_000).optional(),
    limit: z.number().int().min(1).max(100000).optional(),
    /** Only items whose current owner annotation is this value (case-insensitive). */
    owner: z.string().min(1).max(500).optional(),
    /** Items whose current owner is any of these (case-insensitive); "" stands for items nobody owns. */
    owners: z.array(z.string().max(500)).min(1).max(50).optional(),
    /**
     * Only items with no successful backup in the last this many hours before the snapshot's asOf (the later of a
     * succeeded last backup and the latest recovery point, shared/domain/last-success.ts); items with none match.
     */
    noSuccessHours: z.number().positive().max(24 * 365 * 20).optional(),
    /** Only items with a finding of this rule (default audit profile, judged at the snapshot's asOf). */
    finding: z.string().min(1).max(100).optional(),
    /** false: skip counting (total comes back null) so the rows arrive first; ask items.count beside it. */
    total: z.boolean().optional(),
  })
  .strict();

export const countInput = z
  .object({
    snapshot: snapshotRef,
    where: itemsQueryInput.shape.where,
    search: itemsQueryInput.shape.search,
    owner: itemsQueryInput.shape.owner,
    owners: itemsQueryInput.shape.owners,
    noSuccessHours: itemsQueryInput.shape.noSuccessHours,
    finding: itemsQueryInput.shape.finding,
  })
  .strict();

export type DemoLoadResult = {
  snapshots: Array<{ label: string; snapshotId: string; itemCount: number; contentHash: string }>;
  /** Annotation log entries written (0 when the demo carries none or they were already there). */
  annotationsApplied: number;
};

