import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { sha256Hex } from '../../electron/core/store/canonical.ts';
import { migrations } from '../../electron/core/store/migrations/index.ts';
import { migration004Reserved } from '../../electron/core/store/migrations/004-reserved.ts';
import { openStore } from '../../electron/core/store/store.ts';
import { verifyStore } from '../../electron/core/store/verify.ts';
import { normaliseResource } from '../../shared/domain/normalise/index.ts';
import { fixtures, tempDir } from '../harness/cli.ts';

const items = (JSON.parse(fs.readFileSync(path.join(fixtures, 'import', 'arm-items-iaasvm.json'), 'utf8')) as { value: unknown[] }).value;

/** Tables, indexes and triggers with their SQL: the schema as SQLite holds it. */
function schema(db: Database.Database): Array<{ type: string; name: string; sql: string | null }> {
  return db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as Array<{ type: string; name: string; sql: string | null }>;
}

/** Migrations as the version that added 004 knew them; later ones are tested in their own files. */
const through005 = migrations.filter((m) => m.id <= 5);

/** A store as the versions before 004 existed left it: 1, 2, 3 and 5 applied, one snapshot of three items. */
function storeWithout004(): { path: string; snapshotId: string } {
  const p = path.join(tempDir('vp-m004-'), 'vaultproof.db');
  const store = openStore(p, { migrations: through005.filter((m) => m.id !== 4) });
  assert.deepEqual(store.migration.applied, [1, 2, 3, 5]);
  const w = store.snapshots.begin();
  for (const raw of items) w.add(normaliseResource(raw)!);
  const s = w.commit({ label: 'before 004', createdAt: '2026-11-01T00:00:00.000Z', asOf: '2026-11-01T00:00:00.000Z', source: 'import', complete: true, provenance: { toolVersion: '0.1.0', source: 'import', user: 'u', createdAt: '2026-11-01T00:00:00.000Z', asOfSource: 'option', tenants: [], subscriptions: [] }, coverage: [] });
  store.close();
  return { path: p, snapshotId: s.id };
}

describe('migration 004 (reserved)', () => {
  it('a store that applied 005 but not 004 gets 004 on the next open: backed up first, recorded with its hash, schema and data unchanged', () => {
    const { path: p, snapshotId } = storeWithout004();
    const before = new Database(p, { readonly: true });
    const schemaBefore = schema(before);
    before.close();

    const store = openStore(p, { migrations: through005 });
    try {
      assert.deepEqual(store.migration.applied, [4], 'only the missing id runs, forward');
      assert.ok(store.migration.backupPath && fs.existsSync(store.migration.backupPath), 'a backup was taken');
      const rows = store.db.prepare('SELECT id, name, hash, applied_at FROM schema_migrations ORDER BY id').all() as Array<{ id: number; name: string; hash: string; applied_at: string }>;
      assert.deepEqual(rows.map((r) => r.id), [1, 2, 3, 4, 5]);
      const m4 = rows.find((r) => r.id === 4)!;
      assert.equal(m4.name, 'reserved');
      assert.equal(m4.hash, sha256Hex(migration004Reserved.sql));
      assert.ok(m4.applied_at >= rows.find((r) => r.id === 5)!.applied_at, '004 was applied after 005, on this open');
      assert.deepEqual(schema(store.db), schemaBefore, 'a no-op: no table, index or trigger changed');
      const v = verifyStore(store);
      assert.equal(v.ok, true, JSON.stringify(v.problems));
      assert.deepEqual(v.snapshots.map((s) => s.id), [snapshotId]);
    } finally {
      store.close();
    }

    // The backup is the store as it was: 005 applied, 004 not, the snapshot there.
    const backup = new Database(path.join(path.dirname(p), 'backups', fs.readdirSync(path.join(path.dirname(p), 'backups'))[0]!), { readonly: true });
    assert.deepEqual(backup.prepare('SELECT id FROM schema_migrations ORDER BY id').pluck().all(), [1, 2, 3, 5]);
    assert.deepEqual(backup.prepare('SELECT id FROM snapshots').pluck().all(), [snapshotId]);
    backup.close();

    const again = openStore(p, { migrations: through005 });
    assert.deepEqual(again.migration, { applied: [], backupPath: null }, 'the next open has nothing to do');
    again.close();
  });

  it('a new store applies 1 to 5 in id order and ends with the same schema as a store upgraded out of order', () => {
    const fresh = path.join(tempDir('vp-m004-'), 'vaultproof.db');
    const s = openStore(fresh, { migrations: through005 });
    assert.deepEqual(s.migration.applied, [1, 2, 3, 4, 5]);
    const freshSchema = schema(s.db);
    s.close();

    const { path: upgraded } = storeWithout004();
    openStore(upgraded, { migrations: through005 }).close();
    const db = new Database(upgraded, { readonly: true });
    assert.deepEqual(schema(db), freshSchema);
    db.close();
  });

  it('an edited 004 is refused like any applied migration', () => {
    const p = path.join(tempDir('vp-m004-'), 'vaultproof.db');
    openStore(p).close();
    const edited = migrations.map((m) => (m.id === 4 ? { ...m, sql: `${m.sql}CREATE TABLE sneaky (x);\n` } : m));
    assert.throws(() => openStore(p, { migrations: edited }), /migration 4 "reserved" differs from the one applied \(hash drift\)/);
  });

  it('a store without 004 opened by the current version gets 004 and every later migration, in id order', () => {
    const { path: p } = storeWithout004();
    const store = openStore(p);
    try {
      assert.deepEqual(store.migration.applied, migrations.filter((m) => m.id === 4 || m.id > 5).map((m) => m.id));
      assert.deepEqual(store.db.prepare('SELECT id FROM schema_migrations ORDER BY id').pluck().all(), migrations.map((m) => m.id));
    } finally {
      store.close();
    }
  });
});
