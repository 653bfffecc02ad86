/**
 * Issue 17: the Compare view reads diff.summary, diff.page and diff.rollups
 * instead of diff.run's whole report. Checked here through the one entrance:
 * on a pair worked out by hand (test/e2e/support/compare-pair.ts), and on an
 * estate pair with lists longer than a page, where every list read in pages of
 * any size is diff.run's list, in its (key) order, each row exactly once, and
 * the diff is worked out once per pair and annotation-log head.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCoreContext, type CoreContext } from '../../electron/core/context.ts';
import { dispatch } from '../../electron/core/api/dispatch.ts';
import { diffsWorkedOut } from '../../electron/core/browse/diff-pages.ts';
import { openStore } from '../../electron/core/store/store.ts';
import { toolVersion } from '../../electron/core/version.ts';
import type { DiffReport } from '../../shared/contract/methods/analysis.ts';
import type { DiffPage, DiffPageKind, DiffPageRow, DiffRollupsAnswer, DiffSummary } from '../../shared/contract/methods/diff.ts';
import { normaliseResource } from '../../shared/domain/normalise/index.ts';
import type { CoverageEntry } from '../../shared/domain/types.ts';
import { estateItems, subscriptionId } from '../harness/estate.ts';
import { pairExpected, writeComparePair } from '../e2e/support/compare-pair.ts';

const kinds: DiffPageKind[] = ['changed', 'added', 'removed', 'notCollected'];

/** diff.run's list of one kind, as rows of diff.page. */
function runList(d: DiffReport, kind: DiffPageKind): DiffPageRow[] {
  const label = (key: string) => d.labels?.[key] ?? null;
  if (kind === 'changed') return d.changed.map((c) => ({ key: c.key, fields: c.fields, label: label(c.key) }));
  if (kind === 'added') return d.added.map((key) => ({ key, label: label(key) }));
  return d.removed.filter((r) => (kind === 'notCollected') === (r.reason === 'notCollected')).map((r) => ({ key: r.key, reason: r.reason, label: label(r.key) }));
}

function withCore(storePath: string): { core: CoreContext; call: <T>(method: string, input: unknown) => Promise<T>; fails: (method: string, input: unknown) => Promise<string> } {
  const core = createCoreContext({ storePath });
  return {
    core,
    call: async <T>(method: string, input: unknown): Promise<T> => {
      const r = await dispatch(core, { method, input } as never);
      assert.ok(r.ok, `${method}: ${JSON.stringify(r).slice(0, 400)}`);
      return r.value as T;
    },
    fails: async (method: string, input: unknown): Promise<string> => {
      const r = await dispatch(core, { method, input } as never);
      assert.equal(r.ok, false, `${method} should refuse ${JSON.stringify(input)}`);
      return r.ok ? '' : r.error.code;
    },
  };
}

describe('diff.summary and diff.page: the Compare view a page at a time, the figures of diff.run', () => {
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-diff-pages-'));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a pair worked out by hand: the counts, every list in key order with its labels, and diff.run agrees', async () => {
    const storePath = path.join(dir, 'pair.db');
    const { baseline, current } = writeComparePair(storePath);
    const { core, call } = withCore(storePath);
    try {
      const s = await call<DiffSummary>('diff.summary', { baseline, current });
      assert.deepEqual(s.counts, pairExpected.counts);
      assert.deepEqual(
        s.notCompared.map((n) => n.field),
        pairExpected.notCompared,
      );
      assert.equal(s.baseline.id, baseline);
      assert.equal(s.current.id, current);
      const want: Record<DiffPageKind, DiffPageRow[]> = {
        changed: pairExpected.changed.map((r) => ({ key: r.key, fields: r.fields, label: r.name })),
        added: pairExpected.added.map((r) => ({ key: r.key, label: r.name })),
        removed: pairExpected.removed.map((r) => ({ key: r.key, reason: r.reason, label: r.name })),
        notCollected: pairExpected.notCollected.map((r) => ({ key: r.key, reason: r.reason, label: r.name })),
      };
      for (const kind of kinds) {
        const p = await call<DiffPage>('diff.page', { baseline, current, kind, offset: 0, limit: 50 });
        assert.deepEqual(p, { kind, rows: want[kind], offset: 0, total: want[kind].length }, kind);
      }
      // The CLI's diff (diff.run) says the same.
      const d = await call<DiffReport>('diff.run', { baseline, current });
      for (const kind of kinds) assert.deepEqual(runList(d, kind), want[kind], `diff.run ${kind}`);
      assert.equal(d.unchanged, pairExpected.counts.unchanged);
      // Roll-ups: one subscription; vault-a holds 2 added, 2 removed, 2 changed, 2 unchanged; vault-b 2 not collected.
      const r = await call<DiffRollupsAnswer>('diff.rollups', { baseline, current });
      assert.deepEqual(r.rollups, d.rollups);
      assert.deepEqual(
        r.rollups.vault.map((g) => [g.group.split('/').pop(), g.added, g.removed, g.notCollected, g.changed, g.unchanged]),
        [
          ['vault-a', 2, 2, 0, 2, 2],
          ['vault-b', 0, 0, 2, 0, 0],
        ],
      );
      assert.deepEqual(r.vaultLabels, d.vaultLabels);
    } finally {
      core.close();
    }
  });

  it('an estate pair read in pages of any size: every row exactly once, in diff.run order, one diff per pair and annotation head', async () => {
    const storePath = path.join(dir, 'estate.db');
    const n = 1500;
    const shape = { subscriptions: 3, vaultsPerSubscription: 4 };
    const subs = [0, 1, 2].map(subscriptionId);
    // The estate pair of issue 17 (test/bench/_estate-pair.ts), smaller: the second day stops protection on 3 %,
    // fails 2 %, soft-deletes 1 %, removes 1 %, adds 300, and one vault's collection fails.
    const store = openStore(storePath);
    const failedVault = `/subscriptions/${subs[1]}/resourcegroups/rg-backup-1/providers/microsoft.recoveryservices/vaults/rsv-1-2`;
    const writeDay = (asOf: string, items: Iterable<Record<string, unknown>>, coverage: CoverageEntry[]): string => {
      const w = store.snapshots.begin(Date.parse(asOf));
      for (const raw of items) {
        const rec = normaliseResource(raw);
        if (rec) w.add(rec);
      }
      return w.commit({ label: asOf, createdAt: asOf, asOf, source: 'import', complete: true, provenance: { toolVersion, source: 'import', user: 'test', createdAt: asOf, asOfSource: 'option', tenants: [], subscriptions: subs }, coverage }).id;
    };
    const collected: CoverageEntry[] = subs.map((s) => ({ scope: `subscription:${s}`, status: 'collected', error: null }));
    let baseline: string;
    let current: string;
    try {
      baseline = writeDay('2026-11-20T08:00:00.000Z', estateItems({ items: n, asOf: '2026-11-20T08:00:00Z', ...shape }), collected);
      const second = function* (): Generator<Record<string, unknown>> {
        let i = 0;
        for (const it of estateItems({ items: n + 300, asOf: '2026-11-21T08:00:00Z', ...shape })) {
          const m = i++ % 100;
          if (i > n) {
            yield it;
            continue;
          }
          const p = { ...(it.properties as Record<string, unknown>) };
          if (String(it.id).toLowerCase().startsWith(failedVault)) continue;
          if (m === 7) continue;
          if (m === 10 || m === 11 || m === 12) {
            p.protectionState = 'ProtectionStopped';
            delete p.policyId;
            delete p.policyName;
          } else if (m === 20 || m === 21) {
            p.lastBackupStatus = 'Failed';
            p.protectionStatus = 'Unhealthy';
          } else if (m === 30) p.isScheduledForDeferredDelete = true;
          yield { ...it, properties: p };
        }
      };
      current = writeDay('2026-11-21T08:00:00.000Z', second(), [...collected, { scope: `vault:${failedVault}`, status: 'failed', error: { code: 'AuthorizationFailed', message: 'test' } }]);
    } finally {
      store.close();
    }

    const { core, call, fails } = withCore(storePath);
    try {
      const before = diffsWorkedOut.count;
      const s = await call<DiffSummary>('diff.summary', { baseline, current });
      assert.equal(diffsWorkedOut.count, before + 1);
      const lists: Partial<Record<DiffPageKind, DiffPageRow[]>> = {};
      for (const kind of kinds) {
        for (const limit of [1, 7, 64, 10_000]) {
          const rows: DiffPageRow[] = [];
          let total = -1;
          for (let offset = 0; ; offset += limit) {
            const p = await call<DiffPage>('diff.page', { baseline, current, kind, offset, limit });
            assert.equal(p.kind, kind);
            assert.equal(p.offset, offset);
            if (total >= 0) assert.equal(p.total, total, 'the total does not move between pages');
            total = p.total;
            assert.ok(p.rows.length <= limit);
            rows.push(...p.rows);
            if (p.rows.length < limit) break;
          }
          assert.equal(rows.length, total, `${kind} by ${limit}: every row once`);
          const keys = rows.map((r) => r.key);
          for (let i = 1; i < keys.length; i++) assert.ok(keys[i - 1]! < keys[i]!, `${kind} by ${limit}: key order, no repeat (${keys[i]})`);
          if (lists[kind]) assert.deepEqual(rows, lists[kind], `${kind}: the same rows in pages of ${limit}`);
          lists[kind] = rows;
        }
      }
      // Past the end: no rows, the same total.
      assert.deepEqual(await call<DiffPage>('diff.page', { baseline, current, kind: 'changed', offset: 1_000_000, limit: 10 }), { kind: 'changed', rows: [], offset: 1_000_000, total: lists.changed!.length });
      assert.equal(diffsWorkedOut.count, before + 1, 'every page a slice of the one kept diff');

      // Against the CLI's diff: the same counts, the same rows with the same fields, reasons and labels.
      const d = await call<DiffReport>('diff.run', { baseline, current });
      assert.ok(d.changed.length > 50 && d.added.length === 300 && lists.removed!.length > 10 && lists.notCollected!.length > 10, `lists longer than a page (${d.changed.length} changed)`);
      assert.ok(d.removed.some((r) => r.reason === 'softDeleted') && d.removed.some((r) => r.reason === 'gone'));
      const by = (reason: string) => d.removed.filter((r) => r.reason === reason).length;
      assert.deepEqual(s.counts, { added: d.added.length, removed: by('gone') + by('softDeleted'), gone: by('gone'), softDeleted: by('softDeleted'), notCollected: by('notCollected'), changed: d.changed.length, unchanged: d.unchanged });
      for (const kind of kinds) assert.deepEqual(lists[kind], runList(d, kind), `${kind} as diff.run lists it`);
      assert.deepEqual(s.notCompared, d.notCompared);
      const r = await call<DiffRollupsAnswer>('diff.rollups', { baseline, current });
      assert.deepEqual(r, { rollups: d.rollups, vaultLabels: d.vaultLabels });
      assert.equal(diffsWorkedOut.count, before + 1);

      // An owner groups the roll-ups: a new annotation is a new diff, never the kept one.
      const owned = lists.changed![0]!.key;
      await call('annotations.set', { target: `item:${owned}`, owner: 'Ana Auditor', reason: 'test' });
      const r2 = await call<DiffRollupsAnswer>('diff.rollups', { baseline, current });
      assert.equal(diffsWorkedOut.count, before + 2);
      assert.deepEqual(
        r2.rollups.owner.find((g) => g.group === 'Ana Auditor'),
        { group: 'Ana Auditor', added: 0, removed: 0, notCollected: 0, changed: 1, unchanged: 0 },
      );
      assert.deepEqual(r2.rollups, (await call<DiffReport>('diff.run', { baseline, current })).rollups);

      // Inputs are checked: an unknown list, a page of nothing, a field too many.
      assert.equal(await fails('diff.page', { baseline, current, kind: 'unchanged', offset: 0, limit: 10 }), 'BAD_INPUT');
      assert.equal(await fails('diff.page', { baseline, current, kind: 'added', offset: 0, limit: 0 }), 'BAD_INPUT');
      assert.equal(await fails('diff.page', { baseline, current, kind: 'added', offset: -1, limit: 10 }), 'BAD_INPUT');
      assert.equal(await fails('diff.summary', { baseline, current, labels: false }), 'BAD_INPUT');
    } finally {
      core.close();
    }
  });
});
