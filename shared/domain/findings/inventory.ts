/** Rules that compare backup items with the workload inventory. */
import { resourceTarget } from '../annotations.ts';
import { resourceTypeOf } from '../findings-facts.ts';
import { bump } from './context.ts';
import type { FindingsContext } from './context.ts';
import type { FindingRule } from './rule.ts';

const noInventory = (ctx: FindingsContext): string | null =>
  ctx.inventory.size === 0 ? 'the snapshot holds no workload inventory records (inventory was not collected or imported)' : null;

export const orphanedItem: FindingRule = {
  id: 'orphaned-item',
  check: noInventory,
  evaluateItem(ctx, { it, target }) {
    if (!it.sourceResourceKey || ctx.sourceSlot(it) >= 0) return;
    // Judged only where the inventory covers the source's subscription and resource type.
    const type = resourceTypeOf(it.sourceResourceKey);
    const sub = /^\/subscriptions\/([^/]+)/.exec(it.sourceResourceKey)?.[1] ?? '';
    if (!ctx.inventory.subscriptions.has(sub) || !type || !ctx.inventory.types.has(type)) bump(ctx, 'orphanSkipped');
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
    const slot = ctx.sourceSlot(it);
    if (slot >= 0) ctx.protectedSlots[slot] = 1;
  },
  evaluate(ctx) {
    const kinds = new Set<string>(ctx.profile.unprotected.kinds);
    const marked = ctx.protectedSlots;
    // Records some live item protects are skipped unread (the store reads only the others' details).
    for (const r of ctx.inventory.records((slot) => marked[slot] === 1)) {
      if (!kinds.has(r.kind)) continue;
      ctx.emit('unprotected-workload', r.key, resourceTarget(r.key), { name: r.name, type: r.type, kind: r.kind, subscriptionId: r.subscriptionId, resourceGroup: r.resourceGroup });
    }
  },
};
