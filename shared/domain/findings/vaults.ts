/** Rules on vault settings: soft delete, immutability, redundancy. */
import { resourceTarget } from '../annotations.ts';
import { lower } from '../findings-facts.ts';
import type { RuleId } from '../findings-rules.ts';
import type { FindingsVault } from './types.ts';
import type { FindingRule } from './rule.ts';

type Judgement = 'ok' | 'finding' | 'unknown';

function vaultRule(id: RuleId, field: string, judge: (v: FindingsVault) => Judgement, evidence: (v: FindingsVault) => Record<string, unknown>): FindingRule {
  return {
    id,
    check: (ctx) => (ctx.input.vaults.length === 0 ? 'the snapshot holds no vault records' : null),
    evaluate(ctx) {
      const vaults = ctx.input.vaults;
      let unknown = 0;
      for (const v of vaults) {
        const j = judge(v);
        if (j === 'unknown') unknown++;
        else if (j === 'finding') ctx.emit(id, v.key, resourceTarget(v.key), { vault: v.name, ...evidence(v) });
      }
      if (unknown === vaults.length) ctx.notEvaluated.set(id, `no vault record states its ${field} (not collected)`);
      else if (unknown > 0) ctx.assumptions.push({ rule: id, note: `${unknown} vault(s) do not state their ${field} (not collected); not judged` });
    },
  };
}

export const vaultSoftDeleteDisabled = vaultRule(
  'vault-soft-delete-disabled',
  'soft-delete state',
  (v) => (v.softDeleteState === null ? 'unknown' : ['disabled', 'off'].includes(lower(v.softDeleteState)) ? 'finding' : 'ok'),
  (v) => ({ softDeleteState: v.softDeleteState }),
);

export const vaultImmutabilityDisabled = vaultRule(
  'vault-immutability-disabled',
  'immutability state',
  (v) => (v.immutabilityState === null ? 'unknown' : ['disabled', 'off', 'none'].includes(lower(v.immutabilityState)) ? 'finding' : 'ok'),
  (v) => ({ immutabilityState: v.immutabilityState }),
);

export const vaultNoCrossRegion = vaultRule(
  'vault-no-cross-region',
  'storage redundancy',
  (v) => {
    if (v.storageRedundancy === null) return 'unknown';
    return /^(locallyredundant|zoneredundant|lrs|zrs)$/.test(lower(v.storageRedundancy)) ? 'finding' : 'ok';
  },
  (v) => ({ storageRedundancy: v.storageRedundancy, crossRegionRestore: v.crossRegionRestore }),
);
