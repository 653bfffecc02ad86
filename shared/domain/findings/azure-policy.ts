/** Azure Policy compliance against the snapshot's own coverage (shared/domain/policy/reconcile.ts). */
import { resourceTarget } from '../annotations.ts';
import type { Protector } from '../policy/reconcile.ts';
import { reconcilePolicy } from '../policy/reconcile.ts';
import type { FindingsContext } from './context.ts';
import type { FindingRule } from './rule.ts';

type Coverage = { bySource: Map<string, Protector[]>; byShare: Map<string, Protector[]>; subs: Set<string> };
const coverage = new WeakMap<FindingsContext, Coverage>();

function coverageOf(ctx: FindingsContext): Coverage {
  let c = coverage.get(ctx);
  if (!c) coverage.set(ctx, (c = { bySource: new Map(), byShare: new Map(), subs: new Set() }));
  return c;
}

function add(map: Map<string, Protector[]>, key: string, p: Protector): void {
  const list = map.get(key);
  if (list) list.push(p);
  else map.set(key, [p]);
}

export const policyDisagreesWithCoverage: FindingRule = {
  id: 'policy-disagrees-with-coverage',
  check: (ctx) =>
    (ctx.input.azurePolicy?.states.length ?? 0) === 0 ? 'the snapshot holds no Azure Policy compliance states (import az policy state list -o json; see vaultproof kit)' : null,
  evaluateItem(ctx, { it }) {
    const c = coverageOf(ctx);
    if (it.subscriptionId) c.subs.add(it.subscriptionId.toLowerCase());
    if (!it.sourceResourceKey) return;
    const p: Protector = { itemKey: it.key, name: it.name, vault: it.vaultName };
    add(c.bySource, it.sourceResourceKey, p);
    if ((it.workloadType ?? '').toLowerCase() === 'azurefileshare') add(c.byShare, `${it.sourceResourceKey}|${it.name.toLowerCase()}`, p);
  },
  evaluate(ctx) {
    const a = ctx.input.azurePolicy!;
    const c = coverageOf(ctx);
    const r = reconcilePolicy({ states: a.states, definitions: a.definitions, protectorsBySource: c.bySource, protectorsByShare: c.byShare, itemSubscriptions: c.subs });
    for (const d of r.disagreements) {
      const name = d.resourceId.split('/').filter(Boolean).pop() ?? d.resourceId;
      ctx.emit('policy-disagrees-with-coverage', d.resourceKey, resourceTarget(d.resourceKey), {
        name,
        resource: d.resourceId,
        disagreement: d.kind === 'policyNonCompliant' ? 'Azure Policy says not backed up; a backup item protects it' : 'Azure Policy says backed up; no backup item in the snapshot protects it',
        azurePolicy: d.states,
        backupItems: d.protectors,
      });
    }
    if (r.judged === 0 && r.disagreements.length === 0) {
      ctx.notEvaluated.set(
        'policy-disagrees-with-coverage',
        r.otherDefinitions > 0 && r.notJudged === 0 ? `none of the ${r.otherDefinitions} policy state(s) is for a backup definition Vaultproof knows (assets/azure/backup-policy-definitions.json)` : `no backup policy state could be checked against the snapshot's items`,
      );
      return;
    }
    if (r.notJudged > 0) ctx.assumptions.push({ rule: 'policy-disagrees-with-coverage', note: `${r.notJudged} backup policy state(s) not checked (not Compliant/NonCompliant, or Compliant in a subscription the snapshot holds no items of)` });
  },
};
