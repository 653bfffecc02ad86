/**
 * costItem with a run's price cache (priceCache) prices exactly as it does
 * without one: same figures, same notes, same key order, on items that take
 * every path (tiers, blocks beyond the tiers, unknown workload, no redundancy,
 * stored size, soft-deleted, stopped), with the cache shared across them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { CostItemInput, CostVault } from '../../shared/domain/cost.ts';
import { costItem, priceCache } from '../../shared/domain/cost.ts';
import type { RateCard } from '../../shared/domain/ratecard.ts';
import { parseRateCard } from '../../shared/domain/ratecard.ts';
import { DEFAULT_RATECARD_PATH } from '../../electron/core/analysis/assets.ts';

const card: RateCard = (() => {
  const r = parseRateCard(JSON.parse(fs.readFileSync(DEFAULT_RATECARD_PATH, 'utf8')));
  assert.ok(r.ok);
  return r.card;
})();

const V = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.recoveryservices/vaults/';
const vaults: Array<CostVault | undefined> = [
  { key: `${V}a`, name: 'a', location: 'westeurope', storageRedundancy: 'GeoRedundant', crossRegionRestore: true },
  { key: `${V}b`, name: 'b', location: 'East US', storageRedundancy: 'LocallyRedundant', crossRegionRestore: false },
  { key: `${V}c`, name: 'c', location: 'nowhere', storageRedundancy: null, crossRegionRestore: null },
  undefined,
];
const workloads = ['VM', 'SQLDataBase', 'AzureFileShare', 'SAPHanaDatabase', 'Exotic', null];
const states = ['Protected', 'ProtectionStopped', null];
const sizes = [null, 0, 50, 50.5, 500, 501, 2000, 12345.67];

test('costItem prices the same with and without a shared price cache', () => {
  const cache = priceCache(card);
  let n = 0;
  for (let i = 0; i < vaults.length * workloads.length * states.length * sizes.length * 2; i++) {
    const vault = vaults[i % vaults.length];
    const it: CostItemInput = {
      key: `${V}x/protecteditems/item-${i}`,
      name: `item-${i}`,
      vaultKey: vault?.key ?? null,
      vaultName: vault?.name ?? null,
      subscriptionId: 's1',
      workloadType: workloads[Math.floor(i / 4) % workloads.length]!,
      protectionState: states[Math.floor(i / 24) % states.length]!,
      softDeleted: Math.floor(i / 72) % 2 === 1,
      sizeGb: sizes[Math.floor(i / 144) % sizes.length]!,
      location: i % 3 === 0 ? 'West Europe' : null,
      sourceResourceKey: null,
    };
    const over = i % 5 === 0 ? { sizes: { datasetId: 'ds', get: () => ({ frontEndGb: 75, storageGb: i % 10 === 0 ? 12.5 : null }) } } : {};
    const input = { card, ratecardHash: 'h', annotations: new Map(), ...over };
    const plain = costItem(it, vault, input);
    const cached = costItem(it, vault, input, cache);
    assert.equal(JSON.stringify(cached), JSON.stringify(plain), `item ${i}`);
    if (plain.status === 'priced') n++;
  }
  assert.ok(n > 0 && cache.fees.size > 0, 'some items are priced, through the cache');
});

test('a cache made for another card is not used', () => {
  const other: RateCard = { ...card, softDeletedBilled: !card.softDeletedBilled, default: { ...card.default, instanceFee: { tiers: [{ upToGb: 1e9, price: 999 }], beyond: null } } };
  const cache = priceCache(other);
  const vault = vaults[0]!;
  const it: CostItemInput = { key: `${V}a/protecteditems/i`, name: 'i', vaultKey: vault.key, vaultName: 'a', subscriptionId: 's1', workloadType: 'VM', protectionState: 'Protected', softDeleted: false, sizeGb: 100, location: null, sourceResourceKey: null };
  const input = { card, ratecardHash: 'h', annotations: new Map() };
  costItem(it, vault, { ...input, card: other }, cache);
  assert.deepEqual(costItem(it, vault, input, cache), costItem(it, vault, input));
});
