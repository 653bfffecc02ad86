import { createHash } from 'node:crypto';
import { clone, templates } from './templates.ts';

/**
 * A generated Azure estate: subscriptions, Recovery Services vaults with
 * protected items, policies, jobs and recovery points, Backup vaults with
 * backup instances, and the workloads (VMs, storage accounts) behind them.
 * Every payload is a real template (test/fixtures/azure) re-identified, so
 * the emulator serves what Azure serves. Everything is deterministic: the
 * same options always give byte-identical payloads, which is what lets a
 * test compare a collection with an import of the same payloads.
 *
 * Large estates are never materialised: items are built on demand per page.
 */

type Json = Record<string, unknown>;

export type EstateOptions = {
  tenantId?: string;
  subscriptions?: number;
  vaultsPerSubscription?: number;
  itemsPerVault?: number;
  recoveryPointsPerItem?: number;
  jobsPerVault?: number;
  backupVaultsPerSubscription?: number;
  instancesPerBackupVault?: number;
  deletedInstancesPerBackupVault?: number;
  /** VMs with no backup at all (for coverage analysis). */
  unprotectedVmsPerSubscription?: number;
  /** When the data is "true": job and backup times are set relative to it. */
  baseTime?: string;
};

export type ItemKind = 'vm' | 'vmUnhealthy' | 'afs' | 'afsSoftDeleted' | 'sql';

/** The order item kinds are dealt out in a vault (index modulo length). */
export const itemKindCycle: ItemKind[] = ['vm', 'vm', 'afs', 'sql', 'vmUnhealthy', 'vm', 'afsSoftDeleted', 'sql'];

export type SubscriptionModel = { index: number; subscriptionId: string; displayName: string };

export type RsvVaultModel = {
  kind: 'rsv';
  subscriptionId: string;
  subscriptionIndex: number;
  index: number;
  resourceGroup: string;
  name: string;
  location: string;
  id: string;
  itemCount: number;
};

export type BackupVaultModel = {
  kind: 'dpp';
  subscriptionId: string;
  subscriptionIndex: number;
  index: number;
  resourceGroup: string;
  name: string;
  location: string;
  id: string;
  instanceCount: number;
  deletedCount: number;
};

export function guid(ns: string, n: number | string): string {
  const h = createHash('sha256').update(`${ns}:${n}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** ARM style timestamp with seven fraction digits, as the backup service sends. */
export function armTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const locations = ['westeurope', 'northeurope', 'eastus2'];

export class Estate {
  readonly tenantId: string;
  readonly baseTimeMs: number;
  readonly subscriptions: SubscriptionModel[];
  readonly rsvVaults: RsvVaultModel[];
  readonly backupVaults: BackupVaultModel[];
  readonly opts: Required<EstateOptions>;

  constructor(options: EstateOptions = {}) {
    this.opts = {
      tenantId: options.tenantId ?? 'a1b2c3d4-0000-4000-8000-00000000aaaa',
      subscriptions: options.subscriptions ?? 2,
      vaultsPerSubscription: options.vaultsPerSubscription ?? 3,
      itemsPerVault: options.itemsPerVault ?? 6,
      recoveryPointsPerItem: options.recoveryPointsPerItem ?? 2,
      jobsPerVault: options.jobsPerVault ?? 6,
      backupVaultsPerSubscription: options.backupVaultsPerSubscription ?? 1,
      instancesPerBackupVault: options.instancesPerBackupVault ?? 2,
      deletedInstancesPerBackupVault: options.deletedInstancesPerBackupVault ?? 1,
      unprotectedVmsPerSubscription: options.unprotectedVmsPerSubscription ?? 2,
      baseTime: options.baseTime ?? '2026-07-27T06:00:00.000Z',
    };
    this.tenantId = this.opts.tenantId;
    this.baseTimeMs = Date.parse(this.opts.baseTime);
    this.subscriptions = [];
    this.rsvVaults = [];
    this.backupVaults = [];
    for (let s = 0; s < this.opts.subscriptions; s++) {
      const subscriptionId = guid('subscription', s);
      this.subscriptions.push({ index: s, subscriptionId, displayName: `Contoso Backup ${s + 1}` });
      for (let v = 0; v < this.opts.vaultsPerSubscription; v++) {
        const resourceGroup = `rg-backup-${s + 1}`;
        const name = `rsv-s${s + 1}-v${String(v + 1).padStart(3, '0')}`;
        this.rsvVaults.push({
          kind: 'rsv',
          subscriptionId,
          subscriptionIndex: s,
          index: v,
          resourceGroup,
          name,
          location: locations[v % locations.length]!,
          id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.RecoveryServices/vaults/${name}`,
          itemCount: this.opts.itemsPerVault,
        });
      }
      for (let b = 0; b < this.opts.backupVaultsPerSubscription; b++) {
        const resourceGroup = `rg-bvault-${s + 1}`;
        const name = `bv-s${s + 1}-${b + 1}`;
        this.backupVaults.push({
          kind: 'dpp',
          subscriptionId,
          subscriptionIndex: s,
          index: b,
          resourceGroup,
          name,
          location: locations[b % locations.length]!,
          id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.DataProtection/backupVaults/${name}`,
          instanceCount: this.opts.instancesPerBackupVault,
          deletedCount: this.opts.deletedInstancesPerBackupVault,
        });
      }
    }
  }

  // ---------- lookups (case-insensitive, as ARM is) ----------

  subscription(id: string): SubscriptionModel | undefined {
    return this.subscriptions.find((s) => s.subscriptionId.toLowerCase() === id.toLowerCase());
  }

  rsvVault(subscriptionId: string, resourceGroup: string, name: string): RsvVaultModel | undefined {
    return this.rsvVaults.find(
      (v) => v.subscriptionId.toLowerCase() === subscriptionId.toLowerCase() && v.resourceGroup.toLowerCase() === resourceGroup.toLowerCase() && v.name.toLowerCase() === name.toLowerCase(),
    );
  }

  backupVault(subscriptionId: string, resourceGroup: string, name: string): BackupVaultModel | undefined {
    return this.backupVaults.find(
      (v) => v.subscriptionId.toLowerCase() === subscriptionId.toLowerCase() && v.resourceGroup.toLowerCase() === resourceGroup.toLowerCase() && v.name.toLowerCase() === name.toLowerCase(),
    );
  }

  /**
   * Role assignments as ARM lists them for a subscription (RoleAssignments_ListForSubscription,
   * 2022-04-01: ARM shape, properties nested): an Owner inherited from the management group
   * mg-emulator, an Owner at the subscription, a Backup Contributor group on each Recovery
   * Services vault's resource group, and the custom "Backup Item Deleter" on the first vault.
   */
  roleAssignments(subscriptionId: string): Json[] {
    const s = this.subscription(subscriptionId)!;
    const roleDef = (guidOrId: string) => `/subscriptions/${s.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${guidOrId}`;
    const one = (scope: string, n: string, role: string, principalId: string, principalType: string): Json => {
      // An assignment above the subscription is one resource, listed alike from every subscription below it.
      const name = guid('role-assignment', scope.startsWith('/providers/') ? n : `${s.subscriptionId}:${n}`);
      return {
        id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
        type: 'Microsoft.Authorization/roleAssignments',
        name,
        properties: { roleDefinitionId: roleDef(role), principalId, principalType, scope, createdOn: '2025-06-02T09:14:31.5123456Z', updatedOn: '2025-06-02T09:14:31.5123456Z' },
      };
    };
    const out: Json[] = [
      one('/providers/Microsoft.Management/managementGroups/mg-emulator', 'mg-owner', '8e3af657-a8ff-443c-a75c-2fe8c4bcb635', guid('principal', 'mg-owner'), 'User'),
      one(`/subscriptions/${s.subscriptionId}`, 'sub-owner', '8e3af657-a8ff-443c-a75c-2fe8c4bcb635', guid('principal', `owner-${s.index}`), 'User'),
    ];
    const groups = new Set<string>();
    for (const v of this.rsvVaultsOf(s.subscriptionId)) {
      const rg = `/subscriptions/${s.subscriptionId}/resourceGroups/${v.resourceGroup}`;
      if (!groups.has(rg)) out.push(one(rg, `bc-${v.resourceGroup}`, '5e467623-bb1f-42f4-a55d-6e525e11384b', guid('principal', `backup-admins-${s.index}`), 'Group'));
      groups.add(rg);
    }
    const first = this.rsvVaultsOf(s.subscriptionId)[0];
    if (first) out.push(one(first.id, 'deleter', guid('custom-role', s.index), guid('principal', `deleter-${s.index}`), 'User'));
    return out;
  }

  /** The subscription's custom roles (RoleDefinitions_List with $filter=type eq 'CustomRole'). */
  customRoles(subscriptionId: string): Json[] {
    const s = this.subscription(subscriptionId)!;
    const name = guid('custom-role', s.index);
    return [
      {
        id: `/subscriptions/${s.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${name}`,
        type: 'Microsoft.Authorization/roleDefinitions',
        name,
        properties: {
          roleName: 'Backup Item Deleter',
          type: 'CustomRole',
          description: 'Deletes backup items',
          assignableScopes: [`/subscriptions/${s.subscriptionId}`],
          permissions: [{ actions: ['Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/delete'], notActions: [], dataActions: [], notDataActions: [] }],
        },
      },
    ];
  }

  /**
   * The subscription's action groups (ActionGroups_ListBySubscriptionId, 2023-01-01, ARM shape): one
   * on-call group with an enabled email and a disabled SMS receiver.
   */
  actionGroups(subscriptionId: string): Json[] {
    const s = this.subscription(subscriptionId)!;
    const name = `ag-backup-s${s.index}`;
    return [
      {
        id: `/subscriptions/${s.subscriptionId}/resourceGroups/rg-monitor/providers/microsoft.insights/actionGroups/${name}`,
        type: 'Microsoft.Insights/ActionGroups',
        name,
        location: 'Global',
        tags: {},
        properties: {
          groupShortName: `bkp${s.index}`,
          enabled: true,
          emailReceivers: [{ name: 'Backup on-call', emailAddress: `backup-oncall-${s.index}@contoso.example`, status: 'Enabled', useCommonAlertSchema: true }],
          smsReceivers: [{ name: 'Old pager', countryCode: '1', phoneNumber: '5550100', status: 'Disabled' }],
          webhookReceivers: [],
          itsmReceivers: [],
          azureAppPushReceivers: [],
          automationRunbookReceivers: [],
          voiceReceivers: [],
          logicAppReceivers: [],
          azureFunctionReceivers: [],
          armRoleReceivers: [],
          eventHubReceivers: [],
        },
      },
    ];
  }

  /** The subscription's alert processing rules (AlertProcessingRules_ListBySubscription, 2021-08-08): backup alerts of the first Recovery Services vault to the on-call group. */
  alertProcessingRules(subscriptionId: string): Json[] {
    const s = this.subscription(subscriptionId)!;
    const first = this.rsvVaultsOf(s.subscriptionId)[0];
    if (!first) return [];
    const group = this.actionGroups(s.subscriptionId)[0] as { id: string };
    return [
      {
        id: `/subscriptions/${s.subscriptionId}/resourceGroups/rg-monitor/providers/Microsoft.AlertsManagement/actionRules/route-backup-s${s.index}`,
        type: 'Microsoft.AlertsManagement/actionRules',
        name: `route-backup-s${s.index}`,
        location: 'Global',
        properties: {
          scopes: [first.id],
          conditions: [{ field: 'MonitorService', operator: 'Equals', values: ['Azure Backup'] }],
          actions: [{ actionType: 'AddActionGroups', actionGroupIds: [group.id] }],
          description: 'Backup failures to the on-call group',
          enabled: true,
        },
      },
    ];
  }

  rsvVaultsOf(subscriptionId: string): RsvVaultModel[] {
    return this.rsvVaults.filter((v) => v.subscriptionId.toLowerCase() === subscriptionId.toLowerCase());
  }

  backupVaultsOf(subscriptionId: string): BackupVaultModel[] {
    return this.backupVaults.filter((v) => v.subscriptionId.toLowerCase() === subscriptionId.toLowerCase());
  }

  /** Index of the item whose container and name match, or -1. */
  findItem(vault: RsvVaultModel, containerName: string, itemName: string): number {
    const c = containerName.toLowerCase();
    const n = itemName.toLowerCase();
    for (let j = 0; j < vault.itemCount; j++) {
      const ids = this.itemIdentity(vault, j);
      if (ids.container.toLowerCase() === c && ids.name.toLowerCase() === n) return j;
    }
    return -1;
  }

  // ---------- subscriptions ----------

  subscriptionBody(s: SubscriptionModel): Json {
    return {
      id: `/subscriptions/${s.subscriptionId}`,
      authorizationSource: 'RoleBased',
      managedByTenants: [],
      subscriptionId: s.subscriptionId,
      tenantId: this.tenantId,
      displayName: s.displayName,
      state: 'Enabled',
      subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'EnterpriseAgreement_2014-09-01', spendingLimit: 'Off' },
    };
  }

  // ---------- Recovery Services ----------

  rsvVaultBody(v: RsvVaultModel): Json {
    const body = clone(templates().rsvVault);
    body.id = v.id;
    body.name = v.name;
    body.location = v.location;
    body.tags = { Owner: `team-${(v.subscriptionIndex % 3) + 1}`, Environment: v.index % 2 === 0 ? 'prod' : 'test' };
    const props = body.properties as Json;
    const redundancy = props.redundancySettings as Json;
    // Vary the security posture across vaults so analysis has something to find.
    redundancy.standardTierStorageRedundancy = v.index % 3 === 2 ? 'LocallyRedundant' : 'GeoRedundant';
    redundancy.crossRegionRestore = v.index % 3 === 2 ? 'Disabled' : 'Enabled';
    const soft = (props.securitySettings as Json).softDeleteSettings as Json;
    soft.softDeleteState = v.index % 4 === 3 ? 'Disabled' : 'Enabled';
    return body;
  }

  /** Names and ids of item j, without building the whole payload. */
  itemIdentity(v: RsvVaultModel, j: number): { kind: ItemKind; container: string; containerName: string; name: string; id: string; sourceResourceId: string; friendly: string } {
    const kind = itemKindCycle[j % itemKindCycle.length]!;
    const s = v.subscriptionIndex + 1;
    const wlRg = `rg-workload-${s}`;
    const tag = `s${s}v${v.index + 1}i${j + 1}`;
    if (kind === 'vm' || kind === 'vmUnhealthy') {
      const vm = `vm-${tag}`;
      const containerName = `iaasvmcontainerv2;${wlRg};${vm}`;
      const container = `IaasVMContainer;${containerName}`;
      const name = `VM;${containerName}`;
      return {
        kind,
        container,
        containerName,
        name,
        id: `${v.id}/backupFabrics/Azure/protectionContainers/${container}/protectedItems/${name}`,
        sourceResourceId: `/subscriptions/${v.subscriptionId}/resourceGroups/${wlRg.toUpperCase()}/providers/Microsoft.Compute/virtualMachines/${vm}`,
        friendly: vm,
      };
    }
    if (kind === 'sql') {
      const vm = `sqlvm-${tag}`;
      const container = `VMAppContainer;Compute;${wlRg};${vm}`;
      const name = `SQLDataBase;MSSQLSERVER;db_${tag}`;
      return {
        kind,
        container,
        containerName: container,
        name,
        id: `${v.id}/backupFabrics/Azure/protectionContainers/${container}/protectedItems/${name}`,
        sourceResourceId: `/subscriptions/${v.subscriptionId}/resourceGroups/${wlRg}/providers/Microsoft.Compute/virtualMachines/${vm}`,
        friendly: `db_${tag}`,
      };
    }
    const account = `st${tag.replace(/[^a-z0-9]/g, '')}`;
    const container = `StorageContainer;Storage;${wlRg};${account}`;
    const share = `share-${tag}`;
    const hash = createHash('sha256').update(`${account}/${share}`).digest('hex').toUpperCase();
    const name = `AzureFileShare;${hash}`;
    return {
      kind,
      container,
      containerName: container,
      name,
      id: `${v.id}/backupFabrics/Azure/protectionContainers/${container}/protectedItems/${name}`,
      sourceResourceId: `/subscriptions/${v.subscriptionId}/resourceGroups/${wlRg}/providers/Microsoft.Storage/storageAccounts/${account}`,
      friendly: share,
    };
  }

  rsvItem(v: RsvVaultModel, j: number): Json {
    const t = templates();
    const ids = this.itemIdentity(v, j);
    const tpl = { vm: t.vmItem, vmUnhealthy: t.vmItemUnhealthy, afs: t.afsItem, afsSoftDeleted: t.afsItemSoftDeleted, sql: t.sqlItem }[ids.kind];
    const body = clone(tpl);
    body.id = ids.id;
    body.name = ids.name;
    const p = body.properties as Json;
    p.friendlyName = ids.friendly;
    p.containerName = ids.containerName;
    p.sourceResourceId = ids.sourceResourceId;
    p.vaultId = `https://management.azure.com${v.id}`;
    const last = this.baseTimeMs - (2 + (j % 20)) * HOUR - j * 1000;
    if ('lastBackupTime' in p) p.lastBackupTime = armTime(last);
    if ('lastRecoveryPoint' in p) p.lastRecoveryPoint = armTime(last + 3400);
    if (ids.kind === 'vm' || ids.kind === 'vmUnhealthy') {
      p.virtualMachineId = ids.sourceResourceId;
      p.protectedItemDataId = String(100000000 + v.subscriptionIndex * 1_000_000 + v.index * 10_000 + j);
      p.policyId = `${v.id}/backupPolicies/DefaultPolicy`;
      p.policyName = 'DefaultPolicy';
    } else if (ids.kind === 'sql') {
      p.serverName = ids.sourceResourceId.split('/').pop();
      p.protectedItemDataSourceId = String(200000000 + v.subscriptionIndex * 1_000_000 + v.index * 10_000 + j);
      p.protectionState = 'Protected';
      p.policyId = `${v.id}/backupPolicies/SqlDailyPolicy`;
    } else if (ids.kind === 'afs') {
      p.policyId = `${v.id}/backupPolicies/AfsDailyPolicy`;
    } else {
      p.deferredDeleteTimeInUTC = armTime(this.baseTimeMs - 5 * HOUR);
    }
    return body;
  }

  rsvItems(v: RsvVaultModel, from = 0, to = v.itemCount): Json[] {
    const out: Json[] = [];
    for (let j = from; j < Math.min(to, v.itemCount); j++) out.push(this.rsvItem(v, j));
    return out;
  }

  rsvPolicies(v: RsvVaultModel): Json[] {
    const t = templates();
    const make = (tpl: Json, name: string): Json => {
      const body = clone(tpl);
      body.id = `${v.id}/backupPolicies/${name}`;
      body.name = name;
      return body;
    };
    return [make(t.vmPolicy, 'DefaultPolicy'), make(t.sqlPolicy, 'SqlDailyPolicy'), make(t.afsPolicy, 'AfsDailyPolicy')];
  }

  storageConfig(v: RsvVaultModel): Json {
    const body = clone(templates().storageConfig);
    body.id = `${v.id}/backupstorageconfig/vaultstorageconfig`;
    const p = body.properties as Json;
    const lrs = v.index % 3 === 2;
    p.storageModelType = lrs ? 'LocallyRedundant' : 'GeoRedundant';
    p.storageType = lrs ? 'LocallyRedundant' : 'GeoRedundant';
    if (!lrs) p.crossRegionRestoreFlag = true;
    return body;
  }

  vaultConfig(v: RsvVaultModel): Json {
    const body = clone(templates().vaultConfig);
    body.id = `${v.id}/backupconfig/vaultconfig`;
    const p = body.properties as Json;
    p.softDeleteFeatureState = v.index % 4 === 3 ? 'Disabled' : 'Enabled';
    p.softDeleteRetentionPeriodInDays = 14;
    p.isSoftDeleteFeatureStateEditable = true;
    return body;
  }

  encryptionConfig(v: RsvVaultModel): Json {
    const body = clone(templates().encryptionConfig);
    body.id = `${v.id}/backupEncryptionConfigs/backupResourceEncryptionConfig`;
    return body;
  }

  /** Usages_ListByVaults: protected instances and storage bytes. */
  vaultUsages(v: RsvVaultModel): Json[] {
    const list = clone(templates().vaultUsages);
    for (const u of list) {
      const name = (u.name as Json).value;
      if (name === 'ManagedInstances' || name === 'ProtectedItemCount') u.currentValue = v.itemCount;
      if (name === 'GRSStorageUsage') u.currentValue = v.index % 3 === 2 ? 0 : v.itemCount * 536_870_912;
      if (name === 'LRSStorageUsage') u.currentValue = v.index % 3 === 2 ? v.itemCount * 536_870_912 : 0;
    }
    return list;
  }

  /** BackupUsageSummaries_List: protected item counts per management type. */
  usageSummaries(v: RsvVaultModel): Json[] {
    const counts = new Map<string, number>();
    for (let j = 0; j < v.itemCount; j++) {
      const k = itemKindCycle[j % itemKindCycle.length]!;
      const bmt = k === 'sql' ? 'AzureWorkload' : k.startsWith('afs') ? 'AzureStorage' : 'AzureIaasVM';
      counts.set(bmt, (counts.get(bmt) ?? 0) + 1);
    }
    const names: Record<string, string> = { AzureIaasVM: 'Azure Virtual Machine', AzureStorage: 'Azure Storage (Azure Files)', AzureWorkload: 'SQL in Azure VM' };
    return [...counts].map(([value, n]) => ({ name: { localizedValue: names[value], value }, currentValue: n, limit: -1, unit: 'Count' }));
  }

  /** Job j started (1 + 30 j) hours before the base time. */
  jobStartMs(j: number): number {
    return this.baseTimeMs - (1 + 30 * j) * HOUR;
  }

  rsvJobs(v: RsvVaultModel): Json[] {
    const t = templates();
    const out: Json[] = [];
    for (let j = 0; j < this.opts.jobsPerVault; j++) {
      const item = this.itemIdentity(v, j % Math.max(1, v.itemCount));
      const sqlJob = item.kind === 'sql';
      const body = clone(sqlJob ? t.sqlJob : t.vmJob);
      const name = guid(`job:${v.id}`, j);
      body.id = `${v.id}/backupJobs/${name}`;
      body.name = name;
      const p = body.properties as Json;
      const start = this.jobStartMs(j);
      p.entityFriendlyName = item.friendly;
      p.activityId = guid(`activity:${v.id}`, j);
      p.startTime = armTime(start);
      p.status = j === 0 ? 'InProgress' : j % 5 === 4 ? 'Failed' : 'Completed';
      if (p.status === 'InProgress') delete p.endTime;
      else p.endTime = armTime(start + 20 * 60_000);
      p.operation = 'Backup';
      out.push(body);
    }
    return out;
  }

  recoveryPoints(v: RsvVaultModel, j: number): Json[] {
    const t = templates();
    const item = this.itemIdentity(v, j);
    const tpl = item.kind === 'sql' ? t.sqlRecoveryPoint : item.kind.startsWith('afs') ? t.afsRecoveryPoint : t.vmRecoveryPoint;
    const out: Json[] = [];
    for (let k = 0; k < this.opts.recoveryPointsPerItem; k++) {
      const body = clone(tpl);
      const name = String(10_000_000_000_000 + v.index * 1_000_000 + j * 100 + k);
      body.id = `${item.id}/recoveryPoints/${name}`;
      body.name = name;
      const p = body.properties as Json;
      const time = armTime(this.baseTimeMs - (3 + 24 * k) * HOUR);
      if ('recoveryPointTimeInUTC' in p) p.recoveryPointTimeInUTC = time;
      else p.recoveryPointTime = time;
      const rpp = p.recoveryPointProperties as Json | undefined;
      if (rpp && 'expiryTime' in rpp) rpp.expiryTime = armTime(this.baseTimeMs + (30 - k) * DAY);
      out.push(body);
    }
    return out;
  }

  // ---------- Data Protection (Backup vaults) ----------

  backupVaultBody(b: BackupVaultModel): Json {
    const body = clone(templates().backupVault);
    body.id = b.id;
    body.name = b.name;
    body.location = b.location;
    const identity = body.identity as Json;
    identity.tenantId = this.tenantId;
    identity.principalId = guid(`msi:${b.id}`, 0);
    return body;
  }

  backupInstance(b: BackupVaultModel, k: number): Json {
    const t = templates();
    const disk = k % 2 === 0;
    const body = clone(disk ? t.diskInstance : t.blobInstance);
    const wlRg = `rg-workload-${b.subscriptionIndex + 1}`;
    const resName = disk ? `disk-s${b.subscriptionIndex + 1}b${b.index + 1}i${k + 1}` : `stblob${b.subscriptionIndex + 1}${b.index + 1}${k + 1}`;
    const resType = disk ? 'Microsoft.Compute/disks' : 'Microsoft.Storage/storageAccounts';
    const resId = `/subscriptions/${b.subscriptionId}/resourceGroups/${wlRg}/providers/${resType}/${resName}`;
    const name = `${resName}-${resName}-${guid(`bi:${b.id}`, k)}`;
    body.id = `${b.id}/backupInstances/${name}`;
    body.name = name;
    const p = body.properties as Json;
    p.friendlyName = resName;
    const dsi = p.dataSourceInfo as Json;
    dsi.resourceID = resId;
    dsi.resourceUri = resId;
    dsi.resourceName = resName;
    dsi.resourceLocation = b.location;
    if (p.dataSourceSetInfo) {
      const dss = p.dataSourceSetInfo as Json;
      dss.resourceID = resId;
      dss.resourceUri = resId;
      dss.resourceName = resName;
      dss.resourceLocation = b.location;
    }
    (p.policyInfo as Json).policyId = `${b.id}/backupPolicies/${disk ? 'disk-daily' : 'blob-daily'}`;
    return body;
  }

  backupInstances(b: BackupVaultModel): Json[] {
    return Array.from({ length: b.instanceCount }, (_, k) => this.backupInstance(b, k));
  }

  deletedBackupInstances(b: BackupVaultModel): Json[] {
    const out: Json[] = [];
    for (let k = 0; k < b.deletedCount; k++) {
      const body = clone(templates().deletedInstance);
      const name = `deleted-${b.name}-${k + 1}`;
      body.id = `${b.id}/deletedBackupInstances/${name}`;
      body.name = name;
      const p = body.properties as Json;
      p.friendlyName = name;
      (p.policyInfo as Json).policyId = `${b.id}/backupPolicies/pg-daily`;
      const del = p.deletionInfo as Json;
      del.deletionTime = armTime(this.baseTimeMs - 2 * DAY);
      del.billingEndDate = armTime(this.baseTimeMs);
      del.scheduledPurgeTime = armTime(this.baseTimeMs + 12 * DAY);
      out.push(body);
    }
    return out;
  }

  dppRecoveryPoints(b: BackupVaultModel, instanceName: string): Json[] {
    const out: Json[] = [];
    for (let k = 0; k < this.opts.recoveryPointsPerItem; k++) {
      const body = clone(templates().dppRecoveryPoint);
      const name = guid(`dpprp:${b.id}/${instanceName}`, k).replace(/-/g, '');
      body.id = `${b.id}/backupInstances/${instanceName}/recoveryPoints/${name}`;
      body.name = name;
      const p = body.properties as Json;
      p.recoveryPointId = name;
      p.recoveryPointTime = armTime(this.baseTimeMs - (4 + 24 * k) * HOUR);
      out.push(body);
    }
    return out;
  }

  dppJobs(b: BackupVaultModel): Json[] {
    const out: Json[] = [];
    for (let k = 0; k < b.instanceCount; k++) {
      const body = clone(templates().dppJob);
      const name = guid(`dppjob:${b.id}`, k);
      body.id = `${b.id}/backupJobs/${name}`;
      body.name = name;
      const p = body.properties as Json;
      const inst = this.backupInstance(b, k);
      p.backupInstanceId = inst.id;
      p.backupInstanceFriendlyName = (inst.properties as Json).friendlyName;
      p.vaultName = b.name;
      p.startTime = armTime(this.jobStartMs(k));
      p.endTime = armTime(this.jobStartMs(k) + 10 * 60_000);
      p.subscriptionId = b.subscriptionId;
      out.push(body);
    }
    return out;
  }

  // ---------- Resource Graph tables ----------

  /**
   * PolicyResources rows of the subscription: the latest state of the
   * built-in "Azure Backup should be enabled for Virtual Machines"
   * (013e242c-…, assets/azure/backup-policy-definitions.json) for each VM the
   * estate backs up as a VM (kinds vm and vmUnhealthy) and each unprotected
   * VM. Row shape as Resource Graph returns a policy state (id, type,
   * properties with the fields of `az policy state list`); learn.microsoft.com
   * "Azure Resource Graph sample queries for Azure Policy" reads
   * properties.complianceState, resourceId, policyAssignmentId and
   * policyDefinitionId from it. Compliant for every backed-up VM except the
   * first VM of the subscription's first vault, reported NonCompliant (policy
   * evaluation lags a new backup: a disagreement); NonCompliant for the
   * unprotected VMs.
   */
  policyStates(s: SubscriptionModel): Json[] {
    const cached = this.policyStateRows.get(s.subscriptionId);
    if (cached) return cached;
    const definition = '013e242c-8828-4970-87b3-ab247555486d';
    const assignmentId = `/subscriptions/${s.subscriptionId}/providers/Microsoft.Authorization/policyAssignments/backup-vms`;
    const row = (resourceId: string, compliant: boolean, n: number): Json => {
      const rg = resourceId.split('/')[4]!;
      return {
        id: `${resourceId.toLowerCase()}/providers/microsoft.policyinsights/policystates/${guid('policy-state', `${resourceId.toLowerCase()}:${n}`).replace(/-/g, '')}`,
        name: guid('policy-state', `${resourceId.toLowerCase()}:${n}`).replace(/-/g, ''),
        type: 'microsoft.policyinsights/policystates',
        tenantId: this.tenantId,
        kind: '',
        location: '',
        resourceGroup: rg.toLowerCase(),
        subscriptionId: s.subscriptionId,
        managedBy: '',
        sku: null,
        plan: null,
        properties: {
          timestamp: armTime(this.baseTimeMs - 6 * HOUR),
          resourceId,
          resourceType: 'Microsoft.Compute/virtualMachines',
          resourceGroup: rg,
          subscriptionId: s.subscriptionId,
          policyAssignmentId: assignmentId,
          policyAssignmentName: 'backup-vms',
          policyAssignmentScope: `/subscriptions/${s.subscriptionId}`,
          policyDefinitionId: `/providers/Microsoft.Authorization/policyDefinitions/${definition}`,
          policyDefinitionName: definition,
          policyDefinitionAction: 'auditifnotexists',
          policyDefinitionReferenceId: '',
          policySetDefinitionId: '',
          complianceState: compliant ? 'Compliant' : 'NonCompliant',
          complianceReasonCode: '',
        },
        tags: null,
        identity: null,
        zones: null,
        extendedLocation: null,
      };
    };
    const out: Json[] = [];
    this.rsvVaultsOf(s.subscriptionId).forEach((v, vi) => {
      for (let j = 0; j < v.itemCount; j++) {
        const ids = this.itemIdentity(v, j);
        if (ids.kind !== 'vm' && ids.kind !== 'vmUnhealthy') continue;
        out.push(row(ids.sourceResourceId, !(vi === 0 && j === 0), out.length));
      }
    });
    for (let u = 0; u < this.opts.unprotectedVmsPerSubscription; u++) {
      const name = `vm-unprotected-s${s.index + 1}-${u + 1}`;
      out.push(row(`/subscriptions/${s.subscriptionId}/resourceGroups/rg-workload-${s.index + 1}/providers/Microsoft.Compute/virtualMachines/${name}`, false, out.length));
    }
    this.policyStateRows.set(s.subscriptionId, out);
    return out;
  }

  private readonly policyStateRows = new Map<string, Json[]>();

  private argRow(body: Json, extra: { subscriptionId: string; resourceGroup: string; location?: unknown }): Json {
    return {
      id: body.id,
      name: body.name,
      type: String(body.type).toLowerCase(),
      tenantId: this.tenantId,
      kind: '',
      location: body.location ?? extra.location ?? '',
      resourceGroup: extra.resourceGroup.toLowerCase(),
      subscriptionId: extra.subscriptionId,
      managedBy: '',
      sku: body.sku ?? null,
      plan: null,
      properties: body.properties,
      tags: body.tags ?? null,
      identity: body.identity ?? null,
      zones: null,
      extendedLocation: null,
    };
  }

  /**
   * The Resource Graph tables as segments of one type and subscription, so
   * a page of a 100,000-row result is built without building the rest.
   */
  argSegments(table: 'recoveryservicesresources' | 'resources' | 'policyresources'): ArgSegment[] {
    const out: ArgSegment[] = [];
    if (table === 'policyresources') {
      for (const s of this.subscriptions) out.push({ type: 'microsoft.policyinsights/policystates', subscriptionId: s.subscriptionId, count: this.policyStates(s).length, get: (i) => this.policyStates(s)[i]! });
      return out;
    }
    if (table === 'recoveryservicesresources') {
      for (const v of this.rsvVaults) {
        out.push({
          type: 'microsoft.recoveryservices/vaults/backupfabrics/protectioncontainers/protecteditems',
          subscriptionId: v.subscriptionId,
          count: v.itemCount,
          get: (j) => this.argRow(this.rsvItem(v, j), { subscriptionId: v.subscriptionId, resourceGroup: v.resourceGroup, location: v.location }),
        });
      }
      for (const v of this.rsvVaults) {
        const row = (body: Json) => this.argRow(body, { subscriptionId: v.subscriptionId, resourceGroup: v.resourceGroup, location: v.location });
        out.push({ type: 'microsoft.recoveryservices/vaults/backuppolicies', subscriptionId: v.subscriptionId, count: 3, get: (i) => row(this.rsvPolicies(v)[i]!) });
        out.push({ type: 'microsoft.recoveryservices/vaults/backupjobs', subscriptionId: v.subscriptionId, count: this.opts.jobsPerVault, get: (i) => row(this.rsvJobs(v)[i]!) });
      }
      for (const b of this.backupVaults) {
        out.push({
          type: 'microsoft.dataprotection/backupvaults/backupjobs',
          subscriptionId: b.subscriptionId,
          count: b.instanceCount,
          get: (k) => this.argRow(this.dppJobs(b)[k]!, { subscriptionId: b.subscriptionId, resourceGroup: b.resourceGroup, location: b.location }),
        });
        out.push({
          type: 'microsoft.dataprotection/backupvaults/backupinstances',
          subscriptionId: b.subscriptionId,
          count: b.instanceCount,
          get: (k) => this.argRow(this.backupInstance(b, k), { subscriptionId: b.subscriptionId, resourceGroup: b.resourceGroup, location: b.location }),
        });
      }
      return out;
    }
    for (const s of this.subscriptions) {
      const vaults = this.rsvVaultsOf(s.subscriptionId);
      out.push({
        type: 'microsoft.recoveryservices/vaults',
        subscriptionId: s.subscriptionId,
        count: vaults.length,
        get: (i) => this.argRow(this.rsvVaultBody(vaults[i]!), { subscriptionId: s.subscriptionId, resourceGroup: vaults[i]!.resourceGroup }),
      });
      const bvs = this.backupVaultsOf(s.subscriptionId);
      out.push({
        type: 'microsoft.dataprotection/backupvaults',
        subscriptionId: s.subscriptionId,
        count: bvs.length,
        get: (i) => this.argRow(this.backupVaultBody(bvs[i]!), { subscriptionId: s.subscriptionId, resourceGroup: bvs[i]!.resourceGroup }),
      });
      for (const v of vaults) {
        const vmIdx: number[] = [];
        const stIdx: number[] = [];
        for (let j = 0; j < v.itemCount; j++) (itemKindCycle[j % itemKindCycle.length]!.startsWith('afs') ? stIdx : vmIdx).push(j);
        out.push({ type: 'microsoft.compute/virtualmachines', subscriptionId: s.subscriptionId, count: vmIdx.length, get: (i) => this.workloadRow(s, v, vmIdx[i]!) });
        out.push({ type: 'microsoft.storage/storageaccounts', subscriptionId: s.subscriptionId, count: stIdx.length, get: (i) => this.workloadRow(s, v, stIdx[i]!) });
      }
      out.push({
        type: 'microsoft.compute/virtualmachines',
        subscriptionId: s.subscriptionId,
        count: this.opts.unprotectedVmsPerSubscription,
        get: (u) => {
          const name = `vm-unprotected-s${s.index + 1}-${u + 1}`;
          return this.vmRow(s, `/subscriptions/${s.subscriptionId}/resourceGroups/rg-workload-${s.index + 1}/providers/Microsoft.Compute/virtualMachines/${name}`, name, u);
        },
      });
    }
    return out;
  }

  private vmRow(s: SubscriptionModel, id: string, name: string, i: number): Json {
    return {
      id,
      name,
      type: 'microsoft.compute/virtualmachines',
      tenantId: this.tenantId,
      kind: '',
      location: locations[i % locations.length],
      resourceGroup: `rg-workload-${s.index + 1}`,
      subscriptionId: s.subscriptionId,
      managedBy: '',
      sku: null,
      plan: null,
      properties: {
        vmId: guid(`vmid:${id.toLowerCase()}`, 0),
        hardwareProfile: { vmSize: 'Standard_D2s_v5' },
        storageProfile: { osDisk: { osType: 'Windows', name: `${name}_OsDisk_1` } },
        provisioningState: 'Succeeded',
      },
      tags: { Environment: i % 2 === 0 ? 'prod' : 'test' },
      identity: null,
      zones: null,
      extendedLocation: null,
    };
  }

  /** The VM or storage account behind item j of vault v, as a `Resources` row. */
  workloadRow(s: SubscriptionModel, v: RsvVaultModel, j: number): Json {
    const ids = this.itemIdentity(v, j);
    const name = ids.sourceResourceId.split('/').pop()!;
    const wlRg = `rg-workload-${s.index + 1}`;
    if (ids.kind === 'afs' || ids.kind === 'afsSoftDeleted') {
      return {
        id: `/subscriptions/${s.subscriptionId}/resourceGroups/${wlRg}/providers/Microsoft.Storage/storageAccounts/${name}`,
        name,
        type: 'microsoft.storage/storageaccounts',
        tenantId: this.tenantId,
        kind: 'StorageV2',
        location: locations[j % locations.length],
        resourceGroup: wlRg,
        subscriptionId: s.subscriptionId,
        managedBy: '',
        sku: { name: 'Standard_GRS', tier: 'Standard' },
        plan: null,
        properties: { provisioningState: 'Succeeded', primaryLocation: locations[j % locations.length] },
        tags: {},
        identity: null,
        zones: null,
        extendedLocation: null,
      };
    }
    // The VM's own id casing (items may spell its resource group differently).
    return this.vmRow(s, `/subscriptions/${s.subscriptionId}/resourceGroups/${wlRg}/providers/Microsoft.Compute/virtualMachines/${name}`, name, j);
  }
}

export type ArgSegment = { type: string; subscriptionId: string; count: number; get(i: number): Json };
