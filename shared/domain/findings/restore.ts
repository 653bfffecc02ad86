/**
 * Rules on restore readiness, judged from the recovery points the snapshot
 * lists (not from what the item record claims) and from the restore drills
 * people recorded. A vault whose points were not listed is not judged: an
 * empty list there means "not collected", not "nothing to restore".
 */
import { isNeverBackedUp } from '../backup-state.ts';
import { HOUR, ms, policyIntervalHours } from '../findings-facts.ts';
import type { FindingsVault } from './types.ts';
import { lastDrill } from '../restore/catalog.ts';
import { restoreTestsFor } from '../annotation-lookup.ts';
import { bump, perPolicy } from './context.ts';
import type { FindingsContext } from './context.ts';
import { isActive } from './item-state.ts';
import type { FindingRule } from './rule.ts';

const noPoints = 'the snapshot holds no recovery point records (list them with az backup recoverypoint list or collect with recovery points)';

const vaultMaps = new WeakMap<FindingsContext, Map<string, FindingsVault>>();
function vaultOf(ctx: FindingsContext, key: string | null): FindingsVault | undefined {
  if (key === null) return undefined;
  let m = vaultMaps.get(ctx);
  if (!m) vaultMaps.set(ctx, (m = new Map(ctx.input.vaults.map((v) => [v.key, v]))));
  return m.get(key);
}

export const restorePointOutsideRpo: FindingRule = {
  id: 'restore-point-outside-rpo',
  check: (ctx) => (!ctx.input.restorePoints || ctx.input.restorePoints.vaultsWithPoints.size === 0 ? noPoints : null),
  evaluateItem(ctx, v) {
    const { it, target, policy } = v;
    if (!isActive(v) || isNeverBackedUp(it)) return;
    const index = ctx.input.restorePoints!;
    if (it.vaultKey === null || !index.vaultsWithPoints.has(it.vaultKey)) {
      bump(ctx, 'restoreRpoNotListed');
      return;
    }
    const points = index.byItem.get(it.key);
    const latest = points?.primary.latest ?? null;
    const { profile, asOfMs } = ctx;
    const interval = (policy ? perPolicy(ctx, 'interval', policy, policyIntervalHours) : null) ?? profile.rpo.defaultIntervalHours;
    const threshold = interval + profile.rpo.graceHours;
    const t = ms(latest);
    const ageHours = t === null ? null : (asOfMs - t) / HOUR;
    if (ageHours !== null && ageHours <= threshold) return;
    ctx.emit('restore-point-outside-rpo', it.key, target, {
      name: it.name, vault: it.vaultName, protectionState: it.protectionState,
      policy: policy?.name ?? it.policyName,
      latestRecoveryPoint: latest,
      latestByTier: {
        snapshot: points?.byTier.snapshot?.latest ?? null,
        vaultStandard: points?.byTier.vaultStandard?.latest ?? null,
        archive: points?.byTier.archive?.latest ?? null,
      },
      listedPoints: points?.primary.count ?? 0,
      ageHours: ageHours === null ? null : Math.floor(ageHours * 100) / 100,
      thresholdHours: threshold,
      itemSaysLastRecoveryPoint: it.lastRecoveryPoint,
      asOf: ctx.input.asOf,
    });
  },
  evaluate(ctx) {
    const n = ctx.tally['restoreRpoNotListed'] ?? 0;
    if (n > 0) ctx.assumptions.push({ rule: 'restore-point-outside-rpo', note: `${n} item(s) are in vaults whose recovery points the snapshot does not list; not judged` });
  },
};

export const restoreNoSecondaryPoint: FindingRule = {
  id: 'restore-no-secondary-point',
  check: (ctx) => (!ctx.input.restorePoints || ctx.input.restorePoints.vaultsWithPoints.size === 0 ? noPoints : null),
  evaluateItem(ctx, v) {
    const { it, target } = v;
    if (!isActive(v) || isNeverBackedUp(it)) return;
    const vault = vaultOf(ctx, it.vaultKey);
    if (vault?.crossRegionRestore !== true) return;
    const index = ctx.input.restorePoints!;
    if (!index.vaultsWithSecondary.has(vault.key)) {
      bump(ctx, 'secondaryNotListed');
      return;
    }
    const points = index.byItem.get(it.key);
    if (points?.secondary && points.secondary.count > 0) return;
    ctx.emit('restore-no-secondary-point', it.key, target, {
      name: it.name, vault: it.vaultName, protectionState: it.protectionState,
      crossRegionRestore: true,
      storageRedundancy: vault.storageRedundancy,
      latestPrimaryPoint: points?.primary.latest ?? null,
      secondaryPoints: 0,
    });
  },
  evaluate(ctx) {
    const n = ctx.tally['secondaryNotListed'] ?? 0;
    if (n === 0) return;
    const judged = ctx.findings.some((f) => f.rule === 'restore-no-secondary-point') || (ctx.input.restorePoints?.vaultsWithSecondary.size ?? 0) > 0;
    const note = `${n} item(s) are in vaults with cross-region restore whose secondary-region points the snapshot does not list (az backup recoverypoint list --use-secondary-region)`;
    if (judged) ctx.assumptions.push({ rule: 'restore-no-secondary-point', note: `${note}; not judged` });
    else ctx.notEvaluated.set('restore-no-secondary-point', note);
  },
};

export const restoreTestFailed: FindingRule = {
  id: 'restore-test-failed',
  evaluateItem(ctx, { it, target }) {
    if (ctx.annotations.size === 0) return;
    const last = lastDrill(ctx.annotations, it.key, it.sourceResourceKey, ctx.asOfMs);
    if (last?.outcome !== 'failed') return;
    const test = restoreTestsFor(ctx.annotations, it.key, it.sourceResourceKey).find((t) => t.id === last.id)!;
    ctx.emit('restore-test-failed', it.key, target, {
      name: it.name,
      vault: it.vaultName,
      lastTest: { date: test.date, outcome: test.outcome, id: test.id, recoveryPoint: test.recoveryPoint, tester: test.tester, ticket: test.ticket },
    });
  },
};

/** The latest point a drill could start from: the listed one when the vault's points were listed, else the item's own claim. */
export function drillPoint(ctx: FindingsContext, it: { key: string; vaultKey: string | null; lastRecoveryPoint: string | null }): { latestRecoveryPoint: string | null; latestRecoveryPointFrom: 'listed' | 'item' } {
  const index = ctx.input.restorePoints;
  if (index && it.vaultKey !== null && index.vaultsWithPoints.has(it.vaultKey)) return { latestRecoveryPoint: index.byItem.get(it.key)?.primary.latest ?? null, latestRecoveryPointFrom: 'listed' };
  return { latestRecoveryPoint: it.lastRecoveryPoint, latestRecoveryPointFrom: 'item' };
}
