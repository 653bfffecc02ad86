/** Rules on how old an item's last good backup is, or whether there is one at all. */
import { isNeverBackedUp } from '../backup-state.ts';
import { DAY, HOUR, failedStatuses, jobNameKey, lower, ms, policyIntervalHours } from '../findings-facts.ts';
import { bump, perPolicy } from './context.ts';
import type { FindingsContext } from './context.ts';
import type { FindingsItem } from './types.ts';
import { isActive } from './item-state.ts';
import type { FindingRule } from './rule.ts';

const never = isNeverBackedUp;

/** When protection was configured (its configure job), by item key or by vault and friendly name. */
function configuredAt(ctx: FindingsContext, it: FindingsItem): string | null {
  const configured = ctx.input.protectionConfiguredAt;
  if (!configured) return null;
  const nameKey = jobNameKey(it.vaultKey, it.name);
  return configured.get(it.key) ?? (nameKey ? configured.get(nameKey) : undefined) ?? null;
}

/**
 * Never backed up, for every item not waiting for its initial backup (those
 * are ir-pending-too-long's, so no item gets both). The same grace as the
 * initial backup: an item configured within irPendingMaxDays is not yet
 * judged; one whose configure time is unknown is, since it claims protection.
 */
export const neverBackedUp: FindingRule = {
  id: 'never-backed-up',
  evaluateItem(ctx, { it, target, cls }) {
    if (cls === 'pending' || !never(it)) return;
    const since = configuredAt(ctx, it);
    const t = ms(since);
    const days = t === null ? null : (ctx.asOfMs - t) / DAY;
    if (days !== null && days <= ctx.profile.irPendingMaxDays) return;
    ctx.emit('never-backed-up', it.key, target, {
      name: it.name, vault: it.vaultName, protectionState: it.protectionState,
      lastBackupTime: it.lastBackupTime,
      lastRecoveryPoint: it.lastRecoveryPoint,
      recoveryPointCount: it.recoveryPointCount,
      configuredAt: since,
      daysSinceConfigured: days === null ? null : Math.floor(days * 100) / 100,
      graceDays: ctx.profile.irPendingMaxDays,
    });
  },
};

export const rpoBreach: FindingRule = {
  id: 'rpo-breach',
  check(ctx) {
    if (!ctx.havePolicies && ctx.on('rpo-breach')) {
      const { rpo } = ctx.profile;
      ctx.assumptions.push({
        rule: 'rpo-breach',
        note: `the snapshot holds no policy records: every item is judged against the profile's default interval of ${rpo.defaultIntervalHours} h plus ${rpo.graceHours} h grace`,
      });
    }
    return null;
  },
  evaluateItem(ctx, v) {
    const { it, target, policy } = v;
    if (!isActive(v) || never(it)) return;
    const rp = ms(it.lastRecoveryPoint);
    const lb = failedStatuses.has(lower(it.lastBackupStatus)) ? null : ms(it.lastBackupTime);
    if (rp === null && lb === null) {
      bump(ctx, 'rpoNoTime');
      return;
    }
    const { profile, asOfMs } = ctx;
    const lastGood = Math.max(rp ?? -Infinity, lb ?? -Infinity);
    let interval = policy ? perPolicy(ctx, 'interval', policy, policyIntervalHours) : null;
    let intervalSource = 'policy';
    if (interval === null) {
      interval = profile.rpo.defaultIntervalHours;
      intervalSource = ctx.havePolicies ? 'profile default (policy interval unknown)' : 'profile default (no policy records)';
      if (ctx.havePolicies) bump(ctx, 'rpoDefaultPolicy');
    }
    const threshold = interval + profile.rpo.graceHours;
    const ageHours = (asOfMs - lastGood) / HOUR;
    if (ageHours > threshold) {
      ctx.emit('rpo-breach', it.key, target, {
        name: it.name, vault: it.vaultName, protectionState: it.protectionState,
        policy: policy?.name ?? it.policyName,
        lastGoodBackup: new Date(lastGood).toISOString(),
        lastBackupTime: it.lastBackupTime,
        lastBackupStatus: it.lastBackupStatus,
        lastRecoveryPoint: it.lastRecoveryPoint,
        ageHours: Math.floor(ageHours * 100) / 100,
        intervalHours: interval,
        graceHours: profile.rpo.graceHours,
        thresholdHours: threshold,
        intervalSource,
        asOf: ctx.input.asOf,
      });
    }
  },
  evaluate(ctx) {
    const noTime = ctx.tally['rpoNoTime'] ?? 0;
    const defaulted = ctx.tally['rpoDefaultPolicy'] ?? 0;
    if (noTime > 0) ctx.assumptions.push({ rule: 'rpo-breach', note: `${noTime} item(s) state no backup or recovery-point time (e.g. Backup vault instances); not judged` });
    if (defaulted > 0) ctx.assumptions.push({ rule: 'rpo-breach', note: `${defaulted} item(s) have no policy record with a schedule; judged against the profile's default interval` });
  },
};

/**
 * Never backed up while waiting for the initial backup, for longer than the
 * profile allows. An IRPending item with a (failed) attempt is not "never"
 * and is last-backup-failed's instead, so each never-backed-up item gets
 * exactly one of this rule and never-backed-up.
 */
export const irPendingTooLong: FindingRule = {
  id: 'ir-pending-too-long',
  evaluateItem(ctx, { it, target, cls }) {
    if (cls !== 'pending' || !never(it)) return;
    bump(ctx, 'irPending');
    if (!ctx.input.protectionConfiguredAt) return;
    const since = configuredAt(ctx, it);
    const t = ms(since);
    if (t === null) {
      bump(ctx, 'irUnknownStart');
      return;
    }
    const days = (ctx.asOfMs - t) / DAY;
    if (days > ctx.profile.irPendingMaxDays) {
      ctx.emit('ir-pending-too-long', it.key, target, { name: it.name, vault: it.vaultName, protectionState: it.protectionState, configuredAt: since, pendingDays: Math.floor(days * 100) / 100, maxDays: ctx.profile.irPendingMaxDays });
    }
  },
  evaluate(ctx) {
    const pending = ctx.tally['irPending'] ?? 0;
    if (ctx.on('ir-pending-too-long') && pending > 0 && ctx.input.protectionConfiguredAt === null) {
      ctx.notEvaluated.set('ir-pending-too-long', `${pending} item(s) wait for their initial backup, but the snapshot holds no job records, so when protection was configured is unknown`);
    }
    const unknown = ctx.tally['irUnknownStart'] ?? 0;
    if (unknown > 0) ctx.assumptions.push({ rule: 'ir-pending-too-long', note: `${unknown} item(s) wait for their initial backup with no configure-backup job in the snapshot; not judged` });
  },
};
