/**
 * Synthetic estates for pack tests and the pack bench: items shaped like the
 * normaliser's output for real RSV payloads, written straight into a store.
 */
import type { Store } from '../../electron/core/store/store.ts';
import type { BackupItem, CoverageEntry, NormalisedRecord, SnapshotSummary, VaultRecord } from '../../shared/domain/types.ts';

export const SUB = '11111111-2222-3333-4444-555555555555';
export const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

export function vaultId(name: string, rg = 'rg-backup'): string {
  return `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.RecoveryServices/vaults/${name}`;
}

export function makeItem(vm: string, o: Partial<BackupItem> & { vault?: string; rg?: string } = {}): BackupItem {
  const vault = o.vault ?? 'vault-prod';
  const rg = o.rg ?? 'rg-app';
  const vid = vaultId(vault);
  const id = `${vid}/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;${rg};${vm}/protectedItems/VM;iaasvmcontainerv2;${rg};${vm}`;
  const { vault: _v, rg: _r, ...rest } = o;
  return {
    key: id.toLowerCase(),
    id,
    vaultId: `https://management.azure.com${vid}`,
    vaultKey: vid.toLowerCase(),
    vaultName: vault,
    vaultResourceGroup: 'rg-backup',
    subscriptionId: SUB,
    resourceGroup: 'rg-backup',
    vaultKind: 'RecoveryServices',
    tenantId: TENANT,
    location: 'westeurope',
    protectedItemType: 'Microsoft.Compute/virtualMachines',
    backupManagementType: 'AzureIaasVM',
    workloadType: 'VM',
    name: vm,
    containerName: `iaasvmcontainerv2;${rg};${vm}`,
    serverName: null,
    parentName: null,
    sourceResourceId: `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${vm}`,
    sourceResourceKey: `/subscriptions/${SUB}/resourcegroups/${rg}/providers/microsoft.compute/virtualmachines/${vm}`.toLowerCase(),
    policyId: `${vid}/backupPolicies/DefaultPolicy`,
    policyName: 'DefaultPolicy',
    protectionState: 'Protected',
    protectionStatus: 'Healthy',
    healthStatus: 'Passed',
    protectedItemHealthStatus: null,
    lastBackupStatus: 'Completed',
    lastBackupTime: '2025-10-27T23:08:44.445Z',
    neverBackedUp: false,
    lastRecoveryPoint: '2025-10-27T23:08:44.445Z',
    oldestRecoveryPoint: null,
    recoveryPointCount: null,
    softDeleted: false,
    deferredDeleteTime: null,
    softDeleteRetentionDays: null,
    archiveEnabled: false,
    sizeGb: 64,
    tags: {},
    ...rest,
  };
}

export function makeVault(name: string): VaultRecord {
  const id = vaultId(name);
  return {
    key: id.toLowerCase(),
    id,
    name,
    resourceGroup: 'rg-backup',
    subscriptionId: SUB,
    kind: 'RecoveryServices',
    location: 'westeurope',
    tenantId: TENANT,
    skuName: 'RS0',
    storageRedundancy: 'GeoRedundant',
    crossRegionRestore: false,
    softDeleteState: 'Enabled',
    softDeleteRetentionDays: 14,
    immutabilityState: null,
    multiUserAuthorization: null,
    encryption: null,
    publicNetworkAccess: null,
    tags: {},
  };
}

/** Writes a snapshot of the given items (plus their vaults) and returns its summary. */
export function writeSnapshot(
  store: Store,
  items: Iterable<BackupItem>,
  o: { asOf: string; label?: string; coverage?: CoverageEntry[]; complete?: boolean; nowMs?: number; vaults?: string[] },
): SnapshotSummary {
  const w = store.snapshots.begin(o.nowMs);
  const vaults = new Set<string>(o.vaults ?? []);
  for (const it of items) {
    if (it.vaultName) vaults.add(it.vaultName);
    const raw = { id: it.id, name: it.name, properties: { friendlyName: it.name, protectionState: it.protectionState, lastBackupStatus: it.lastBackupStatus } };
    w.add({ type: 'item', key: it.key, data: it, raw } as NormalisedRecord);
  }
  for (const v of vaults) {
    const rec = makeVault(v);
    w.add({ type: 'vault', key: rec.key, data: rec, raw: { id: rec.id, name: rec.name } } as NormalisedRecord);
  }
  return w.commit({
    label: o.label ?? null,
    createdAt: o.asOf,
    asOf: o.asOf,
    source: 'import',
    complete: o.complete ?? true,
    provenance: { toolVersion: '0.1.0', source: 'import', user: 'tester', createdAt: o.asOf, asOfSource: 'option', tenants: [TENANT], subscriptions: [SUB], files: [] },
    coverage: o.coverage ?? [...vaults].map((v) => ({ scope: `vault:${vaultId(v).toLowerCase()}`, status: 'collected' as const, error: null })),
  });
}

const workloads: Array<Pick<BackupItem, 'workloadType' | 'backupManagementType' | 'protectedItemType'>> = [
  { workloadType: 'VM', backupManagementType: 'AzureIaasVM', protectedItemType: 'Microsoft.Compute/virtualMachines' },
  { workloadType: 'SQLDataBase', backupManagementType: 'AzureWorkload', protectedItemType: 'AzureVmWorkloadSQLDatabase' },
  { workloadType: 'AzureFileShare', backupManagementType: 'AzureStorage', protectedItemType: 'AzureFileShareProtectedItem' },
];
const states = ['Protected', 'Protected', 'Protected', 'Protected', 'ProtectionStopped', 'IRPending', 'ProtectionError'];

/** n deterministic items over 12 vaults and three workloads. */
export function* syntheticItems(n: number): Generator<BackupItem> {
  for (let i = 0; i < n; i++) {
    const wl = workloads[i % workloads.length]!;
    const state = states[i % states.length]!;
    yield makeItem(`vm-${String(i).padStart(6, '0')}`, {
      vault: `vault-${String(i % 12).padStart(2, '0')}`,
      ...wl,
      protectionState: state,
      lastBackupStatus: i % 17 === 0 ? 'Failed' : 'Completed',
      healthStatus: i % 13 === 0 ? 'ActionRequired' : 'Passed',
      sizeGb: i % 9 === 0 ? null : 10 + (i % 700),
      tags: { env: i % 2 ? 'prod' : 'test' },
    });
  }
}

/** Names chosen to exercise the renderers: CJK text and strings a spreadsheet could take for formulas. */
export const CJK_NAME = '東京-財務-データベース';
export const FORMULA_NAMES = ['=HYPERLINK("http://evil.example","click")', '@SUM(A1:A9)'];

/**
 * The pack tests' estate, with every expected figure worked out by hand:
 * baseline (2025-09-30) and current (2025-10-30) share 40 synthetic items;
 * vm-web-01's last backup fails, vm-app-02 is stopped, vm-old-03 is gone,
 * two formula-looking items are added. Current: 45 items, 28 protected
 * (24 synthetic + vm-web-01 + the CJK item + the two added), 4 failed backups.
 */
export function fixtureEstate(store: Store): { baseline: SnapshotSummary; current: SnapshotSummary; keys: Record<'web' | 'app' | 'old' | 'cjk', string> } {
  const web = makeItem('vm-web-01');
  const app = makeItem('vm-app-02');
  const old = makeItem('vm-old-03');
  const cjk = makeItem('vm-tokyo-fin', { name: CJK_NAME });
  const baseline = writeSnapshot(store, [web, app, old, cjk, ...syntheticItems(40)], { asOf: '2025-09-30T06:00:00.000Z', label: 'September', nowMs: Date.parse('2025-09-30T07:00:00Z') });
  const current = writeSnapshot(
    store,
    [
      { ...web, lastBackupStatus: 'Failed' },
      { ...app, protectionState: 'ProtectionStopped' },
      cjk,
      ...FORMULA_NAMES.map((n, i) => makeItem(`vm-added-${i}`, { name: n })),
      ...syntheticItems(40),
    ],
    { asOf: '2025-10-30T06:00:00.000Z', label: 'October', nowMs: Date.parse('2025-10-30T07:00:00Z') },
  );
  return { baseline, current, keys: { web: web.key, app: app.key, old: old.key, cjk: cjk.key } };
}
