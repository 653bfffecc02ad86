/** Rules on what the service says about an item's protection and its last backup. */
import { isLastBackupFailed } from '../backup-state.ts';
import { lower, unhealthyHealth } from '../findings-facts.ts';
import type { ItemView } from './context.ts';
import type { FindingRule } from './rule.ts';

/** States in which the service still runs (or should run) backups. */
export function isActive(v: ItemView): boolean {
  return v.cls === 'active' || v.cls === 'error' || v.cls === 'unknown';
}

export const protectionStopped: FindingRule = {
  id: 'protection-stopped',
  evaluateItem(ctx, { it, target, cls }) {
    if (cls === 'stopped') ctx.emit('protection-stopped', it.key, target, { name: it.name, vault: it.vaultName, protectionState: it.protectionState, policy: it.policyName, lastRecoveryPoint: it.lastRecoveryPoint, stillBilled: true });
  },
};

export const protectionError: FindingRule = {
  id: 'protection-error',
  evaluateItem(ctx, { it, target, cls }) {
    if (cls === 'error') ctx.emit('protection-error', it.key, target, { name: it.name, vault: it.vaultName, protectionState: it.protectionState, healthStatus: it.healthStatus, protectedItemHealthStatus: it.protectedItemHealthStatus });
  },
};

export const unhealthy: FindingRule = {
  id: 'unhealthy',
  evaluateItem(ctx, { it, target, cls }) {
    if (cls === 'stopped') return;
    if (unhealthyHealth.has(lower(it.healthStatus)) || unhealthyHealth.has(lower(it.protectedItemHealthStatus)) || lower(it.protectionStatus) === 'unhealthy') {
      ctx.emit('unhealthy', it.key, target, { name: it.name, vault: it.vaultName, protectionState: it.protectionState, healthStatus: it.healthStatus, protectedItemHealthStatus: it.protectedItemHealthStatus, protectionStatus: it.protectionStatus });
    }
  },
};

/** Judged on every item meant to be backed up, including one whose initial backup failed (see isLastBackupFailed). */
export const lastBackupFailed: FindingRule = {
  id: 'last-backup-failed',
  evaluateItem(ctx, { it, target }) {
    if (isLastBackupFailed(it)) {
      ctx.emit('last-backup-failed', it.key, target, { name: it.name, vault: it.vaultName, protectionState: it.protectionState, lastBackupStatus: it.lastBackupStatus, lastBackupTime: it.lastBackupTime, lastRecoveryPoint: it.lastRecoveryPoint });
    }
  },
};
