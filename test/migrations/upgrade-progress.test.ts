/**
 * An upgrade says what it needs before it starts and shows progress (issue 17,
 * "Existing stores"): the store tells each step (store.ts UpgradeEvent) and
 * the CLI prints a line for each on stderr. Checked on a 010 store of two
 * snapshots written by the 010 writer (support.ts writeStore010: 2,500 item
 * rows, so migration 011 reports every 1,000 rows: a tenth of 2,500 is below
 * the 1,000-row floor), upgraded by the store itself and by the CLI.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { upgradeLine } from '../../electron/cli/run.ts';
import { openStore, type UpgradeEvent } from '../../electron/core/store/store.ts';
import { cli } from '../harness/cli.ts';
import { tempStorePath, writeStore010 } from './support.ts';

function store010(): string {
  const p = tempStorePath('vp-upgrade-progress-');
  writeStore010(p);
  return p;
}

const FREE = 64 * 1024 ** 3;

describe('store upgrade progress', () => {
  it('tells the disk it needs and what is free, the backup, each row-by-row step of 011, and the compaction, in that order', () => {
    const p = store010();
    const events: UpgradeEvent[] = [];
    const store = openStore(p, { freeBytes: () => FREE, onUpgrade: (e) => events.push(e) });
    try {
      assert.deepEqual(store.migration.applied, [11]);
      const m = { step: 'migration', id: 11, name: 'compact-items', total: 2500 } as const;
      assert.deepEqual(events, [
        { step: 'start', migrations: [{ id: 11, name: 'compact-items' }], diskNeededBytes: store.migration.diskNeededBytes, freeBytes: FREE },
        { step: 'backup', path: store.migration.backupPath },
        { ...m, done: 0 },
        { ...m, done: 1000 },
        { ...m, done: 2000 },
        { ...m, done: 2500 },
        { step: 'compact' },
      ]);
      assert.ok((store.migration.diskNeededBytes ?? 0) > 0);
      assert.ok(fs.existsSync(store.migration.backupPath!));
    } finally {
      store.close();
    }
  });

  it('a new store is not an upgrade: nothing is told; a listener that throws never stops an upgrade', () => {
    const events: UpgradeEvent[] = [];
    openStore(tempStorePath('vp-upgrade-new-'), { onUpgrade: (e) => events.push(e) }).close();
    assert.deepEqual(events, []);
    const store = openStore(store010(), {
      onUpgrade: () => {
        throw new Error('a broken listener');
      },
    });
    try {
      assert.deepEqual(store.migration.applied, [11]);
    } finally {
      store.close();
    }
  });

  it('the CLI prints each step on stderr before the upgrade notice, and the command still answers', async () => {
    const p = store010();
    const r = await cli(['snapshots', '--json', '--store', p]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as unknown[]).length, 2);
    const lines = r.stderr.trimEnd().split('\n');
    assert.match(lines[0]!, /^vaultproof: upgrading the store's schema \(migration 011\); it needs about [\d,]+ MB free beside the store \([\d,]+ MB free\)$/);
    assert.match(lines[1]!, /^vaultproof: backing up the store first, to .*backups\/vaultproof-schema10-.*\.db$/);
    assert.deepEqual(lines.slice(2, 6), [0, 1000, 2000, 2500].map((n) => `vaultproof: migration 011 compact-items: ${n.toLocaleString('en-US')} of 2,500 item rows`));
    assert.equal(lines[6], 'vaultproof: compacting the store (the upgrade left free pages)');
    assert.match(lines[7]!, /^vaultproof: upgraded the store's schema \(migration 011\); the store as it was before is backed up at /);
    assert.equal(lines.length, 8, r.stderr);
  });

  it('lines for a migration without row-by-row work, and a file system that cannot say what is free', () => {
    assert.equal(upgradeLine({ step: 'migration', id: 6, name: 'items-slim', done: 0, total: null }), 'vaultproof: migration 006 items-slim\n');
    assert.equal(
      upgradeLine({ step: 'start', migrations: [{ id: 10, name: 'a' }, { id: 11, name: 'b' }], diskNeededBytes: 1.5 * 1024 ** 3, freeBytes: null }),
      "vaultproof: upgrading the store's schema (migration 010, 011); it needs about 1,536 MB free beside the store (free space unknown)\n",
    );
  });
});
