/**
 * cost --compare finds the items to reprice in one merge of both snapshots'
 * walks (electron/core/analysis/cost-delta-sql.ts ONE_SIDE_SQL): its GROUP BY
 * must take the merged rows in the order they come, with no sort of its own
 * (a sort gives the same rows, but walks 100k items twice as slowly). A key's
 * rows are neighbours whichever side sorts first, and a key of the current
 * snapshot only may come last.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadRatecard } from '../../electron/core/analysis/assets.ts';
import { ONE_SIDE_SQL } from '../../electron/core/analysis/cost-delta-sql.ts';
import { runCost } from '../../electron/core/analysis/run.ts';
import type { Annotation } from '../../shared/domain/annotations.ts';
import { tmpStore, vault, vmItem, writeSnapshot } from './estate.ts';

test('cost --compare: the rows found on one side only come from one merge, in key order, with no sort', () => {
  const { store } = tmpStore('vp-cost-plan-');
  try {
    const same = vmItem('vm-a', { sizeGb: 10 });
    const resized = vmItem('vm-b', { sizeGb: 10 });
    const gone = vmItem('vm-c', { sizeGb: 10 });
    const added = vmItem('vm-d', { sizeGb: 600 });
    const a = writeSnapshot(store, { asOf: '2025-03-10T12:00:00.000Z', vaults: [vault('vault1')], items: [same, resized, gone] });
    const b = writeSnapshot(store, { asOf: '2025-03-11T12:00:00.000Z', vaults: [vault('vault1')], items: [same, { ...resized, sizeGb: null }, added] });
    const params = { a: a.id, b: b.id };

    const plan = (store.db.prepare(`EXPLAIN QUERY PLAN ${ONE_SIDE_SQL}`).all(params) as Array<{ detail: string }>).map((r) => r.detail);
    assert.ok(plan.includes('MERGE (UNION ALL)'), plan.join(' | '));
    assert.ok(!plan.some((d) => d.includes('TEMP B-TREE')), plan.join(' | '));

    // vm-b: the current row (size NULL) sorts before the baseline's (10); vm-c in the baseline only; vm-d, last, in the current snapshot only.
    const rows = (store.db.prepare(ONE_SIDE_SQL).raw(true).all(params) as unknown[][]).map((r) => [r[0], r[4], r[7]]);
    assert.deepEqual(rows, [
      [resized.key, null, 1],
      [resized.key, 10, 0],
      [gone.key, 10, 0],
      [added.key, 600, 1],
    ]);

    // 100 GB stored each (GRS $0.0448/GB: $4.48): vm-a, vm-b and vm-c at 10 GB $5 + $4.48; vm-d at 600 GB 2 × $10 + $4.48; vm-b with no size is unknown.
    const card = loadRatecard();
    const annotations = new Map<string, Annotation>(
      [same, resized, gone, added].map((it) => {
        const target = `item:${it.key}`;
        return [target, { target, owner: null, ownerEmail: null, team: null, costCentre: null, criticality: null, exceptions: [], decision: null, frontEndGb: null, storageGb: 100, notes: [], tags: {}, restoreTests: [] }];
      }),
    );
    const { baseline: _b, ...delta } = runCost(store, b.id, { compare: a.id, ratecard: card, annotations }).delta!;
    assert.deepEqual(delta, {
      currency: 'USD',
      before: 28.44,
      after: 33.96,
      change: 5.52,
      pricedBefore: 28.44,
      pricedAfter: 33.96,
      retired: { count: 1, savings: 9.48, unknown: 0, items: [{ key: gone.key, total: 9.48 }] },
      added: { count: 1, cost: 24.48, unknown: 0, items: [{ key: added.key, total: 24.48 }] },
      changed: { count: 1, change: 0, items: [{ key: resized.key, before: 9.48, after: 'unknown' }] },
      complete: false,
    });
  } finally {
    store.close();
  }
});
