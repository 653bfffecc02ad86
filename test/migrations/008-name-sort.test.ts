import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { sha256Hex } from '../../electron/core/store/canonical.ts';
import { computeContentHash } from '../../electron/core/store/content-hash.ts';
import { migrations } from '../../electron/core/store/migrations/index.ts';
import { migration008NameSort } from '../../electron/core/store/migrations/008-name-sort.ts';
import { finishSnapshot, prepareRow } from '../../electron/core/store/rows.ts';
import { unpackItemBody } from '../../electron/core/store/item-body.ts';
import { uuidv7 } from '../../electron/core/store/snapshots.ts';
import { openStore } from '../../electron/core/store/store.ts';
import { verifyStore } from '../../electron/core/store/verify.ts';
import { normaliseResource } from '../../shared/domain/normalise/index.ts';
import { nameSortKey } from '../../shared/domain/natural-sort.ts';
import type { NormalisedRecord } from '../../shared/domain/types.ts';
import { estateItems } from '../harness/estate.ts';

function temp(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vp-m008-')), 'vaultproof.db');
}

/** The item columns as migrations 001–007 left them: what a store written before 008 holds. */
const OLD_ITEM_COLUMNS = [
  'snapshot_id', 'key', 'row_hash', 'name', 'vault_key', 'vault_name', 'vault_kind', 'subscription_id', 'resource_group',
  'workload_type', 'backup_management_type', 'protection_state', 'protection_status', 'health_status', 'last_backup_status',
  'last_backup_time', 'policy_name', 'source_resource_key', 'soft_deleted', 'size_gb', 'data', 'raw', 'raw_sha256',
];

const meta = {
  label: null, createdAt: '2026-11-21T00:00:00.000Z', asOf: '2026-11-20T08:00:00.000Z', source: 'import' as const, complete: true,
  provenance: { toolVersion: 'test', source: 'import' as const, user: 't', createdAt: '2026-11-21T00:00:00.000Z', asOfSource: 'option' as const, tenants: [], subscriptions: [] },
  coverage: [],
};

const triggerSql = (db: { prepare: (s: string) => { pluck: (b: boolean) => { get: (...a: unknown[]) => unknown } } }) =>
  db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'items_no_update'").pluck(true).get() as string | undefined;

describe('migration 008 (name-sort)', () => {
  it('upgrades a store holding items: keys filled from the names, the trigger back as it was, content hashes kept, store verify clean', () => {
    const p = temp();
    const old = openStore(p, { migrations: migrations.filter((m) => m.id <= 7) });
    const id = uuidv7(Date.parse('2026-11-21T00:00:00Z'));
    let recorded: string;
    let oldTrigger: string | undefined;
    try {
      oldTrigger = triggerSql(old.db);
      assert.ok(oldTrigger);
      // Rows as the writer before 008 wrote them (no name_key): db_0 … db_N among the estate's names.
      const insert = old.db.prepare(`INSERT INTO items (${OLD_ITEM_COLUMNS.join(', ')}) VALUES (${OLD_ITEM_COLUMNS.map(() => '?').join(', ')})`);
      old.db.exec('BEGIN IMMEDIATE');
      let n = 0;
      for (const raw of estateItems({ items: 300, subscriptions: 2, vaultsPerSubscription: 2 })) {
        const rec = normaliseResource(raw) as NormalisedRecord | null;
        if (!rec || rec.type !== 'item') continue;
        // The prepared row packs both texts into a body (migration 011); this schema keeps them as columns.
        const v = prepareRow(id, rec).values;
        const texts = unpackItemBody(v[20] as Uint8Array);
        insert.run([...v.slice(0, 20), texts.data, texts.raw, v[21]]);
        n++;
      }
      recorded = finishSnapshot(old.db, id, n, meta).contentHash;
    } finally {
      old.close();
    }

    const store = openStore(p, { migrations: migrations.filter((m) => m.id <= 8) });
    try {
      assert.deepEqual(store.migration.applied, [8]);
      assert.ok(store.migration.backupPath && fs.existsSync(store.migration.backupPath), 'a backup was taken before the schema changed');
      assert.deepEqual(store.db.prepare('SELECT name, hash FROM schema_migrations WHERE id = 8').get(), { name: 'name-sort', hash: sha256Hex(migration008NameSort.sql) });

      // Every key is the domain's function of the name.
      const rows = store.db.prepare('SELECT name, name_key FROM items WHERE snapshot_id = ?').all(id) as Array<{ name: string; name_key: string | null }>;
      assert.ok(rows.length > 200);
      for (const r of rows) assert.equal(r.name_key, nameSortKey(r.name), r.name);

      // The trigger is back, with the same text, and still refuses an update.
      assert.equal(triggerSql(store.db), oldTrigger);
      assert.throws(() => store.db.prepare("UPDATE items SET name_key = 'x' WHERE snapshot_id = ?").run(id), /snapshot items are immutable/);

      assert.equal(computeContentHash(store.db, id), recorded);
      const v = verifyStore(store);
      assert.equal(v.ok, true, JSON.stringify(v.problems.concat(v.snapshots.flatMap((s) => s.problems))));

      // store verify checks the key against the name: a rewritten key (trigger dropped and put back) is named.
      store.db.exec("DROP TRIGGER items_no_update; UPDATE items SET name_key = 'zzz' WHERE name = (SELECT MIN(name) FROM items); " + `${oldTrigger};`);
      const tampered = verifyStore(store);
      assert.equal(tampered.ok, false);
      assert.match(tampered.snapshots[0]!.problems.join('\n'), /column name_key is "zzz" but the normalised record says/);
      store.db.exec(`DROP TRIGGER items_no_update; UPDATE items SET name_key = vp_name_key_v1(name); ${oldTrigger};`);
      assert.equal(verifyStore(store).ok, true);

      // The index walks names naturally: db_2 before db_10 (plain text order has db_10 first).
      const names = store.db.prepare("SELECT name FROM items INDEXED BY items_by_name_key WHERE snapshot_id = ? AND name IN ('db_2', 'db_10', 'db_102', 'db_20') ORDER BY name_key, key").pluck(true).all(id);
      const dbNames = (store.db.prepare("SELECT name FROM items WHERE snapshot_id = ? AND name IN ('db_2', 'db_10', 'db_102', 'db_20')").pluck(true).all(id) as string[]).length;
      assert.ok(dbNames >= 2, 'the estate has some of these names');
      const natural = ['db_2', 'db_10', 'db_20', 'db_102'].filter((x) => (names as string[]).includes(x));
      assert.deepEqual(names, natural);
      const plan = (store.db.prepare('EXPLAIN QUERY PLAN SELECT key, name_key FROM items WHERE snapshot_id = ? ORDER BY name_key, key LIMIT 100').all(id) as Array<{ detail: string }>).map((r) => r.detail).join(' ');
      assert.match(plan, /COVERING INDEX items_by_name_key/);
      assert.doesNotMatch(plan, /TEMP B-TREE/);
    } finally {
      store.close();
    }
  });

  it('a snapshot written after the migration carries its keys from the writer', () => {
    const store = openStore(temp());
    try {
      const w = store.snapshots.begin(Date.parse('2026-11-21T00:00:00Z'));
      for (const raw of estateItems({ items: 40, subscriptions: 1, vaultsPerSubscription: 1 })) {
        const rec = normaliseResource(raw);
        if (rec) w.add(rec);
      }
      const id = w.commit(meta).id;
      const rows = store.db.prepare('SELECT name, name_key FROM items WHERE snapshot_id = ?').all(id) as Array<{ name: string; name_key: string | null }>;
      assert.equal(rows.length, 40);
      for (const r of rows) assert.equal(r.name_key, nameSortKey(r.name), r.name);
      // A new store ran the migration on an empty table: the trigger is there too.
      assert.throws(() => store.db.prepare("UPDATE items SET name_key = 'x'").run(), /snapshot items are immutable/);
    } finally {
      store.close();
    }
  });
});
