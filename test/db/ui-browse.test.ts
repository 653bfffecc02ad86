/**
 * The UI's item paging (electron/core/browse/browse.ts) must return exactly what
 * items.query (SnapshotRepository.query, the reference) returns, page after
 * page, for every sort, direction and filter — it only picks faster plans.
 * Counts and facets are checked against counts made here from the generated
 * estate itself.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ItemFilterField } from '../../shared/contract/methods/snapshots.ts';
import { openStore, type Store } from '../../electron/core/store/store.ts';
import { createCoreContext } from '../../electron/core/context.ts';
import { dispatch } from '../../electron/core/api/dispatch.ts';
import { authorFor, setAnnotations } from '../../electron/core/annotations/service.ts';
import { browseItems, countItems, countSql, type BrowseQuery } from '../../electron/core/browse/browse.ts';
import { countOnWorker } from '../../electron/core/browse/count-worker.ts';
import { itemFacets, itemFacetsAsync, staticFacets } from '../../electron/core/browse/facets.ts';
import { estateItems } from '../harness/estate.ts';
import { writeBigStore } from '../e2e/support/big-store.ts';

const N = 1500;
const sorts = ['key', 'name', 'vaultName', 'protectionState', 'lastBackupTime', 'workloadType'] as const;

type Where = Array<{ field: ItemFilterField; value: string }>;

describe('UI item paging agrees with items.query', () => {
  let dir: string;
  let storePath: string;
  let store: Store;
  let snapshotId: string;
  /** Facts counted straight from the generator's raw items, not through any of our code. */
  const raw = { stopped: 0, actionRequired: 0, softDeleted: 0, vmWorkload: 0, noHealth: 0 };

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-ui-browse-'));
    storePath = path.join(dir, 'vaultproof.db');
    snapshotId = writeBigStore(storePath, N, { subscriptions: 3, vaultsPerSubscription: 4 }).snapshotId;
    for (const it of estateItems({ items: N, subscriptions: 3, vaultsPerSubscription: 4, asOf: '2026-11-20T08:00:00.000Z' })) {
      const p = it.properties as Record<string, unknown>;
      if (p.protectionState === 'ProtectionStopped') raw.stopped++;
      if (p.healthStatus === 'ActionRequired') raw.actionRequired++;
      if (p.isScheduledForDeferredDelete === true) raw.softDeleted++;
      if (p.workloadType === 'VM') raw.vmWorkload++;
      if (p.healthStatus === undefined || p.healthStatus === '') raw.noHealth++;
    }
    store = openStore(storePath);
  });

  after(() => {
    store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function allPages(fetch: (after: { value: string | null; key: string } | undefined) => { items: Array<{ key: string }>; next: { value: string | null; key: string } | null }): string[] {
    const keys: string[] = [];
    let cursor: { value: string | null; key: string } | undefined;
    for (let guard = 0; guard < 1000; guard++) {
      const page = fetch(cursor);
      keys.push(...page.items.map((i) => i.key));
      if (!page.next) return keys;
      cursor = page.next;
    }
    throw new Error('paging did not end');
  }

  function check(label: string, q: Omit<BrowseQuery, 'after' | 'limit' | 'sort'> & { where?: Where; sort?: (typeof sorts)[number] }): number {
    const mine = allPages((after) => browseItems(store.db, snapshotId, { ...q, ...(after ? { after } : {}), limit: 37 }, false));
    const reference = allPages((after) => store.snapshots.query(snapshotId, { ...q, ...(after ? { after } : {}), limit: 37 }));
    assert.deepEqual(mine, reference, label);
    assert.equal(new Set(mine).size, mine.length, `${label}: no key twice`);
    assert.equal(countItems(store.db, snapshotId, q), reference.length, `${label}: count`);
    return mine.length;
  }

  const filters: Array<{ label: string; where?: Where; search?: string }> = [
    { label: 'everything' },
    { label: 'stopped', where: [{ field: 'protectionState', value: 'ProtectionStopped' }] },
    { label: 'action required', where: [{ field: 'healthStatus', value: 'ActionRequired' }] },
    { label: 'no health (null or empty)', where: [{ field: 'healthStatus', value: '' }] },
    { label: 'soft-deleted', where: [{ field: 'softDeleted', value: 'true' }] },
    { label: 'workload, other case', where: [{ field: 'workloadType', value: 'vm' }] },
    { label: 'search', search: 'vm-1' },
    { label: 'search with LIKE wildcards taken literally', search: '_%' },
    { label: 'filter and search', where: [{ field: 'protectionState', value: 'Protected' }], search: 'share' },
  ];

  it('returns the same pages as items.query for every sort, direction and filter', () => {
    let compared = 0;
    for (const f of filters) {
      for (const sort of sorts) {
        for (const desc of [false, true]) {
          check(`${f.label}, ${sort}${desc ? ' desc' : ''}`, { sort, desc, ...(f.where ? { where: f.where } : {}), ...(f.search ? { search: f.search } : {}) });
          compared++;
        }
      }
      // Once the facet counts are cached the plans change (filter-first for rare values): same answers.
      staticFacets(store.db, snapshotId);
    }
    assert.equal(compared, filters.length * sorts.length * 2);
  });

  it('counts what the generated estate holds', () => {
    assert.equal(countItems(store.db, snapshotId, {}), N);
    assert.equal(countItems(store.db, snapshotId, { where: [{ field: 'protectionState', value: 'ProtectionStopped' }] }), raw.stopped);
    assert.equal(countItems(store.db, snapshotId, { where: [{ field: 'healthStatus', value: 'ActionRequired' }] }), raw.actionRequired);
    assert.equal(countItems(store.db, snapshotId, { where: [{ field: 'softDeleted', value: 'true' }] }), raw.softDeleted);
    assert.equal(countItems(store.db, snapshotId, { where: [{ field: 'workloadType', value: 'VM' }] }), raw.vmWorkload);
    assert.equal(countItems(store.db, snapshotId, { search: 'no-such-thing' }), 0);
    assert.ok(raw.stopped > 0 && raw.actionRequired > 0 && raw.softDeleted > 0, 'the estate has some of each');
  });

  it('offers each filter value with its count', () => {
    const f = itemFacets(store.db, snapshotId);
    assert.equal(f.total, N);
    const count = (field: keyof typeof f.fields, value: string) => f.fields[field].find((v) => v.value === value)?.count ?? 0;
    assert.equal(count('protectionState', 'ProtectionStopped'), raw.stopped);
    assert.equal(count('healthStatus', 'ActionRequired'), raw.actionRequired);
    assert.equal(count('healthStatus', ''), raw.noHealth);
    assert.equal(count('softDeleted', 'true'), raw.softDeleted);
    assert.equal(count('softDeleted', 'false'), N - raw.softDeleted);
    assert.equal(f.fields.protectionState.reduce((a, v) => a + v.count, 0), N);
    // Most frequent first.
    const counts = f.fields.vaultName.map((v) => v.count);
    assert.deepEqual(counts, [...counts].sort((a, b) => b - a));
  });

  it('computes the same facets on the read worker as on the main connection', async () => {
    // A fresh connection: nothing cached, so the worker really computes them.
    const other = openStore(storePath);
    try {
      assert.deepEqual(await itemFacetsAsync(other.db, storePath, snapshotId), itemFacets(store.db, snapshotId));
    } finally {
      other.close();
    }
  });

  it('filters by owner, ignoring case, with owner counts in the facets', () => {
    const some = store.snapshots.query(snapshotId, { sort: 'name', limit: 5 }).items;
    const author = authorFor(store, 'tester', new Date('2026-11-21T10:00:00Z'));
    setAnnotations(store, { target: `item:${some[0]!.key}`, owner: 'Alice' }, author);
    setAnnotations(store, { target: `item:${some[2]!.key}`, owner: 'alice' }, author);
    setAnnotations(store, { target: `item:${some[4]!.key}`, owner: 'Bob' }, author);
    const page = browseItems(store.db, snapshotId, { sort: 'name', owner: 'ALICE', limit: 10 }, true);
    assert.deepEqual(page.items.map((i) => i.key), [some[0]!.key, some[2]!.key]);
    assert.equal(page.total, 2);
    const owners = itemFacets(store.db, snapshotId).fields.owner;
    assert.deepEqual(
      owners.map((o) => [o.value, o.count]).sort(),
      // "(no owner)" counts the rest.
      [['', N - 3], ['Alice', 1], ['Bob', 1], ['alice', 1]].sort(),
    );
    assert.equal(countItems(store.db, snapshotId, { owner: 'nobody' }), 0);
  });

  it('counts on the worker thread (its own read-only connection) exactly as on the main one', async () => {
    for (const f of [{}, { search: 'vm-1' }, { where: [{ field: 'healthStatus' as const, value: 'ActionRequired' }] }, { owner: 'alice' }]) {
      const c = countSql(store.db, snapshotId, f);
      assert.equal(await countOnWorker(storePath, c.sql, c.params), countItems(store.db, snapshotId, f), JSON.stringify(f));
    }
    // A statement the worker cannot run comes back as null: the handler then counts on its own connection.
    assert.equal(await countOnWorker(storePath, 'SELECT COUNT(*) FROM no_such_table', {}), null);
  });

  it('filters by finding through the handler, matching findings.run', async () => {
    store.close();
    const core = createCoreContext({ storePath });
    try {
      const findings = await dispatch(core, { method: 'findings.run', input: { snapshot: snapshotId } });
      assert.ok(findings.ok);
      const byRule = new Map<string, Set<string>>();
      for (const f of (findings.value as { findings: Array<{ rule: string; key: string; target: string }> }).findings) {
        if (!f.target.startsWith('item:')) continue;
        if (!byRule.has(f.rule)) byRule.set(f.rule, new Set());
        byRule.get(f.rule)!.add(f.key);
      }
      const counts = await dispatch(core, { method: 'items.findingCounts', input: { snapshot: snapshotId } });
      assert.ok(counts.ok, JSON.stringify(counts));
      const got = counts.value as Array<{ rule: string; items: number }>;
      assert.deepEqual(new Map(got.map((c) => [c.rule, c.items])), new Map([...byRule].map(([r, k]) => [r, k.size])));
      const [rule, keys] = [...byRule].sort((a, b) => b[1].size - a[1].size)[0]!;
      const page = await dispatch(core, { method: 'items.query', input: { snapshot: snapshotId, finding: rule, sort: 'key', limit: 5000 } });
      assert.ok(page.ok, JSON.stringify(page).slice(0, 300));
      assert.deepEqual((page.value as { items: Array<{ key: string }> }).items.map((i) => i.key), [...keys].sort());
      const count = await dispatch(core, { method: 'items.count', input: { snapshot: snapshotId, finding: rule } });
      assert.deepEqual(count, { ok: true, value: { total: keys.size } });
    } finally {
      core.close();
      store = openStore(storePath);
    }
  });
});
