import fs from 'node:fs';
import path from 'node:path';

/**
 * Real payload shapes (copied from ../shared/azure-samples into
 * test/fixtures/azure, see its README) that the emulator re-identifies to
 * build an estate. Spec examples wrap the body as responses.200.body.
 */
export const fixturesDir = path.resolve(import.meta.dirname, '../../fixtures/azure');

type Json = Record<string, unknown>;

function load(rel: string): unknown {
  const text = fs.readFileSync(path.join(fixturesDir, rel), 'utf8').replace(/^\uFEFF/, '');
  const doc = JSON.parse(text) as Json;
  const responses = doc.responses as Record<string, { body?: unknown }> | undefined;
  if (responses && doc.parameters) return responses['200']?.body;
  return doc;
}

function listOf(rel: string): Json[] {
  return (load(rel) as { value: Json[] }).value;
}

function first<T>(arr: T[], what: string): T {
  const v = arr[0];
  if (v === undefined) throw new Error(`fixture ${what} is empty`);
  return v;
}

const st = 'real-traffic/azure-powershell-sessionrecords';
const dp = 'real-traffic/azure-powershell-dataprotection-recordings';

function build() {
  const vmItems = listOf(`${st}/TestAzureVMRedoProtection.BackupProtectedItems_List.AzureIaasVM.json`);
  const afsItems = listOf(`${st}/TestAzureFSSoftDelete.BackupProtectedItems_List.AzureStorage-AzureFileShare.with-soft-deleted.json`);
  const sqlItems = listOf(`${st}/TestAzureVmWorkloadBackupProtectionItem.BackupProtectedItems_List.AzureWorkload-SQLDataBase.json`);
  const afsLive = afsItems.find((i) => (i.properties as Json).protectionState === 'Protected');
  const afsDeleted = afsItems.find((i) => (i.properties as Json).isScheduledForDeferredDelete === true);
  if (!afsLive || !afsDeleted) throw new Error('AFS fixture lacks a live or a soft-deleted item');
  const unhealthyVm = vmItems.find((i) => (i.properties as Json).healthStatus === 'ActionRequired');
  if (!unhealthyVm) throw new Error('VM fixture lacks the unhealthy item');
  return {
    vmItem: first(vmItems, 'VM items'),
    vmItemUnhealthy: unhealthyVm,
    afsItem: afsLive,
    afsItemSoftDeleted: afsDeleted,
    sqlItem: first(sqlItems, 'SQL items'),
    rsvVault: load(`${st}/TestAzureFSSoftDelete.Vaults_Get.json`) as Json,
    vmPolicy: first(listOf('rest/recoveryservicesbackup/AzureIaasVm/BackupPolicies_List.json'), 'VM policies'),
    sqlPolicy: first(listOf('rest/recoveryservicesbackup/AzureWorkload/BackupPolicies_List.json'), 'SQL policies'),
    afsPolicy: load('rest/recoveryservicesbackup/AzureStorage/ProtectionPolicies_CreateOrUpdate_Daily.json') as Json,
    storageConfig: load('rest/recoveryservicesbackup/Common/BackupStorageConfig_Get.json') as Json,
    vaultConfig: load('rest/recoveryservicesbackup/Common/BackupResourceVaultConfigs_Get.json') as Json,
    encryptionConfig: load('rest/recoveryservicesbackup/BackupResourceEncryptionConfig_Get.json') as Json,
    usageSummaries: listOf('rest/recoveryservicesbackup/Common/BackupProtectedItem_UsageSummary_Get.json'),
    vaultUsages: listOf('rest/recoveryservices/ListUsages.json'),
    vmJob: first(listOf('rest/recoveryservicesbackup/Common/ListJobs.json'), 'jobs'),
    sqlJob: load(`${st}/TestAzureVmWorkloadBackupProtectionItem.Jobs_Get.AzureWorkloadJob.Completed.json`) as Json,
    vmRecoveryPoint: first(listOf('rest/recoveryservicesbackup/AzureIaasVm/RecoveryPoints_List.json'), 'VM RPs'),
    afsRecoveryPoint: first(listOf(`${st}/TestAzureFSSoftDelete.RecoveryPoints_List.AzureFileShare.json`), 'AFS RPs'),
    sqlRecoveryPoint: first(listOf('docs-extracts/MicrosoftDocs-azure-docs/restore-azure-sql-vm-rest-api.RecoveryPoints_List.AzureWorkloadSQL.json'), 'SQL RPs'),
    backupVault: load(`${dp}/DiskBackupScenario.BackupVaults_Get.json`) as Json,
    diskInstance: first(listOf(`${dp}/DiskBackupScenario.BackupInstances_List.Disk.json`), 'disk BIs'),
    blobInstance: first(listOf(`${dp}/Get-AzDataProtectionBackupInstance.BackupInstances_List.json`), 'BIs'),
    deletedInstance: first(listOf('rest/dataprotection/DeletedBackupInstanceOperations/ListDeletedBackupInstances.json'), 'deleted BIs'),
    dppRecoveryPoint: first(listOf('rest/dataprotection/BackupInstanceOperations/ListRecoveryPoints.json'), 'DPP RPs'),
    dppJob: first(listOf('rest/dataprotection/JobCRUD/ListJobs.json'), 'DPP jobs'),
  };
}

export type Templates = ReturnType<typeof build>;

let cached: Templates | null = null;

export function templates(): Templates {
  cached ??= build();
  return cached;
}

/** A deep copy (templates are shared and must never be mutated). */
export function clone<T>(v: T): T {
  return structuredClone(v);
}
