/**
 * Issue 17: the views' evaluations run on worker threads and are kept
 * (electron/core/browse/evaluations.ts). Kept answers must never be stale: a
 * new annotation changes the log head they are keyed by, so the next answer
 * is judged again. And the Access view's findings (access.findings, judged
 * without the items) are exactly findings.run's findings of the access rules.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCoreContext, type CoreContext } from '../../electron/core/context.ts';
import { dispatch } from '../../electron/core/api/dispatch.ts';
import { importFiles } from '../../electron/core/import/index.ts';
import { openStore } from '../../electron/core/store/store.ts';
import type { CostRun, FindingsRun } from '../../shared/contract/methods/analysis.ts';
import type { FindingsPage, FindingsSummary } from '../../shared/contract/methods/findings.ts';
import type { CostSummary } from '../../shared/contract/methods/cost.ts';
import type { FindingCount } from '../../shared/contract/methods/ui.ts';
import type { Finding } from '../../shared/domain/findings.ts';
import { accessRuleIds } from '../../shared/domain/access/rules.ts';
import { writeBigStore } from '../e2e/support/big-store.ts';
import { evaluatedCounts, warmViews, type EvalReply, type EvalRequest } from '../../electron/core/browse/evaluations.ts';
import { startWorker } from '../../electron/core/host/threads.ts';
import { findingCounts } from '../../electron/core/browse/finding-keys.ts';
import { findingsPage, findingsSummary } from '../../electron/core/browse/findings-pages.ts';

/** An exception's expiry the default profile allows (at most 365 days ahead of today). */
const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
const demo = path.resolve(import.meta.dirname, '../../assets/demo/2025-10-30');

function caller(core: CoreContext) {
  return async <T>(method: string, input: unknown): Promise<T> => {
    const r = await dispatch(core, { method, input } as never);
    assert.ok(r.ok, `${method}: ${JSON.stringify(r).slice(0, 400)}`);
    return r.value as T;
  };
}

describe('kept evaluations follow the annotation log', () => {
  let dir: string;
  let core: CoreContext;
  let snapshotId: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-ui-eval-'));
    const storePath = path.join(dir, 'vaultproof.db');
    snapshotId = writeBigStore(storePath, 600, { subscriptions: 2, vaultsPerSubscription: 3 }).snapshotId;
    core = createCoreContext({ storePath });
  });

  after(() => {
    core?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the workers keep what they worked out: one evaluation and one pricing for every view call until the log changes', async () => {
    const call = caller(core);
    const store = core.store();
    const at0 = await evaluatedCounts(store);
    assert.ok(at0, 'the evaluation workers run');
    await call('findings.prepare', { snapshot: snapshotId });
    await call<FindingsSummary>('findings.summary', { snapshot: snapshotId });
    await call<FindingsPage>('findings.page', { snapshot: snapshotId, view: { groupBy: 'rule', group: 'all', search: 'vm' }, offset: 0, limit: 10 });
    await call<FindingCount[]>('items.findingCounts', { snapshot: snapshotId });
    await call<CostSummary>('cost.summary', { snapshot: snapshotId, unknownLimit: 5 });
    await call<CostSummary>('cost.summary', { snapshot: snapshotId, unknownLimit: 50 });
    await call<FindingsSummary>('findings.summary', { snapshot: snapshotId });
    assert.deepEqual(await evaluatedCounts(store), { findings: at0.findings + 1, pricings: at0.pricings + 1 });
    await call('annotations.set', { target: `item:${(await call<FindingsPage>('findings.page', { snapshot: snapshotId, view: { groupBy: 'rule', group: 'all', search: '' }, offset: 0, limit: 1 })).findings[0]!.key}`, owner: 'Ana', reason: 'test' });
    await call<FindingsSummary>('findings.summary', { snapshot: snapshotId });
    await call<CostSummary>('cost.summary', { snapshot: snapshotId, unknownLimit: 5 });
    assert.deepEqual(await evaluatedCounts(store), { findings: at0.findings + 2, pricings: at0.pricings + 2 });
  });

  it('a finding filter of a rule no item has: no rows, a count of 0 (first filter of a fresh engine, after the counts)', async () => {
    const fresh = createCoreContext({ storePath: core.store().path });
    try {
      const call = caller(fresh);
      const counts = await call<FindingCount[]>('items.findingCounts', { snapshot: snapshotId });
      assert.equal(counts.some((c) => c.rule === 'access-delete-over-limit'), false, 'a vault rule: never on an item');
      const page = await call<{ items: unknown[] }>('items.query', { snapshot: snapshotId, finding: 'access-delete-over-limit', sort: 'name', limit: 60, total: false });
      assert.deepEqual(page.items, []);
      assert.deepEqual(await call('items.count', { snapshot: snapshotId, finding: 'access-delete-over-limit' }), { total: 0 });
    } finally {
      fresh.close();
    }
  });

  it('findings: an exception written after the evaluation was kept is in the next summary, page and filter counts', async () => {
    const call = caller(core);
    await call('findings.prepare', { snapshot: snapshotId });
    const before = await call<FindingsSummary>('findings.summary', { snapshot: snapshotId });
    const countsBefore = await call<FindingCount[]>('items.findingCounts', { snapshot: snapshotId });
    // An open finding on an item: excepting its rule for that item makes exactly that one finding excepted.
    const page = await call<FindingsPage>('findings.page', { snapshot: snapshotId, view: { groupBy: 'severity', group: 'all', search: '' }, offset: 0, limit: 500 });
    const f = page.findings.find((x) => !x.excepted && x.target.startsWith('item:'))!;
    assert.ok(f, 'an open item finding');
    await call('annotations.set', { target: f.target, exception: { rule: f.rule, justification: 'accepted for the test', approver: 'ciso', expires }, reason: 'test' });

    const afterS = await call<FindingsSummary>('findings.summary', { snapshot: snapshotId });
    assert.equal(afterS.counts.excepted, before.counts.excepted + 1);
    assert.equal(afterS.counts.total, before.counts.total);
    const g = (s: FindingsSummary) => s.groups.rule.find((x) => x.key === f.rule)!;
    assert.equal(g(afterS).open, g(before).open - 1);
    const again = await call<FindingsPage>('findings.page', { snapshot: snapshotId, view: { groupBy: 'rule', group: f.rule, search: '' }, offset: 0, limit: 10_000 });
    assert.equal(again.findings.find((x) => x.key === f.key)?.excepted, true);
    const countsAfter = await call<FindingCount[]>('items.findingCounts', { snapshot: snapshotId });
    const c = (cs: FindingCount[]) => cs.find((x) => x.rule === f.rule)!;
    assert.equal(c(countsAfter).excepted, c(countsBefore).excepted + 1);
    // And it is what findings.run (never kept) says now.
    const run = await call<FindingsRun>('findings.run', { snapshot: snapshotId });
    assert.deepEqual(afterS.counts, run.counts);
  });

  it('cost: sizes written as an annotation after the summary was kept are in the next summary', async () => {
    const call = caller(core);
    const before = await call<CostSummary>('cost.summary', { snapshot: snapshotId, unknownLimit: 10_000 });
    const unsized = before.unknown.items.find((i) => i.status === 'unknownSize');
    assert.ok(unsized, 'an item of unknown size');
    assert.equal(unsized.frontEndGb, 'unknown');
    await call('annotations.set', { target: `item:${unsized.key}`, frontEndGb: 100, storageGb: 250, reason: 'sized by hand' });
    const afterS = await call<CostSummary>('cost.summary', { snapshot: snapshotId, unknownLimit: 10_000 });
    // Its sizes are known now; its vault's redundancy is not, so its storage stays unpriced (still not in the total).
    const now = afterS.unknown.items.find((i) => i.key === unsized.key)!;
    assert.deepEqual([now.status, now.frontEndGb, now.frontEndSource, now.storageGb], ['unpriced', 100, 'annotation', 250]);
    assert.equal(afterS.unknown.total, before.unknown.total);
    const run = await call<CostRun>('cost.run', { snapshot: snapshotId, labels: false });
    assert.equal(afterS.unknown.items.filter((i) => i.status === 'unknownSize').length, run.unknownSizeItems.length);
    assert.equal(run.unknownSizeItems.length, before.unknown.items.filter((i) => i.status === 'unknownSize').length - 1);
  });
});

describe('the evaluation workers close with their store', { skip: process.platform !== 'linux' && 'reads /proc/self/fd' }, () => {
  /** How many descriptors of this process (any thread) have the file open. */
  const openCount = (file: string) => fs.readdirSync('/proc/self/fd').filter((fd) => { try { return fs.readlinkSync(`/proc/self/fd/${fd}`) === file; } catch { return false; } }).length;

  it('closing the store ends its workers: no descriptor of the file stays open, and a read-only working copy is removed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-ui-eval-close-'));
    try {
      const storePath = path.join(dir, 'vaultproof.db');
      const { snapshotId } = writeBigStore(storePath, 200, { subscriptions: 1, vaultsPerSubscription: 2 });
      const core = createCoreContext({ storePath });
      const call = caller(core);
      await call('findings.prepare', { snapshot: snapshotId });
      await call<FindingsSummary>('findings.summary', { snapshot: snapshotId });
      await call<CostSummary>('cost.summary', { snapshot: snapshotId, unknownLimit: 5 });
      assert.ok((await evaluatedCounts(core.store()))!.findings >= 1, 'the findings worker evaluated');
      // The engine's connection and each worker's read-only one.
      assert.ok(openCount(storePath) >= 3, `descriptors open on the store: ${openCount(storePath)}`);
      core.close();
      // Termination is asynchronous: wait (bounded) for the threads to let go.
      for (let i = 0; i < 100 && openCount(storePath) > 0; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(openCount(storePath), 0, 'no connection to the closed store is left in this process');

      // A store read from a private working copy (a read-only store): the copy goes once the workers have let go.
      const ro = openStore(storePath, { readonly: true });
      assert.ok(ro.workingCopy === null || fs.existsSync(ro.workingCopy));
      const roCore = { storePath, store: () => ro, now: () => new Date(), user: () => 'test', close: () => ro.close() } satisfies CoreContext;
      const roCall = caller(roCore);
      await roCall<FindingsSummary>('findings.summary', { snapshot: snapshotId });
      const file = ro.workingCopy ?? ro.path;
      assert.ok(openCount(file) >= 2, 'the engine and the findings worker read it');
      ro.close();
      for (let i = 0; i < 100 && (openCount(file) > 0 || (ro.workingCopy !== null && fs.existsSync(ro.workingCopy))); i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(openCount(file), 0);
      if (ro.workingCopy) assert.equal(fs.existsSync(ro.workingCopy), false, 'the working copy is removed');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('warm evaluation workers', { skip: process.platform !== 'linux' && 'reads /proc/self/fd' }, () => {
  const openCount = (file: string) => fs.readdirSync('/proc/self/fd').filter((fd) => { try { return fs.readlinkSync(`/proc/self/fd/${fd}`) === file; } catch { return false; } }).length;

  it('started before any snapshot is opened: both threads hold their connection and nothing of a snapshot; the views then evaluate once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-ui-eval-warm-'));
    try {
      const storePath = path.join(dir, 'vaultproof.db');
      const { snapshotId } = writeBigStore(storePath, 200, { subscriptions: 1, vaultsPerSubscription: 2 });
      const core = createCoreContext({ storePath });
      const call = caller(core);
      const store = core.store();
      const engineOnly = openCount(storePath);
      await warmViews(store);
      // The engine's connection, then the findings and the pricing workers' read-only ones: 2 more.
      assert.equal(openCount(storePath), engineOnly + 2, 'each warm worker opened its connection');
      assert.deepEqual(await evaluatedCounts(store), { findings: 0, pricings: 0 }, 'warm, nothing worked out');
      await warmViews(store);
      assert.equal(openCount(storePath), engineOnly + 2, 'warming again starts no other worker');
      await call('findings.prepare', { snapshot: snapshotId });
      await call<FindingsSummary>('findings.summary', { snapshot: snapshotId });
      await call<CostSummary>('cost.summary', { snapshot: snapshotId, unknownLimit: 5 });
      await call<FindingsSummary>('findings.summary', { snapshot: snapshotId });
      assert.deepEqual(await evaluatedCounts(store), { findings: 1, pricings: 1 });
      assert.equal(openCount(storePath), engineOnly + 2, 'the views used the warm workers');
      core.close();
      for (let i = 0; i < 100 && openCount(storePath) > 0; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(openCount(storePath), 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('access.findings', () => {
  let dir: string;
  let core: CoreContext;
  let snapshotId: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-ui-access-'));
    const storePath = path.join(dir, 'vaultproof.db');
    const store = openStore(storePath);
    try {
      const files = fs.readdirSync(demo).map((f) => path.join(demo, f));
      snapshotId = (await importFiles(store, files, { now: new Date('2025-10-31T10:00:00Z'), user: 'auditor1', asOf: '2025-10-30T08:00:00Z' })).snapshotId;
    } finally {
      store.close();
    }
    core = createCoreContext({ storePath });
  });

  after(() => {
    core?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("are findings.run's findings of the access rules, in its order, exceptions included", async () => {
    const call = caller(core);
    const of = (fs: Finding[]) => fs.filter((f) => (accessRuleIds as readonly string[]).includes(f.rule));
    const run = await call<FindingsRun>('findings.run', { snapshot: snapshotId, labels: false });
    const got = await call<Finding[]>('access.findings', { snapshot: snapshotId });
    // The demo's rsv-prod-weu: three principals can delete backups, no Resource Guard (test/e2e/access.test.ts).
    assert.ok(got.some((f) => f.rule === 'access-delete-without-mua' && /rsv-prod-weu/.test(f.key)), JSON.stringify(got.map((f) => [f.rule, f.key])));
    assert.deepEqual(got, of(run.findings));
    // An exception on one of them shows in both.
    const f = got[0]!;
    await call('annotations.set', { target: f.target, exception: { rule: f.rule, justification: 'accepted', approver: 'ciso', expires }, reason: 'test' });
    const after = await call<Finding[]>('access.findings', { snapshot: snapshotId });
    assert.equal(after[0]!.excepted, true);
    assert.deepEqual(after, of((await call<FindingsRun>('findings.run', { snapshot: snapshotId, labels: false })).findings));
  });
});

describe('findings.prepare on the evaluation worker', () => {
  it("answers a view's summary and first page sent behind it before working out the filter counts, with the same answers", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-ui-eval-order-'));
    const storePath = path.join(dir, 'vaultproof.db');
    const { snapshotId } = writeBigStore(storePath, 400, { subscriptions: 1, vaultsPerSubscription: 2 });
    const worker = startWorker('browse-evaluate', { workerData: { path: storePath } });
    try {
      const view = { groupBy: 'severity', group: 'all', search: '' } as const;
      const asked: EvalRequest[] = [
        { id: 1, op: 'prepareFindings', snapshotId },
        { id: 2, op: 'findingsSummary', snapshotId },
        { id: 3, op: 'findingsPage', snapshotId, view, offset: 0, limit: 300 },
        { id: 4, op: 'findingCounts', snapshotId },
      ];
      const replies: EvalReply[] = [];
      const done = new Promise<void>((resolve, reject) => {
        worker.on('message', (m: EvalReply) => {
          replies.push(m);
          if (replies.length === asked.length) resolve();
        });
        worker.on('error', reject);
      });
      // All four are queued before the worker has started, as when a view asks while the evaluation runs.
      for (const m of asked) worker.postMessage(m);
      await done;
      assert.deepEqual(
        replies.map((r) => r.id),
        [2, 3, 4, 1],
        'the summary and the page first; the counts asked for are worked out on their own; prepare ends with its counts',
      );
      for (const r of replies) assert.equal(r.error, undefined, JSON.stringify(r.error));
      // The same answers as the engine's own connection gives.
      const store = openStore(storePath, { readonly: true });
      try {
        assert.deepEqual(replies[0]!.value, findingsSummary(store, snapshotId));
        assert.deepEqual(replies[1]!.value, findingsPage(store, snapshotId, view, 0, 300));
        assert.deepEqual((replies[2]!.value as { counts: FindingCount[] }).counts, findingCounts(store, snapshotId));
      } finally {
        store.close();
      }
    } finally {
      await worker.terminate();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
