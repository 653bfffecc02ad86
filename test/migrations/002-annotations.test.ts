import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../electron/core/store/store.ts';
import { migration001Core } from '../../electron/core/store/migrations/001-core.ts';
import { migration002Annotations } from '../../electron/core/store/migrations/002-annotations.ts';
import { sha256Hex } from '../../electron/core/store/canonical.ts';

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'vp-mig002-'));
}

test('migration 002 creates the annotation log, current values, recorded heads and settings', () => {
  const store = openStore(path.join(tmpDir(), 'v.db'));
  try {
    const tables = store.db.prepare("SELECT name FROM sqlite_master WHERE type='table'").pluck(true).all() as string[];
    for (const t of ['annotation_log', 'annotation_values', 'annotation_log_heads', 'settings']) assert.ok(tables.includes(t), `table ${t}`);
    const id = store.db.prepare("SELECT value FROM settings WHERE key = 'store.id'").pluck(true).get() as string;
    assert.match(id, /^[0-9a-f]{32}$/);
    const row = store.db.prepare('SELECT name, hash FROM schema_migrations WHERE id = 2').get() as { name: string; hash: string };
    assert.deepEqual(row, { name: 'annotations', hash: sha256Hex(migration002Annotations.sql) });
  } finally {
    store.close();
  }
});

test('migration 002: the log and the recorded heads refuse UPDATE and DELETE', () => {
  const store = openStore(path.join(tmpDir(), 'v.db'));
  try {
    const db = store.db;
    db.prepare(`INSERT INTO annotation_log (seq, id, kind, at, user, display_name, target, field, old_value, new_value, reason, applied, merged_from, prev_hash, hash)
      VALUES (1, 'e1', 'set', '2025-01-01T00:00:00.000Z', 'u', NULL, 'item:/x', 'owner', 'null', '"a"', NULL, 1, NULL, 'p', 'h')`).run();
    db.prepare("INSERT INTO annotation_log_heads (pack_id, count, hash, recorded_at) VALUES ('p1', 1, 'h', '2025-01-01T00:00:00.000Z')").run();
    assert.throws(() => db.prepare("UPDATE annotation_log SET new_value = '\"b\"' WHERE seq = 1").run(), /append-only/);
    assert.throws(() => db.prepare('DELETE FROM annotation_log WHERE seq = 1').run(), /append-only/);
    assert.throws(() => db.prepare('UPDATE annotation_log_heads SET count = 0').run(), /append-only/);
    assert.throws(() => db.prepare('DELETE FROM annotation_log_heads').run(), /append-only/);
    assert.equal(db.prepare('SELECT new_value FROM annotation_log WHERE seq = 1').pluck(true).get(), '"a"');
  } finally {
    store.close();
  }
});

test('migration 002 upgrades a store at schema 1, keeps its snapshots and takes a backup first', () => {
  const dir = tmpDir();
  const file = path.join(dir, 'v.db');
  const db = new Database(file);
  db.pragma('page_size = 16384');
  db.exec('CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, hash TEXT NOT NULL, applied_at TEXT NOT NULL)');
  db.exec(migration001Core.sql);
  db.prepare('INSERT INTO schema_migrations VALUES (1, ?, ?, ?)').run(migration001Core.name, sha256Hex(migration001Core.sql), '2025-01-01T00:00:00.000Z');
  db.prepare(`INSERT INTO snapshots (id, label, created_at, as_of, source, item_count, content_hash, complete, canonical_version, provenance, coverage)
    VALUES ('s1', NULL, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', 'import', 0, 'abc', 1, 1, '{}', '[]')`).run();
  db.close();

  const store = openStore(file);
  try {
    assert.deepEqual(store.migration.applied.filter((n) => n === 2), [2]);
    assert.ok(store.migration.backupPath && fs.existsSync(store.migration.backupPath), 'backup taken');
    assert.equal(store.db.prepare("SELECT content_hash FROM snapshots WHERE id = 's1'").pluck(true).get(), 'abc');
    assert.equal(store.db.prepare('SELECT COUNT(*) FROM annotation_log').pluck(true).get(), 0);
  } finally {
    store.close();
  }
});
