/**
 * Synthetic estates shaped like the real payloads (test/fixtures/import): a
 * deterministic mix of VMs, SQL databases and file shares across
 * subscriptions and vaults, with failed, stopped, soft-deleted and never-
 * backed-up items. Used by the bench and by large-input tests.
 */
export type EstateOptions = { items: number; seed?: number; subscriptions?: number; vaultsPerSubscription?: number; asOf?: string };

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const hex = (r: () => number, n: number) => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');

export function subscriptionId(i: number): string {
  return `${(0x10000000 + i).toString(16)}-aaaa-4bbb-8ccc-${(0xd00000000000 + i).toString(16)}`;
}

/** Yields ARM protectedItem resources (as the REST list's `value` elements). */
export function* estateItems(opts: EstateOptions): Generator<Record<string, unknown>> {
  const r = rng(opts.seed ?? 42);
  const subs = opts.subscriptions ?? 5;
  const vaults = opts.vaultsPerSubscription ?? 4;
  const asOfMs = Date.parse(opts.asOf ?? '2026-11-20T08:00:00Z');
  for (let i = 0; i < opts.items; i++) {
    const s = i % subs;
    const v = Math.floor(i / subs) % vaults;
    const sub = subscriptionId(s);
    const rg = `rg-backup-${s}`;
    const vault = `rsv-${s}-${v}`;
    const vaultId = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.RecoveryServices/vaults/${vault}`;
    const kind = r();
    const state = r();
    const protectionState = state < 0.8 ? 'Protected' : state < 0.88 ? 'ProtectionStopped' : state < 0.93 ? 'IRPending' : state < 0.97 ? 'ProtectionError' : 'ProtectionPaused';
    const failed = r() < 0.07;
    const lastBackupMs = asOfMs - Math.floor(r() * 72 * 3600 * 1000);
    const never = protectionState === 'IRPending' && r() < 0.5;
    const softDeleted = protectionState === 'ProtectionStopped' && r() < 0.3;
    const wrg = `rg-app-${i % 97}`;
    let id: string;
    let properties: Record<string, unknown>;
    if (kind < 0.6) {
      const vm = `vm-${i}-${hex(r, 4)}`;
      const src = `/subscriptions/${sub}/resourceGroups/${wrg}/providers/Microsoft.Compute/virtualMachines/${vm}`;
      id = `${vaultId}/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;${wrg};${vm}/protectedItems/VM;iaasvmcontainerv2;${wrg};${vm}`;
      properties = {
        friendlyName: vm,
        virtualMachineId: src,
        protectionStatus: failed ? 'Unhealthy' : 'Healthy',
        protectionState,
        healthStatus: failed ? 'ActionRequired' : 'Passed',
        healthDetails: failed ? [{ code: 400239, title: 'UserErrorVmNotFoundV2', message: 'VM not found', recommendations: [] }] : [],
        lastBackupStatus: never ? '' : failed ? 'Failed' : 'Completed',
        lastBackupTime: never ? '2001-01-01T00:00:00Z' : new Date(lastBackupMs).toISOString().replace('Z', '1234Z'),
        protectedItemDataId: String(100000000 + i),
        extendedProperties: {},
        policyType: '',
        protectedItemType: 'Microsoft.Compute/virtualMachines',
        backupManagementType: 'AzureIaasVM',
        workloadType: 'VM',
        containerName: `iaasvmcontainerv2;${wrg};${vm}`,
        sourceResourceId: src,
        ...(protectionState === 'ProtectionStopped' ? {} : { policyId: `${vaultId}/backupPolicies/DefaultPolicy`, policyName: 'DefaultPolicy' }),
        lastRecoveryPoint: never ? undefined : new Date(lastBackupMs + 3000).toISOString(),
        vaultId: `https://management.azure.com${vaultId}`,
        isArchiveEnabled: false,
        softDeleteRetentionPeriod: softDeleted ? 14 : 0,
      };
    } else if (kind < 0.85) {
      const host = `sqlvm-${i % 500}`;
      const db = `db_${i}`;
      const src = `/subscriptions/${sub}/resourceGroups/${wrg}/providers/Microsoft.Compute/virtualMachines/${host}`;
      id = `${vaultId}/backupFabrics/Azure/protectionContainers/VMAppContainer;Compute;${wrg};${host}/protectedItems/SQLDataBase;mssqlserver;${db}`;
      properties = {
        friendlyName: db,
        serverName: `${host}.contoso.local`,
        parentName: 'MSSQLSERVER',
        parentType: 'AzureVmWorkloadSQLInstance',
        protectionStatus: failed ? 'Unhealthy' : 'Healthy',
        protectionState,
        lastBackupStatus: failed ? 'Unhealthy' : 'Healthy',
        lastBackupTime: new Date(lastBackupMs).toISOString(),
        protectedItemDataSourceId: String(200000000 + i),
        protectedItemHealthStatus: failed ? 'Unhealthy' : 'Healthy',
        protectedItemType: 'AzureVmWorkloadSQLDatabase',
        backupManagementType: 'AzureWorkload',
        workloadType: 'SQLDataBase',
        containerName: `VMAppContainer;Compute;${wrg};${host}`,
        sourceResourceId: src,
        ...(protectionState === 'ProtectionStopped' ? {} : { policyId: `${vaultId}/backupPolicies/HourlyLogBackup` }),
        vaultId: `https://management.azure.com${vaultId}`,
        isArchiveEnabled: false,
        softDeleteRetentionPeriod: softDeleted ? 14 : 0,
      };
    } else {
      const account = `st${s}${i % 300}`;
      const share = `share-${i}`;
      const src = `/subscriptions/${sub}/resourceGroups/${wrg}/providers/Microsoft.Storage/storageAccounts/${account}`;
      id = `${vaultId}/backupFabrics/Azure/protectionContainers/StorageContainer;Storage;${wrg};${account}/protectedItems/AzureFileShare;${hex(r, 64).toUpperCase()}`;
      properties = {
        friendlyName: share,
        fileShareProtocol: 'SMB',
        protectionStatus: 'Healthy',
        protectionState,
        lastBackupStatus: failed ? 'Failed' : 'Completed',
        lastBackupTime: new Date(lastBackupMs).toISOString(),
        protectedItemType: 'AzureFileShareProtectedItem',
        backupManagementType: 'AzureStorage',
        workloadType: 'AzureFileShare',
        containerName: `StorageContainer;Storage;${wrg};${account}`,
        sourceResourceId: src,
        ...(protectionState === 'ProtectionStopped' ? {} : { policyId: `${vaultId}/backupPolicies/DailyAFS` }),
        vaultId: `https://management.azure.com${vaultId}`,
        isArchiveEnabled: false,
        softDeleteRetentionPeriod: softDeleted ? 14 : 0,
      };
    }
    if (softDeleted) {
      properties.isScheduledForDeferredDelete = true;
      properties.deferredDeleteTimeInUTC = new Date(asOfMs + 10 * 86400000).toISOString();
      properties.deferredDeleteTimeRemaining = '9.23:59:26.7360562';
    }
    yield { id, name: id.split('/').pop(), type: 'Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems', properties };
  }
}

/** Writes an estate as one ARM list file (`{"value":[...]}`) in chunks, never holding it all in memory. */
export async function writeEstateFile(file: string, opts: EstateOptions): Promise<{ bytes: number; items: number }> {
  const fs = await import('node:fs');
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  let n = 0;
  let buf = '{"value":[';
  for (const it of estateItems(opts)) {
    buf += (n++ ? ',\n' : '\n') + JSON.stringify(it, null, 1);
    if (buf.length > 1 << 20) {
      bytes += fs.writeSync(fd, buf);
      buf = '';
    }
  }
  buf += '\n]}\n';
  bytes += fs.writeSync(fd, buf);
  fs.closeSync(fd);
  return { bytes, items: n };
}
