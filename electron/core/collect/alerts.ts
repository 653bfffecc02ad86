/**
 * Action groups and alert processing rules of a subscription, for alert
 * routing evidence (does a failed backup reach a named receiver). Through the
 * generic ARM client as for role assignments: two list calls per
 * subscription. The vaults' own job-failure alert settings come with the
 * vault records.
 */
import type { CoverageEntry } from '../../../shared/domain/types.ts';
import { keep, normaliseAll, type RunContext } from './context.ts';

export const insightsApiVersion = '2023-01-01';
export const alertsManagementApiVersion = '2021-08-08';

export async function collectAlerts(ctx: RunContext, subscriptionId: string): Promise<CoverageEntry> {
  const sub = encodeURIComponent(subscriptionId);
  const group = (part: string) => `alerts:${subscriptionId.toLowerCase()}|${part}`;
  const lists: Array<[string, string]> = [
    ['actionGroups', `/subscriptions/${sub}/providers/Microsoft.Insights/actionGroups?api-version=${insightsApiVersion}`],
    ['alertProcessingRules', `/subscriptions/${sub}/providers/Microsoft.AlertsManagement/actionRules?api-version=${alertsManagementApiVersion}`],
  ];
  for (const [part, url] of lists) {
    for await (const page of ctx.rest.pages(url, ctx.signal)) keep(ctx, group(part), normaliseAll(ctx, part, page.value));
  }
  return { scope: `alerts:subscription:${subscriptionId.toLowerCase()}`, status: 'collected', error: null };
}
