/**
 * Azure Resource Graph (@azure/arm-resourcegraph 5.0.0-beta.4): workload
 * inventory, and the fast path that reads every protected item, vault,
 * policy and job of all subscriptions in a few paged queries (1,000 rows a
 * page, skip token). Rows are taken from the raw response body: this SDK
 * build hands `data` back index-keyed.
 */
import { kitQueries } from '../../../shared/domain/collection-kit.ts';
import type { NormalisedRecord } from '../../../shared/domain/types.ts';
import { ArmCallError } from './http.ts';
import { keep, listElements, normaliseAll, rawBodies, type RunContext } from './context.ts';

export const resourceGraphApiVersion = '2021-06-01-preview';
/** Resource Graph takes at most this many subscriptions per request. */
const subscriptionsPerRequest = 1000;

export const graphQueries = {
  inventory: `${kitQueries.inventory} | order by id asc`,
  protectedItems: `${kitQueries.protectedItems} | order by id asc`,
  vaults: `${kitQueries.vaults} | order by id asc`,
  policiesAndJobs: `${kitQueries.policiesAndJobs} | order by id asc`,
  policies: "RecoveryServicesResources | where type in~ ('microsoft.recoveryservices/vaults/backuppolicies') | order by id asc",
} as const;

/** Runs one query over the subscriptions, page by page; each page's records go to `onRecords`. */
export async function graphQuery(ctx: RunContext, query: string, subscriptions: string[], onRecords: (records: NormalisedRecord[]) => void): Promise<number> {
  let rows = 0;
  for (let i = 0; i < subscriptions.length; i += subscriptionsPerRequest) {
    const chunk = subscriptions.slice(i, i + subscriptionsPerRequest);
    let skipToken: string | undefined;
    let pages = 0;
    do {
      let body: { $skipToken?: unknown } | null = null;
      await ctx.graph().resources(
        { query, subscriptions: chunk, options: { top: 1000, resultFormat: 'objectArray', ...(skipToken ? { skipToken } : {}) } },
        rawBodies(ctx, (b) => (body = b as { $skipToken?: unknown })),
      );
      if (body === null) throw new ArmCallError('InvalidResponse', 'Resource Graph answered without a body', null);
      const elements = listElements(body);
      rows += elements.length;
      onRecords(normaliseAll(ctx, 'resource-graph', elements));
      const next = (body as { $skipToken?: unknown }).$skipToken;
      if (typeof next === 'string' && next !== '' && next === skipToken) throw new ArmCallError('PagingLoop', 'Resource Graph returned the same skip token twice', null);
      skipToken = typeof next === 'string' && next !== '' ? next : undefined;
      if (++pages > 100_000) throw new ArmCallError('PagingLoop', 'Resource Graph paging did not end', null);
    } while (skipToken);
  }
  return rows;
}

/** Inventory (VMs, storage accounts, SQL VMs) into the spool under one group. */
export async function collectInventory(ctx: RunContext, subscriptions: string[]): Promise<number> {
  ctx.onProgress({ phase: 'inventory', done: 0, total: null, message: 'workload inventory (Resource Graph)' });
  return graphQuery(ctx, graphQueries.inventory, subscriptions, (records) => keep(ctx, 'resource-graph|inventory', records));
}
