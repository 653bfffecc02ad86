import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import Database from 'better-sqlite3';
import { migrations } from '../../electron/core/store/migrations/index.ts';
import { openStore } from '../../electron/core/store/store.ts';
import { migration001Core } from '../../electron/core/store/migrations/001-core.ts';
import { migration002Annotations } from '../../electron/core/store/migrations/002-annotations.ts';
import { migration003Analysis } from '../../electron/core/store/migrations/003-analysis.ts';
import { sha256Hex } from '../../electron/core/store/canonical.ts';
import { J } from '../../electron/core/analysis/load.ts';
import { tmpStore, vmItem, writeSnapshot } from '../analysis/estate.ts';

test('migration 003 creates the sizes and billing datasets and the analysis indexes, and is recorded with its hash', () => {
  // Up to 010: migration 011 replaces items_analysis by the clustered items table.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-mig003-'));
  const store = openStore(path.join(dir, 'vaultproof.db'), { migrations: migrations.filter((m) => m.id <= 10) });
  try {
    const names = store.db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table','index')").pluck(true).all() as string[];
    for (const n of ['sizes_datasets', 'sizes_rows', 'billing_datasets', 'billing_rows', 'items_analysis', 'records_inventory']) assert.ok(names.includes(n), n);
    const row = store.db.prepare('SELECT name, hash FROM schema_migrations WHERE id = 3').get() as { name: string; hash: string };
    assert.deepEqual(row, { name: 'analysis', hash: sha256Hex(migration003Analysis.sql) });
  } finally {
    store.close();
  }
});

test('migration 003: datasets refuse UPDATE and DELETE', () => {
  const { store } = tmpStore('vp-mig003-');
  try {
    const db = store.db;
    db.prepare(`INSERT INTO sizes_datasets (id, label, created_at, created_by, file_name, file_sha256, file_size, format, row_count, content_hash, columns, warnings)
      VALUES ('d1', NULL, 't', 'u', 'f.csv', 'h', 1, 'csv', 1, 'c', '{}', '[]')`).run();
    db.prepare("INSERT INTO sizes_rows (dataset_id, row_no, item_key, source_key, name, vault_name, front_end_gb, storage_gb, data) VALUES ('d1', 2, 'k', NULL, NULL, NULL, 1, 2, '{}')").run();
    db.prepare(`INSERT INTO billing_datasets (id, label, created_at, created_by, file_name, file_sha256, file_size, row_count, skipped_rows, currency, content_hash, columns, warnings)
      VALUES ('b1', NULL, 't', 'u', 'f.csv', 'h', 1, 1, 0, 'USD', 'c', '{}', '[]')`).run();
    db.prepare("INSERT INTO billing_rows (dataset_id, row_no, vault_key, month, meter, cost_cents, currency, data) VALUES ('b1', 2, 'v', '2025-03', NULL, 100, 'USD', '{}')").run();
    for (const t of ['sizes_datasets', 'sizes_rows', 'billing_datasets', 'billing_rows']) {
      assert.throws(() => db.prepare(`UPDATE ${t} SET rowid = rowid`).run(), /immutable/, t);
      assert.throws(() => db.prepare(`DELETE FROM ${t}`).run(), /immutable/, t);
    }
    assert.equal(db.prepare('SELECT front_end_gb FROM sizes_rows').pluck(true).get(), 1);
  } finally {
    store.close();
  }
});

test('analysis reads a snapshot in one ordered walk: from the covering index since 003, from the clustered table since 011', () => {
  const { store } = tmpStore('vp-mig003-');
  try {
    const s = writeSnapshot(store, { asOf: '2025-03-10T00:00:00.000Z', items: [vmItem('a')] });
    const plan = store.db
      .prepare(`EXPLAIN QUERY PLAN SELECT key, name, vault_key, soft_deleted, ${Object.values(J).join(', ')} FROM items WHERE snapshot_id = ? ORDER BY key`)
      .all(s.id) as Array<{ detail: string }>;
    assert.ok(plan.some((p) => /SEARCH items USING PRIMARY KEY \(snapshot_id=\?\)/.test(p.detail)), JSON.stringify(plan));
    assert.ok(!plan.some((p) => /TEMP B-TREE/.test(p.detail)), JSON.stringify(plan));
    const row = store.db.prepare(`SELECT ${J.policyId} AS p, ${J.never} AS n FROM items WHERE snapshot_id = ?`).get(s.id) as { p: string; n: number };
    assert.equal(row.p, vmItem('a').policyId);
    assert.equal(row.n, 0);
  } finally {
    store.close();
  }
});

test('migration 003 upgrades a store at schema 2, indexes its existing items and keeps its snapshots', () => {
  const { dir } = (() => {
    const t = tmpStore('vp-mig003-');
    t.store.close();
    return t;
  })();
  const file = path.join(dir, 'old.db');
  const db = new Database(file);
  db.pragma('page_size = 16384');
  db.exec('CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, hash TEXT NOT NULL, applied_at TEXT NOT NULL)');
  for (const m of [migration001Core, migration002Annotations]) {
    db.exec(m.sql);
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?, ?)').run(m.id, m.name, sha256Hex(m.sql), '2025-01-01T00:00:00.000Z');
  }
  db.prepare(`INSERT INTO snapshots (id, label, created_at, as_of, source, item_count, content_hash, complete, canonical_version, provenance, coverage)
    VALUES ('s1', NULL, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', 'import', 1, 'abc', 1, 1, '{}', '[]')`).run();
  db.prepare(`INSERT INTO items (snapshot_id, key, row_hash, name, vault_kind, soft_deleted, data, raw, raw_sha256) VALUES ('s1', 'k1', 'h', 'n', 'RecoveryServices', 0, ?, '{}', 'r')`).run(
    JSON.stringify({ policyId: '/p/1', tags: { a: 'b' } }),
  );
  db.close();
  const store = openStore(file);
  try {
    assert.ok(store.migration.applied.includes(3));
    assert.ok(store.migration.backupPath && fs.existsSync(store.migration.backupPath), 'backup taken before the migration');
    assert.equal(store.db.prepare("SELECT content_hash FROM snapshots WHERE id = 's1'").pluck(true).get(), 'abc');
    const r = store.db.prepare(`SELECT ${J.policyId} AS p, ${J.tags} AS t FROM items WHERE snapshot_id = 's1'`).get() as { p: string; t: string };
    assert.deepEqual(r, { p: '/p/1', t: '{"a":"b"}' });
  } finally {
    store.close();
  }
});
