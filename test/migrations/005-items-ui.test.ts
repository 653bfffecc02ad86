import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openStore } from '../../electron/core/store/store.ts';
import { sha256Hex } from '../../electron/core/store/canonical.ts';
import { migration005ItemsUi } from '../../electron/core/store/migrations/005-items-ui.ts';
import { migrations } from '../../electron/core/store/migrations/index.ts';
import { writeBigStore } from '../e2e/support/big-store.ts';

function temp(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vp-m005-')), 'vaultproof.db');
}

describe('migration 005 (items-ui)', () => {
  it('creates the covering index in name order, holding every filter column, and records its hash', () => {
    const p = temp();
    // The index as 005 made it: 007 rebuilds it with one more column at its end.
    openStore(p, { migrations: migrations.filter((m) => m.id <= 6) }).close();
    const db = new Database(p, { readonly: true });
    const cols = (db.prepare("SELECT name FROM pragma_index_info('items_ui') ORDER BY seqno").pluck().all() as string[]);
    assert.deepEqual(cols, [
      'snapshot_id',
      'name',
      'key',
      'protection_state',
      'health_status',
      'workload_type',
      'last_backup_status',
      'soft_deleted',
      'backup_management_type',
      'vault_name',
      'subscription_id',
      'resource_group',
      'policy_name',
      'last_backup_time',
    ]);
    const row = db.prepare('SELECT name, hash FROM schema_migrations WHERE id = 5').get() as { name: string; hash: string };
    assert.deepEqual(row, { name: 'items-ui', hash: sha256Hex(migration005ItemsUi.sql) });
    db.close();
  });

  it('upgrades a store that already holds items (backing it up first), and filtered counts then read the index, not the wide rows', () => {
    const p = temp();
    writeBigStore(p, 200, { subscriptions: 2, vaultsPerSubscription: 2 });
    // The store as a Vaultproof without migration 005 left it.
    const old = new Database(p);
    old.exec('DROP INDEX items_ui; DELETE FROM schema_migrations WHERE id = 5;');
    old.close();
    const store = openStore(p);
    try {
      assert.deepEqual(store.migration.applied, [5]);
      assert.ok(store.migration.backupPath && fs.existsSync(store.migration.backupPath), 'a backup was taken before the schema changed');
      const plan = (store.db.prepare("EXPLAIN QUERY PLAN SELECT COUNT(*) FROM items INDEXED BY items_ui WHERE snapshot_id = ? AND health_status = 'Passed'").all('x') as Array<{ detail: string }>)
        .map((r) => r.detail)
        .join(' ');
      assert.match(plan, /COVERING INDEX items_ui/);
      assert.equal(store.db.prepare('SELECT COUNT(*) FROM items INDEXED BY items_ui').pluck().get(), 200);
    } finally {
      store.close();
    }
  });
});
