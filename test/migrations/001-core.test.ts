import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openStore } from '../../electron/core/store/store.ts';
import { migrations } from '../../electron/core/store/migrations/index.ts';
import { migration001Core } from '../../electron/core/store/migrations/001-core.ts';
import { sha256Hex } from '../../electron/core/store/canonical.ts';
import { UserError } from '../../electron/core/errors.ts';
import { normaliseResource } from '../../shared/domain/normalise/index.ts';
import { fixtures, tempDir } from '../harness/cli.ts';

const items = (JSON.parse(fs.readFileSync(path.join(fixtures, 'import', 'arm-items-iaasvm.json'), 'utf8')) as { value: unknown[] }).value;

function seed(storePath: string): string {
  const store = openStore(storePath);
  const w = store.snapshots.begin();
  for (const raw of items) w.add(normaliseResource(raw)!);
  const s = w.commit({ label: 't', createdAt: '2026-11-01T00:00:00.000Z', asOf: '2026-11-01T00:00:00.000Z', source: 'import', complete: true, provenance: { toolVersion: '0', source: 'import', user: 'u', createdAt: '2026-11-01T00:00:00.000Z', asOfSource: 'option', tenants: [], subscriptions: [] }, coverage: [] });
  store.close();
  return s.id;
}

describe('migration 001 (core)', () => {
  it('creates the tables, records its hash, and uses WAL with 16 KiB pages', () => {
    const p = path.join(tempDir(), 's.db');
    openStore(p).close();
    const db = new Database(p, { readonly: true });
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").pluck().all() as string[]);
    for (const t of ['snapshots', 'items', 'records', 'snapshot_deletions', 'schema_migrations']) assert.ok(tables.includes(t), t);
    const row = db.prepare('SELECT id, name, hash FROM schema_migrations WHERE id = 1').get() as { id: number; name: string; hash: string };
    assert.equal(row.hash, sha256Hex(migration001Core.sql));
    assert.equal(db.pragma('page_size', { simple: true }), 16384);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    db.close();
  });

  it('makes snapshots and items immutable: UPDATE and DELETE are refused by triggers', () => {
    const p = path.join(tempDir(), 's.db');
    const id = seed(p);
    const db = new Database(p);
    assert.throws(() => db.prepare("UPDATE items SET protection_state = 'Protected' WHERE snapshot_id = ?").run(id), /immutable/);
    assert.throws(() => db.prepare('DELETE FROM items WHERE snapshot_id = ?').run(id), /immutable/);
    assert.throws(() => db.prepare("UPDATE snapshots SET label = 'x' WHERE id = ?").run(id), /immutable/);
    assert.throws(() => db.prepare('DELETE FROM snapshots WHERE id = ?').run(id), /only be deleted as a whole/);
    assert.equal(db.prepare('SELECT COUNT(*) FROM items').pluck().get(), 3);
    db.close();
  });

  it('a snapshot can be deleted whole, with a reason that stays recorded', () => {
    const p = path.join(tempDir(), 's.db');
    const id = seed(p);
    const store = openStore(p);
    assert.throws(() => store.snapshots.delete(id, '  ', 'u', '2026-11-02T00:00:00Z'), /needs a reason/);
    store.snapshots.delete(id, 'duplicate import', 'u', '2026-11-02T00:00:00Z');
    assert.equal(store.db.prepare('SELECT COUNT(*) FROM items').pluck().get(), 0);
    const del = store.db.prepare('SELECT reason, deleted_by FROM snapshot_deletions').get() as { reason: string; deleted_by: string };
    assert.deepEqual(del, { reason: 'duplicate import', deleted_by: 'u' });
    assert.throws(() => store.db.prepare('DELETE FROM snapshot_deletions').run(), /append-only/);
    store.close();
  });

  it('refuses a store from a newer schema version and leaves the file untouched', () => {
    const p = path.join(tempDir(), 's.db');
    openStore(p).close();
    const db = new Database(p);
    db.prepare("INSERT INTO schema_migrations (id, name, hash, applied_at) VALUES (999, 'future', 'x', 'now')").run();
    db.close();
    const before = fs.readFileSync(p);
    assert.throws(() => openStore(p), (e: unknown) => e instanceof UserError && /newer Vaultproof \(schema migration 999 "future"/.test(e.message));
    assert.deepEqual(fs.readFileSync(p), before);
  });

  it('refuses an edited migration (hash drift)', () => {
    const p = path.join(tempDir(), 's.db');
    openStore(p).close();
    const db = new Database(p);
    db.prepare("UPDATE schema_migrations SET hash = 'edited' WHERE id = 1").run();
    db.close();
    assert.throws(() => openStore(p), /hash drift/);
  });

  it('refuses a file that is not SQLite without overwriting it', () => {
    const p = path.join(tempDir(), 'notes.db');
    fs.writeFileSync(p, 'these are my notes, not a database\n');
    assert.throws(() => openStore(p), /not a Vaultproof store \(not a SQLite database\); it was left untouched/);
    assert.equal(fs.readFileSync(p, 'utf8'), 'these are my notes, not a database\n');
  });

  it('backs up an existing store before applying a new migration and says where', () => {
    const p = path.join(tempDir(), 's.db');
    const first = openStore(p, { migrations: [migrations[0]!] });
    assert.equal(first.migration.backupPath, null, 'a new store needs no backup');
    first.close();
    seed(p);
    const extra = { id: 9001, name: 'test-extra', sql: 'CREATE TABLE test_extra (x INTEGER);' };
    const store = openStore(p, { migrations: [...migrations, extra] });
    assert.ok(store.migration.backupPath, 'backup path reported');
    assert.ok(store.migration.applied.includes(9001));
    const backup = new Database(store.migration.backupPath!, { readonly: true });
    assert.equal(backup.prepare('SELECT COUNT(*) FROM items').pluck().get(), 3, 'the backup holds the data');
    assert.equal(backup.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'test_extra'").pluck().get(), 0, 'taken before the migration');
    backup.close();
    store.close();
  });
});
