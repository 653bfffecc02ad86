/**
 * The exact commands that list and show an item's recovery points (read-only)
 * and the restore command for its workload. Every flag is one the command's
 * documented reference lists (test/restore/commands.test.ts checks them
 * against test/fixtures/restore/documented-parameters.json, copied from the
 * Azure CLI reference and its source); names come from the item's ARM id, so
 * a friendly name that several containers share cannot pick the wrong one.
 * Only the restore target is a placeholder (`<...>`): the vault, container,
 * item and recovery point are filled in.
 */
import type { BackupItem } from '../types.ts';
import { workloadFamily } from './options.ts';
import type { WorkloadFamily } from './options.ts';

export type RestoreCommands = {
  /** List the item's recovery points (read-only). */
  list: { az: string | null; powershell: string | null };
  /** Show one recovery point (the latest known one). */
  show: { az: string | null; powershell: string | null };
  /** The restore, steps in order; placeholders only for the target. */
  restore: { az: string[]; powershell: string[] };
  /** Why a command is missing or what to know before running it. */
  notes: string[];
};

export type CommandItem = Pick<BackupItem, 'id' | 'vaultKind' | 'vaultName' | 'vaultResourceGroup' | 'workloadType' | 'backupManagementType'>;

/** A value for a POSIX shell: bare when it is plainly safe, else single-quoted. */
export function shArg(v: string): string {
  // A placeholder stays as written, like the targets: the reader replaces it before running anything.
  if (/^<[a-z-]+>$/.test(v)) return v;
  return /^[A-Za-z0-9._:/=@+-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

/**
 * A PowerShell string literal. PowerShell's tokenizer takes four typographic
 * quotes as single quotes too (U+2018, U+2019, U+201A, U+201B, beside '), so
 * each of them ends a single-quoted string unless doubled: a vault named
 * "o’brien; Remove-Item …" must stay one string, not become a command.
 */
export function psArg(v: string): string {
  return `'${v.replace(/['\u2018\u2019\u201A\u201B]/g, '$&$&')}'`;
}

/** Container, item and backup-instance names from the item's ARM id. */
export function armNames(id: string): { container: string | null; item: string | null; instance: string | null } {
  const seg = id.split('/');
  const after = (name: string): string | null => {
    const i = seg.findIndex((s) => s.toLowerCase() === name);
    return i >= 0 && i + 1 < seg.length && seg[i + 1] !== '' ? seg[i + 1]! : null;
  };
  return { container: after('protectioncontainers'), item: after('protecteditems'), instance: after('backupinstances') };
}

/** --backup-management-type and --workload-type values the az CLI accepts for recovery points (its documented enums). */
const azTypes: Partial<Record<WorkloadFamily, { bmt: string; wl: string | null }>> = {
  vm: { bmt: 'AzureIaasVM', wl: 'VM' },
  fileShare: { bmt: 'AzureStorage', wl: 'AzureFileShare' },
  sql: { bmt: 'AzureWorkload', wl: 'MSSQL' },
  sapHana: { bmt: 'AzureWorkload', wl: 'SAPHANA' },
  // SAP ASE is not in `az backup recoverypoint list`'s --workload-type enum.
  sapAse: { bmt: 'AzureWorkload', wl: null },
};

/** Get-AzRecoveryServicesBackupItem's -BackupManagementType and -WorkloadType values. */
const psTypes: Partial<Record<WorkloadFamily, { bmt: string; wl: string }>> = {
  vm: { bmt: 'AzureVM', wl: 'AzureVM' },
  fileShare: { bmt: 'AzureStorage', wl: 'AzureFiles' },
  sql: { bmt: 'AzureWorkload', wl: 'MSSQL' },
  sapHana: { bmt: 'AzureWorkload', wl: 'SAPHanaDatabase' },
};

/** az dataprotection --datasource-type by the instance's datasource type. */
const dppDatasourceType: Record<string, string> = {
  'microsoft.compute/disks': 'AzureDisk',
  'microsoft.storage/storageaccounts/blobservices': 'AzureBlob',
  'microsoft.dbforpostgresql/servers/databases': 'AzureDatabaseForPostgreSQL',
  'microsoft.dbforpostgresql/flexibleservers': 'AzureDatabaseForPostgreSQLFlexibleServer',
  'microsoft.dbformysql/flexibleservers': 'AzureDatabaseForMySQL',
  'microsoft.containerservice/managedclusters': 'AzureKubernetesService',
};

function rsvCommands(item: CommandItem, rpName: string | null): RestoreCommands {
  const family = workloadFamily(item);
  const { container, item: itemName } = armNames(item.id);
  const notes: string[] = [];
  const types = azTypes[family];
  const vault = item.vaultName;
  const rg = item.vaultResourceGroup;
  const out: RestoreCommands = { list: { az: null, powershell: null }, show: { az: null, powershell: null }, restore: { az: [], powershell: [] }, notes };
  if (!types || !container || !itemName || !vault || !rg) {
    notes.push(
      !types
        ? `the Azure CLI does not list recovery points of ${item.backupManagementType ?? 'this'} items (agent or backup-server backups): use the agent or the server console`
        : 'the item id does not name its vault, resource group, container and item, so no command can be written',
    );
    return out;
  }
  const base = `--resource-group ${shArg(rg)} --vault-name ${shArg(vault)} --container-name ${shArg(container)} --item-name ${shArg(itemName)} --backup-management-type ${types.bmt}${types.wl ? ` --workload-type ${types.wl}` : ''}`;
  out.list.az = `az backup recoverypoint list ${base} --output json`;
  const rp = rpName ?? '<recovery-point-name>';
  if (!rpName) notes.push('the snapshot holds no recovery point of this item: take the name from the list command');
  out.show.az = `az backup recoverypoint show ${base} --name ${shArg(rp)} --output json`;
  if (!types.wl) notes.push('the Azure CLI has no --workload-type value for SAP ASE: the command lists without it');

  const ps = psTypes[family];
  if (ps) {
    const getVault = `$vault = Get-AzRecoveryServicesVault -ResourceGroupName ${psArg(rg)} -Name ${psArg(vault)}`;
    const getItem = `$item = Get-AzRecoveryServicesBackupItem -BackupManagementType ${ps.bmt} -WorkloadType ${ps.wl} -VaultId $vault.ID | Where-Object { $_.Name -eq ${psArg(itemName)} }`;
    out.list.powershell = `${getVault}; ${getItem}; Get-AzRecoveryServicesBackupRecoveryPoint -Item $item -VaultId $vault.ID`;
    out.show.powershell = `${getVault}; ${getItem}; Get-AzRecoveryServicesBackupRecoveryPoint -Item $item -RecoveryPointId ${psArg(rp)} -VaultId $vault.ID`;
    if (family === 'vm') {
      out.restore.powershell = [
        `${getVault}; ${getItem}; $rp = Get-AzRecoveryServicesBackupRecoveryPoint -Item $item -RecoveryPointId ${psArg(rp)} -VaultId $vault.ID`,
        `Restore-AzRecoveryServicesBackupItem -RecoveryPoint $rp -StorageAccountName <staging-storage-account> -StorageAccountResourceGroupName <staging-storage-account-resource-group> -VaultId $vault.ID`,
      ];
    } else if (family === 'fileShare') {
      out.restore.powershell = [
        `${getVault}; ${getItem}; $rp = Get-AzRecoveryServicesBackupRecoveryPoint -Item $item -RecoveryPointId ${psArg(rp)} -VaultId $vault.ID`,
        `Restore-AzRecoveryServicesBackupItem -RecoveryPoint $rp -ResolveConflict Skip -TargetStorageAccountName <target-storage-account> -TargetFileShareName <target-file-share> -TargetFolder <target-folder> -VaultId $vault.ID`,
      ];
    }
  } else notes.push('no PowerShell commands are written for this workload');

  const ids = `--resource-group ${shArg(rg)} --vault-name ${shArg(vault)} --container-name ${shArg(container)} --item-name ${shArg(itemName)} --rp-name ${shArg(rp)}`;
  if (family === 'vm') {
    out.restore.az = [`az backup restore restore-disks ${ids} --storage-account <staging-storage-account> --target-resource-group <target-resource-group>`];
  } else if (family === 'fileShare') {
    out.restore.az = [
      `az backup restore restore-azurefileshare ${ids} --restore-mode AlternateLocation --resolve-conflict Skip --target-storage-account <target-storage-account> --target-file-share <target-file-share> --target-folder <target-folder>`,
    ];
  } else {
    const serverType = family === 'sql' ? 'SQLInstance' : family === 'sapHana' ? 'HANAInstance' : null;
    const wl = family === 'sql' ? 'MSSQL' : family === 'sapHana' ? 'SAPHANA' : 'SAPASE';
    out.restore.az = [
      `az backup recoveryconfig show ${ids} --backup-management-type AzureWorkload --workload-type ${wl} --restore-mode AlternateWorkloadRestore --target-item-name <target-database> --target-server-name <target-server>${serverType ? ` --target-server-type ${serverType}` : ''} --output json > recoveryconfig.json`,
      `az backup restore restore-azurewl --resource-group ${shArg(rg)} --vault-name ${shArg(vault)} --recovery-config recoveryconfig.json`,
    ];
  }
  return out;
}

function dppCommands(item: CommandItem, rpName: string | null, latestStore: 'OperationalStore' | 'VaultStore' | null): RestoreCommands {
  const { instance } = armNames(item.id);
  const notes: string[] = [];
  const vault = item.vaultName;
  const rg = item.vaultResourceGroup;
  const out: RestoreCommands = { list: { az: null, powershell: null }, show: { az: null, powershell: null }, restore: { az: [], powershell: [] }, notes };
  if (!instance || !vault || !rg) {
    notes.push('the instance id does not name its vault, resource group and backup instance, so no command can be written');
    return out;
  }
  const base = `--resource-group ${shArg(rg)} --vault-name ${shArg(vault)} --backup-instance-name ${shArg(instance)}`;
  const rp = rpName ?? '<recovery-point-id>';
  if (!rpName) notes.push('the snapshot holds no recovery point of this instance: take the id from the list command');
  out.list.az = `az dataprotection recovery-point list ${base} --output json`;
  out.show.az = `az dataprotection recovery-point show ${base} --recovery-point-id ${shArg(rp)} --output json`;
  const ps = `-ResourceGroupName ${psArg(rg)} -VaultName ${psArg(vault)} -BackupInstanceName ${psArg(instance)}`;
  out.list.powershell = `Get-AzDataProtectionRecoveryPoint ${ps}`;
  out.show.powershell = `Get-AzDataProtectionRecoveryPoint ${ps} -Id ${psArg(rp)}`;
  const dsType = dppDatasourceType[(item.workloadType ?? '').toLowerCase()];
  if (!dsType) {
    notes.push(`no restore command is written for datasource type ${item.workloadType ?? '(none)'}`);
    return out;
  }
  out.restore.az = [
    `az dataprotection backup-instance restore initialize-for-data-recovery --datasource-type ${dsType} --restore-location <target-region> --source-datastore ${latestStore ?? 'VaultStore'} --recovery-point-id ${shArg(rp)} --target-resource-id <target-resource-id> > restore.json`,
    `az dataprotection backup-instance restore trigger ${base} --restore-request-object restore.json`,
  ];
  if (!latestStore) notes.push('the source data store is not known from the snapshot: VaultStore is assumed');
  return out;
}

/** The commands for one item, given the name of its latest known recovery point and (Backup vaults) the store it is in. */
export function restoreCommands(item: CommandItem, latestPointName: string | null, latestStore: 'OperationalStore' | 'VaultStore' | null = null): RestoreCommands {
  return item.vaultKind === 'BackupVault' ? dppCommands(item, latestPointName, latestStore) : rsvCommands(item, latestPointName);
}
