/** Rules on the policy an item uses: its retention, and whether it is the one the profile requires. */
import { lower, sourceResourceGroup, tagMatches } from '../findings-facts.ts';
import type { AuditProfile } from '../profile.ts';
import { bump, perPolicy } from './context.ts';
import type { FindingsPolicy } from './types.ts';
import type { FindingRule } from './rule.ts';

type Shortfall = Record<string, { actual: number | null; minimum: number }>;

/** The retention periods below the profile's minimum, or null when none is. */
function retentionShortfall(policy: FindingsPolicy, min: AuditProfile['minRetention']): Shortfall | null {
  let short: Shortfall | null = null;
  const pairs: Array<[string, number | null, number | null]> = [
    ['dailyDays', policy.dailyRetentionDays, min.dailyDays],
    ['weeklyWeeks', policy.weeklyRetentionWeeks, min.weeklyWeeks],
    ['monthlyMonths', policy.monthlyRetentionMonths, min.monthlyMonths],
    ['yearlyYears', policy.yearlyRetentionYears, min.yearlyYears],
  ];
  for (const [label, actual, minimum] of pairs) {
    if (minimum !== null && (actual === null || actual < minimum)) (short ??= {})[label] = { actual, minimum };
  }
  return short;
}

export const retentionBelowMinimum: FindingRule = {
  id: 'retention-below-minimum',
  check(ctx) {
    const min = ctx.profile.minRetention;
    if (!ctx.havePolicies) return 'the snapshot holds no backup policy records, so retention is unknown';
    if (min.dailyDays === null && min.weeklyWeeks === null && min.monthlyMonths === null && min.yearlyYears === null) return 'the audit profile sets no minimum retention';
    return null;
  },
  evaluateItem(ctx, { it, target, cls, policy }) {
    if (cls === 'stopped') return;
    if (!policy) {
      if (it.policyId || it.policyName) bump(ctx, 'retentionNoPolicy');
      return;
    }
    const short = perPolicy(ctx, 'shortfall', policy, (p) => retentionShortfall(p, ctx.profile.minRetention));
    if (short) ctx.emit('retention-below-minimum', it.key, target, { name: it.name, vault: it.vaultName, protectionState: it.protectionState, policy: policy.name, below: short });
  },
  evaluate(ctx) {
    const n = ctx.tally['retentionNoPolicy'] ?? 0;
    if (n > 0) ctx.assumptions.push({ rule: 'retention-below-minimum', note: `${n} item(s) name a policy that is not among the snapshot's policy records; not judged` });
  },
};

export const requiredPolicy: FindingRule = {
  id: 'required-policy',
  check: (ctx) => (ctx.profile.requiredPolicies.length === 0 ? 'the audit profile names no required policies' : null),
  evaluateItem(ctx, { it, target, cls, policy }) {
    if (cls === 'stopped') return;
    const slot = ctx.sourceSlot(it);
    const srcTags = [it.tags, ...(it.sourceResourceKey ? [slot >= 0 ? ctx.inventory.tagsOf(slot) : {}] : [])];
    const rg = sourceResourceGroup(it.sourceResourceKey);
    const policyName = lower(policy?.name ?? it.policyName ?? (it.policyId ? it.policyId.split('/').pop() : null));
    for (const req of ctx.profile.requiredPolicies) {
      const m = req.match;
      const matched = (m.tag ? tagMatches(srcTags, m.tag.name, m.tag.value) : true) && (m.resourceGroup ? rg === m.resourceGroup.toLowerCase() : true);
      if (matched && !req.policies.some((p) => p.toLowerCase() === policyName)) {
        ctx.emit('required-policy', it.key, target, { name: it.name, vault: it.vaultName, protectionState: it.protectionState, policy: policy?.name ?? it.policyName, required: req.policies, match: m });
        break;
      }
    }
  },
};
