/**
 * Migration 011 (compact-items): items becomes a WITHOUT ROWID table
 * clustered on (snapshot_id, key), data and raw become one packed body, and
 * every index but items_ui goes. Checked here: an upgrade keeps every text
 * byte for byte and every hash, backs up first and compacts the file; the new
 * writer stores the same thing; the body is readable by zlib alone; a damaged
 * body is named by store verify; items stays immutable.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, it } from 'node:test';
import { sha256Hex } from '../../electron/core/store/canonical.ts';
import { computeContentHash } from '../../electron/core/store/content-hash.ts';
import { BODY_DICTIONARY_1_BASE64 } from '../../electron/core/store/body-dictionary.ts';
import { migrations } from '../../electron/core/store/migrations/index.ts';
import { migration011CompactItems } from '../../electron/core/store/migrations/011-compact-items.ts';
import { openStore, type Store } from '../../electron/core/store/store.ts';
import { verifyStore } from '../../electron/core/store/verify.ts';
import { FINDINGS_SQL } from '../../electron/core/analysis/load.ts';
import { normaliseResource } from '../../shared/domain/normalise/index.ts';
import { estateItems } from '../harness/estate.ts';
import { tempStorePath, writeRawSnapshot } from './support.ts';

const temp = (): string => tempStorePath('vp-m011-');

const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'import', 'arm-items-iaasvm.json');
const fixture = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as { value: Array<Record<string, unknown>> };

/** The fixture's real items, then estate items in reverse key order (a writer must not rely on the export's order), one with a raw newline-free but awkward text. */
function rawItems(n = 300): Array<Record<string, unknown>> {
  const estate = [...estateItems({ items: n, subscriptions: 2, vaultsPerSubscription: 2, asOf: '2026-11-20T08:00:00Z' })] as Array<Record<string, unknown>>;
  estate.sort((a, b) => (String(a.id).toLowerCase() < String(b.id).toLowerCase() ? 1 : -1));
  estate[3] = { ...estate[3]!, tags: { 'Owner "x"': 'é\\ü \u2028 😀 \u0000', note: 'line\nbreak' } };
  return [...fixture.value, ...estate];
}

const writeSnapshot = writeRawSnapshot;

/** An item's two texts, read from its body as item-body.ts documents the format, with zlib alone. */
function texts(body: Buffer): { data: string; raw: string } {
  assert.equal(body[0], 1, 'body format 1');
  const text = zlib.inflateRawSync(body.subarray(1), { dictionary: Buffer.from(BODY_DICTIONARY_1_BASE64, 'base64') });
  const nl = text.indexOf(0x0a);
  return { data: text.subarray(0, nl).toString('utf8'), raw: text.subarray(nl + 1).toString('utf8') };
}

type Row = [key: string, data: string, raw: string, rawSha: string, rowHash: string];

function rowsAfter(store: Store): Row[] {
  return (store.db.prepare('SELECT key, body, raw_sha256, row_hash FROM items ORDER BY snapshot_id, key').raw(true).all() as Array<[string, Buffer, string, string]>).map(
    ([key, body, rawSha, rowHash]) => {
      const t = texts(body);
      return [key, t.data, t.raw, rawSha, rowHash];
    },
  );
}

const HIAGA = '/subscriptions/38304e13-357e-405e-9e9a-220351dcce8c/resourcegroups/hiagarg/providers/microsoft.recoveryservices/vaults/hiagavault/backupfabrics/azure/protectioncontainers/iaasvmcontainer;iaasvmcontainerv2;hiagarg;hiaga-adhoc-vm/protecteditems/vm;iaasvmcontainerv2;hiagarg;hiaga-adhoc-vm';

/** The HIAGA item's raw text as a writer given the parsed object keeps it: JSON.stringify of the fixture's element (the importer keeps the file's own bytes, test/import/verbatim.test.ts). */
function hiagaElement(): string {
  return JSON.stringify(fixture.value.find((v) => String(v.id).toLowerCase() === HIAGA));
}

/** How full the items table's leaf pages are (payload over page bytes). */
function leafFill(store: Store): number {
  return store.db.prepare("SELECT CAST(sum(pgsize - unused) AS REAL) / sum(pgsize) FROM dbstat WHERE name = 'items' AND pagetype = 'leaf'").pluck(true).get() as number;
}

describe('migration 011 (compact-items)', () => {
  it('upgrades a 010 store: backup first, every text and hash kept byte for byte, the table clustered and compacted, verify clean', () => {
    const p = temp();
    const old = openStore(p, { migrations: migrations.filter((m) => m.id <= 10) });
    let ids: string[];
    let recorded: string[];
    let before: Row[];
    try {
      ids = [writeSnapshot(old, rawItems()), writeSnapshot(old, rawItems(280))];
      recorded = ids.map((id) => computeContentHash(old.db, id));
      before = old.db.prepare('SELECT key, data, raw, raw_sha256, row_hash FROM items ORDER BY snapshot_id, key').raw(true).all() as Row[];
      old.db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      old.close();
    }
    const sizeBefore = fs.statSync(p).size;
    const store = openStore(p);
    try {
      assert.deepEqual(store.migration.applied, [11]);
      assert.ok(store.migration.backupPath && fs.existsSync(store.migration.backupPath), 'a backup was taken before the schema changed');
      assert.deepEqual(store.db.prepare('SELECT name, hash FROM schema_migrations WHERE id = 11').get(), { name: 'compact-items', hash: sha256Hex(migration011CompactItems.sql) });
      // Every key, normalised text, raw text and hash, byte for byte (read back with zlib alone).
      assert.deepEqual(rowsAfter(store), before);
      for (const [i, id] of ids.entries()) {
        assert.equal(computeContentHash(store.db, id), recorded[i]);
        assert.equal(store.db.prepare('SELECT content_hash FROM snapshots WHERE id = ?').pluck(true).get(id), recorded[i]);
      }
      // The real fixture item's raw text is its element in the file.
      const hiaga = rowsAfter(store).find((r) => r[0] === HIAGA)!;
      assert.equal(hiaga[2], hiagaElement());
      assert.equal(hiaga[3], sha256Hex(hiagaElement()));
      const v = verifyStore(store);
      assert.equal(v.ok, true, JSON.stringify(v.problems.concat(v.snapshots.flatMap((s) => s.problems))));

      // The schema: clustered on (snapshot_id, key), no data or raw column, items_ui the only index.
      const sql = store.db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'items'").pluck(true).get() as string;
      assert.match(sql, /PRIMARY KEY \(snapshot_id, key\)\s*\)\s*WITHOUT ROWID$/);
      const cols = (store.db.prepare("SELECT name FROM pragma_table_info('items')").pluck(true).all() as string[]);
      assert.ok(cols.includes('body') && !cols.includes('data') && !cols.includes('raw'), cols.join(','));
      assert.deepEqual(store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'items'").pluck(true).all(), ['items_ui']);
      assert.equal(store.db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'items_v10'").pluck(true).get(), 0);
      // Analysis reads a snapshot in one ordered walk of the table.
      const plan = (store.db.prepare(`EXPLAIN QUERY PLAN ${FINDINGS_SQL}`).all(ids[0]) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
      assert.match(plan, /SEARCH items USING PRIMARY KEY \(snapshot_id=\?\)/);
      assert.doesNotMatch(plan, /TEMP B-TREE/);
      // Immutable as before.
      assert.throws(() => store.db.prepare("UPDATE items SET name = 'x'").run(), /snapshot items are immutable/);
      assert.throws(() => store.db.prepare('DELETE FROM items').run(), /snapshot items are immutable/);
      // Compacted: the old table's pages are not left free inside the file, and the file shrank.
      const free = store.db.pragma('freelist_count', { simple: true }) as number;
      const pages = store.db.pragma('page_count', { simple: true }) as number;
      assert.ok(free * 4 <= pages, `${free} of ${pages} pages free`);
      store.db.pragma('wal_checkpoint(TRUNCATE)');
      assert.ok(fs.statSync(p).size < sizeBefore, `${fs.statSync(p).size} < ${sizeBefore}`);
    } finally {
      store.close();
    }
  });

  it('a new store: the writer packs the same texts the 010 writer kept, and items come out in key order whatever the export order', () => {
    const raws = rawItems();
    const oldStore = openStore(temp(), { migrations: migrations.filter((m) => m.id <= 10) });
    const store = openStore(temp());
    try {
      const oldId = writeSnapshot(oldStore, raws);
      const id = writeSnapshot(store, raws);
      const strip = (rows: Row[]) => rows.map(([k, d, r, rs, rh]) => [k, d, r, rs, rh]);
      const expected = oldStore.db.prepare('SELECT key, data, raw, raw_sha256, row_hash FROM items WHERE snapshot_id = ? ORDER BY key').raw(true).all(oldId) as Row[];
      assert.deepEqual(strip(rowsAfter(store)), strip(expected));
      assert.equal(store.db.prepare('SELECT content_hash FROM snapshots WHERE id = ?').pluck(true).get(id), oldStore.db.prepare('SELECT content_hash FROM snapshots WHERE id = ?').pluck(true).get(oldId));
      // The export listed the items in reverse key order; the writer placed them sorted, so the clustered table's
      // pages are full as after an append (inserting in reverse order leaves them about half full).
      assert.ok(leafFill(store) > 0.85, `leaf pages ${(leafFill(store) * 100).toFixed(0)} % full`);
      // The promoted and plain columns agree with the unpacked JSON (store verify's check).
      assert.equal(verifyStore(store).ok, true);
      // The item detail reads the body.
      const item = store.snapshots.getItem(id, HIAGA)!;
      assert.equal(item.rawText, hiagaElement());
      assert.equal(item.item.name, 'hiaga-adhoc-vm');
    } finally {
      store.close();
      oldStore.close();
    }
  });

  it('an aborted snapshot leaves nothing staged behind, and the next one is written whole', () => {
    const store = openStore(temp());
    try {
      const w = store.snapshots.begin(Date.parse('2026-11-21T00:00:00Z'));
      for (const raw of rawItems(50)) {
        const rec = normaliseResource(raw);
        if (rec) w.add(rec);
      }
      w.abort();
      assert.equal(store.db.prepare('SELECT COUNT(*) FROM items').pluck(true).get(), 0);
      const id = writeSnapshot(store, rawItems(40));
      assert.equal(store.db.prepare('SELECT COUNT(*) FROM items WHERE snapshot_id = ?').pluck(true).get(id), 40 + fixture.value.length);
      assert.equal(verifyStore(store).ok, true);
    } finally {
      store.close();
    }
  });

  it('store verify names an item whose body was damaged or swapped', () => {
    const store = openStore(temp());
    try {
      const id = writeSnapshot(store, rawItems(20));
      const keys = store.db.prepare('SELECT key FROM items WHERE snapshot_id = ? ORDER BY key').pluck(true).all(id) as string[];
      const trigger = store.db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'items_no_update'").pluck(true).get() as string;
      // One body cut short, another replaced by its neighbour's (valid, but not this item's texts).
      store.db.exec('DROP TRIGGER items_no_update');
      store.db.prepare('UPDATE items SET body = substr(body, 1, 20) WHERE key = ?').run(keys[2]);
      store.db.prepare('UPDATE items SET body = (SELECT body FROM items WHERE key = ?) WHERE key = ?').run(keys[4], keys[5]);
      store.db.exec(trigger);
      const v = verifyStore(store);
      assert.equal(v.ok, false);
      const problems = v.snapshots[0]!.problems.join('\n');
      assert.match(problems, new RegExp(`item ${keys[2]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: its stored body cannot be read`));
      assert.match(problems, new RegExp(`item ${keys[5]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: raw JSON does not match its SHA-256`));
      assert.match(problems, /content hash mismatch|cannot be read/);
    } finally {
      store.close();
    }
  });
});
