import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { itemKeyFromId } from '../../shared/domain/keys.ts';
import { collect } from '../../electron/core/collect/index.ts';
import { UserError } from '../../electron/core/errors.ts';
import type { Store } from '../../electron/core/store/store.ts';
import { startArmEmulator, type ArmEmulator } from '../harness/arm-emulator/index.ts';
import { collectFromEmulator, emulatorCredential, emulatorOptions, recordingSleep, tempDir, tempStore } from './helpers.ts';

/*
 * Issue 17: a big collection's records are written while requests are still
 * in flight, inside one transaction that commits only when the collection
 * ends. The parallel-write threshold is set to 0 here so that these small
 * estates take the big-collection path from the first record.
 */

/** Rows of every snapshot in the store, committed or not visible to this connection. */
function rowCounts(store: Store): { items: number; records: number } {
  return {
    items: store.db.prepare('SELECT count(*) FROM items').pluck().get() as number,
    records: store.db.prepare('SELECT count(*) FROM records').pluck().get() as number,
  };
}

function itemKeysOf(emu: ArmEmulator, skipVault?: string): string[] {
  const keys: string[] = [];
  for (const v of emu.estate.rsvVaults) {
    if (v.name === skipVault) continue;
    for (let j = 0; j < v.itemCount; j++) keys.push(itemKeyFromId(emu.estate.itemIdentity(v, j).id));
  }
  return keys.sort();
}

describe('collection writes while the network is busy (issue 17)', () => {
  let saved: string | undefined;
  before(() => {
    saved = process.env.VAULTPROOF_PARALLEL_THRESHOLD;
    process.env.VAULTPROOF_PARALLEL_THRESHOLD = '0';
  });
  after(() => {
    if (saved === undefined) delete process.env.VAULTPROOF_PARALLEL_THRESHOLD;
    else process.env.VAULTPROOF_PARALLEL_THRESHOLD = saved;
  });

  // Two subscriptions × three vaults × six items, four a page: every vault's items take two requests.
  // One request at a time: the last vault (in key order) is collected last, and the second page of its
  // items is the last request of the whole collection (its other parts were queued before it).
  const estate = { pageSize: 4, latencyMs: 20, backupVaultsPerSubscription: 0 };
  const lastVault = (emu: ArmEmulator) => [...emu.estate.rsvVaults].sort((a, b) => (a.id.toLowerCase() < b.id.toLowerCase() ? -1 : 1)).at(-1)!;
  const itemsPath = (v: { id: string }) => `${v.id}/backupProtectedItems`;

  /** Resolves once the writer has been handed at least n records. */
  function writtenAtLeast(n: number): { onWritten: (k: number) => void; reached: Promise<void>; count: () => number } {
    let count = 0;
    let resolve!: () => void;
    const reached = new Promise<void>((r) => (resolve = r));
    return {
      onWritten: (k) => {
        count = k;
        if (k >= n) resolve();
      },
      reached,
      count: () => count,
    };
  }
  // The five vaults collected before the last one (6 items and 3 policies each) and the two subscriptions' vault lists.
  const beforeLastVault = 5 * (6 + 3) + 6;

  it('a last request that fails after its vault’s first page was collected leaves none of that vault in the snapshot, and the hash equals a sequential write of the same answers', { timeout: 120_000 }, async () => {
    const emu = await startArmEmulator(estate);
    try {
      const v = lastVault(emu);
      const w = writtenAtLeast(beforeLastVault);
      const { store } = tempStore();
      // The first page of the last vault's items is answered; the second (the last request) is held until
      // the other vaults are in the open transaction, then fails: a 500 the client retries into a 403.
      void emu.waitForRequest((r) => r.path === itemsPath(v) && !r.query.$skiptoken).then(() => emu.addFault({ match: new RegExp(`^GET ${itemsPath(v)}$`), hold: true, times: 1 }));
      void emu
        .waitForRequest((r) => r.path === itemsPath(v) && !!r.query.$skiptoken)
        .then(() => w.reached)
        .then(() => {
          emu.addFault({ match: new RegExp(`^GET ${itemsPath(v)}$`), status: 403, times: 1 });
          emu.releaseHeld();
        });
      const { result } = await collectFromEmulator(emu, store, { concurrency: 1, include: new Set() }, { onWritten: w.onWritten });
      assert.equal(result.complete, false);
      const failed = result.coverage.filter((c) => c.status === 'failed');
      assert.deepEqual(
        failed.map((c) => [c.scope, c.error?.code, c.itemCount]),
        [[`vault:${v.id.toLowerCase()}`, 'AuthorizationFailed', 0]],
      );
      // Its first page (four items) was collected but never written: the vault is all out.
      assert.deepEqual(store.snapshots.allItems(result.snapshotId).map((i) => i.key), itemKeysOf(emu, v.name));
      assert.deepEqual(result.records, { item: 30, vault: 6, policy: 18, recoveryPoint: 0, job: 0, inventory: 0 });
      assert.equal(w.count(), 30 + 6 + 18);

      // The same answers collected one request at a time and written after the network phase, on the
      // store's own connection (the small-snapshot path), hash the same.
      delete process.env.VAULTPROOF_PARALLEL_THRESHOLD;
      try {
        const mark = emu.requests.length;
        void emu.waitForRequest((r) => r.seq > mark && r.path === itemsPath(v) && !r.query.$skiptoken).then(() => emu.addFault({ match: new RegExp(`^GET ${itemsPath(v)}$`), status: 403, times: 1 }));
        const seq = tempStore();
        const again = await collectFromEmulator(emu, seq.store, { concurrency: 1, include: new Set() }, { writeAfterNetwork: true });
        assert.deepEqual(again.result.records, result.records);
        assert.equal(again.result.contentHash, result.contentHash);
        seq.store.close();
      } finally {
        process.env.VAULTPROOF_PARALLEL_THRESHOLD = '0';
      }
      store.close();
    } finally {
      await emu.close();
    }
  });

  it('cancelling during the last request, after most records were written, stores nothing: no snapshot, no rows, no spool files, and the store takes the next snapshot', { timeout: 120_000 }, async () => {
    const emu = await startArmEmulator(estate);
    try {
      const v = lastVault(emu);
      const { store, storePath } = tempStore();
      const spoolDir = tempDir('vp-spool-');
      const controller = new AbortController();
      const w = writtenAtLeast(beforeLastVault);
      void emu.waitForRequest((r) => r.path === itemsPath(v) && !r.query.$skiptoken).then(() => emu.addFault({ match: new RegExp(`^GET ${itemsPath(v)}$`), hold: true, times: 1 }));
      const running = collect(emulatorOptions(emu, { concurrency: 1, include: new Set() }), {
        store,
        now: () => new Date(emu.estate.baseTimeMs),
        user: 'auditor1',
        signal: controller.signal,
        onProgress: () => {},
        credential: emulatorCredential(emu),
        sleep: recordingSleep().sleep,
        spoolDir,
        onWritten: w.onWritten,
      });
      await emu.waitForRequest((r) => r.path === itemsPath(v) && !!r.query.$skiptoken);
      // The last request is held; cancel once the five finished vaults are in the open transaction.
      await w.reached;
      controller.abort();
      await assert.rejects(running, (e: unknown) => e instanceof UserError && e.code === 'CANCELLED');
      emu.releaseHeld();
      assert.deepEqual(store.snapshots.list(), []);
      assert.deepEqual(rowCounts(store), { items: 0, records: 0 });
      assert.deepEqual(fs.readdirSync(spoolDir), []);
      assert.equal(store.db.inTransaction, false);

      // The rolled-back transaction released the store: the next collection is written whole.
      emu.clearFaults();
      const { result } = await collectFromEmulator(emu, store, { include: new Set() });
      assert.equal(result.complete, true);
      assert.equal(result.itemCount, 36);
      assert.equal(store.snapshots.list().length, 1);
      assert.deepEqual(rowCounts(store), { items: 36, records: 6 + 18 });
      assert.ok(fs.existsSync(storePath));
      store.close();
    } finally {
      await emu.close();
    }
  });

  it('the content hash of a collection written while 8 requests are in flight equals that of the same data collected one request at a time and written after', async () => {
    // Items, recovery points, jobs, inventory and Backup vaults: every kind of group, answers arriving in a different order.
    const emu = await startArmEmulator({ pageSize: 3, jobsPerVault: 8, itemsPerVault: 8, latencyMs: 5 });
    try {
      const include = new Set(['recovery-points', 'jobs', 'inventory', 'backup-vaults'] as const);
      const a = tempStore();
      const overlapped = await collectFromEmulator(emu, a.store, { concurrency: 8, include });
      const b = tempStore();
      const sequential = await collectFromEmulator(emu, b.store, { concurrency: 1, include }, { writeAfterNetwork: true });
      assert.equal(overlapped.result.complete, true);
      assert.deepEqual(overlapped.result.records, sequential.result.records);
      assert.deepEqual(overlapped.result.records, { item: 54, vault: 8, policy: 18, recoveryPoint: 48 * 2 + 4 * 2, job: 36 + 4, inventory: 2 * (24 + 2) });
      assert.equal(overlapped.result.contentHash, sequential.result.contentHash);
      a.store.close();
      b.store.close();
    } finally {
      await emu.close();
    }
  });
});
