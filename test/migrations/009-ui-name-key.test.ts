import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { sha256Hex } from '../../electron/core/store/canonical.ts';
import { computeContentHash } from '../../electron/core/store/content-hash.ts';
import { migrations } from '../../electron/core/store/migrations/index.ts';
import { migration009UiNameKey } from '../../electron/core/store/migrations/009-ui-name-key.ts';
import { openStore } from '../../electron/core/store/store.ts';
import { verifyStore } from '../../electron/core/store/verify.ts';
import { normaliseResource } from '../../shared/domain/normalise/index.ts';
import { estateItems } from '../harness/estate.ts';

function temp(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vp-m009-')), 'vaultproof.db');
}

const meta = {
  label: null, createdAt: '2026-11-21T00:00:00.000Z', asOf: '2026-11-20T08:00:00.000Z', source: 'import' as const, complete: true,
  provenance: { toolVersion: 'test', source: 'import' as const, user: 't', createdAt: '2026-11-21T00:00:00.000Z', asOfSource: 'option' as const, tenants: [], subscriptions: [] },
  coverage: [],
};

const itemIndexes = (db: { prepare: (s: string) => { pluck: (b: boolean) => { all: () => unknown[] } } }) =>
  db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'items' ORDER BY name").pluck(true).all() as string[];

describe('migration 009 (ui-name-key)', () => {
  it('folds items_by_name_key into items_ui: one index fewer, rows and content hashes untouched, store verify clean', () => {
    const p = temp();
    const old = openStore(p, { migrations: migrations.filter((m) => m.id <= 8) });
    let id: string;
    let recorded: string;
    let rowsBefore: string;
    try {
      const w = old.snapshots.begin(Date.parse('2026-11-21T00:00:00Z'));
      for (const raw of estateItems({ items: 300, subscriptions: 2, vaultsPerSubscription: 2 })) {
        const rec = normaliseResource(raw);
        if (rec) w.add(rec);
      }
      const s = w.commit(meta);
      id = s.id;
      recorded = s.contentHash;
      rowsBefore = sha256Hex(JSON.stringify(old.db.prepare('SELECT * FROM items WHERE snapshot_id = ? ORDER BY key').raw(true).all(id)));
      assert.ok(itemIndexes(old.db).includes('items_by_name_key'));
    } finally {
      old.close();
    }

    const store = openStore(p, { migrations: migrations.filter((m) => m.id <= 9) });
    try {
      assert.deepEqual(store.migration.applied, [9]);
      assert.ok(store.migration.backupPath && fs.existsSync(store.migration.backupPath), 'a backup was taken before the schema changed');
      assert.deepEqual(store.db.prepare('SELECT name, hash FROM schema_migrations WHERE id = 9').get(), { name: 'ui-name-key', hash: sha256Hex(migration009UiNameKey.sql) });
      // Eight indexes on items before (migrations 001–008), seven after.
      assert.deepEqual(itemIndexes(store.db), ['items_analysis', 'items_by_last_backup', 'items_by_last_success', 'items_by_state', 'items_by_vault', 'items_by_workload', 'items_ui', 'sqlite_autoindex_items_1']);
      const cols = store.db.prepare("SELECT name FROM pragma_index_xinfo('items_ui') WHERE key = 1 ORDER BY seqno").pluck(true).all() as Array<string | null>;
      // The expression column (last success) has no name: null in index_xinfo.
      assert.deepEqual(cols, ['snapshot_id', 'name_key', 'key', 'protection_state', 'health_status', 'workload_type', 'last_backup_status', 'soft_deleted',
        'backup_management_type', 'vault_name', 'subscription_id', 'resource_group', 'policy_name', 'last_backup_time', null, 'name']);

      assert.equal(sha256Hex(JSON.stringify(store.db.prepare('SELECT * FROM items WHERE snapshot_id = ? ORDER BY key').raw(true).all(id))), rowsBefore);
      assert.equal(computeContentHash(store.db, id), recorded);
      const v = verifyStore(store);
      assert.equal(v.ok, true, JSON.stringify(v.problems.concat(v.snapshots.flatMap((s) => s.problems))));

      // A filtered, searched page in natural name order is one covered walk of items_ui, never sorted.
      const plan = (store.db.prepare(
        "EXPLAIN QUERY PLAN SELECT key, name_key FROM items INDEXED BY items_ui WHERE snapshot_id = ? AND health_status = 'Passed' AND name LIKE '%1%' ORDER BY name_key, key LIMIT 61",
      ).all(id) as Array<{ detail: string }>).map((r) => r.detail).join(' ');
      assert.match(plan, /COVERING INDEX items_ui/);
      assert.doesNotMatch(plan, /TEMP B-TREE/);
    } finally {
      store.close();
    }
  });
});
