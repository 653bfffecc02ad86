/** Rules that compare backup items with the workload inventory. */
import { resourceTarget } from '../annotations.ts';
import { resourceTypeOf } from '../findings-facts.ts';
import { bump } from './context.ts';
import type { FindingsContext } from './context.ts';
import type { FindingRule } from './rule.ts';

const noInventory = (ctx: FindingsContext): string | null =>
  ctx.input.inventory.length === 0 ? 'the snapshot holds no workload inventory records (inventory was not collected or imported)' : null;

export const orphanedItem: FindingRule = {
  id: 'orphaned-item',
  check: noInventory,
  evaluateItem(ctx, { it, target }) {
    if (!it.sourceResourceKey || ctx.inventoryTags.has(it.sourceResourceKey)) return;
    // Judged only where the inventory covers the source's subscription and resource type.
    const type = resourceTypeOf(it.sourceResourceKey);
    const sub = /^\/subscriptions\/([^/]+)/.exec(it.sourceResourceKey)?.[1] ?? '';
    if (!ctx.inventorySubs.has(sub) || !type || !ctx.inventoryTypes.has(type)) bump(ctx, 'orphanSkipped');
    else ctx.emit('orphaned-item', it.key, target, { name: it.name, vault: it.vaultName, protectionState: it.protectionState, sourceResourceKey: it.sourceResourceKey });
  },
  evaluate(ctx) {
    const n = ctx.tally['orphanSkipped'] ?? 0;
    if (n > 0) ctx.assumptions.push({ rule: 'orphaned-item', note: `${n} item(s) have a source in a subscription or of a resource type the inventory does not cover; not judged` });
  },
};

export const unprotectedWorkload: FindingRule = {
  id: 'unprotected-workload',
  check: noInventory,
  evaluateItem(ctx, { it }) {
    if (it.sourceResourceKey) ctx.protectedSources.add(it.sourceResourceKey);
  },
  evaluate(ctx) {
    const kinds = new Set<string>(ctx.profile.unprotected.kinds);
    for (const r of ctx.input.inventory) {
      if (!kinds.has(r.kind) || ctx.protectedSources.has(r.key)) continue;
      ctx.emit('unprotected-workload', r.key, resourceTarget(r.key), { name: r.name, type: r.type, kind: r.kind, subscriptionId: r.subscriptionId, resourceGroup: r.resourceGroup });
    }
  },
};
