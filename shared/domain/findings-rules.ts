/**
 * The findings rule catalogue: what each rule checks, why it matters and the
 * controls it maps to. Rule ids are stable: exceptions (annotations) name them.
 */
import type { Severity } from './profile.ts';

export const ISO_BACKUP = 'ISO/IEC 27001:2022 A.8.13';
export const SOC2_BACKUP = 'SOC 2 A1.2';
export const NIST_BACKUP = 'NIST SP 800-53 CP-9';

export const ruleIds = [
  'rpo-breach',
  'last-backup-failed',
  'unhealthy',
  'protection-error',
  'protection-stopped',
  'ir-pending-too-long',
  'never-backed-up',
  'soft-deleted',
  'retention-below-minimum',
  'required-policy',
  'vault-soft-delete-disabled',
  'vault-immutability-disabled',
  'vault-no-cross-region',
  'orphaned-item',
  'unprotected-workload',
  'ownerless-item',
  'exception-expired',
  'critical-without-restore-test',
  'access-delete-over-limit',
  'access-delete-without-mua',
  'access-broad-or-guest',
  'vault-soft-delete-not-always-on',
  'restore-point-outside-rpo',
  'restore-no-secondary-point',
  'restore-test-failed',
  'alerts-reach-no-one',
  'policy-disagrees-with-coverage',
] as const;
export type RuleId = (typeof ruleIds)[number];

export function isRuleId(id: string): id is RuleId {
  return (ruleIds as readonly string[]).includes(id);
}

export type RuleInfo = {
  id: RuleId;
  title: string;
  defaultSeverity: Severity;
  why: string;
  controls: string[];
  /** What the rule reads from the snapshot besides items. */
  needs: Array<'items' | 'policies' | 'vaults' | 'jobs' | 'inventory' | 'annotations' | 'profile' | 'roleAssignments'>;
};

// CIS: the CIS Critical Security Controls v8, Control 11 (Data Recovery). The CIS
// Microsoft Azure Foundations Benchmark has no backup-specific recommendation to cite.
const CIS_BACKUPS = 'CIS Controls v8 11.2';
const CIS_PROTECT = 'CIS Controls v8 11.3';
const CIS_ISOLATED = 'CIS Controls v8 11.4';
const CIS_TEST = 'CIS Controls v8 11.5';
const base = [ISO_BACKUP, SOC2_BACKUP, NIST_BACKUP];

export const rules: Record<RuleId, RuleInfo> = {
  'rpo-breach': {
    id: 'rpo-breach',
    title: 'Last successful backup is older than the policy interval plus grace',
    defaultSeverity: 'high',
    why: 'Data written since the last good backup would be lost: the recovery point objective the policy promises is not met.',
    controls: [...base, CIS_BACKUPS],
    needs: ['items', 'policies', 'profile'],
  },
  'last-backup-failed': {
    id: 'last-backup-failed',
    title: 'The last backup failed',
    defaultSeverity: 'high',
    why: 'A failed backup leaves the item relying on an older recovery point; repeated failures go unnoticed without this check.',
    controls: [...base, CIS_BACKUPS],
    needs: ['items'],
  },
  unhealthy: {
    id: 'unhealthy',
    title: 'Backup item is unhealthy or needs action',
    defaultSeverity: 'medium',
    why: 'The service reports a condition (missing VM, agent or permission problem) that will make the next backup or a restore fail.',
    controls: [...base, CIS_BACKUPS],
    needs: ['items'],
  },
  'protection-error': {
    id: 'protection-error',
    title: 'Protection is in an error state',
    defaultSeverity: 'high',
    why: 'No new recovery points are being created while protection is in error.',
    controls: [...base, CIS_BACKUPS],
    needs: ['items'],
  },
  'protection-stopped': {
    id: 'protection-stopped',
    title: 'Protection stopped; retained data is still billed',
    defaultSeverity: 'medium',
    why: 'No new backups are taken, yet the retained recovery points keep costing the protected-instance fee and storage until they are deleted.',
    controls: [...base, CIS_BACKUPS],
    needs: ['items'],
  },
  'ir-pending-too-long': {
    id: 'ir-pending-too-long',
    title: 'Initial backup pending longer than the profile allows',
    defaultSeverity: 'medium',
    why: 'An item whose first backup never ran has no recovery point at all, although it looks protected.',
    controls: [...base, CIS_BACKUPS],
    needs: ['items', 'jobs', 'profile'],
  },
  'never-backed-up': {
    id: 'never-backed-up',
    title: 'Never backed up',
    defaultSeverity: 'high',
    why: 'There is no recovery point to restore from.',
    controls: [...base, CIS_BACKUPS],
    needs: ['items'],
  },
  'soft-deleted': {
    id: 'soft-deleted',
    title: 'Backup data is soft-deleted and will be deleted permanently',
    defaultSeverity: 'medium',
    why: 'After the soft-delete period the recovery points are gone for good; undelete before the permanent deletion date if they are still needed.',
    controls: [...base, CIS_PROTECT],
    needs: ['items'],
  },
  'retention-below-minimum': {
    id: 'retention-below-minimum',
    title: "Retention is shorter than the profile's minimum",
    defaultSeverity: 'medium',
    why: 'Recovery points expire before the organisation\'s retention requirement, so older data cannot be restored when asked for.',
    controls: [...base, 'NIST SP 800-53 SI-12'],
    needs: ['items', 'policies', 'profile'],
  },
  'required-policy': {
    id: 'required-policy',
    title: 'Item does not use the policy the profile requires for it',
    defaultSeverity: 'high',
    why: 'The profile requires specific backup policies for resources with this tag or in this resource group.',
    controls: [...base, CIS_BACKUPS],
    needs: ['items', 'inventory', 'profile'],
  },
  'vault-soft-delete-disabled': {
    id: 'vault-soft-delete-disabled',
    title: 'Vault has soft delete disabled',
    defaultSeverity: 'high',
    why: 'Without soft delete a deletion (accidental or malicious) removes backup data immediately.',
    controls: [...base, CIS_PROTECT],
    needs: ['vaults'],
  },
  'vault-immutability-disabled': {
    id: 'vault-immutability-disabled',
    title: 'Vault immutability is not enabled',
    defaultSeverity: 'medium',
    why: 'Without immutability, recovery points can be removed or retention reduced before they expire (ransomware resilience).',
    controls: [...base, CIS_PROTECT],
    needs: ['vaults'],
  },
  'vault-no-cross-region': {
    id: 'vault-no-cross-region',
    title: 'Vault keeps backups in one region only',
    defaultSeverity: 'medium',
    why: 'A regional outage makes locally or zone-redundant backups unavailable; geo-redundancy with cross-region restore keeps a copy elsewhere.',
    controls: [...base, 'ISO/IEC 27001:2022 A.8.14', 'NIST SP 800-53 CP-6', CIS_ISOLATED],
    needs: ['vaults'],
  },
  'orphaned-item': {
    id: 'orphaned-item',
    title: 'Backup item whose source resource no longer exists',
    defaultSeverity: 'medium',
    why: 'The protected resource is gone; the item keeps costing money and should be retired deliberately (or kept, with a decision recorded).',
    controls: [...base, 'ISO/IEC 27001:2022 A.5.9'],
    needs: ['items', 'inventory'],
  },
  'unprotected-workload': {
    id: 'unprotected-workload',
    title: 'Workload without a backup item',
    defaultSeverity: 'high',
    why: 'The resource exists in the inventory but nothing backs it up.',
    controls: [...base, CIS_BACKUPS],
    needs: ['inventory', 'items', 'profile'],
  },
  'ownerless-item': {
    id: 'ownerless-item',
    title: 'Backup item without an owner',
    defaultSeverity: 'low',
    why: 'Nobody is accountable for restores, failures or retirement of the item.',
    controls: [ISO_BACKUP, 'ISO/IEC 27001:2022 A.5.9', SOC2_BACKUP],
    needs: ['items', 'annotations'],
  },
  'exception-expired': {
    id: 'exception-expired',
    title: 'An exception has expired',
    defaultSeverity: 'medium',
    why: 'The accepted risk was time-limited; it must be renewed with a fresh approval or the finding fixed.',
    controls: [ISO_BACKUP, 'ISO/IEC 27001:2022 A.5.36', SOC2_BACKUP],
    needs: ['annotations'],
  },
  'critical-without-restore-test': {
    id: 'critical-without-restore-test',
    title: 'Critical item without a passed restore test in the period',
    defaultSeverity: 'high',
    why: 'A backup is only proven by a restore; critical items need a recent, passed restore test.',
    controls: [ISO_BACKUP, 'SOC 2 A1.3', 'NIST SP 800-53 CP-9(1)', 'NIST SP 800-53 CP-4', CIS_TEST],
    needs: ['items', 'annotations', 'profile'],
  },
  'access-delete-over-limit': {
    id: 'access-delete-over-limit',
    title: 'More principals can delete backup data than the profile allows',
    defaultSeverity: 'high',
    why: 'Every principal that can delete backup data (directly, through a role at the vault, resource group, subscription or management group) is a way to lose the backups; delete rights belong with a few named people.',
    controls: [ISO_BACKUP, 'ISO/IEC 27001:2022 A.8.2', 'SOC 2 CC6.3', 'NIST SP 800-53 AC-6', CIS_PROTECT],
    needs: ['vaults', 'roleAssignments', 'profile'],
  },
  'access-delete-without-mua': {
    id: 'access-delete-without-mua',
    title: 'Backup data can be deleted without a second person (no Resource Guard)',
    defaultSeverity: 'high',
    why: 'Without Multi-User Authorization through a Resource Guard, one principal with delete rights can disable protection and delete backup data alone.',
    controls: [ISO_BACKUP, 'SOC 2 CC6.3', 'NIST SP 800-53 AC-5', CIS_PROTECT],
    needs: ['vaults', 'roleAssignments'],
  },
  'access-broad-or-guest': {
    id: 'access-broad-or-guest',
    title: 'Restore or delete rights held through a group or by a guest',
    defaultSeverity: 'medium',
    why: 'Rights held through a group reach everyone who is (or is later) added to it, which the export does not show; a guest account is managed by another organisation.',
    controls: [ISO_BACKUP, 'ISO/IEC 27001:2022 A.5.18', 'SOC 2 CC6.2', 'NIST SP 800-53 AC-2'],
    needs: ['vaults', 'roleAssignments', 'profile'],
  },
  'vault-soft-delete-not-always-on': {
    id: 'vault-soft-delete-not-always-on',
    title: 'Vault soft delete is on but can be turned off (not always-on)',
    defaultSeverity: 'medium',
    why: 'Soft delete that is not always-on can be switched off by anyone who can write the vault, after which a deletion is immediate.',
    controls: [...base, CIS_PROTECT],
    needs: ['vaults'],
  },
  'restore-point-outside-rpo': {
    id: 'restore-point-outside-rpo',
    title: 'No listed recovery point within the RPO',
    defaultSeverity: 'high',
    why: 'A restore can only start from a recovery point that exists: when the newest listed point is older than the policy interval plus grace, the data since then cannot be restored, whatever the item record says about its last backup.',
    controls: [...base, CIS_BACKUPS],
    needs: ['items', 'policies', 'profile'],
  },
  'restore-no-secondary-point': {
    id: 'restore-no-secondary-point',
    title: 'No secondary-region recovery point although cross-region restore is on',
    defaultSeverity: 'medium',
    why: 'Cross-region restore is only a fallback when the secondary region holds a point to restore from; without one a regional outage leaves nothing to restore.',
    controls: [...base, 'ISO/IEC 27001:2022 A.8.14', 'NIST SP 800-53 CP-6', CIS_ISOLATED],
    needs: ['items', 'vaults'],
  },
  'restore-test-failed': {
    id: 'restore-test-failed',
    title: 'The last restore drill failed',
    defaultSeverity: 'high',
    why: 'A failed drill shows the restore does not work as practised; until a drill passes, nobody knows the data can be brought back.',
    controls: [ISO_BACKUP, 'SOC 2 A1.3', 'NIST SP 800-53 CP-4', CIS_TEST],
    needs: ['items', 'annotations'],
  },
  'alerts-reach-no-one': {
    id: 'alerts-reach-no-one',
    title: 'A failed backup in this vault reaches no one',
    defaultSeverity: 'high',
    why: 'Failed backups are only fixed when someone hears of them: with job-failure alerts off, no alert processing rule routing the vault to an action group, or a rule that removes all action groups, failures go unnoticed until a restore is needed.',
    controls: [...base, 'ISO/IEC 27001:2022 A.8.16', 'SOC 2 CC7.2', 'NIST SP 800-53 SI-4(5)'],
    needs: ['vaults'],
  },
  'policy-disagrees-with-coverage': {
    id: 'policy-disagrees-with-coverage',
    title: 'Azure Policy and the backup items disagree on whether a resource is backed up',
    defaultSeverity: 'medium',
    why: 'Two independent sources of coverage should agree: when Azure Policy calls a resource non-compliant while a backup item protects it, or compliant while no item does, one of them is stale or scoped wrongly, and coverage reported from it cannot be trusted until the difference is explained.',
    controls: [...base, CIS_BACKUPS, 'NIST SP 800-53 CA-7'],
    needs: ['items'],
  },
};
