/** The items.* methods. */
import { z } from 'zod';
import { snapshotRef, type ItemDetail } from './snapshots.ts';
import { countInput, itemsQueryInput, type FindingCount, type ItemFacets, type ItemRelated, type ItemsBrowsePage } from './ui.ts';

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
} as const;

export type ItemsOutputs = {
  'items.query': ItemsBrowsePage;
  'items.get': ItemDetail;
  'items.facets': ItemFacets;
  'items.related': ItemRelated;
  'items.count': { total: number };
  'items.findingCounts': FindingCount[];
};
