/**
 * cost --compare reprices only the baseline items whose cost inputs differ
 * (electron/core/analysis/cost-delta-sql.ts): on random pairs of snapshots
 * its run must equal the delta of two fully priced reports, figure for
 * figure — items retired, added, re-sized, soft-deleted, moved to another
 * workload or vault, owners and size overrides from annotations, a vault
 * whose redundancy changes (the whole baseline is priced then). Storage is known
 * only from an annotation, so the items with one are priced by their own size.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { loadRatecard } from '../../electron/core/analysis/assets.ts';
import { costRunOf, priceSnapshot, runCost } from '../../electron/core/analysis/run.ts';
import type { Annotation } from '../../shared/domain/annotations.ts';
import type { BackupItem } from '../../shared/domain/types.ts';
import { tmpStore, vault, vmItem, writeSnapshot } from './estate.ts';

const NAMES = Array.from({ length: 12 }, (_, i) => `vm-${i}`);
const change = fc.constantFrom('same', 'size', 'unknown', 'soft', 'workload', 'vault', 'gone', 'location');
const spec = fc.record({
  sizes: fc.array(fc.option(fc.integer({ min: 1, max: 900 })), { minLength: 12, maxLength: 12 }),
  soft: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
  changes: fc.array(change, { minLength: 12, maxLength: 12 }),
  added: fc.array(fc.option(fc.integer({ min: 1, max: 900 })), { maxLength: 4 }),
  redundancyB: fc.constantFrom('GeoRedundant', 'LocallyRedundant'),
  owners: fc.subarray(NAMES),
  overrides: fc.subarray(NAMES),
});

function changed(it: BackupItem, c: string): BackupItem | null {
  switch (c) {
    case 'size':
      return { ...it, sizeGb: (it.sizeGb ?? 0) + 250 };
    case 'unknown':
      return { ...it, sizeGb: null };
    case 'soft':
      return { ...it, softDeleted: !it.softDeleted };
    case 'workload':
      return { ...it, workloadType: 'SQLDataBase' };
    case 'vault':
      return { ...it, vaultKey: vault('vault2').key, vaultName: 'vault2' };
    case 'location':
      return { ...it, location: 'eastus' };
    case 'gone':
      return null;
    default:
      return it;
  }
}

test('cost --compare repriced from the changed rows equals the delta of two full pricings', () => {
  const { store } = tmpStore('vp-cost-delta-');
  const card = loadRatecard();
  let runs = 0;
  try {
    fc.assert(
      fc.property(spec, (e) => {
        runs++;
        const a = NAMES.map((n, i) => vmItem(n, { vault: i % 2 === 0 ? 'vault1' : 'vault2', sizeGb: e.sizes[i] ?? null, softDeleted: e.soft[i]! }));
        const b = [
          ...a.map((it, i) => changed(it, e.changes[i]!)).filter((it): it is BackupItem => it !== null),
          ...e.added.map((s, i) => vmItem(`new-${i}`, { sizeGb: s })),
        ];
        const sa = writeSnapshot(store, { asOf: '2025-03-10T12:00:00.000Z', items: a, vaults: [vault('vault1'), vault('vault2', { storageRedundancy: 'LocallyRedundant' })] });
        const sb = writeSnapshot(store, { asOf: '2025-03-11T12:00:00.000Z', items: b, vaults: [vault('vault1', { storageRedundancy: e.redundancyB }), vault('vault2', { storageRedundancy: 'LocallyRedundant' })] });
        const annotations = new Map<string, Annotation>();
        for (const n of new Set([...e.owners, ...e.overrides])) {
          const target = `item:${vmItem(n).key}`;
          const owned = e.owners.includes(n);
          const over = e.overrides.includes(n);
          annotations.set(target, { target, owner: owned ? `owner-${n}` : null, ownerEmail: null, team: null, costCentre: null, criticality: null, exceptions: [], decision: null, frontEndGb: null, storageGb: over ? 100 : null, notes: [], tags: {}, restoreTests: [] });
        }
        for (const [x, y] of [
          [sa, sb],
          [sb, sa],
        ] as const) {
          const ref = costRunOf(priceSnapshot(store, y, card, undefined, annotations), card, priceSnapshot(store, x, card, undefined, annotations));
          assert.deepEqual(runCost(store, y.id, { compare: x.id, ratecard: card, annotations }), ref);
        }
      }),
      { numRuns: 40, seed: 20261205 },
    );
  } finally {
    store.close();
  }
  assert.equal(runs, 40);
});
