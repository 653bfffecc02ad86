/**
 * Role assignments and custom role definitions of a subscription, for access
 * evidence. Through the generic ARM client (core-client with the bearer
 * policy, our retry and limiter) as for Backup vaults: two list calls per
 * subscription. The subscription-level list includes the assignments below it
 * (resource groups, vaults) and those inherited from management groups, as
 * `az role assignment list --all --include-inherited` does.
 */
import type { CoverageEntry } from '../../../shared/domain/types.ts';
import { keep, normaliseAll, type RunContext } from './context.ts';

export const authorizationApiVersion = '2022-04-01';

export async function collectAccess(ctx: RunContext, subscriptionId: string): Promise<CoverageEntry> {
  const sub = encodeURIComponent(subscriptionId);
  const base = `/subscriptions/${sub}/providers/Microsoft.Authorization`;
  const group = (part: string) => `access:${subscriptionId.toLowerCase()}|${part}`;
  const lists: Array<[string, string]> = [
    ['roleAssignments', `${base}/roleAssignments?api-version=${authorizationApiVersion}`],
    ['roleDefinitions', `${base}/roleDefinitions?api-version=${authorizationApiVersion}&$filter=${encodeURIComponent("type eq 'CustomRole'")}`],
  ];
  for (const [part, url] of lists) {
    for await (const page of ctx.rest.pages(url, ctx.signal)) keep(ctx, group(part), normaliseAll(ctx, part, page.value));
  }
  return { scope: `access:subscription:${subscriptionId.toLowerCase()}`, status: 'collected', error: null };
}
