/**
 * Issue 17: the Findings and Cost views ask the engine for aggregates and
 * pages, and the grid seeks to a position. Each answer is checked against the
 * whole-result method it replaces (findings.run, cost.run, items.query paged
 * from the top), recomputed here by hand from that method's output.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCoreContext } from '../../electron/core/context.ts';
import { dispatch } from '../../electron/core/api/dispatch.ts';
import type { CoreContext } from '../../electron/core/context.ts';
import type { FindingsRun, CostRun } from '../../shared/contract/methods/analysis.ts';
import type { FindingsPage, FindingsSummary } from '../../shared/contract/methods/findings.ts';
import type { CostSummary } from '../../shared/contract/methods/cost.ts';
import type { ItemsBrowsePage } from '../../shared/contract/methods/ui.ts';
import { writeBigStore } from '../e2e/support/big-store.ts';

const N = 1200;

describe('views at any size: aggregates, pages and seeks agree with the whole results', () => {
  let dir: string;
  let core: CoreContext;
  let snapshotId: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-ui-views-'));
    const storePath = path.join(dir, 'vaultproof.db');
    snapshotId = writeBigStore(storePath, N, { subscriptions: 3, vaultsPerSubscription: 4 }).snapshotId;
    core = createCoreContext({ storePath });
  });

  after(() => {
    core?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function call<T>(method: string, input: unknown): Promise<T> {
    const r = await dispatch(core, { method, input } as never);
    assert.ok(r.ok, `${method}: ${JSON.stringify(r).slice(0, 400)}`);
    return r.value as T;
  }

  it('findings.summary: the counts of findings.run, and per severity and rule the findings and the open ones', async () => {
    const run = await call<FindingsRun>('findings.run', { snapshot: snapshotId });
    const s = await call<FindingsSummary>('findings.summary', { snapshot: snapshotId });
    assert.ok(run.findings.length > 50, 'the estate has findings');
    assert.deepEqual(s.counts, run.counts);
    assert.equal(s.profileHash, run.profileHash);
    assert.equal(s.itemCount, N);
    assert.equal('findings' in s, false);
    const by = (k: (f: FindingsRun['findings'][number]) => string) => {
      const m = new Map<string, [number, number]>();
      for (const f of run.findings) {
        const x = m.get(k(f)) ?? [0, 0];
        x[0]++;
        if (!f.excepted) x[1]++;
        m.set(k(f), x);
      }
      return m;
    };
    assert.deepEqual(new Map(s.groups.severity.map((g) => [g.key, [g.count, g.open]])), by((f) => f.severity));
    assert.deepEqual(new Map(s.groups.rule.map((g) => [g.key, [g.count, g.open]])), by((f) => f.rule));
    // Severest first; rules by count.
    const order = ['critical', 'high', 'medium', 'low', 'info'];
    assert.deepEqual(
      s.groups.severity.map((g) => g.key),
      [...s.groups.severity.map((g) => g.key)].sort((a, b) => order.indexOf(a) - order.indexOf(b)),
    );
    for (let i = 1; i < s.groups.rule.length; i++) assert.ok(s.groups.rule[i - 1]!.count >= s.groups.rule[i]!.count);
  });

  it('findings.page: pages of the list the view shows, in its order, with its length', async () => {
    const run = await call<FindingsRun>('findings.run', { snapshot: snapshotId });
    const rule = run.findings[run.findings.length - 1]!.rule;
    const views = [
      { groupBy: 'severity', group: 'all', search: '' },
      { groupBy: 'rule', group: rule, search: '' },
      { groupBy: 'severity', group: 'all', search: 'VM-1' },
    ] as const;
    for (const view of views) {
      // By hand: the group narrows, the search (any case) narrows both, "all" is severest first (stable).
      const q = view.search.toLowerCase();
      const order = ['critical', 'high', 'medium', 'low', 'info'];
      let want = run.findings.filter((f) => (view.group === 'all' || f.rule === view.group) && (!q || `${typeof f.evidence.name === 'string' ? f.evidence.name : ''} ${f.rule} ${f.title} ${f.key}`.toLowerCase().includes(q)));
      if (view.group === 'all') want = want.map((f, i) => [f, i] as const).sort((a, b) => order.indexOf(a[0].severity) - order.indexOf(b[0].severity) || a[1] - b[1]).map(([f]) => f);
      assert.ok(want.length > 0, JSON.stringify(view));
      const got: FindingsRun['findings'] = [];
      for (let offset = 0; offset < want.length; offset += 37) {
        const p = await call<FindingsPage>('findings.page', { snapshot: snapshotId, view, offset, limit: 37 });
        assert.equal(p.total, want.length);
        assert.equal(p.offset, offset);
        got.push(...p.findings);
      }
      assert.deepEqual(
        got.map((f) => `${f.rule} ${f.target}`),
        want.map((f) => `${f.rule} ${f.target}`),
      );
      const past = await call<FindingsPage>('findings.page', { snapshot: snapshotId, view, offset: want.length, limit: 10 });
      assert.deepEqual(past.findings, []);
    }
  });

  it('cost.summary: cost.run without a row per item — fees and storage summed, unknown ones never as 0, the first unknown items', async () => {
    const run = await call<CostRun>('cost.run', { snapshot: snapshotId });
    const s = await call<CostSummary>('cost.summary', { snapshot: snapshotId, unknownLimit: 5 });
    assert.equal('items' in s, false);
    assert.equal(s.total, run.total);
    assert.equal(s.pricedTotal, run.pricedTotal);
    assert.deepEqual(s.byVault, run.byVault);
    const sum = (xs: Array<number | string>) => ({ sum: Math.round(xs.filter((x): x is number => typeof x === 'number').reduce((a, x) => a + x, 0) * 100) / 100, priced: xs.filter((x) => typeof x === 'number').length, unknown: xs.filter((x) => typeof x !== 'number').length });
    assert.deepEqual(s.instanceFees, sum(run.items.map((i) => i.instanceFee)));
    assert.deepEqual(s.storage, sum(run.items.map((i) => i.storageCost)));
    const unknown = run.items.filter((i) => i.status === 'unknownSize' || i.status === 'unpriced');
    assert.ok(unknown.length > 5, 'the estate has items of unknown size');
    assert.equal(s.unknown.total, unknown.length);
    assert.deepEqual(s.unknown.items, unknown.slice(0, 5));
  });

  it('items.query offset: the page at any position is the one paging from the top reaches, for each sort, filtered or not, either way', async () => {
    const cases = [
      { sort: 'name' },
      { sort: 'name', desc: true },
      { sort: 'key' },
      { sort: 'vaultName' },
      { sort: 'lastBackupTime', desc: true },
      { sort: 'name', where: [{ field: 'protectionState', value: 'ProtectionStopped' }] },
      { sort: 'vaultName', where: [{ field: 'healthStatus', value: 'ActionRequired' }] },
      { sort: 'name', search: 'vm-1' },
    ] as const;
    for (const c of cases) {
      const all: string[] = [];
      let next: ItemsBrowsePage['next'] = null;
      do {
        const p: ItemsBrowsePage = await call<ItemsBrowsePage>('items.query', { snapshot: snapshotId, ...c, limit: 250, total: false, ...(next ? { after: next } : {}) });
        all.push(...p.items.map((i) => i.key));
        next = p.next;
      } while (next);
      assert.ok(all.length > 20, JSON.stringify(c));
      for (const offset of [0, 1, Math.floor(all.length / 2), all.length - 7, all.length - 1, all.length]) {
        const p = await call<ItemsBrowsePage>('items.query', { snapshot: snapshotId, ...c, offset, limit: 10, total: false });
        assert.deepEqual(
          p.items.map((i) => i.key),
          all.slice(offset, offset + 10),
          `${JSON.stringify(c)} at ${offset}`,
        );
        // Its cursor carries on from there, as from any page.
        assert.equal(p.next === null, offset + 10 >= all.length, `${JSON.stringify(c)} at ${offset}: next`);
        if (p.next) {
          const on = await call<ItemsBrowsePage>('items.query', { snapshot: snapshotId, ...c, after: p.next, limit: 5, total: false });
          assert.deepEqual(
            on.items.map((i) => i.key),
            all.slice(offset + 10, offset + 15),
          );
        }
      }
      // An offset after a cursor skips from the cursor.
      const head = await call<ItemsBrowsePage>('items.query', { snapshot: snapshotId, ...c, limit: 3, total: false });
      const skip = await call<ItemsBrowsePage>('items.query', { snapshot: snapshotId, ...c, after: head.next!, offset: 4, limit: 3, total: false });
      assert.deepEqual(
        skip.items.map((i) => i.key),
        all.slice(7, 10),
      );
    }
  });
});
