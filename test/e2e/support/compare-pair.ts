/**
 * A small pair of snapshots whose diff is worked out by hand (issue 17: the
 * Compare view's counts and rows must be the CLI `diff`'s). Written straight
 * through the store's SnapshotWriter from ARM protected items, as
 * big-store.ts does. One subscription, two vaults; between October and
 * November:
 *
 *   app-01, app-10  vault-a  unchanged (only the last backup time moves, which the diff does not compare)
 *   app-02          vault-a  protection stopped, its policy removed       → changed (protectionState, policy)
 *   app-03          vault-a  last backup failed                           → changed (protectionStatus, lastBackupStatus)
 *   app-04          vault-a  gone from November                           → removed, gone
 *   app-05          vault-a  soft-deleted in November                     → removed, softDeleted
 *   app-06, app-07  vault-b  vault-b failed to collect in November        → not collected (not claimed as removed)
 *   app-08, app-09  vault-a  new in November                              → added
 *
 * Neither snapshot holds policy or vault records, so retention and vault
 * redundancy are not compared.
 */
import { openStore } from '../../../electron/core/store/store.ts';
import type { CoverageEntry } from '../../../shared/domain/types.ts';
import { toolVersion } from '../../../electron/core/version.ts';
import { normaliseResource } from '../../../shared/domain/normalise/index.ts';
import { subscriptionId } from '../../harness/estate.ts';

const SUB = subscriptionId(0);
const vaultId = (v: string) => `/subscriptions/${SUB}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/${v}`;

type State = { state?: string; failed?: boolean; softDeleted?: boolean };

function vm(vault: string, name: string, asOf: string, s: State = {}): Record<string, unknown> {
  const v = vaultId(vault);
  const src = `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/${name}`;
  const id = `${v}/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;rg-app;${name}/protectedItems/VM;iaasvmcontainerv2;rg-app;${name}`;
  const state = s.state ?? 'Protected';
  const properties: Record<string, unknown> = {
    friendlyName: name,
    virtualMachineId: src,
    protectionStatus: s.failed ? 'Unhealthy' : 'Healthy',
    protectionState: state,
    healthStatus: 'Passed',
    lastBackupStatus: s.failed ? 'Failed' : 'Completed',
    lastBackupTime: new Date(Date.parse(asOf) - 3600_000).toISOString(),
    protectedItemType: 'Microsoft.Compute/virtualMachines',
    backupManagementType: 'AzureIaasVM',
    workloadType: 'VM',
    containerName: `iaasvmcontainerv2;rg-app;${name}`,
    sourceResourceId: src,
    ...(state === 'ProtectionStopped' ? {} : { policyId: `${v}/backupPolicies/DefaultPolicy`, policyName: 'DefaultPolicy' }),
    vaultId: `https://management.azure.com${v}`,
    isArchiveEnabled: false,
  };
  if (s.softDeleted) {
    properties.isScheduledForDeferredDelete = true;
    properties.deferredDeleteTimeInUTC = asOf;
    properties.softDeleteRetentionPeriod = 14;
  }
  return { id, name: id.split('/').pop(), type: 'Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems', properties };
}

const OCT = '2026-10-01T08:00:00.000Z';
const NOV = '2026-11-01T08:00:00.000Z';

function write(storePath: string, label: string, asOf: string, items: Array<Record<string, unknown>>, failedVault: string | null): string {
  const store = openStore(storePath);
  try {
    const writer = store.snapshots.begin(Date.parse(asOf));
    for (const raw of items) {
      const rec = normaliseResource(raw);
      if (rec) writer.add(rec);
    }
    const coverage: CoverageEntry[] = [{ scope: `subscription:${SUB}`, status: 'collected', error: null }];
    if (failedVault) coverage.push({ scope: `vault:${vaultId(failedVault).toLowerCase()}`, status: 'failed', error: { code: 'AuthorizationFailed', message: 'not allowed (test)' } });
    return writer.commit({
      label,
      createdAt: asOf,
      asOf,
      source: 'import',
      complete: failedVault === null,
      provenance: { toolVersion, source: 'import', user: 'e2e', createdAt: asOf, asOfSource: 'option', tenants: [], subscriptions: [SUB] },
      coverage,
    }).id;
  } finally {
    store.close();
  }
}

/** The item's key, as the store writes it (the lower-cased item id). */
export function pairKey(vault: string, name: string): string {
  return `${vaultId(vault)}/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;rg-app;${name}/protectedItems/VM;iaasvmcontainerv2;rg-app;${name}`.toLowerCase();
}

/** Writes the pair into the store; the baseline first. */
export function writeComparePair(storePath: string): { baseline: string; current: string } {
  const baseline = write(
    storePath,
    'Pair October',
    OCT,
    [
      vm('vault-a', 'app-01', OCT),
      vm('vault-a', 'app-02', OCT),
      vm('vault-a', 'app-03', OCT),
      vm('vault-a', 'app-04', OCT),
      vm('vault-a', 'app-05', OCT),
      vm('vault-b', 'app-06', OCT),
      vm('vault-b', 'app-07', OCT),
      vm('vault-a', 'app-10', OCT),
    ],
    null,
  );
  const current = write(
    storePath,
    'Pair November',
    NOV,
    [
      vm('vault-a', 'app-01', NOV),
      vm('vault-a', 'app-02', NOV, { state: 'ProtectionStopped' }),
      vm('vault-a', 'app-03', NOV, { failed: true }),
      vm('vault-a', 'app-05', NOV, { state: 'ProtectionStopped', softDeleted: true }),
      vm('vault-a', 'app-08', NOV),
      vm('vault-a', 'app-09', NOV),
      vm('vault-a', 'app-10', NOV),
    ],
    'vault-b',
  );
  return { baseline, current };
}

/** The diff of the pair, by hand (see the comment at the top); lists in key order. */
export const pairExpected = {
  counts: { added: 2, removed: 2, gone: 1, softDeleted: 1, notCollected: 2, changed: 2, unchanged: 2 },
  changed: [
    { key: pairKey('vault-a', 'app-02'), name: 'app-02', fields: { protectionState: { before: 'Protected', after: 'ProtectionStopped' }, policy: { before: 'DefaultPolicy', after: null } } },
    { key: pairKey('vault-a', 'app-03'), name: 'app-03', fields: { protectionStatus: { before: 'Healthy', after: 'Unhealthy' }, lastBackupStatus: { before: 'Completed', after: 'Failed' } } },
  ],
  added: [
    { key: pairKey('vault-a', 'app-08'), name: 'app-08' },
    { key: pairKey('vault-a', 'app-09'), name: 'app-09' },
  ],
  removed: [
    { key: pairKey('vault-a', 'app-04'), name: 'app-04', reason: 'gone' },
    { key: pairKey('vault-a', 'app-05'), name: 'app-05', reason: 'softDeleted' },
  ],
  notCollected: [
    { key: pairKey('vault-b', 'app-06'), name: 'app-06', reason: 'notCollected' },
    { key: pairKey('vault-b', 'app-07'), name: 'app-07', reason: 'notCollected' },
  ],
  notCompared: ['retention', 'vaultRedundancy'],
} as const;
