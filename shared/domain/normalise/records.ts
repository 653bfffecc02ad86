import type { InventoryKind, InventoryRecord, JobRecord, PolicyRecord, RecoveryPointRecord, VaultRecord } from '../types.ts';
import { canonicalArmId, itemKeyFromId, parseArmId, vaultIdOf } from '../keys.ts';
import { arr, bool, isObj, isoDurationHours, nonEmpty, num, obj, parseTime, pick, str, tagsOf, type Obj } from './fields.ts';

function lastSegmentName(id: string): string {
  const p = parseArmId(id);
  const last = p.segments[p.segments.length - 1];
  return last ? last[1] : id;
}

function enabled(v: string | null): boolean | null {
  if (v === null) return null;
  if (/^(enabled|true|alwayson)$/i.test(v)) return true;
  if (/^(disabled|false|none)$/i.test(v)) return false;
  return null;
}

export function normaliseVault(raw: Obj, id: string, tenantId: string | null, kind: 'RecoveryServices' | 'BackupVault'): VaultRecord {
  const props = obj(raw, 'properties') ?? {};
  const p = parseArmId(id);
  const security = obj(props, 'securitySettings');
  const softDelete = obj(security, 'softDeleteSettings');
  const immutability = obj(security, 'immutabilitySettings');
  let redundancy: string | null = null;
  let crr: boolean | null = null;
  if (kind === 'RecoveryServices') {
    const rs = obj(props, 'redundancySettings');
    redundancy = nonEmpty(rs, 'standardTierStorageRedundancy');
    crr = enabled(nonEmpty(rs, 'crossRegionRestore'));
  } else {
    const storage = arr(props, 'storageSettings').find(isObj);
    redundancy = nonEmpty(storage, 'type');
    crr = enabled(nonEmpty(obj(obj(props, 'featureSettings'), 'crossRegionRestoreSettings'), 'state'));
  }
  const alerts = obj(props, 'monitoringSettings');
  const monitoringSettings = alerts
    ? {
        jobFailureAlerts: nonEmpty(obj(alerts, 'azureMonitorAlertSettings'), 'alertsForAllJobFailures'),
        classicCriticalOperationAlerts: nonEmpty(obj(alerts, 'classicAlertSettings'), 'alertsForCriticalOperations'),
      }
    : null;
  // Backup vaults state the guard; a Recovery Services vault reports MUA as Enabled once a guard proxy is associated.
  const guardFlag = bool(props, 'isVaultProtectedByResourceGuard');
  const mua = nonEmpty(security, 'multiUserAuthorization');
  const resourceGuardProtected = guardFlag ?? (mua === null ? null : /^enabled$/i.test(mua));
  const enc = obj(props, 'encryption') ?? obj(security, 'encryptionSettings');
  let encryption: string | null = null;
  if (enc) encryption = obj(enc, 'keyVaultProperties') || nonEmpty(enc, 'state') === 'Enabled' ? 'CustomerManagedKey' : nonEmpty(enc, 'state') ?? 'PlatformManagedKey';
  return {
    key: canonicalArmId(id),
    id,
    name: nonEmpty(raw, 'name') ?? lastSegmentName(id),
    resourceGroup: p.resourceGroup,
    subscriptionId: p.subscriptionId,
    kind,
    location: nonEmpty(raw, 'location'),
    tenantId,
    skuName: nonEmpty(obj(raw, 'sku'), 'name'),
    storageRedundancy: redundancy,
    crossRegionRestore: crr,
    softDeleteState: nonEmpty(softDelete, 'softDeleteState', 'state'),
    softDeleteRetentionDays: num(softDelete, 'softDeleteRetentionPeriodInDays', 'retentionDurationInDays'),
    immutabilityState: nonEmpty(immutability, 'state'),
    multiUserAuthorization: nonEmpty(security, 'multiUserAuthorization'),
    encryption,
    publicNetworkAccess: nonEmpty(props, 'publicNetworkAccess'),
    tags: tagsOf(raw),
    monitoringSettings,
    resourceGuardProtected,
  };
}

function retentionCount(schedule: Obj | null): { count: number; unit: string } | null {
  const d = obj(schedule, 'retentionDuration');
  const count = num(d, 'count');
  if (count === null) return null;
  return { count, unit: (nonEmpty(d, 'durationType') ?? 'Days').toLowerCase() };
}

function toDays(r: { count: number; unit: string } | null): number | null {
  if (!r) return null;
  if (r.unit.startsWith('day')) return r.count;
  if (r.unit.startsWith('week')) return r.count * 7;
  if (r.unit.startsWith('month')) return r.count * 30;
  if (r.unit.startsWith('year')) return r.count * 365;
  return null;
}

/** Full (or only) schedule + retention of an RSV policy; workload policies keep them per sub-policy. */
function primaryRsvParts(props: Obj): { schedule: Obj | null; retention: Obj | null } {
  const subs = arr(props, 'subProtectionPolicy').filter(isObj);
  if (subs.length > 0) {
    const full = subs.find((s) => /full/i.test(str(s, 'policyType') ?? '')) ?? subs[0]!;
    return { schedule: obj(full, 'schedulePolicy'), retention: obj(full, 'retentionPolicy') };
  }
  return { schedule: obj(props, 'schedulePolicy'), retention: obj(props, 'retentionPolicy') };
}

export function normalisePolicy(raw: Obj, id: string): PolicyRecord {
  const props = obj(raw, 'properties') ?? {};
  const vaultId = vaultIdOf(id);
  let frequency: string | null = null;
  let intervalHours: number | null = null;
  let daily: number | null = null;
  let weekly: number | null = null;
  let monthly: number | null = null;
  let yearly: number | null = null;
  const rules = arr(props, 'policyRules').filter(isObj);
  if (rules.length > 0) {
    // Backup vault policy: AzureBackupRule (schedule as R/<start>/<ISO duration>) + AzureRetentionRule lifecycles.
    for (const rule of rules) {
      const type = str(rule, 'objectType') ?? '';
      if (/backuprule/i.test(type)) {
        const intervals = arr(obj(obj(rule, 'trigger'), 'schedule'), 'repeatingTimeIntervals');
        const first = typeof intervals[0] === 'string' ? intervals[0] : null;
        const dur = first ? first.split('/').pop() ?? null : null;
        const hours = isoDurationHours(dur);
        if (hours !== null && (intervalHours === null || hours < intervalHours)) intervalHours = hours;
      } else if (/retentionrule/i.test(type)) {
        for (const lc of arr(rule, 'lifecycles').filter(isObj)) {
          const hours = isoDurationHours(str(obj(lc, 'deleteAfter'), 'duration'));
          if (hours !== null && bool(rule, 'isDefault') !== false) daily = Math.max(daily ?? 0, hours / 24);
        }
      }
    }
    if (intervalHours !== null) frequency = intervalHours < 24 ? 'Hourly' : intervalHours < 168 ? 'Daily' : 'Weekly';
  } else {
    const { schedule, retention } = primaryRsvParts(props);
    frequency = nonEmpty(schedule, 'scheduleRunFrequency');
    const hourly = obj(schedule, 'hourlySchedule');
    if (frequency && /hourly/i.test(frequency)) intervalHours = num(hourly, 'interval');
    else if (frequency && /daily/i.test(frequency)) intervalHours = 24;
    else if (frequency && /weekly/i.test(frequency)) intervalHours = 168;
    daily = toDays(retentionCount(obj(retention, 'dailySchedule'))) ?? toDays(retentionCount(retention));
    weekly = retentionCount(obj(retention, 'weeklySchedule'))?.count ?? null;
    monthly = retentionCount(obj(retention, 'monthlySchedule'))?.count ?? null;
    yearly = retentionCount(obj(retention, 'yearlySchedule'))?.count ?? null;
  }
  return {
    key: canonicalArmId(id),
    id,
    name: nonEmpty(raw, 'name') ?? lastSegmentName(id),
    vaultKey: vaultId ? canonicalArmId(vaultId) : null,
    backupManagementType: nonEmpty(props, 'backupManagementType'),
    workloadType: nonEmpty(props, 'workLoadType', 'workloadType') ?? (arr(props, 'datasourceTypes').find((x) => typeof x === 'string') as string | undefined) ?? null,
    scheduleFrequency: frequency,
    scheduleIntervalHours: intervalHours,
    dailyRetentionDays: daily,
    weeklyRetentionWeeks: weekly,
    monthlyRetentionMonths: monthly,
    yearlyRetentionYears: yearly,
    protectedItemsCount: num(props, 'protectedItemsCount'),
  };
}

const tierNames = ['Invalid', 'InstantRP', 'HardenedRP', 'ArchivedRP'];
const tierStatus = ['Invalid', 'Valid', 'Disabled', 'Deleted', 'Rehydrated'];

export function normaliseRecoveryPoint(raw: Obj, id: string, itemKeyHint: string | null): RecoveryPointRecord {
  const props = obj(raw, 'properties') ?? raw;
  const m = /^(.*\/protecteditems\/[^/]+|.*\/backupinstances\/[^/]+)\/recoverypoints\//i.exec(id);
  const itemKey = m ? itemKeyFromId(m[1]!) : (itemKeyHint ?? '');
  const tiers: string[] = [];
  for (const t of arr(props, 'recoveryPointTierDetails').filter(isObj)) {
    const type = pick(t, 'type');
    const status = pick(t, 'status');
    const typeName = typeof type === 'number' ? (tierNames[type] ?? String(type)) : String(type ?? '');
    const statusName = typeof status === 'number' ? (tierStatus[status] ?? String(status)) : String(status ?? '');
    if (typeName && (statusName === '' || /valid|rehydrated/i.test(statusName))) tiers.push(typeName);
  }
  for (const d of arr(props, 'recoveryPointDataStoresDetails').filter(isObj)) {
    const t = nonEmpty(d, 'type');
    if (t) tiers.push(t);
  }
  const tierType = nonEmpty(raw, 'tierType');
  if (tiers.length === 0 && tierType) tiers.push(tierType);
  return {
    key: canonicalArmId(id),
    id,
    itemKey,
    time: parseTime(pick(props, 'recoveryPointTime', 'recoveryPointTimeInUTC', 'RecoveryPointTime')),
    type: nonEmpty(props, 'recoveryPointType', 'type', 'RecoveryPointType'),
    tiers: [...new Set(tiers)].sort(),
    expiryTime: parseTime(pick(obj(props, 'recoveryPointProperties'), 'expiryTime') ?? pick(props, 'expiryTime', 'RecoveryPointExpiryTimeInUTC')),
  };
}

export function normaliseJob(raw: Obj, id: string): JobRecord {
  const props = obj(raw, 'properties') ?? raw;
  const vaultId = vaultIdOf(id);
  const bi = nonEmpty(props, 'backupInstanceId');
  return {
    key: canonicalArmId(id),
    id,
    vaultKey: vaultId ? canonicalArmId(vaultId) : null,
    entityFriendlyName: nonEmpty(props, 'entityFriendlyName', 'backupInstanceFriendlyName', 'WorkloadName'),
    itemKey: bi ? itemKeyFromId(bi) : null,
    operation: nonEmpty(props, 'operation', 'operationCategory', 'Operation'),
    status: nonEmpty(props, 'status', 'Status'),
    startTime: parseTime(pick(props, 'startTime', 'StartTime')),
    endTime: parseTime(pick(props, 'endTime', 'EndTime')),
    backupManagementType: nonEmpty(props, 'backupManagementType', 'BackupManagementType'),
    workloadType: nonEmpty(props, 'workloadType', 'dataSourceType', 'WorkloadType'),
  };
}

const inventoryKinds: Array<[RegExp, InventoryKind]> = [
  [/^microsoft\.compute\/virtualmachines$/i, 'virtualMachine'],
  [/^microsoft\.classiccompute\/virtualmachines$/i, 'virtualMachine'],
  [/^microsoft\.storage\/storageaccounts$/i, 'storageAccount'],
  [/^microsoft\.storage\/storageaccounts\/fileservices\/shares$/i, 'fileShare'],
  [/^microsoft\.sqlvirtualmachine\/sqlvirtualmachines$/i, 'sqlVirtualMachine'],
];

export function inventoryKindOf(type: string): InventoryKind | null {
  for (const [re, k] of inventoryKinds) if (re.test(type)) return k;
  return null;
}

export function normaliseInventory(raw: Obj, id: string, type: string, kind: InventoryKind): InventoryRecord {
  const p = parseArmId(id);
  return {
    key: canonicalArmId(id),
    id,
    name: nonEmpty(raw, 'name') ?? lastSegmentName(id),
    type,
    kind,
    subscriptionId: p.subscriptionId ?? nonEmpty(raw, 'subscriptionId'),
    resourceGroup: p.resourceGroup ?? nonEmpty(raw, 'resourceGroup'),
    location: nonEmpty(raw, 'location'),
    tags: tagsOf(raw),
  };
}
