/**
 * An engine that opens a store left by an older Vaultproof tells the host what
 * the upgrade does as it goes and where the backup went (STORE_UPGRADE_JOB
 * events, through EngineHostOptions.onEvent: not a call's events), in the words
 * the CLI prints. The store: migrations up to 010, 2,500 item rows
 * (test/migrations/support.ts writeStore010), so 011 tells 0, 1,000, 2,000 and
 * 2,500 of 2,500 rows.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { startEngineHost } from '../../electron/core/host/engine-host.ts';
import { STORE_UPGRADE_JOB, type ProgressEvent } from '../../shared/contract/events.ts';
import { tempStorePath, writeStore010 } from '../migrations/support.ts';

describe('engine host: a store upgrade as the engine opens the store', () => {
  it('tells each step, then where the backup is, and answers the call that opened it', async () => {
    const storePath = tempStorePath('vp-host-upgrade-');
    writeStore010(storePath);
    const events: ProgressEvent[] = [];
    const engine = startEngineHost({ storePath, onEvent: (e) => events.push(e) });
    try {
      const list = await engine.call({ method: 'snapshots.list', input: {} });
      assert.ok(list.ok, JSON.stringify(list));
      assert.equal((list.value as unknown[]).length, 2);
      assert.ok(events.every((e) => e.job === STORE_UPGRADE_JOB));
      const [start, backup, ...rest] = events;
      assert.match(start!.message!, /^upgrading the store's schema \(migration 011\); it needs about [\d,]+ MB free beside the store \([\d,]+ MB free\)$/);
      assert.deepEqual([start!.phase, start!.done, start!.total], ['upgrade', 0, null]);
      const backups = fs.readdirSync(path.join(path.dirname(storePath), 'backups'));
      assert.equal(backups.length, 1);
      assert.equal(backup!.message, `backing up the store first, to ${path.join(path.dirname(storePath), 'backups', backups[0]!)}`);
      assert.deepEqual(
        rest.map((e) => [e.phase, e.done, e.total, e.message]),
        [
          ...[0, 1000, 2000, 2500].map((n) => ['upgrade', n, 2500, `migration 011 compact-items: ${n.toLocaleString('en-US')} of 2,500 item rows`]),
          ['upgrade', 0, null, 'compacting the store (the upgrade left free pages)'],
          ['upgraded', 1, 1, `upgraded the store's schema (migration 011); the store as it was before is backed up at ${path.join(path.dirname(storePath), 'backups', backups[0]!)}`],
        ],
      );
      // The store is upgraded once: a second call tells nothing.
      events.length = 0;
      assert.ok((await engine.call({ method: 'snapshots.list', input: {} })).ok);
      assert.deepEqual(events, []);
    } finally {
      await engine.close();
    }
  });
});
