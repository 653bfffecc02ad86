import { isNeverBackedUp } from '../backup-state.ts';
import type { BackupItem } from '../types.ts';
import { canonicalArmId, itemKeyFromId, parseArmId, vaultIdOf } from '../keys.ts';
import { bool, isNeverPlaceholder, nonEmpty, num, obj, parseTime, pick, str, tagsOf, type Obj } from './fields.ts';

// Windows PowerShell ConvertTo-Json may write enums as integers (Az.RecoveryServices enum order).
const psProtectionState = ['Invalid', 'IRPending', 'Protected', 'ProtectionError', 'ProtectionStopped', 'ProtectionPaused', 'BackupsSuspended'];
const psWorkloadType: Record<string, string> = {
  AzureVM: 'VM',
  AzureSQLDatabase: 'AzureSqlDb',
  AzureFiles: 'AzureFileShare',
  MSSQL: 'SQLDataBase',
  FileFolder: 'FileFolder',
  SAPHanaDatabase: 'SAPHanaDatabase',
  SAPASEDatabase: 'SAPAseDatabase',
};
const psWorkloadByIndex = ['AzureVM', 'AzureSQLDatabase', 'AzureFiles', 'MSSQL', 'FileFolder', 'SAPHanaDatabase', 'SAPASEDatabase'];
const psBackupManagementType: Record<string, string> = {
  AzureVM: 'AzureIaasVM',
  AzureSQL: 'AzureSql',
  AzureStorage: 'AzureStorage',
  AzureWorkload: 'AzureWorkload',
  MAB: 'MAB',
  MARS: 'MAB',
};

function enumName(v: unknown, byIndex: string[]): string | null {
  if (typeof v === 'number' && Number.isInteger(v)) return byIndex[v] ?? String(v);
  if (typeof v === 'string' && v.trim() !== '') return v;
  return null;
}

/** Last `;`-separated part of a protected item name (`VM;iaasvmcontainerv2;rg;vm` → `vm`). */
function shortName(name: string | null): string | null {
  if (!name) return null;
  const parts = name.split(';');
  return parts[parts.length - 1] ?? name;
}

function policyNameFromId(policyId: string | null): string | null {
  if (!policyId) return null;
  const m = /\/backuppolicies\/([^/?]+)/i.exec(policyId);
  return m ? m[1]! : null;
}

function resourceGroupOf(id: string | null): string | null {
  return id ? parseArmId(id).resourceGroup : null;
}

function vaultParts(vaultId: string | null): { vaultKey: string | null; vaultName: string | null; vaultResourceGroup: string | null; subscriptionId: string | null } {
  if (!vaultId) return { vaultKey: null, vaultName: null, vaultResourceGroup: null, subscriptionId: null };
  const p = parseArmId(vaultId);
  const last = p.segments[p.segments.length - 1];
  return { vaultKey: canonicalArmId(vaultId), vaultName: last ? last[1] : null, vaultResourceGroup: p.resourceGroup, subscriptionId: p.subscriptionId };
}

/**
 * Legacy Azure SQL items (AzureSqlDb) have no friendly name: the item is
 * `dsName;<database>;<guid>` in a container `Sql;<resourceGroup>;<server>`.
 * The database names the item; the container gives the source database's id
 * (in the vault's subscription, where the classic Azure SQL backup ran).
 */
function legacySql(rawName: string | null, containerName: string | null, subscriptionId: string | null): { name: string | null; sourceResourceId: string | null } {
  const db = rawName ? (/^dsName;([^;]+);/i.exec(rawName)?.[1] ?? null) : null;
  const c = containerName ? /(?:^|;)Sql;([^;]+);([^;]+)$/i.exec(containerName) : null;
  const sourceResourceId = db && c && subscriptionId ? `/subscriptions/${subscriptionId}/resourceGroups/${c[1]}/providers/Microsoft.Sql/servers/${c[2]}/databases/${db}` : null;
  return { name: db, sourceResourceId };
}

/**
 * When the item was (soft-)deleted. REST, the CLI and Resource Graph send the
 * deletion time (`deferredDeleteTimeInUTC`; purge = + retention days);
 * PowerShell sends the purge date (`DateOfPurge`), so the deletion time is
 * that minus the retention (14 days, the service default, when not stated).
 */
function deferredDeleteTimeOf(props: Obj, retentionDays: number | null): string | null {
  const direct = parseTime(pick(props, 'deferredDeleteTimeInUTC'));
  if (direct) return direct;
  const purge = parseTime(pick(props, 'DateOfPurge'));
  if (!purge) return null;
  return new Date(Date.parse(purge) - (retentionDays ?? 14) * 86_400_000).toISOString();
}

/** A Recovery Services protected item (ARM, az CLI, Resource Graph or PowerShell shape). */
export function normaliseRsvItem(raw: Obj, id: string, tenantId: string | null): BackupItem {
  const props = obj(raw, 'properties') ?? raw;
  const vaultId = vaultIdOf(id) ?? (nonEmpty(props, 'vaultId') ? vaultIdOf(nonEmpty(props, 'vaultId')!) : null);
  const v = vaultParts(vaultId);
  const rawName = nonEmpty(raw, 'name', 'Name');
  const containerName = nonEmpty(props, 'containerName', 'ContainerName');
  const sql = /^azuresqldb$/i.test(nonEmpty(props, 'workloadType') ?? '') ? legacySql(rawName, containerName, v.subscriptionId) : null;
  const sourceResourceId = nonEmpty(props, 'sourceResourceId', 'virtualMachineId', 'SourceResourceId', 'VirtualMachineId') ?? sql?.sourceResourceId ?? null;
  const policyId = nonEmpty(props, 'policyId', 'PolicyId');
  const lastBackupRaw = parseTime(pick(props, 'lastBackupTime', 'LastBackupTime'));
  const never = isNeverPlaceholder(lastBackupRaw);
  const ext = obj(props, 'extendedInfo', 'ExtendedInfo');
  const deleteState = nonEmpty(props, 'DeleteState');
  const softDeleted = bool(props, 'isScheduledForDeferredDelete') === true || (deleteState !== null && /tobedeleted/i.test(deleteState));
  const retention = num(props, 'softDeleteRetentionPeriodInDays') ?? num(props, 'softDeleteRetentionPeriod');
  const bmtRaw = nonEmpty(props, 'backupManagementType', 'BackupManagementType', 'ContainerType');
  const wlRaw = pick(props, 'workloadType', 'WorkloadType');
  const wl = typeof wlRaw === 'number' ? (psWorkloadByIndex[wlRaw - 1] ?? String(wlRaw)) : (typeof wlRaw === 'string' ? wlRaw : null);
  const parentName = nonEmpty(props, 'parentName', 'ParentName');
  const item: BackupItem = {
    key: itemKeyFromId(id),
    id,
    vaultId,
    ...v,
    resourceGroup: resourceGroupOf(sourceResourceId) ?? v.vaultResourceGroup ?? nonEmpty(raw, 'resourceGroup'),
    vaultKind: 'RecoveryServices',
    tenantId,
    location: nonEmpty(raw, 'location'),
    protectedItemType: nonEmpty(props, 'protectedItemType'),
    backupManagementType: bmtRaw ? (psBackupManagementType[bmtRaw] ?? bmtRaw) : null,
    workloadType: wl ? (psWorkloadType[wl] ?? wl) : null,
    name: nonEmpty(props, 'friendlyName', 'FriendlyName') ?? sql?.name ?? shortName(rawName) ?? id,
    containerName,
    serverName: nonEmpty(props, 'serverName', 'ServerName', 'computerName'),
    parentName,
    sourceResourceId,
    sourceResourceKey: sourceResourceId ? canonicalArmId(sourceResourceId) : null,
    policyId,
    policyName: nonEmpty(props, 'policyName', 'ProtectionPolicyName') ?? policyNameFromId(policyId),
    protectionState: enumName(pick(props, 'protectionState', 'ProtectionState'), psProtectionState),
    protectionStatus: nonEmpty(props, 'protectionStatus', 'ProtectionStatus'),
    healthStatus: nonEmpty(props, 'healthStatus', 'HealthStatus'),
    protectedItemHealthStatus: nonEmpty(props, 'protectedItemHealthStatus'),
    lastBackupStatus: nonEmpty(props, 'lastBackupStatus', 'LastBackupStatus'),
    lastBackupTime: never ? null : lastBackupRaw,
    neverBackedUp: never,
    lastRecoveryPoint: parseTime(pick(props, 'lastRecoveryPoint', 'LatestRecoveryPoint')),
    oldestRecoveryPoint: parseTime(pick(ext, 'oldestRecoveryPoint', 'OldestRecoveryPoint')),
    recoveryPointCount: num(ext, 'recoveryPointCount', 'RecoveryPointCount'),
    softDeleted,
    deferredDeleteTime: deferredDeleteTimeOf(props, retention),
    softDeleteRetentionDays: retention,
    archiveEnabled: bool(props, 'isArchiveEnabled', 'IsArchiveEnabled'),
    sizeGb: null,
    tags: tagsOf(raw),
  };
  item.neverBackedUp = isNeverBackedUp(item);
  return item;
}

/**
 * A Backup vault states its recovery points in
 * `backupInstanceExtendedProperties.recoveryPointInfo` (Resource Graph rows
 * and ARM objects), per region; `0001-01-01T00:00:00Z` means none. The
 * primary region is where backups are taken, so it is preferred; the
 * secondary copy is only a fallback.
 */
function dppRecoveryPoints(props: Obj): { latest: string | null; oldest: string | null; statedNone: boolean } {
  const info = obj(obj(props, 'backupInstanceExtendedProperties'), 'recoveryPointInfo');
  const time = (k: string): string | null => {
    const t = parseTime(pick(info, k));
    return t === null || isNeverPlaceholder(t) ? null : t;
  };
  const latest = time('latestRecoveryPointInPrimaryRegion') ?? time('latestRecoveryPointInSecondaryRegion');
  // "None" only when the source says so: a stated 0001-01-01, not a missing field.
  const stated = (k: string): boolean => parseTime(pick(info, k)) !== null;
  return {
    latest,
    oldest: time('oldestRecoveryPointInPrimaryRegion') ?? time('oldestRecoveryPointInSecondaryRegion'),
    statedNone: latest === null && stated('latestRecoveryPointInPrimaryRegion'),
  };
}

/** A Backup vault (Microsoft.DataProtection) backup instance or deleted backup instance. */
export function normaliseDppInstance(raw: Obj, id: string, tenantId: string | null, deleted: boolean): BackupItem {
  const props = obj(raw, 'properties') ?? raw;
  const ds = obj(props, 'dataSourceInfo');
  const vaultId = vaultIdOf(id);
  const v = vaultParts(vaultId);
  const sourceResourceId = nonEmpty(ds, 'resourceID', 'resourceId');
  const policyId = nonEmpty(obj(props, 'policyInfo'), 'policyId');
  const status = obj(props, 'protectionStatus');
  const deletion = obj(props, 'deletionInfo');
  const currentState = nonEmpty(props, 'currentProtectionState');
  const statusText = nonEmpty(status, 'status') ?? str(props, 'protectionStatus');
  const softDeleted = deleted || (statusText !== null && /softdeleted/i.test(statusText)) || (currentState !== null && /softdeleted/i.test(currentState));
  const errorInfo = obj(status, 'errorDetails');
  const rp = dppRecoveryPoints(props);
  const item: BackupItem = {
    key: itemKeyFromId(id),
    id,
    vaultId,
    ...v,
    resourceGroup: resourceGroupOf(sourceResourceId) ?? v.vaultResourceGroup,
    vaultKind: 'BackupVault',
    tenantId,
    location: nonEmpty(raw, 'location') ?? nonEmpty(ds, 'resourceLocation'),
    protectedItemType: nonEmpty(props, 'objectType'),
    backupManagementType: 'AzureDataProtection',
    workloadType: nonEmpty(ds, 'datasourceType'),
    name: nonEmpty(props, 'friendlyName') ?? nonEmpty(ds, 'resourceName') ?? nonEmpty(raw, 'name') ?? id,
    containerName: null,
    serverName: null,
    parentName: nonEmpty(obj(props, 'dataSourceSetInfo'), 'resourceName'),
    sourceResourceId,
    sourceResourceKey: sourceResourceId ? canonicalArmId(sourceResourceId) : null,
    policyId,
    policyName: policyNameFromId(policyId),
    protectionState: currentState ?? (softDeleted ? 'SoftDeleted' : null),
    protectionStatus: statusText,
    healthStatus: errorInfo ? 'ActionRequired' : null,
    protectedItemHealthStatus: null,
    lastBackupStatus: null,
    lastBackupTime: null,
    neverBackedUp: rp.statedNone,
    lastRecoveryPoint: rp.latest,
    oldestRecoveryPoint: rp.oldest,
    recoveryPointCount: null,
    softDeleted,
    deferredDeleteTime: parseTime(pick(deletion, 'scheduledPurgeTime')),
    softDeleteRetentionDays: null,
    archiveEnabled: null,
    sizeGb: null,
    tags: tagsOf(raw),
  };
  item.neverBackedUp = isNeverBackedUp(item);
  return item;
}
