/**
 * Names that identify: a name that repeats in a list carries its context;
 * legacy Azure SQL items are named by their database (see truth-table).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { itemLabels, vaultLabels } from '../../shared/domain/names.ts';
import { cli, tempDir } from '../harness/cli.ts';
import { readTruth, TRUTH_DIR } from './truth.ts';

test('labels: master and msdb on two servers carry server and vault; unique names stay; one VM name in two vaults carries the vault; one vault name in two groups carries the group', () => {
  const sql = readTruth('sql-in-vm.rest.json').items;
  const labels = itemLabels(sql);
  const byServer = (name: string, server: string) => labels.get(sql.find((i) => i.name === name && i.serverName === server)!.key);
  assert.equal(byServer('master', 'sql-pstest-vm1'), 'master (sql-pstest-vm1, hiagaVault)');
  assert.equal(byServer('master', 'sql-pstest-vm2'), 'master (sql-pstest-vm2, hiagaVault)');
  assert.equal(byServer('msdb', 'sql-pstest-vm2'), 'msdb (sql-pstest-vm2, hiagaVault)');
  assert.equal(byServer('mig-db1', 'sql-pstest-vm1'), 'mig-db1');

  // The same VM protected in a second vault (same name, other vault and group).
  const [vm] = readTruth('vm.rest.json').items;
  const twin = { ...vm!, key: `${vm!.key}-twin`, vaultName: 'rsv-dr', vaultResourceGroup: 'rg-dr' };
  const vms = itemLabels([vm!, twin]);
  assert.deepEqual([vms.get(vm!.key), vms.get(twin.key)], ['hiaga-adhoc-vm (hiagaVault)', 'hiaga-adhoc-vm (rsv-dr)']);
  // Same vault name in two resource groups: the group tells them apart.
  const same = itemLabels([vm!, { ...twin, vaultName: 'hiagaVault' }]);
  assert.deepEqual([same.get(vm!.key), same.get(twin.key)], ['hiaga-adhoc-vm (hiagaVault, hiagarg)', 'hiaga-adhoc-vm (hiagaVault, rg-dr)']);
  const vaults = vaultLabels([
    { key: 'a', name: 'rsv-prod', resourceGroup: 'rg-a' },
    { key: 'b', name: 'rsv-prod', resourceGroup: 'rg-b' },
    { key: 'c', name: 'rsv-dev', resourceGroup: 'rg-a' },
  ]);
  assert.deepEqual([...vaults.values()], ['rsv-prod (rg-a)', 'rsv-prod (rg-b)', 'rsv-dev']);
});

test('CLI text: findings, diff and cost name items by label, never by cut ARM keys', async () => {
  const store = path.join(tempDir('vp-evidence-names-'), 'v.db');
  const env = { VAULTPROOF_NOW: '2025-01-12T12:00:00Z', VAULTPROOF_USER: 'auditor1' };
  const a = await cli(['import', path.join(TRUTH_DIR, 'vm.rest.json'), '--as-of', '2025-10-28T12:00:00Z', '--label', 'vm', '--store', store, '--json'], env);
  const b = await cli(['import', path.join(TRUTH_DIR, 'sql-in-vm.rest.json'), '--as-of', '2025-01-12T12:00:00Z', '--label', 'sql', '--store', store, '--json'], env);
  assert.equal(a.code + b.code, 0, a.stderr + b.stderr);
  const [idA, idB] = [a, b].map((r) => (JSON.parse(r.stdout) as { snapshotId: string }).snapshotId);

  const f = await cli(['findings', idB!, '--store', store], env);
  assert.equal(f.code, 0, f.stderr);
  // Six stopped databases on sql-pstest-vm1 give protection-stopped; master repeats across servers.
  assert.match(f.stdout, /protection-stopped\s+master \(sql-pstest-vm1, hiagaVault\)/);
  assert.match(f.stdout, /protection-stopped\s+mig-db1\n/);
  assert.doesNotMatch(f.stdout, /\/subscriptions\//);

  const d = await cli(['diff', idA!, idB!, '--store', store], env);
  assert.equal(d.code, 0, d.stderr);
  assert.match(d.stdout, /^\+ master \(sql-pstest-vm2, hiagaVault\)$/m);
  assert.match(d.stdout, /^- hiaga-adhoc-vm \[/m);
  assert.doesNotMatch(d.stdout, /\/subscriptions\//);

  const c = await cli(['cost', idB!, '--store', store], env);
  assert.equal(c.code, 0, c.stderr);
  assert.match(c.stdout, /unpriced: msdb \(sql-pstest-vm1, hiagaVault\) — the rate card holds no fee for SQL Server in Azure VM/);
});
