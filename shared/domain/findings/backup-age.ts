/** Rules on how old an item's last good backup is, or whether there is one at all. */
import { DAY, HOUR, failedStatuses, jobNameKey, lower, ms, policyIntervalHours } from '../findingsFacts.ts';
import { baseOf, bump, perPolicy } from './context.ts';
import type { FindingsItem } from './types.ts';
import { isActive } from './item-state.ts';
import type { FindingRule } from './rule.ts';

function never(it: FindingsItem): boolean {
  return it.neverBackedUp || it.recoveryPointCount === 0;
}

export const neverBackedUp: FindingRule = {
  id: 'never-backed-up',
  evaluateItem(ctx, v) {
    const { it, target } = v;
    if (isActive(v) && never(it)) {
      ctx.emit('never-backed-up', it.key, target, { ...baseOf(it), lastBackupTime: it.lastBackupTime, neverBackedUpPlaceholder: it.neverBackedUp, recoveryPointCount: it.recoveryPointCount });
    }
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
        ...baseOf(it),
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

export const irPendingTooLong: FindingRule = {
  id: 'ir-pending-too-long',
  evaluateItem(ctx, { it, target, cls }) {
    if (cls !== 'pending') return;
    bump(ctx, 'irPending');
    const configured = ctx.input.protectionConfiguredAt;
    if (!configured) return;
    const nameKey = jobNameKey(it.vaultKey, it.name);
    const since = configured.get(it.key) ?? (nameKey ? configured.get(nameKey) : undefined) ?? null;
    const t = ms(since);
    if (t === null) {
      bump(ctx, 'irUnknownStart');
      return;
    }
    const days = (ctx.asOfMs - t) / DAY;
    if (days > ctx.profile.irPendingMaxDays) {
      ctx.emit('ir-pending-too-long', it.key, target, { ...baseOf(it), configuredAt: since, pendingDays: Math.floor(days * 100) / 100, maxDays: ctx.profile.irPendingMaxDays });
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
