/**
 * `vaultproof restore-catalog` through the shipped bin: one item by key in
 * text and JSON, a vault filter, and a clear error for an unknown key.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { RecoveryPointRecord } from '../../shared/domain/types.ts';
import type { RestoreCatalogRun } from '../../shared/contract/methods/restore.ts';
import { openStore } from '../../electron/core/store/store.ts';
import { cli, tempDir } from '../harness/cli.ts';
import { policy, vault, vmItem, writeSnapshot } from '../analysis/estate.ts';

function rp(item: { id: string; key: string }, name: string, time: string, tiers: string[]): RecoveryPointRecord {
  const id = `${item.id}/recoveryPoints/${name}`;
  return { key: id.toLowerCase(), id, itemKey: item.key, time, type: 'AppConsistent', tiers, expiryTime: null };
}

test('restore-catalog prints one item: its points by tier, options and the commands with its latest point', async () => {
  const dir = tempDir('vp-restore-cli-');
  const storePath = path.join(dir, 'v.db');
  const a = vmItem('app-a');
  const b = vmItem('app-b', { vault: 'vault2' });
  const store = openStore(storePath);
  writeSnapshot(store, {
    asOf: '2025-03-10T12:00:00.000Z',
    items: [a, b],
    vaults: [vault('vault1', { crossRegionRestore: false }), vault('vault2')],
    policies: [policy('vault1', 'DailyPolicy')],
    recoveryPoints: [rp(a, '901', '2025-03-10T02:00:00.000Z', ['InstantRP', 'HardenedRP']), rp(a, '900', '2025-03-09T02:00:00.000Z', ['HardenedRP'])],
  });
  store.close();

  const r = await cli(['restore-catalog', 'latest', a.key, '--store', storePath]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /: 1 item\(s\)\n/);
  assert.match(r.stdout, /app-a \(vault1, VM, Protected\)/);
  assert.match(r.stdout, /latest point 2025-03-10 02:00 UTC, oldest 2025-03-09 02:00 UTC \(2 listed\)/);
  assert.match(r.stdout, /snapshot: 2025-03-10 02:00 \(1\); vault-standard: 2025-03-09 02:00 to 2025-03-10 02:00 \(2\); archive: none/);
  assert.match(r.stdout, /cross-region restore: off/);
  assert.match(r.stdout, /restore options: Create a new VM; Restore disks; Replace existing disks; File recovery\n/);
  assert.match(r.stdout, /last drill: none recorded/);
  assert.ok(r.stdout.includes("restore:       az backup restore restore-disks --resource-group rg-backup --vault-name vault1 --container-name 'IaasVMContainer;iaasvmcontainerv2;rg-app;app-a' --item-name 'VM;iaasvmcontainerv2;rg-app;app-a' --rp-name 901 --storage-account <staging-storage-account> --target-resource-group <target-resource-group>"), r.stdout);

  const j = await cli(['restore-catalog', 'latest', '--vault', 'VAULT2', '--store', storePath, '--json']);
  assert.equal(j.code, 0, j.stderr);
  const run = JSON.parse(j.stdout) as RestoreCatalogRun;
  assert.equal(run.total, 1);
  assert.equal(run.listedVaults, 1);
  assert.equal(run.entries[0]!.name, 'app-b');
  // vault2's points were not listed: the entry says so (null), not "no points".
  assert.equal(run.entries[0]!.points, null);

  const bad = await cli(['restore-catalog', 'latest', '/subscriptions/x/nothing', '--store', storePath]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /no item with key \/subscriptions\/x\/nothing/);
});
