import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { browseItems, type BrowseQuery } from '../../electron/core/browse/browse.ts';
import { staticFacets } from '../../electron/core/browse/facets.ts';
import { openStore, type Store } from '../../electron/core/store/store.ts';
import { migrations } from '../../electron/core/store/migrations/index.ts';
import { normaliseResource } from '../../shared/domain/normalise/index.ts';
import type { BackupItem } from '../../shared/domain/types.ts';
import { estateItems } from '../harness/estate.ts';

/**
 * The grid's default sort is natural (issue 15 item 5), whichever plan
 * browse.ts picks (walk of items_ui, which leads with name_key since
 * migration 009, filtered or searched; filter-first for few rows; a seek by
 * offset; a store read-only at 008 walking items_by_name_key), in both
 * directions, and its `after` cursor round-trips page by page.
 */
const N = 700;
const prefixes = ['db_', 'DB_', 'vm-', 'Vm-', '財務サーバー-', 'a'];

/** The expected order, worked without nameSortKey: a natural comparison written here, then the key as tiebreak. */
function naturalByHand(a: BackupItem, b: BackupItem): number {
  const split = (s: string) => s.toLowerCase().match(/\d+|\D+/g) ?? [];
  const x = split(a.name);
  const y = split(b.name);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const p = x[i]!;
    const q = y[i]!;
    const pd = /^\d/.test(p);
    const qd = /^\d/.test(q);
    if (pd && qd) {
      const c = BigInt(p) - BigInt(q);
      if (c !== 0n) return c < 0n ? -1 : 1;
    } else if (p !== q) {
      // Same-type text runs here share no digits; the names below differ in the first character or in their numbers only.
      return p < q ? -1 : 1;
    }
  }
  if (x.length !== y.length) return x.length - y.length;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.key < b.key ? -1 : 1;
}

describe('grid name sort (natural, index-backed)', () => {
  let dir: string;
  let store: Store;
  let id: string;
  let all: BackupItem[];

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-name-sort-'));
    store = openStore(path.join(dir, 'vaultproof.db'));
    const w = store.snapshots.begin(Date.parse('2026-11-21T00:00:00Z'));
    let i = 0;
    for (const raw of estateItems({ items: N, subscriptions: 2, vaultsPerSubscription: 2 })) {
      // Names with numbers of 1–3 digits, repeated names (so the key breaks ties), mixed case and Japanese.
      (raw.properties as Record<string, unknown>).friendlyName = `${prefixes[i % prefixes.length]}${(i * 7) % 131}`;
      i++;
      const rec = normaliseResource(raw);
      if (rec) w.add(rec);
    }
    id = w.commit({
      label: null, createdAt: '2026-11-21T00:00:00.000Z', asOf: '2026-11-20T08:00:00.000Z', source: 'import', complete: true,
      provenance: { toolVersion: 'test', source: 'import', user: 't', createdAt: '2026-11-21T00:00:00.000Z', asOfSource: 'option', tenants: [], subscriptions: [] },
      coverage: [],
    }).id;
    all = store.snapshots.allItems(id);
    staticFacets(store.db, id); // the cached counts that let browse pick filter-first
  });

  after(() => {
    store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function pages(q: Omit<BrowseQuery, 'after' | 'limit'>): BackupItem[] {
    const out: BackupItem[] = [];
    let cursor: BrowseQuery['after'];
    for (let guard = 0; guard < 500; guard++) {
      const page = browseItems(store.db, id, { ...q, sort: 'name', ...(cursor ? { after: cursor } : {}), limit: 41 }, false);
      out.push(...page.items);
      if (!page.next) return out;
      // The cursor is plain JSON (it crosses IPC and HTTP): send back a parsed copy.
      cursor = JSON.parse(JSON.stringify(page.next)) as BrowseQuery['after'];
    }
    throw new Error('paging did not end');
  }

  const cases: Array<{ label: string; q: Omit<BrowseQuery, 'after' | 'limit'>; keep: (it: BackupItem) => boolean }> = [
    { label: 'everything (walk)', q: {}, keep: () => true },
    { label: 'protected (most rows: walk with filter)', q: { where: [{ field: 'protectionState', value: 'Protected' }] }, keep: (it) => it.protectionState === 'Protected' },
    { label: 'stopped (few rows: keys from items_ui)', q: { where: [{ field: 'protectionState', value: 'ProtectionStopped' }] }, keep: (it) => it.protectionState === 'ProtectionStopped' },
    { label: 'search "db_1"', q: { search: 'db_1' }, keep: (it) => it.name.toLowerCase().includes('db_1') || it.key.toLowerCase().includes('db_1') },
    {
      label: 'search "vm" and stopped (search on the walk, state on items_ui)',
      q: { search: 'vm', where: [{ field: 'protectionState', value: 'ProtectionStopped' }] },
      keep: (it) => (it.name.toLowerCase().includes('vm') || it.key.toLowerCase().includes('vm')) && it.protectionState === 'ProtectionStopped',
    },
  ];

  for (const c of cases) {
    for (const desc of [false, true]) {
      it(`${c.label}${desc ? ', descending' : ''}: every page in natural order, each item once`, () => {
        const expected = all.filter(c.keep).sort(naturalByHand);
        if (desc) expected.reverse();
        assert.ok(expected.length > (c.q.search && c.q.where ? 5 : 41), 'enough rows to page through');
        assert.deepEqual(pages({ ...c.q, desc }).map((i) => i.key), expected.map((i) => i.key));
      });
    }
  }

  it('a seek to any offset lands where paging from the start would, in either direction', () => {
    for (const c of cases) {
      for (const desc of [false, true]) {
        const expected = all.filter(c.keep).sort(naturalByHand).map((x) => x.key);
        if (desc) expected.reverse();
        for (const offset of [1, 17, Math.floor(expected.length / 2), expected.length - 3]) {
          if (offset <= 0 || offset >= expected.length) continue;
          const page = browseItems(store.db, id, { ...c.q, sort: 'name', desc, offset, limit: 10 }, false);
          assert.deepEqual(page.items.map((x) => x.key), expected.slice(offset, offset + 10), `${c.label} desc=${desc} offset=${offset}`);
        }
      }
    }
  });

  it('db_ names run by number (db_2 before db_10 before db_100), which plain text order does not', () => {
    const numbers = pages({}).map((i) => /^db_(\d+)$/i.exec(i.name)?.[1]).filter((n): n is string => n !== undefined);
    assert.ok(numbers.some((n) => n.length === 1) && numbers.some((n) => n.length === 3), 'one- and three-digit numbers are in the estate');
    const asNumbers = numbers.map(Number);
    assert.deepEqual(asNumbers, [...asNumbers].sort((a, b) => a - b));
    assert.notDeepEqual(numbers, [...numbers].sort(), 'text order would differ');
  });

  it('no plan sorts the rows: the name order and every filter are read from items_ui', () => {
    const plan = (sql: string, params: unknown[]) => (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail).join('; ');
    // The statement shape browse.ts runs for a filtered or searched name page: the keys from items_ui, then the page's rows.
    const p = plan(
      "SELECT key, name_key AS sv FROM items INDEXED BY items_ui WHERE snapshot_id = ? AND protection_state = 'ProtectionStopped' COLLATE NOCASE AND (name LIKE '%vm%' OR key LIKE '%vm%') ORDER BY name_key DESC, key DESC LIMIT 42 OFFSET 10",
      [id],
    );
    assert.match(p, /COVERING INDEX items_ui/);
    assert.doesNotMatch(p, /TEMP B-TREE/);
    assert.doesNotMatch(plan('SELECT name_key AS sv, key, body FROM items INDEXED BY items_ui WHERE snapshot_id = ? ORDER BY name_key ASC, key ASC LIMIT 42', [id]), /TEMP B-TREE/);
    const indexes = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'items' AND name = 'items_by_name_key'").all();
    assert.deepEqual(indexes, [], 'migration 009 folds items_by_name_key into items_ui');
  });

  it('a store read-only at migration 008 (items_by_name_key, items_ui by plain name) pages in the same order', () => {
    const old = path.join(dir, 'at-008.db');
    const w = openStore(old, { migrations: migrations.filter((m) => m.id <= 8) });
    const sw = w.snapshots.begin(Date.parse('2026-11-21T00:00:00Z'));
    for (const it of all) sw.add({ type: 'item', key: it.key, data: it, raw: it });
    const oldId = sw.commit({
      label: null, createdAt: '2026-11-21T00:00:00.000Z', asOf: '2026-11-20T08:00:00.000Z', source: 'import', complete: true,
      provenance: { toolVersion: 'test', source: 'import', user: 't', createdAt: '2026-11-21T00:00:00.000Z', asOfSource: 'option', tenants: [], subscriptions: [] },
      coverage: [],
    }).id;
    w.close();
    const ro = openStore(old, { readonly: true });
    try {
      assert.ok(ro.db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'items_by_name_key'").get(), 'still at 008');
      staticFacets(ro.db, oldId);
      for (const c of cases) {
        for (const desc of [false, true]) {
          const expected = all.filter(c.keep).sort(naturalByHand).map((x) => x.key);
          if (desc) expected.reverse();
          const got: string[] = [];
          let cursor: BrowseQuery['after'];
          for (let guard = 0; guard < 500; guard++) {
            const page = browseItems(ro.db, oldId, { ...c.q, sort: 'name', desc, ...(cursor ? { after: cursor } : {}), limit: 41 }, false);
            got.push(...page.items.map((x) => x.key));
            if (!page.next) break;
            cursor = page.next;
          }
          assert.deepEqual(got, expected, `${c.label} desc=${desc}`);
        }
      }
    } finally {
      ro.close();
    }
  });
});
