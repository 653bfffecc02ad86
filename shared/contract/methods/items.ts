/** The items.* methods. */
import { z } from 'zod';
import type { BackupStateCounts } from '../../domain/backup-state.ts';
import { snapshotRef, type ItemDetail } from './snapshots.ts';
import { countInput, itemsQueryInput, type FacetValue, type FindingCount, type ItemFacets, type ItemRelated, type ItemsBrowsePage } from './ui.ts';

export const unprotectedFields = ['kind', 'subscriptionId', 'resourceGroup'] as const;
export type UnprotectedField = (typeof unprotectedFields)[number];

export const itemsMethods = {
  /**
   * The one item query (the CLI's `items`, the desktop grid, web mode): filters, search, sort and keyset
   * paging, plus owner and finding filters; `total: false` skips counting (total comes back null) so the
   * rows arrive first — ask items.count beside it.
   */
  'items.query': { input: itemsQueryInput },
  'items.get': { input: z.object({ snapshot: snapshotRef, key: z.string().min(1).max(4096) }).strict() },
  'items.facets': { input: z.object({ snapshot: snapshotRef }).strict() },
  'items.related': { input: z.object({ snapshot: snapshotRef, key: z.string().min(1).max(4096) }).strict() },
  'items.count': { input: countInput },
  /** Items per findings rule in a snapshot (default audit profile), for the Items view's finding filter. */
  'items.findingCounts': { input: z.object({ snapshot: snapshotRef }).strict() },
  /**
   * Unprotected workloads: inventory records no live backup item names as its source (the coverage figures' and the
   * unprotected-workload finding's set), in name order, with the Items grid's kinds of filter.
   */
  'items.unprotected': {
    input: z
      .object({
        snapshot: snapshotRef,
        search: z.string().max(500).optional(),
        where: z.array(z.object({ field: z.enum(unprotectedFields), value: z.string().max(1000) }).strict()).max(50).optional(),
        owners: z.array(z.string().max(500)).min(1).max(50).optional(),
        after: z.object({ value: z.string().max(10_000), key: z.string().max(4096) }).strict().optional(),
        limit: z.number().int().min(1).max(5000).optional(),
      })
      .strict(),
  },
  'items.unprotectedFacets': { input: z.object({ snapshot: snapshotRef }).strict() },
  /** Last backup failed / never backed up / soft-deleted, counted by shared/domain/backup-state.ts (the PDF's and CLI's definitions). */
  'items.backupStates': { input: z.object({ snapshot: snapshotRef }).strict() },
} as const;

export type UnprotectedResource = {
  key: string;
  name: string;
  type: string;
  kind: string;
  subscriptionId: string | null;
  resourceGroup: string | null;
  /** The resource's current owner annotation. */
  owner: string | null;
};

export type UnprotectedPage = { resources: UnprotectedResource[]; total: number; next: { value: string; key: string } | null };

export type UnprotectedFacets = {
  snapshotId: string;
  /** Inventory records in the snapshot (0: no inventory was collected or imported, so nothing can be called unprotected). */
  inventory: number;
  /** Of those, unprotected. */
  total: number;
  fields: Record<UnprotectedField | 'owner', FacetValue[]>;
};

export type ItemsOutputs = {
  'items.query': ItemsBrowsePage;
  'items.get': ItemDetail;
  'items.facets': ItemFacets;
  'items.related': ItemRelated;
  'items.count': { total: number };
  'items.findingCounts': FindingCount[];
  'items.unprotected': UnprotectedPage;
  'items.unprotectedFacets': UnprotectedFacets;
  'items.backupStates': BackupStateCounts & { total: number };
};
