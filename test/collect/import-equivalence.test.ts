import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { importFiles } from '../../electron/core/import/index.ts';
import { startArmEmulator, type ArmEmulator } from '../harness/arm-emulator/index.ts';
import { collectFromEmulator, tempDir, tempStore } from './helpers.ts';

const DAY = 24 * 3600_000;

/**
 * Writes what the emulator serves as the files an online colleague would
 * export (raw ARM list bodies, a Resource Graph result), one file per call
 * and not paged — the payloads are the same objects the collector received.
 */
function writeExport(emu: ArmEmulator, dir: string): string[] {
  const e = emu.estate;
  const files: string[] = [];
  const write = (name: string, body: unknown) => {
    const p = path.join(dir, name);
    // Byte for byte what the service sent (compact JSON): since canonical form 2 the raw JSON kept is the
    // file's own text, so the same payload bytes must give the same content hash as the collection.
    fs.writeFileSync(p, JSON.stringify(body));
    files.push(p);
  };
  const jobsFrom = e.baseTimeMs - 7 * DAY;
  for (const s of e.subscriptions) {
    write(`rsv-vaults-${s.index}.json`, { value: e.rsvVaultsOf(s.subscriptionId).map((v) => e.rsvVaultBody(v)) });
    write(`bv-vaults-${s.index}.json`, { value: e.backupVaultsOf(s.subscriptionId).map((b) => e.backupVaultBody(b)) });
  }
  for (const v of e.rsvVaults) {
    write(`items-${v.name}.json`, { value: e.rsvItems(v) });
    write(`policies-${v.name}.json`, { value: e.rsvPolicies(v) });
    write(`jobs-${v.name}.json`, { value: e.rsvJobs(v).filter((j) => Date.parse(String((j.properties as { startTime: string }).startTime)) >= jobsFrom) });
    for (let j = 0; j < v.itemCount; j++) write(`rp-${v.name}-${j}.json`, { value: e.recoveryPoints(v, j) });
  }
  for (const b of e.backupVaults) {
    write(`bv-instances-${b.name}.json`, { value: e.backupInstances(b) });
    write(`bv-deleted-${b.name}.json`, { value: e.deletedBackupInstances(b) });
    write(`bv-jobs-${b.name}.json`, { value: e.dppJobs(b) });
    for (const bi of e.backupInstances(b)) write(`bv-rp-${String(bi.name)}.json`, { value: e.dppRecoveryPoints(b, String(bi.name)) });
  }
  const inventory = e
    .argSegments('resources')
    .filter((s) => ['microsoft.compute/virtualmachines', 'microsoft.storage/storageaccounts'].includes(s.type))
    .flatMap((s) => Array.from({ length: s.count }, (_, i) => s.get(i)));
  write('inventory-1.json', { totalRecords: inventory.length, count: inventory.length, resultTruncated: 'false', data: inventory, facets: [] });
  return files;
}

describe('collect == import', () => {
  it('collecting the emulator gives the same content hash as importing the same payloads as files', async () => {
    // Small pages on purpose: the collection sees many pages, the files one list each.
    const emu = await startArmEmulator({ pageSize: 3, jobsPerVault: 8, itemsPerVault: 8 });
    try {
      const live = tempStore();
      const { result } = await collectFromEmulator(emu, live.store, { include: new Set(['recovery-points', 'jobs', 'inventory', 'backup-vaults']) });
      assert.equal(result.complete, true);
      // 6 vaults × 8 items (soft-deleted AFS included) + 2 × 3 Backup vault items; 2 points per item and instance.
      assert.deepEqual(result.records, { item: 54, vault: 8, policy: 18, recoveryPoint: 48 * 2 + 4 * 2, job: 36 + 4, inventory: 2 * (24 + 2) });

      const files = writeExport(emu, tempDir('vp-export-'));
      const imported = tempStore();
      const res = await importFiles(imported.store, files, { now: new Date('2026-11-24T10:00:00Z'), user: 'auditor2', asOf: '2026-07-27T06:00:00Z' });
      assert.equal(res.itemCount, result.itemCount);
      assert.deepEqual(imported.store.snapshots.detail(res.snapshotId).recordCounts, live.store.snapshots.detail(result.snapshotId).recordCounts);
      assert.equal(res.contentHash, result.contentHash);

      // The raw JSON kept for an item is what the service sent, not the SDK's model (dates stay strings with 7 digits).
      const v = emu.estate.rsvVaults[0]!;
      const key = emu.estate.itemIdentity(v, 0).id.toLowerCase();
      const item = live.store.snapshots.getItem(result.snapshotId, key)!;
      assert.deepEqual(item.raw, emu.estate.rsvItem(v, 0));
      assert.match(String((item.raw as { properties: { lastBackupTime: string } }).properties.lastBackupTime), /\.\d{7}Z$/);

      // The same collection written by the parallel writer (worker thread, big snapshots) hashes the same.
      const saved = process.env.VAULTPROOF_PARALLEL_THRESHOLD;
      process.env.VAULTPROOF_PARALLEL_THRESHOLD = '0';
      try {
        const again = await collectFromEmulator(emu, live.store, { include: new Set(['recovery-points', 'jobs', 'inventory', 'backup-vaults']) });
        assert.equal(again.result.contentHash, result.contentHash);
        assert.equal(live.store.snapshots.list().length, 2);
      } finally {
        if (saved === undefined) delete process.env.VAULTPROOF_PARALLEL_THRESHOLD;
        else process.env.VAULTPROOF_PARALLEL_THRESHOLD = saved;
      }
      live.store.close();
      imported.store.close();
    } finally {
      await emu.close();
    }
  });
});
