import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { importFiles } from '../../electron/core/import/index.ts';
import { computeContentHash } from '../../electron/core/store/content-hash.ts';
import { openStore } from '../../electron/core/store/store.ts';
import { fixtures, tempDir } from '../harness/cli.ts';

const f = (dir: string, name: string) => path.join(fixtures, dir, name);
const now = new Date('2026-11-24T10:00:00Z');
const opts = { now, user: 'auditor1', asOf: '2026-11-24T08:00:00Z' };

// An import needs backup items beside the records that describe them (the store refuses an item-less snapshot).
const items = path.join(fixtures, '..', '..', 'assets', 'demo', '2025-10-30', 'protected-items-rsv-prod-weu.json');
const files = [
  items,
  f('access', 'arm-role-assignments.json'),
  f('access', 'az-role-assignments.json'),
  f('access', 'arg-authorizationresources.json'),
  f('access', 'az-role-definitions-custom.json'),
  f('access', 'arm-role-definition.json'),
  f('alerts', 'arm-action-groups.json'),
  f('alerts', 'arm-alert-processing-rules.json'),
  f('policy', 'az-policy-states.json'),
  f('access', 'arm-rsv-vault.json'),
  f('access', 'real-dpp-vault.json'),
];

function rawOf(store: ReturnType<typeof openStore>, snap: string, type: string, key: string): unknown {
  const row = store.db.prepare('SELECT raw FROM records WHERE snapshot_id = ? AND type = ? AND key = ?').get(snap, type, key) as { raw: string } | undefined;
  assert.ok(row, `${type} ${key} stored`);
  return JSON.parse(row.raw) as unknown;
}

describe('access, alert and policy record kinds', () => {
  it('recognises each export shape, counts the kinds and keeps the raw JSON under the content hash', async () => {
    const store = openStore(path.join(tempDir(), 's.db'));
    try {
      const res = await importFiles(store, files, opts);
      const formats = Object.fromEntries(res.files.map((x) => [path.basename(x.path), [x.format, x.records]]));
      assert.deepEqual(formats['arm-role-assignments.json'], ['arm-list', 1]);
      assert.deepEqual(formats['az-role-assignments.json'], ['json-array', 9]);
      assert.deepEqual(formats['arg-authorizationresources.json'], ['resource-graph-rest', 1]);
      assert.deepEqual(formats['az-role-definitions-custom.json'], ['json-array', 2]);
      assert.deepEqual(formats['arm-role-definition.json'], ['arm-resource', 1]);
      assert.deepEqual(formats['arm-action-groups.json'], ['arm-list', 2]);
      assert.deepEqual(formats['arm-alert-processing-rules.json'], ['arm-list', 2]);
      assert.deepEqual(formats['az-policy-states.json'], ['json-array', 2]);
      const d = store.snapshots.detail(res.snapshotId);
      assert.deepEqual(d.recordCounts, { item: 6, vault: 2, roleAssignment: 11, roleDefinition: 3, actionGroup: 2, alertProcessingRule: 2, policyState: 2 });
      // The content hash covers the new kinds: recomputed from the rows it matches the recorded one, and changing one role assignment row changes it.
      assert.equal(computeContentHash(store.db, res.snapshotId), res.contentHash);

      const ra = store.snapshots.records(res.snapshotId, 'roleAssignment');
      const arm = ra.find((r) => r.key.endsWith('/b0f43c54-e787-4862-89b1-a653fa9cf747'))!;
      assert.equal(arm.scopeLevel, 'subscription');
      assert.equal(arm.subscriptionId, 'a925f2f7-5c63-4b7b-8799-25a5f97bc3b2');
      assert.equal(arm.roleDefinitionKey, '0b5fe924-9a61-425c-96af-cfe6e287ca2d');
      assert.equal(arm.principalId, 'ce2ce14e-85d7-4629-bdbc-454d0519d987');
      assert.equal(arm.principalType, 'User');
      assert.equal(arm.principalName, null);
      const mg = ra.find((r) => r.principalName === 'mg.admin@contoso.com')!;
      assert.equal(mg.scopeLevel, 'managementGroup');
      assert.equal(mg.managementGroup, 'mg-contoso');
      assert.equal(mg.roleName, 'Owner');
      assert.equal(mg.roleDefinitionKey, '8e3af657-a8ff-443c-a75c-2fe8c4bcb635');
      const group = ra.find((r) => r.principalName === 'Backup Admins')!;
      assert.deepEqual([group.scopeLevel, group.resourceGroup, group.principalType], ['resourceGroup', 'rg-backup', 'Group']);
      const vaultScoped = ra.find((r) => r.principalName === 'bob@contoso.com')!;
      assert.equal(vaultScoped.scopeLevel, 'resource');
      assert.equal(vaultScoped.scopeKey, '/subscriptions/5b1f4c2a-7d3e-4f60-9a8b-1c2d3e4f5a6b/resourcegroups/rg-backup/providers/microsoft.recoveryservices/vaults/rsv-prod-weu');
      const argRow = ra.find((r) => r.principalId === '11111111-aaaa-4bbb-8ccc-000000000010')!;
      assert.equal(argRow.tenantId, '72f988bf-86f1-41af-91ab-2d7cd011db47');
      assert.equal(argRow.roleDefinitionKey, '5e467623-bb1f-42f4-a55d-6e525e11384b');

      const defs = store.snapshots.records(res.snapshotId, 'roleDefinition');
      const deleter = defs.find((x) => x.key === '6a1f0c55-2d7e-4b8a-9c3d-1e2f3a4b5c6d')!;
      assert.equal(deleter.roleType, 'CustomRole');
      assert.deepEqual(deleter.permissions[0]!.actions, ['Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/delete', 'Microsoft.RecoveryServices/Vaults/read']);
      const armDef = defs.find((x) => x.key === 'roledefinitionid')!;
      assert.deepEqual([armDef.roleName, armDef.roleType, armDef.permissions[0]!.dataActions], ['Role name', 'roletype', ['dataAction']]);

      const groups = store.snapshots.records(res.snapshotId, 'actionGroup');
      const sample = groups.find((g) => g.name === 'SampleActionGroup')!;
      assert.equal(sample.enabled, true);
      assert.deepEqual(sample.receivers.map((r) => r.kind), ['email', 'email', 'sms', 'sms', 'webhook', 'webhook']);
      assert.deepEqual(sample.receivers[3], { kind: 'sms', name: "Jane Smith's mobile", target: '1 0987654321', status: 'Enabled' });
      // A webhook's path may carry a token: only its origin is normalised (the raw JSON keeps it whole).
      assert.equal(sample.receivers[4]!.target, 'http://www.example.com/…');
      assert.equal(groups.find((g) => g.name === 'SampleActionGroup2')!.enabled, false);

      const aprs = store.snapshots.records(res.snapshotId, 'alertProcessingRule');
      const daily = aprs.find((a) => a.name === 'DailySuppression')!;
      assert.deepEqual(daily.actions, [{ actionType: 'RemoveAllActionGroups', actionGroupIds: [] }]);
      assert.equal(daily.scheduled, true);
      const weekly = aprs.find((a) => a.name === 'WeeklySuppression')!;
      assert.deepEqual(weekly.actions, [{ actionType: 'AddActionGroups', actionGroupIds: ['actiongGroup1'] }]);
      assert.equal(weekly.scheduled, false);

      const states = store.snapshots.records(res.snapshotId, 'policyState');
      const vnet = states.find((s) => s.complianceState === 'NonCompliant')!;
      assert.equal(vnet.policyDefinitionKey, '2e3197b6-1f5b-4b01-920c-b2f0a7e9b18a');
      assert.equal(vnet.resourceGroup, 'RG-Tags');
      assert.equal(vnet.isCompliant, false);
      assert.equal(vnet.timestamp, '2020-07-15T08:37:07.901Z');
      assert.equal(vnet.key, '/subscriptions/{subscriptionid}/resourcegroups/rg-tags/providers/microsoft.network/virtualnetworks/rg-tags-vnet|/subscriptions/{subscriptionid}/providers/microsoft.authorization/policyassignments/e0704696df5e4c3c81c873e8|');
      const sub = states.find((s) => s.complianceState === 'Compliant')!;
      assert.equal(sub.policyDefinitionReferenceId, 'identityenablemfaforownerpermissionsmonitoring');
      assert.equal(sub.resourceGroup, null);

      const vaults = store.snapshots.records(res.snapshotId, 'vault');
      const rsv = vaults.find((v) => v.name === 'swaggerExample')!;
      assert.deepEqual(rsv.monitoringSettings, { jobFailureAlerts: 'Enabled', classicCriticalOperationAlerts: 'Disabled' });
      assert.equal(rsv.resourceGuardProtected, false);
      const dpp = vaults.find((v) => v.name === 'pstest-disk-vault')!;
      assert.deepEqual(dpp.monitoringSettings, { jobFailureAlerts: 'Enabled', classicCriticalOperationAlerts: null });
      assert.equal(dpp.resourceGuardProtected, false);
      assert.equal(dpp.softDeleteState, 'AlwaysOn');
      assert.equal(dpp.immutabilityState, 'Locked');

      // Raw JSON kept verbatim: the stored raw of an az CLI row equals the file's element.
      const azRows = JSON.parse(fs.readFileSync(f('access', 'az-role-assignments.json'), 'utf8')) as Array<{ id: string }>;
      assert.deepEqual(rawOf(store, res.snapshotId, 'roleAssignment', mg.key), azRows[0]);
    } finally {
      store.close();
    }
  });

  it('gives the same content hash for the same files, and a different one when one assignment changes', async () => {
    const dir = tempDir();
    const a = openStore(path.join(dir, 'a.db'));
    const b = openStore(path.join(dir, 'b.db'));
    try {
      const one = await importFiles(a, [items, f('access', 'az-role-assignments.json')], opts);
      const rows = JSON.parse(fs.readFileSync(f('access', 'az-role-assignments.json'), 'utf8')) as Array<Record<string, unknown>>;
      rows[3]!.roleDefinitionId = '/subscriptions/5b1f4c2a-7d3e-4f60-9a8b-1c2d3e4f5a6b/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7';
      const changed = path.join(dir, 'changed.json');
      fs.writeFileSync(changed, JSON.stringify(rows));
      const again = await importFiles(b, [items, f('access', 'az-role-assignments.json')], opts);
      assert.equal(again.contentHash, one.contentHash);
      const other = await importFiles(b, [items, changed], opts);
      assert.notEqual(other.contentHash, one.contentHash);
    } finally {
      a.close();
      b.close();
    }
  });
});
