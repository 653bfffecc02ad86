import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SAMPLE_METHOD, drawSample, type SampleUnit } from '../../shared/domain/sample.ts';
import { runSample } from '../../electron/core/analysis/run.ts';
import { tmpStore, vmItem, writeSnapshot } from './estate.ts';

const population: SampleUnit[] = [
  ...['a1', 'a2', 'a3', 'a4', 'a5', 'a6'].map((key) => ({ key, stratum: 'A' })),
  ...['b1', 'b2', 'b3'].map((key) => ({ key, stratum: 'B' })),
  { key: 'c1', stratum: 'C' },
];

test('stratified allocation is proportional with largest remainders: 5 of (6, 3, 1) → 3, 2, 0', () => {
  // 5×6/10 = 3.0; 5×3/10 = 1.5; 5×1/10 = 0.5 → floors 3, 1, 0; the one left goes to the larger of the tied remainders (B)
  const s = drawSample(population, { size: 5, seed: 'audit-2025', stratify: 'workload' });
  assert.deepEqual(
    s.strata.map((x) => [x.stratum, x.population, x.drawn]),
    [
      ['A', 6, 3],
      ['B', 3, 2],
      ['C', 1, 0],
    ],
  );
  assert.equal(s.size, 5);
  assert.equal(new Set(s.items.map((i) => i.key)).size, 5);
  for (const it of s.items) assert.equal(it.key[0]!.toUpperCase(), it.stratum);
  assert.equal(s.method, SAMPLE_METHOD);
  assert.equal(s.seed, 'audit-2025');
});

test('the same seed draws the same sample whatever the input order; another seed draws another', () => {
  const one = drawSample(population, { size: 4, seed: 's1', stratify: 'none' });
  const again = drawSample([...population].reverse(), { size: 4, seed: 's1', stratify: 'none' });
  assert.deepEqual(one.items, again.items);
  const seeds = ['s2', 's3', 's4', 's5', 's6'].map((seed) => drawSample(population, { size: 4, seed, stratify: 'none' }).items.map((i) => i.key).join());
  assert.ok(seeds.some((k) => k !== one.items.map((i) => i.key).join()), 'other seeds give other samples');
});

test('a sample larger than the population takes everything; size 0 takes nothing', () => {
  assert.equal(drawSample(population, { size: 50, seed: 'x', stratify: 'vault' }).size, 10);
  assert.equal(drawSample(population, { size: 0, seed: 'x', stratify: 'vault' }).size, 0);
  assert.throws(() => drawSample(population, { size: 1.5, seed: 'x', stratify: 'none' }), /whole number/);
});

test('draws over a stored snapshot, stratified by severity of the findings (items without findings are "none")', () => {
  const { store } = tmpStore();
  try {
    const items = [
      vmItem('ok1'),
      vmItem('ok2'),
      vmItem('late', { lastBackupTime: '2025-03-01T00:00:00.000Z', lastRecoveryPoint: null }),
      vmItem('stopped', { protectionState: 'ProtectionStopped' }),
    ];
    const s = writeSnapshot(store, { asOf: '2025-03-10T12:00:00.000Z', items });
    const r = runSample(store, s.id, { size: 4, seed: 'q1', stratify: 'severity', annotations: new Map() });
    // every item is ownerless (low); late adds rpo-breach (high), stopped adds protection-stopped (medium)
    const by = new Map(r.items.map((i) => [i.key, i.stratum]));
    assert.equal(by.get(items[0]!.key), 'low');
    assert.equal(by.get(items[2]!.key), 'high');
    assert.equal(by.get(items[3]!.key), 'medium');
    assert.match(r.profileHash ?? '', /^[0-9a-f]{64}$/);
    assert.equal(r.snapshot.id, s.id);
  } finally {
    store.close();
  }
});
