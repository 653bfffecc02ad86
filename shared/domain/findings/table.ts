/**
 * The findings rules by id. What each rule means (title, severity, controls)
 * is in the catalogue (findings-rules.ts), which the UI reads without pulling
 * in the evaluation code.
 */
import type { RuleId } from '../findings-rules.ts';
import { criticalWithoutRestoreTest, exceptionExpired, ownerlessItem } from './annotations.ts';
import { irPendingTooLong, neverBackedUp, rpoBreach } from './backup-age.ts';
import { orphanedItem, unprotectedWorkload } from './inventory.ts';
import { lastBackupFailed, protectionError, protectionStopped, unhealthy } from './item-state.ts';
import { requiredPolicy, retentionBelowMinimum } from './policy.ts';
import type { FindingRule } from './rule.ts';
import { accessBroadOrGuest, accessDeleteOverLimit, accessDeleteWithoutMua, vaultSoftDeleteNotAlwaysOn } from './access.ts';
import { restoreNoSecondaryPoint, restorePointOutsideRpo, restoreTestFailed } from './restore.ts';
import { alertsReachNoOne } from './alerts.ts';
import { policyDisagreesWithCoverage } from './azure-policy.ts';
import { softDeleted } from './soft-deleted.ts';
import { vaultImmutabilityDisabled, vaultNoCrossRegion, vaultSoftDeleteDisabled } from './vaults.ts';

export const rules: Record<RuleId, FindingRule> = {
  'rpo-breach': rpoBreach,
  'last-backup-failed': lastBackupFailed,
  unhealthy,
  'protection-error': protectionError,
  'protection-stopped': protectionStopped,
  'ir-pending-too-long': irPendingTooLong,
  'never-backed-up': neverBackedUp,
  'soft-deleted': softDeleted,
  'retention-below-minimum': retentionBelowMinimum,
  'required-policy': requiredPolicy,
  'vault-soft-delete-disabled': vaultSoftDeleteDisabled,
  'vault-immutability-disabled': vaultImmutabilityDisabled,
  'vault-no-cross-region': vaultNoCrossRegion,
  'orphaned-item': orphanedItem,
  'unprotected-workload': unprotectedWorkload,
  'ownerless-item': ownerlessItem,
  'exception-expired': exceptionExpired,
  'critical-without-restore-test': criticalWithoutRestoreTest,
  'access-delete-over-limit': accessDeleteOverLimit,
  'access-delete-without-mua': accessDeleteWithoutMua,
  'access-broad-or-guest': accessBroadOrGuest,
  'vault-soft-delete-not-always-on': vaultSoftDeleteNotAlwaysOn,
  'restore-point-outside-rpo': restorePointOutsideRpo,
  'restore-no-secondary-point': restoreNoSecondaryPoint,
  'restore-test-failed': restoreTestFailed,
  'alerts-reach-no-one': alertsReachNoOne,
  'policy-disagrees-with-coverage': policyDisagreesWithCoverage,
};

/**
 * The order of the after-pass step. It fixes the order of the report's
 * assumption notes (item-level notes first, then vaults), which readers and
 * stored reports already rely on.
 */
export const afterPassOrder: readonly RuleId[] = [
  'ir-pending-too-long',
  'rpo-breach',
  'retention-below-minimum',
  'orphaned-item',
  'unprotected-workload',
  'vault-soft-delete-disabled',
  'vault-immutability-disabled',
  'vault-no-cross-region',
  'exception-expired',
  'vault-soft-delete-not-always-on',
  'access-delete-over-limit',
  'access-delete-without-mua',
  'access-broad-or-guest',
  'restore-point-outside-rpo',
  'restore-no-secondary-point',
  'alerts-reach-no-one',
  'policy-disagrees-with-coverage',
];
