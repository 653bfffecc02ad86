import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Annotation, AnnotationIndex } from '../../shared/domain/annotations.ts';
import type { CostItemInput, CostVault } from '../../shared/domain/cost.ts';
import { costDelta, costSnapshot } from '../../shared/domain/cost.ts';
import type { RateCard } from '../../shared/domain/ratecard.ts';
import { instanceFeeCents, instanceFeeFor, multiplyToCents, parseRateCard, redundancyOf } from '../../shared/domain/ratecard.ts';
import { DEFAULT_RATECARD_PATH } from '../../electron/core/analysis/assets.ts';

const card: RateCard = (() => {
  const r = parseRateCard(JSON.parse(fs.readFileSync(DEFAULT_RATECARD_PATH, 'utf8')));
  assert.ok(r.ok, 'the shipped rate card is valid');
  return r.card;
})();

const V = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.recoveryservices/vaults/';

function vault(name: string, storageRedundancy: string | null, crossRegionRestore: boolean | null = false, location = 'westeurope'): CostVault {
  return { key: `${V}${name}`, name, location, storageRedundancy, crossRegionRestore };
}

function item(name: string, over: Partial<CostItemInput> = {}): CostItemInput {
  return {
    key: `${V}v1/backupfabrics/azure/protectioncontainers/c/protecteditems/${name}`,
    name,
    vaultKey: `${V}v1`,
    vaultName: 'v1',
    subscriptionId: 's1',
    workloadType: 'VM',
    protectionState: 'Protected',
    softDeleted: false,
    sizeGb: null,
    location: 'westeurope',
    sourceResourceKey: null,
    ...over,
  };
}

function sizes(map: Record<string, [number | null, number | null]>): { datasetId: string; get(k: string): { frontEndGb: number | null; storageGb: number | null } | undefined } {
  return {
    datasetId: 'ds1',
    get: (k) => {
      const n = k.split('/').pop()!;
      const e = map[n];
      return e ? { frontEndGb: e[0], storageGb: e[1] } : undefined;
    },
  };
}

function annotation(target: string, over: Partial<Annotation>): Annotation {
  return { target, owner: null, ownerEmail: null, team: null, costCentre: null, criticality: null, exceptions: [], decision: null, frontEndGb: null, storageGb: null, notes: [], tags: {}, restoreTests: [], ...over };
}

test('instance fee tiers: 50 GB → $5, just over 50 → $10, 500 → $10, 501 → $20, 2,000 GB → 4 started blocks of 500 = $40', () => {
  const vmFee = instanceFeeFor(card, null, 'VM');
  assert.ok(vmFee.schedule, 'the default card prices Azure VMs');
  const fee = (gb: number) => instanceFeeCents(vmFee.schedule!, gb).cents;
  assert.equal(fee(0), 500);
  assert.equal(fee(50), 500);
  assert.equal(fee(50.01), 1000);
  assert.equal(fee(500), 1000);
  assert.equal(fee(501), 2000);
  assert.equal(fee(1000), 2000);
  assert.equal(fee(1000.5), 3000);
  assert.equal(fee(2000), 4000);
});

test('storage cost rounds half-up on the exact decimal product, not on binary floating point', () => {
  // 50 GB × $0.0569 (RA-GRS) = $2.845 exactly → $2.85; 0.0569 * 50 in floating point is 2.8449999…
  assert.equal(multiplyToCents(50, 0.0569), 285);
  // 2.5 GB × $0.0224 = $0.056 → $0.06; 0.2 GB × $0.0224 = $0.00448 → $0.00
  assert.equal(multiplyToCents(2.5, 0.0224), 6);
  assert.equal(multiplyToCents(0.2, 0.0224), 0);
  assert.equal(multiplyToCents(1e-7, 1e7), 100);
});

test('redundancy: geo-redundant with cross-region restore is priced as RA-GRS', () => {
  assert.equal(redundancyOf('LocallyRedundant', null), 'LRS');
  assert.equal(redundancyOf('ZoneRedundant', false), 'ZRS');
  assert.equal(redundancyOf('GeoRedundant', false), 'GRS');
  assert.equal(redundancyOf('GeoRedundant', true), 'RA-GRS');
  assert.equal(redundancyOf(null, true), null);
});

test('per item: instance fee + storage; a stopped item with retained data still costs; totals sum rounded items', () => {
  const items = [
    item('a'), // 40 GB front end, 100 GB storage on GRS
    item('b', { protectionState: 'ProtectionStopped' }), // stopped, data retained: 600 GB, 1000 GB
    item('c', { vaultKey: `${V}v2`, vaultName: 'v2' }), // 2,000 GB front end, 50 GB storage on RA-GRS
  ];
  const r = costSnapshot({
    items,
    vaults: [vault('v1', 'GeoRedundant'), vault('v2', 'GeoRedundant', true)],
    card,
    ratecardHash: 'h',
    annotations: new Map(),
    sizes: sizes({ a: [40, 100], b: [600, 1000], c: [2000, 50] }),
  });
  const by = new Map(r.items.map((i) => [i.name, i]));
  // a: $5 + 100 × 0.0448 = $4.48 → $9.48
  assert.deepEqual([by.get('a')!.instanceFee, by.get('a')!.storageCost, by.get('a')!.total], [5, 4.48, 9.48]);
  // b: 600 GB → 2 blocks = $20; 1000 × 0.0448 = $44.80 → $64.80, still billed although stopped
  assert.deepEqual([by.get('b')!.instanceFee, by.get('b')!.storageCost, by.get('b')!.total, by.get('b')!.status], [20, 44.8, 64.8, 'priced']);
  assert.match(by.get('b')!.note ?? '', /still billed/);
  // c: $40 + 50 × 0.0569 = $2.845 → $2.85 → $42.85
  assert.deepEqual([by.get('c')!.instanceFee, by.get('c')!.storageCost, by.get('c')!.total, by.get('c')!.redundancy], [40, 2.85, 42.85, 'RA-GRS']);
  assert.equal(r.total, 117.13); // 9.48 + 64.80 + 42.85
  assert.equal(r.complete, true);
  assert.deepEqual(
    r.byVault.map((v) => [v.label, v.items, v.total]),
    [
      ['v1', 2, 74.28],
      ['v2', 1, 42.85],
    ],
  );
  assert.equal(by.get('a')!.frontEndSource, 'sizes:ds1');
});

test('unknown size is "unknown", never 0: counted, listed and left out of the total', () => {
  const r = costSnapshot({
    items: [item('known'), item('nofront'), item('nostorage', { sizeGb: 10 })],
    vaults: [vault('v1', 'LocallyRedundant')],
    card,
    ratecardHash: 'h',
    annotations: new Map(),
    sizes: sizes({ known: [10, 10], nofront: [null, 10] }),
  });
  const by = new Map(r.items.map((i) => [i.name, i]));
  assert.equal(by.get('nofront')!.frontEndGb, 'unknown');
  assert.equal(by.get('nofront')!.instanceFee, 'unknown');
  assert.equal(by.get('nofront')!.storageCost, 0.22); // 10 × 0.0224 = 0.224
  assert.equal(by.get('nofront')!.total, 'unknown');
  // the item's own size is a front-end size; storage stays unknown
  assert.equal(by.get('nostorage')!.frontEndGb, 10);
  assert.equal(by.get('nostorage')!.frontEndSource, 'item');
  assert.equal(by.get('nostorage')!.storageGb, 'unknown');
  assert.equal(by.get('nostorage')!.total, 'unknown');
  assert.equal(r.unknownSize, 2);
  assert.deepEqual(r.unknownSizeItems, [by.get('nofront')!.key, by.get('nostorage')!.key].sort());
  // The total is not known: null, never the sum of the known part; the priced part is a lower bound.
  assert.equal(r.total, null);
  assert.equal(r.pricedTotal, 5.22); // only "known": $5 + 10 × 0.0224 = 0.224 → 0.22
  assert.deepEqual([r.pricedItems, r.billableItems, r.unknownItems], [1, 3, 2]);
  assert.equal(r.complete, false);
});

test('unpriced: a vault whose redundancy is unknown cannot price storage; the item is counted as unpriced', () => {
  const r = costSnapshot({ items: [item('x')], vaults: [vault('v1', null, null)], card, ratecardHash: 'h', annotations: new Map(), sizes: sizes({ x: [10, 10] }) });
  assert.equal(r.items[0]!.storageCost, 'unpriced');
  assert.equal(r.items[0]!.status, 'unpriced');
  assert.equal(r.unpriced, 1);
  assert.equal(r.total, null, 'nothing is priced: the total is unknown, not $0.00');
  assert.equal(r.pricedTotal, 0);
});

test('soft-deleted data is not billed with the list-price card', () => {
  const r = costSnapshot({ items: [item('gone', { softDeleted: true })], vaults: [vault('v1', 'GeoRedundant')], card, ratecardHash: 'h', annotations: new Map(), sizes: sizes({ gone: [100, 100] }) });
  assert.equal(r.items[0]!.total, 0);
  assert.equal(r.items[0]!.status, 'notBilled');
});

test('size annotations override the dataset, which overrides the item; owners get totals', () => {
  const a = item('a', { sizeGb: 700 });
  const ann: AnnotationIndex = new Map([[`item:${a.key}`, annotation(`item:${a.key}`, { frontEndGb: 30, storageGb: 10, owner: 'ana' })]]);
  const r = costSnapshot({ items: [a], vaults: [vault('v1', 'LocallyRedundant')], card, ratecardHash: 'h', annotations: ann, sizes: sizes({ a: [300, 300] }) });
  const c = r.items[0]!;
  assert.deepEqual([c.frontEndGb, c.frontEndSource, c.storageGb, c.storageSource], [30, 'annotation', 10, 'annotation']);
  assert.equal(c.total, 5.22);
  assert.deepEqual(r.byOwner, [{ group: 'ana', label: null, items: 1, total: 5.22, unknownSize: 0, unpriced: 0 }]);
});

test('region and workload overrides beat the default prices', () => {
  const custom: RateCard = {
    ...card,
    default: { ...card.default, workloads: { sqldatabase: { instanceFee: { tiers: [{ upToGb: 500, price: 15 }], beyond: null } } } },
    regions: { westeurope: { storage: { standard: { LRS: 0.03 } } } },
  };
  const r = costSnapshot({
    items: [item('sql', { workloadType: 'SQLDataBase' }), item('big', { workloadType: 'SQLDataBase' })],
    vaults: [vault('v1', 'LocallyRedundant')],
    card: custom,
    ratecardHash: 'h',
    annotations: new Map(),
    sizes: sizes({ sql: [100, 100], big: [600, 1] }),
  });
  const by = new Map(r.items.map((i) => [i.name, i]));
  assert.deepEqual([by.get('sql')!.instanceFee, by.get('sql')!.storageCost], [15, 3]);
  // beyond the last tier without a "beyond" rule: unpriced, not guessed
  assert.equal(by.get('big')!.instanceFee, 'unpriced');
  assert.equal(by.get('big')!.status, 'unpriced');
});

test('before/after: savings from retired items, new cost from added ones', () => {
  const vaults = [vault('v1', 'GeoRedundant')];
  const before = costSnapshot({ items: [item('keep'), item('retire')], vaults, card, ratecardHash: 'h', annotations: new Map(), sizes: sizes({ keep: [10, 0], retire: [100, 100], add: [10, 10] }) });
  const after = costSnapshot({ items: [item('keep'), item('add')], vaults, card, ratecardHash: 'h', annotations: new Map(), sizes: sizes({ keep: [100, 0], retire: [100, 100], add: [10, 10] }) });
  const d = costDelta(before, after);
  // retire: $10 + 100 × 0.0448 = $14.48; add: $5 + 0.448 → $5.45; keep: $5 → $10
  assert.equal(d.retired.savings, 14.48);
  assert.equal(d.added.cost, 5.45);
  assert.equal(d.changed.change, 5);
  assert.equal(d.before, 19.48);
  assert.equal(d.after, 15.45);
  assert.equal(d.change, -4.03);
});
