/**
 * Which restores a workload offers, as Azure Backup documents them. The
 * workload is what the item record states (workloadType for Recovery
 * Services items, the datasource type for Backup vault instances), so a
 * help-desk reader sees the choices for this item, not a generic list.
 */
import type { BackupItem } from '../types.ts';

export type WorkloadFamily = 'vm' | 'fileShare' | 'sql' | 'sapHana' | 'sapAse' | 'disk' | 'blob' | 'postgres' | 'aks' | 'agent' | 'other';

export type RestoreOption = { id: string; label: string; note: string | null };

type FamilyInput = Pick<BackupItem, 'vaultKind' | 'workloadType' | 'backupManagementType'>;

export function workloadFamily(item: FamilyInput): WorkloadFamily {
  const wl = (item.workloadType ?? '').toLowerCase();
  if (item.vaultKind === 'BackupVault') {
    if (wl === 'microsoft.compute/disks') return 'disk';
    if (wl.startsWith('microsoft.storage/storageaccounts')) return 'blob';
    if (wl.startsWith('microsoft.dbforpostgresql') || wl === 'ossdb') return 'postgres';
    if (wl === 'microsoft.containerservice/managedclusters') return 'aks';
    return 'other';
  }
  const bmt = (item.backupManagementType ?? '').toLowerCase();
  if (wl === 'vm' || bmt === 'azureiaasvm') return 'vm';
  if (wl === 'azurefileshare' || bmt === 'azurestorage') return 'fileShare';
  if (wl === 'sqldatabase' || wl === 'mssql') return 'sql';
  if (wl === 'saphanadatabase' || wl === 'saphana' || wl === 'saphanadbinstance') return 'sapHana';
  if (wl === 'sapasedatabase' || wl === 'sapase') return 'sapAse';
  if (bmt === 'mab' || bmt === 'dpm' || bmt === 'azurebackupserver' || wl === 'filefolder') return 'agent';
  return 'other';
}

const o = (id: string, label: string, note: string | null = null): RestoreOption => ({ id, label, note });

const byFamily: Record<WorkloadFamily, RestoreOption[]> = {
  vm: [
    o('new-vm', 'Create a new VM'),
    o('restore-disks', 'Restore disks', 'then attach them or build a VM from the restored template'),
    o('replace-existing', 'Replace existing disks', 'the VM must still exist'),
    o('file-recovery', 'File recovery', 'mount the recovery point and copy files'),
  ],
  fileShare: [
    o('full-share-original', 'Full share, original location'),
    o('full-share-alternate', 'Full share, alternate location'),
    o('item-level', 'Item-level restore (files and folders)'),
  ],
  sql: [
    o('original-location', 'Original location (overwrite the database)'),
    o('alternate-location', 'Alternate location (another database or server)'),
    o('restore-as-files', 'Restore as files'),
    o('point-in-time', 'Point-in-time restore', 'from log backups, when the policy takes them'),
  ],
  sapHana: [
    o('original-location', 'Original location (overwrite the database)'),
    o('alternate-location', 'Alternate location (another database or instance)'),
    o('restore-as-files', 'Restore as files'),
    o('point-in-time', 'Point-in-time restore', 'from log backups, when the policy takes them'),
  ],
  sapAse: [
    o('original-location', 'Original location (overwrite the database)'),
    o('alternate-location', 'Alternate location (another database or server)'),
    o('restore-as-files', 'Restore as files'),
    o('point-in-time', 'Point-in-time restore', 'from log backups, when the policy takes them'),
  ],
  disk: [o('restore-as-disk', 'Restore as a new disk', 'original-location restore (replacing the source disk) is not offered')],
  blob: [
    o('point-in-time', 'Point-in-time restore of the account (operational backup)'),
    o('another-account', 'Restore containers to another storage account (vaulted backup)'),
  ],
  postgres: [o('restore-as-database', 'Restore as a database on another server'), o('restore-as-files', 'Restore as files to a storage account')],
  aks: [o('original-cluster', 'Restore to the original cluster'), o('alternate-cluster', 'Restore to another cluster')],
  agent: [o('agent-console', 'Restore through the MARS agent or the backup server console', 'no Azure CLI restore for agent-based backups')],
  other: [],
};

/** The restore options for an item, plus cross-region restore when the vault offers it and a secondary-region point exists or is expected. */
export function restoreOptionsFor(item: FamilyInput, crossRegionRestore: boolean | null): RestoreOption[] {
  const family = workloadFamily(item);
  const options = [...byFamily[family]];
  if (crossRegionRestore === true && family !== 'agent' && family !== 'other') {
    options.push(o('cross-region', 'Cross-region restore (secondary region)', 'the vault has cross-region restore on'));
  }
  return options;
}
