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

/**
 * The latest Azure Policy compliance states of the built-in backup
 * definitions (assets/azure/backup-policy-definitions.json), from
 * Resource Graph's PolicyResources table: the same states `az policy state
 * list` prints, in Resource Graph's row shape ({ id, type, properties }),
 * which the normaliser reads as it reads an export. One paged query over all
 * subscriptions instead of a POST per subscription to PolicyInsights, and only
 * the definitions the reconciliation can judge (a tenant's states for every
 * other policy can run to millions).
 */
export function policyStatesQuery(definitionNames: Iterable<string>): string {
  const ids = [...definitionNames].map((n) => {
    if (!/^[0-9a-f-]{36}$/i.test(n)) throw new Error(`not a policy definition name: ${n}`);
    return `'/providers/microsoft.authorization/policydefinitions/${n.toLowerCase()}'`;
  });
  return `PolicyResources | where type =~ 'microsoft.policyinsights/policystates' | where tolower(tostring(properties.policyDefinitionId)) in (${ids.join(', ')}) | order by id asc`;
}

/** Policy compliance states of the backup definitions into the spool under one group. */
export async function collectPolicyStates(ctx: RunContext, subscriptions: string[], definitionNames: Iterable<string>): Promise<number> {
  ctx.onProgress({ phase: 'policy', done: 0, total: null, message: 'Azure Policy compliance of the backup definitions (Resource Graph)' });
  return graphQuery(ctx, policyStatesQuery(definitionNames), subscriptions, (records) => keep(ctx, 'resource-graph|policyStates', records));
}

/** Inventory (VMs, storage accounts, SQL VMs) into the spool under one group. */
export async function collectInventory(ctx: RunContext, subscriptions: string[]): Promise<number> {
  ctx.onProgress({ phase: 'inventory', done: 0, total: null, message: 'workload inventory (Resource Graph)' });
  return graphQuery(ctx, graphQueries.inventory, subscriptions, (records) => keep(ctx, 'resource-graph|inventory', records));
}
