import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BackupItem, InventoryRecord, NormalisedRecord } from '../../shared/domain/types.ts';
import { openStore, type Store } from '../../electron/core/store/store.ts';
import type { Author } from '../../electron/core/annotations/service.ts';

export function tmpDir(prefix = 'vp-ann-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function tmpStore(): Store {
  return openStore(path.join(tmpDir(), 'vaultproof.db'));
}

export const SUB = '00000000-0000-0000-0000-000000000001';

export function vmId(rg: string, name: string): string {
  return `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${name}`;
}

/** A VM backup item in vault `vault1` (RG `rg-backup`) protecting VM `name` in resource group `rg`. */
export function vmItem(rg: string, name: string, extra: Partial<BackupItem> = {}): BackupItem {
  const vaultId = `/subscriptions/${SUB}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/vault1`;
  const id = `${vaultId}/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;${rg};${name}/protectedItems/VM;iaasvmcontainerv2;${rg};${name}`;
  const src = vmId(rg, name);
  return {
    key: id.toLowerCase(),
    id,
    vaultId,
    vaultKey: vaultId.toLowerCase(),
    vaultName: 'vault1',
    vaultResourceGroup: 'rg-backup',
    subscriptionId: SUB,
    resourceGroup: rg,
    vaultKind: 'RecoveryServices',
    tenantId: null,
    location: 'westeurope',
    protectedItemType: 'Microsoft.Compute/virtualMachines',
    backupManagementType: 'AzureIaasVM',
    workloadType: 'VM',
    name,
    containerName: null,
    serverName: null,
    parentName: null,
    sourceResourceId: src,
    sourceResourceKey: src.toLowerCase(),
    policyId: null,
    policyName: 'DefaultPolicy',
    protectionState: 'Protected',
    protectionStatus: 'Healthy',
    healthStatus: 'Passed',
    protectedItemHealthStatus: null,
    lastBackupStatus: 'Completed',
    lastBackupTime: '2025-06-01T01:00:00.000Z',
    neverBackedUp: false,
    lastRecoveryPoint: null,
    oldestRecoveryPoint: null,
    recoveryPointCount: null,
    softDeleted: false,
    deferredDeleteTime: null,
    softDeleteRetentionDays: null,
    archiveEnabled: null,
    sizeGb: null,
    tags: {},
    ...extra,
  };
}

export function vmInventory(rg: string, name: string, tags: Record<string, string> = {}): InventoryRecord {
  const id = vmId(rg, name);
  return { key: id.toLowerCase(), id, name, type: 'Microsoft.Compute/virtualMachines', kind: 'virtualMachine', subscriptionId: SUB, resourceGroup: rg, location: 'westeurope', tags };
}

let clock = Date.parse('2025-06-01T00:00:00.000Z');

/** Writes one snapshot through the store's writer (begin/add/commit). */
export function addSnapshot(store: Store, items: BackupItem[], inventory: InventoryRecord[] = [], label: string | null = null): string {
  clock += 60_000;
  const w = store.snapshots.begin(clock);
  for (const it of items) w.add({ type: 'item', key: it.key, data: it, raw: { id: it.id } } as NormalisedRecord);
  for (const inv of inventory) w.add({ type: 'inventory', key: inv.key, data: inv, raw: { id: inv.id } } as NormalisedRecord);
  const at = new Date(clock).toISOString();
  const s = w.commit({
    label,
    createdAt: at,
    asOf: at,
    source: 'import',
    complete: true,
    provenance: { toolVersion: 'test', source: 'import', user: 'test', createdAt: at, asOfSource: 'option', tenants: [], subscriptions: [] },
    coverage: [],
  });
  return s.id;
}

export function author(user = 'alice', at = '2025-06-10T12:00:00.000Z', displayName: string | null = 'Alice Auditor'): Author {
  return { user, displayName, now: new Date(at) };
}
