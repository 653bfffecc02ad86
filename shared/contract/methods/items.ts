/** The items.* methods. */
import { z } from 'zod';
import { itemFilterFields, snapshotRef, type ItemDetail, type ItemsPage } from './snapshots.ts';
import { browseInput, countInput, type FindingCount, type ItemFacets, type ItemRelated, type ItemsBrowsePage } from './ui.ts';

export const itemsMethods = {
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
  'items.facets': { input: z.object({ snapshot: snapshotRef }).strict() },
  'items.related': { input: z.object({ snapshot: snapshotRef, key: z.string().min(1).max(4096) }).strict() },
  /** items.query's paging and filters (same semantics), plus owner, tuned for the UI: see electron/core/api/ui.ts. */
  'items.browse': { input: browseInput },
  'items.count': { input: countInput },
  /** Items per findings rule in a snapshot (default audit profile), for the Items view's finding filter. */
  'items.findingCounts': { input: z.object({ snapshot: snapshotRef }).strict() },
} as const;

export type ItemsOutputs = {
  'items.query': ItemsPage;
  'items.get': ItemDetail;
  'items.facets': ItemFacets;
  'items.related': ItemRelated;
  'items.browse': ItemsBrowsePage;
  'items.count': { total: number };
  'items.findingCounts': FindingCount[];
};
