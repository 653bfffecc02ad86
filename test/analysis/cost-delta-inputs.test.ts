/**
 * cost --compare reprices the baseline items whose cost inputs differ from
 * the current ones (electron/core/analysis/cost-delta-sql.ts compares the two
 * snapshots' rows of inputs, NULL equal to NULL). Here each input changes on
 * its own, most of them to or from NULL, and the delta is checked against
 * figures worked out by hand from the default card (Azure VM fee $5 up to
 * 50 GB, $10 up to 500 GB, $10 per started 500 GB beyond; GRS storage
 * $0.0448 per GB) plus a region entry that prices GRS storage in eastus at
 * $0.10. Every item stores 100 GB (an annotation), so a VM of 10 GB in a GRS
 * vault costs $5 + $4.48 = $9.48.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadRatecard } from '../../electron/core/analysis/assets.ts';
import { costRunOf, priceSnapshot, runCost } from '../../electron/core/analysis/run.ts';
import type { Annotation } from '../../shared/domain/annotations.ts';
import type { BackupItem } from '../../shared/domain/types.ts';
import { tmpStore, vault, vmItem, writeSnapshot } from './estate.ts';

function storage(target: string, gb: number): [string, Annotation] {
  return [target, { target, owner: null, ownerEmail: null, team: null, costCentre: null, criticality: null, exceptions: [], decision: null, frontEndGb: null, storageGb: gb, notes: [], tags: {}, restoreTests: [] }];
}

test('cost --compare: each cost input changed on its own, to and from NULL, gives the delta worked out by hand', () => {
  const { store } = tmpStore('vp-cost-inputs-');
  const loaded = loadRatecard();
  const card = { ...loaded, value: { ...loaded.value, regions: { eastus: { storage: { standard: { GRS: 0.1 } } } } } };
  const vm = (name: string, over: Partial<BackupItem> & { vault?: string } = {}): BackupItem => vmItem(name, { sizeGb: 10, ...over });
  const same = vm('n1-same');
  const nulls = vm('n2-nulls', { vaultKey: null, vaultName: null, workloadType: null, sizeGb: null, location: null, sourceResourceId: null, sourceResourceKey: null });
  const size = vm('n3-size', { sizeGb: null });
  const soft = vm('n4-soft');
  const workload = vm('n5-workload');
  const source = vm('n6-source');
  const vaulted = vm('n7-vault');
  const gone = vm('n8-gone');
  const added = vm('n9-new', { sizeGb: 600 });
  // In a vault with no location, so the item's own location is its region.
  const located = vm('n0-location', { vault: 'vault3', location: null });
  const vaults = [vault('vault1'), vault('vault3', { location: null as unknown as string })];
  try {
    const a = writeSnapshot(store, { asOf: '2025-03-10T12:00:00.000Z', vaults, items: [same, nulls, size, soft, workload, source, vaulted, gone, located] });
    const b = writeSnapshot(store, {
      asOf: '2025-03-11T12:00:00.000Z',
      vaults,
      items: [
        same,
        nulls,
        { ...size, sizeGb: 60 },
        { ...soft, softDeleted: true },
        { ...workload, workloadType: null },
        { ...source, sourceResourceId: null, sourceResourceKey: null },
        { ...vaulted, vaultKey: null, vaultName: null },
        added,
        { ...located, location: 'eastus' },
      ],
    });
    // Storage by the item, except n6-source, whose storage hangs on its source resource.
    const annotations = new Map<string, Annotation>([
      ...[same, size, soft, workload, vaulted, gone, added, located].map((it) => storage(`item:${it.key}`, 100)),
      storage(`resource:${source.sourceResourceKey!}`, 100),
    ]);
    const run = runCost(store, b.id, { compare: a.id, ratecard: card, annotations });
    const { baseline: _b, ...delta } = run.delta!;
    assert.deepEqual(delta, {
      currency: 'USD',
      // Baseline: seven items at $9.48 (n3-size has no front-end size, n2-nulls no workload).
      before: 66.36,
      // Current: n1 $9.48, n3 at 60 GB $10 + $4.48, n4 soft-deleted $0, n0 in eastus $5 + $10.00, n9 at 600 GB 2 × $10 + $4.48;
      // n5 (no workload) and n7 (no vault, so no redundancy) unpriced, n6 (no source, so no storage) unknown.
      after: 63.44,
      change: -2.92,
      pricedBefore: 66.36,
      pricedAfter: 63.44,
      retired: { count: 1, savings: 9.48, unknown: 0, items: [{ key: gone.key, total: 9.48 }] },
      added: { count: 1, cost: 24.48, unknown: 0, items: [{ key: added.key, total: 24.48 }] },
      // In key order (vault1's items, then vault3's); the change sums the items known on both sides: -9.48 + 5.52.
      changed: {
        count: 6,
        change: -3.96,
        items: [
          { key: size.key, before: 'unknown', after: 14.48 },
          { key: soft.key, before: 9.48, after: 0 },
          { key: workload.key, before: 9.48, after: 'unpriced' },
          { key: source.key, before: 9.48, after: 'unknown' },
          { key: vaulted.key, before: 9.48, after: 'unpriced' },
          { key: located.key, before: 9.48, after: 15 },
        ],
      },
      complete: false,
    });
    // And the other way round, against two full pricings.
    const back = costRunOf(priceSnapshot(store, a, card, undefined, annotations), card, priceSnapshot(store, b, card, undefined, annotations));
    assert.deepEqual(runCost(store, a.id, { compare: b.id, ratecard: card, annotations }), back);
  } finally {
    store.close();
  }
});
