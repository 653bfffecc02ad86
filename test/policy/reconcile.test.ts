import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { normalisePolicyState, policyStateKey } from '../../shared/domain/normalise/monitoring.ts';
import type { BackupItem } from '../../shared/domain/types.ts';
import { backupPolicyDefinitions } from '../../electron/core/policy/definitions.ts';
import { runFindings } from '../../electron/core/analysis/run.ts';
import { importFiles } from '../../electron/core/import/index.ts';
import { SUB, policy, tmpStore, vault, vmItem } from '../analysis/estate.ts';

const fixture = path.join(import.meta.dirname, '..', 'fixtures', 'policy', 'az-policy-states-backup.json');
const raw = JSON.parse(fs.readFileSync(fixture, 'utf8')) as Array<Record<string, unknown>>;

/** An Azure Files item: its source is the storage account, its name the share. */
function shareItem(): BackupItem {
  const base = vmItem('x');
  const account = `/subscriptions/${SUB}/resourceGroups/rg-files/providers/Microsoft.Storage/storageAccounts/stfinance01`;
  const id = `${base.vaultId}/backupFabrics/Azure/protectionContainers/StorageContainer;Storage;rg-files;stfinance01/protectedItems/AzureFileShare;finance-share`;
  return { ...base, key: id.toLowerCase(), id, name: 'finance-share', workloadType: 'AzureFileShare', backupManagementType: 'AzureStorage', sourceResourceId: account, sourceResourceKey: account.toLowerCase() };
}

test('the shipped definitions name the built-in backup policies by id', () => {
  const d = backupPolicyDefinitions();
  assert.equal(d.get('013e242c-8828-4970-87b3-ab247555486d')?.displayName, 'Azure Backup should be enabled for Virtual Machines');
  assert.equal(d.get('cfc5190a-3b19-4a23-b563-a4c719b666e4')?.protects, 'fileShare');
});

test('each disagreement between Azure Policy and the backup items is a finding; agreements and unknowns are not', () => {
  const { store, dir } = tmpStore('vp-policy-');
  try {
    // Items protect VMs a and b and the finance share; c, d and e have none.
    const items = [vmItem('a'), vmItem('b'), shareItem()];
    const w = store.snapshots.begin(Date.parse('2025-03-10T12:00:00.000Z'));
    for (const it of items) w.add({ type: 'item', key: it.key, data: it, raw: { id: it.id } });
    const v = vault('vault1');
    w.add({ type: 'vault', key: v.key, data: v, raw: { id: v.id } });
    const p = policy('vault1', 'DailyPolicy');
    w.add({ type: 'policy', key: p.key, data: p, raw: { id: p.id } });
    for (const r of raw) {
      const key = policyStateKey(r)!;
      w.add({ type: 'policyState', key, data: normalisePolicyState(r, key), raw: r });
    }
    const s = w.commit({ label: null, createdAt: '2025-03-10T12:00:00.000Z', asOf: '2025-03-10T12:00:00.000Z', source: 'import', complete: true, provenance: { toolVersion: 'test', source: 'import', user: 't', createdAt: '2025-03-10T12:00:00.000Z', asOfSource: 'option', tenants: [], subscriptions: [SUB] }, coverage: [] });
    const r = runFindings(store, s.id, { annotations: new Map() });
    const found = r.findings.filter((f) => f.rule === 'policy-disagrees-with-coverage');
    // a: NonCompliant but protected; c: Compliant but unprotected; finance-share: NonCompliant but protected.
    // b (Compliant, protected) and d (NonCompliant, unprotected) agree; e is in a subscription the snapshot has no items of.
    assert.deepEqual(found.map((f) => f.evidence.name).sort(), ['a', 'c', 'finance-share']);
    const a = found.find((f) => f.evidence.name === 'a')!;
    assert.equal(a.evidence.disagreement, 'Azure Policy says not backed up; a backup item protects it');
    assert.deepEqual((a.evidence.backupItems as Array<{ name: string; vault: string }>).map((x) => [x.name, x.vault]), [['a', 'vault1']]);
    assert.deepEqual((a.evidence.azurePolicy as Array<{ definition: string; assignment: string; complianceState: string }>).map((x) => [x.definition, x.assignment, x.complianceState]), [['Azure Backup should be enabled for Virtual Machines', 'backup-vms', 'NonCompliant']]);
    const c = found.find((f) => f.evidence.name === 'c')!;
    assert.equal(c.evidence.disagreement, 'Azure Policy says backed up; no backup item in the snapshot protects it');
    assert.equal(c.target, `resource:${`/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/c`.toLowerCase()}`);
    assert.ok(r.assumptions.some((x) => x.rule === 'policy-disagrees-with-coverage' && x.note.startsWith('1 backup policy state(s) not checked')), JSON.stringify(r.assumptions));
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the az policy state list file imports as policyState records next to an item list; states of another subscription are not checked', async () => {
  const { store, dir } = tmpStore('vp-policy-');
  try {
    const items = path.join(import.meta.dirname, '..', '..', 'assets', 'demo', '2025-10-30', 'protected-items-rsv-prod-weu.json');
    const imp = await importFiles(store, [items, fixture], { asOf: '2025-03-10T12:00:00Z', now: new Date('2025-03-11T00:00:00Z'), user: 't' });
    assert.equal(store.snapshots.detail(imp.snapshotId).recordCounts.policyState, 7);
    const r = runFindings(store, imp.snapshotId, { annotations: new Map() });
    // The demo items are in another subscription: the NonCompliant VMs and share have no item (agreement), the three Compliant ones cannot be checked.
    assert.equal(r.findings.filter((f) => f.rule === 'policy-disagrees-with-coverage').length, 0);
    assert.ok(r.assumptions.some((x) => x.rule === 'policy-disagrees-with-coverage' && x.note.startsWith('3 backup policy state(s) not checked')), JSON.stringify(r.assumptions));
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
