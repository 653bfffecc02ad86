import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { itemLites } from '../../electron/core/packs/gather.ts';
import { sha256Hex } from '../../electron/core/store/canonical.ts';
import { computeContentHash } from '../../electron/core/store/content-hash.ts';
import { migrations } from '../../electron/core/store/migrations/index.ts';
import { migration006ItemsSlim } from '../../electron/core/store/migrations/006-items-slim.ts';
import { openStore, type Store } from '../../electron/core/store/store.ts';
import { verifyStore } from '../../electron/core/store/verify.ts';
import { normaliseResource } from '../../shared/domain/normalise/index.ts';
import type { BackupItem } from '../../shared/domain/types.ts';
import { estateItems } from '../harness/estate.ts';

/** Up to this migration: later ones may add indexes of their own. */
const upTo6 = { migrations: migrations.filter((m) => m.id <= 6) };

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function temp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-m006-'));
  dirs.push(dir);
  return path.join(dir, 'vaultproof.db');
}

function itemIndexes(store: Store): string[] {
  return (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'items' ORDER BY name").pluck().all() as string[]);
}

function writeEstate(store: Store, n: number): string {
  const w = store.snapshots.begin(Date.parse('2026-11-21T00:00:00Z'));
  for (const raw of estateItems({ items: n, subscriptions: 2, vaultsPerSubscription: 2, asOf: '2026-11-20T08:00:00Z' })) {
    const rec = normaliseResource(raw);
    if (rec) w.add(rec);
  }
  return w.commit({
    label: null, createdAt: '2026-11-21T00:00:00.000Z', asOf: '2026-11-20T08:00:00.000Z', source: 'import', complete: true,
    provenance: { toolVersion: 'test', source: 'import', user: 't', createdAt: '2026-11-21T00:00:00.000Z', asOfSource: 'option', tenants: [], subscriptions: [] },
    coverage: [],
  }).id;
}

describe('migration 006 (items-slim)', () => {
  it('a new store has two item indexes fewer, and items_analysis ends with resource group and management type', () => {
    const store = openStore(temp(), upTo6);
    try {
      assert.deepEqual(itemIndexes(store), ['items_analysis', 'items_by_last_backup', 'items_by_state', 'items_by_vault', 'items_by_workload', 'items_ui', 'sqlite_autoindex_items_1']);
      const cols = store.db.prepare("SELECT name FROM pragma_index_info('items_analysis') ORDER BY seqno").pluck().all() as Array<string | null>;
      assert.equal(cols.length, 30);
      assert.deepEqual(cols.slice(0, 3), ['snapshot_id', 'key', 'row_hash']);
      assert.deepEqual(cols.slice(-2), ['resource_group', 'backup_management_type']);
      const row = store.db.prepare('SELECT name, hash FROM schema_migrations WHERE id = 6').get() as { name: string; hash: string };
      assert.deepEqual(row, { name: 'items-slim', hash: sha256Hex(migration006ItemsSlim.sql) });
      // The primary key still refuses a second row with the same key (items_diff's uniqueness is not lost).
      assert.throws(() => store.db.prepare("INSERT INTO items (snapshot_id, key, row_hash, name, vault_kind, soft_deleted, data, raw, raw_sha256) VALUES ('s', 'k', 'h', 'n', 'RecoveryServices', 0, '{}', '{}', 'x'), ('s', 'k', 'h2', 'n', 'RecoveryServices', 0, '{}', '{}', 'x')").run(), /UNIQUE/);
    } finally {
      store.close();
    }
  });

  it('upgrades a store holding items: backup first, every content hash kept, store verify clean, the pack item list read from the index alone', () => {
    const p = temp();
    const old = openStore(p, { migrations: migrations.filter((m) => m.id <= 5) });
    let id: string;
    let recorded: string;
    try {
      id = writeEstate(old, 300);
      recorded = old.db.prepare('SELECT content_hash FROM snapshots WHERE id = ?').pluck().get(id) as string;
      assert.ok(itemIndexes(old).includes('items_diff'));
    } finally {
      old.close();
    }
    const store = openStore(p, upTo6);
    let fromJson: BackupItem[] = [];
    let never: string[] = [];
    try {
      assert.deepEqual(store.migration.applied, [6]);
      assert.ok(store.migration.backupPath && fs.existsSync(store.migration.backupPath), 'a backup was taken before the schema changed');
      assert.equal(store.db.prepare('SELECT content_hash FROM snapshots WHERE id = ?').pluck().get(id), recorded);
      assert.equal(computeContentHash(store.db, id), recorded);
      const v = verifyStore(store);
      assert.equal(v.ok, true, JSON.stringify(v.problems.concat(v.snapshots.flatMap((s) => s.problems))));
      assert.ok(!itemIndexes(store).includes('items_diff') && !itemIndexes(store).includes('items_by_name'));

      // Worked out from the normalised JSON itself, not from the index: never backed up means no last backup time and the flag set.
      fromJson = (store.db.prepare('SELECT data FROM items WHERE snapshot_id = ?').pluck().all(id) as string[]).map((d) => JSON.parse(d) as BackupItem);
      never = fromJson.filter((it) => it.lastBackupTime === null && it.neverBackedUp).map((it) => it.key).sort();
      assert.ok(never.length > 0, 'the estate has never-backed-up items');
      const plan = (store.db
        .prepare(`EXPLAIN QUERY PLAN SELECT key, resource_group, backup_management_type, data->>'$.neverBackedUp', data->>'$.lastRecoveryPoint' FROM items INDEXED BY items_analysis WHERE snapshot_id = ? ORDER BY key`)
        .all(id) as Array<{ detail: string }>).map((r) => r.detail).join(' ');
      assert.match(plan, /COVERING INDEX items_analysis/);
    } finally {
      store.close();
    }
    // The pack's item list is read by today's reader, which needs every later migration too (010 moved its fields to columns).
    const now = openStore(p);
    try {
      const after = [...itemLites(now, id)];
      assert.deepEqual(after.filter((it) => it.neverBackedUp).map((it) => it.key).sort(), never);
      assert.deepEqual(after.map((it) => it.resourceGroup), fromJson.sort((a, b) => (a.key < b.key ? -1 : 1)).map((it) => it.resourceGroup));
    } finally {
      now.close();
    }
  });

  it('says how much disk the upgrade needs and refuses to start without it, changing nothing', () => {
    const p = temp();
    const old = openStore(p, { migrations: migrations.filter((m) => m.id <= 5) });
    try {
      writeEstate(old, 200);
    } finally {
      old.close();
    }
    const used = fs.statSync(p).size;
    assert.throws(
      () => openStore(p, { ...upTo6, freeBytes: () => 1024 * 1024 }),
      (e: Error) => {
        const m = /needs about (\d+) MB free beside it \(a (\d+) MB backup first, then up to (\d+) MB while indexes are rebuilt\); only 1 MB are free\..*nothing was changed/.exec(e.message);
        assert.ok(m, e.message);
        // The backup is the store's used pages: no more than the file, and the total is backup plus rebuild.
        assert.ok(Number(m[2]) <= Math.ceil(used / 1048576) && Number(m[2]) >= 1, e.message);
        assert.ok(Math.abs(Number(m[1]) - (Number(m[2]) + Number(m[3]))) <= 2, e.message);
        return true;
      },
    );
    assert.ok(!fs.existsSync(path.join(path.dirname(p), 'backups')), 'no backup was started');
    const again = openStore(p, { migrations: migrations.filter((m) => m.id <= 5) });
    try {
      assert.equal(again.db.prepare('SELECT COUNT(*) FROM schema_migrations WHERE id = 6').pluck().get(), 0);
      assert.ok(itemIndexes(again).includes('items_diff'));
    } finally {
      again.close();
    }
    const upgraded = openStore(p, upTo6);
    try {
      assert.deepEqual(upgraded.migration.applied, [6]);
      assert.ok((upgraded.migration.diskNeededBytes ?? 0) > 0);
    } finally {
      upgraded.close();
    }
  });
});
