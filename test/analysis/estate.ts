/**
 * Small test estates built in code, written straight into a store with the
 * SnapshotWriter (fast; no import files needed).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BackupItem, CoverageEntry, InventoryRecord, JobRecord, PolicyRecord, RecoveryPointRecord, VaultRecord } from '../../shared/domain/types.ts';
import { openStore, type Store } from '../../electron/core/store/store.ts';
import type { SnapshotSummary } from '../../shared/domain/types.ts';

export const SUB = '00000000-0000-0000-0000-000000000001';

export function tmpStore(prefix = 'vp-analysis-'): { store: Store; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { store: openStore(path.join(dir, 'v.db')), dir };
}

export function vaultId(name: string, sub = SUB, rg = 'rg-backup'): string {
  return `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.RecoveryServices/vaults/${name}`;
}

export function vmId(name: string, sub = SUB, rg = 'rg-app'): string {
  return `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${name}`;
}

export function itemId(vault: string, vm: string, sub = SUB): string {
  return `${vaultId(vault, sub)}/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;rg-app;${vm}/protectedItems/VM;iaasvmcontainerv2;rg-app;${vm}`;
}

export function policyId(vault: string, name: string, sub = SUB): string {
  return `${vaultId(vault, sub)}/backupPolicies/${name}`;
}

/** A healthy, protected VM item in `vault`, backed up at `lastBackup`. */
export function vmItem(vm: string, over: Partial<BackupItem> & { vault?: string; sub?: string } = {}): BackupItem {
  const vault = over.vault ?? 'vault1';
  const sub = over.sub ?? SUB;
  const id = itemId(vault, vm, sub);
  const vid = vaultId(vault, sub);
  const src = vmId(vm, sub);
  const { vault: _v, sub: _s, ...rest } = over;
  return {
    key: id.toLowerCase(),
    id,
    vaultId: vid,
    vaultKey: vid.toLowerCase(),
    vaultName: vault,
    vaultResourceGroup: 'rg-backup',
    subscriptionId: sub,
    resourceGroup: 'rg-app',
    vaultKind: 'RecoveryServices',
    tenantId: null,
    location: 'westeurope',
    protectedItemType: 'Microsoft.Compute/virtualMachines',
    backupManagementType: 'AzureIaasVM',
    workloadType: 'VM',
    name: vm,
    containerName: `iaasvmcontainerv2;rg-app;${vm}`,
    serverName: null,
    parentName: null,
    sourceResourceId: src,
    sourceResourceKey: src.toLowerCase(),
    policyId: policyId(vault, 'DailyPolicy', sub),
    policyName: 'DailyPolicy',
    protectionState: 'Protected',
    protectionStatus: 'Healthy',
    healthStatus: 'Passed',
    protectedItemHealthStatus: null,
    lastBackupStatus: 'Completed',
    lastBackupTime: '2025-03-10T02:00:00.000Z',
    neverBackedUp: false,
    lastRecoveryPoint: '2025-03-10T02:00:00.000Z',
    oldestRecoveryPoint: null,
    recoveryPointCount: null,
    softDeleted: false,
    deferredDeleteTime: null,
    softDeleteRetentionDays: null,
    archiveEnabled: false,
    sizeGb: null,
    tags: {},
    ...rest,
  };
}

export function vault(name: string, over: Partial<VaultRecord> & { sub?: string } = {}): VaultRecord {
  const sub = over.sub ?? SUB;
  const id = vaultId(name, sub);
  const { sub: _s, ...rest } = over;
  return {
    key: id.toLowerCase(),
    id,
    name,
    resourceGroup: 'rg-backup',
    subscriptionId: sub,
    kind: 'RecoveryServices',
    location: 'westeurope',
    tenantId: null,
    skuName: 'Standard',
    storageRedundancy: 'GeoRedundant',
    crossRegionRestore: false,
    softDeleteState: 'Enabled',
    softDeleteRetentionDays: 14,
    immutabilityState: 'Unlocked',
    multiUserAuthorization: null,
    encryption: null,
    publicNetworkAccess: null,
    tags: {},
    ...rest,
  };
}

export function policy(vaultName: string, name: string, over: Partial<PolicyRecord> = {}): PolicyRecord {
  const id = policyId(vaultName, name);
  return {
    key: id.toLowerCase(),
    id,
    name,
    vaultKey: vaultId(vaultName).toLowerCase(),
    backupManagementType: 'AzureIaasVM',
    workloadType: 'VM',
    scheduleFrequency: 'Daily',
    scheduleIntervalHours: 24,
    dailyRetentionDays: 30,
    weeklyRetentionWeeks: null,
    monthlyRetentionMonths: null,
    yearlyRetentionYears: null,
    protectedItemsCount: null,
    ...over,
  };
}

export function vm(name: string, over: Partial<InventoryRecord> = {}): InventoryRecord {
  const id = vmId(name);
  return { key: id.toLowerCase(), id, name, type: 'Microsoft.Compute/virtualMachines', kind: 'virtualMachine', subscriptionId: SUB, resourceGroup: 'rg-app', location: 'westeurope', tags: {}, ...over };
}

export type EstateSpec = {
  asOf: string;
  items?: BackupItem[];
  vaults?: VaultRecord[];
  policies?: PolicyRecord[];
  inventory?: InventoryRecord[];
  jobs?: JobRecord[];
  recoveryPoints?: RecoveryPointRecord[];
  coverage?: CoverageEntry[];
  label?: string;
};

export function writeSnapshot(store: Store, spec: EstateSpec): SnapshotSummary {
  const w = store.snapshots.begin(Date.parse(spec.asOf));
  for (const it of spec.items ?? []) w.add({ type: 'item', key: it.key, data: it, raw: { id: it.id } });
  for (const v of spec.vaults ?? []) w.add({ type: 'vault', key: v.key, data: v, raw: { id: v.id } });
  for (const p of spec.policies ?? []) w.add({ type: 'policy', key: p.key, data: p, raw: { id: p.id } });
  for (const r of spec.inventory ?? []) w.add({ type: 'inventory', key: r.key, data: r, raw: { id: r.id } });
  for (const j of spec.jobs ?? []) w.add({ type: 'job', key: j.key, data: j, raw: { id: j.id } });
  for (const r of spec.recoveryPoints ?? []) w.add({ type: 'recoveryPoint', key: r.key, data: r, raw: { id: r.id } });
  return w.commit({
    label: spec.label ?? null,
    createdAt: spec.asOf,
    asOf: spec.asOf,
    source: 'import',
    complete: true,
    provenance: { toolVersion: 'test', source: 'import', user: 'test', createdAt: spec.asOf, asOfSource: 'option', tenants: [], subscriptions: [SUB] },
    coverage: spec.coverage ?? [{ scope: `subscription:${SUB}`, status: 'collected', error: null }],
  });
}
