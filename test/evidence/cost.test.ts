/**
 * Unknown money is never a number, and each workload is priced at its own
 * fee. Expected amounts are worked out by hand from the rate card.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CostItemInput, CostVault } from '../../shared/domain/cost.ts';
import { costDelta, costSnapshot, describeTotal, statedDelta } from '../../shared/domain/cost.ts';
import type { RateCard } from '../../shared/domain/ratecard.ts';
import { instanceFeeFor, parseRateCard } from '../../shared/domain/ratecard.ts';
import { DEFAULT_RATECARD_PATH } from '../../electron/core/analysis/assets.ts';
import { cli } from '../harness/cli.ts';
import { TRUTH_DIR } from './truth.ts';

const card: RateCard = (() => {
  const r = parseRateCard(JSON.parse(fs.readFileSync(DEFAULT_RATECARD_PATH, 'utf8')));
  assert.ok(r.ok);
  return r.card;
})();

const V = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.recoveryservices/vaults/v1';
const vaults: CostVault[] = [{ key: V, name: 'v1', location: 'eastus', storageRedundancy: 'LocallyRedundant', crossRegionRestore: false }];
function item(name: string, workloadType: string, over: Partial<CostItemInput> = {}): CostItemInput {
  return { key: `${V}/x/${name}`, name, vaultKey: V, vaultName: 'v1', subscriptionId: 's1', workloadType, protectionState: 'Protected', softDeleted: false, sizeGb: 40, location: 'eastus', sourceResourceKey: null, ...over };
}
const sizes = (storageGb: number) => ({ datasetId: 'd', get: () => ({ frontEndGb: 40, storageGb }) });

test('the default card prices each workload only by its own entry: VM from azureVm (marked unconfirmed); SQL, HANA, Files, Backup vault kinds unpriced with the reason', () => {
  const workloads = ['VM', 'SQLDataBase', 'SAPHanaDatabase', 'AzureFileShare', 'Microsoft.Compute/disks', 'Microsoft.Storage/storageAccounts/blobServices', 'Microsoft.ContainerService/managedClusters', 'Microsoft.DBforPostgreSQL/servers/databases', 'FileFolder'];
  const r = costSnapshot({ items: workloads.map((w, i) => item(`i${i}`, w)), vaults, card, ratecardHash: 'h', annotations: new Map(), sizes: sizes(10) });
  const by = new Map(r.items.map((c) => [c.workloadType, c]));
  // 40 GB front end → $5 (≤ 50 GB); 10 GB × $0.0224 LRS = 0.224 → $0.22.
  assert.deepEqual([by.get('VM')!.instanceFee, by.get('VM')!.total, by.get('VM')!.instanceFeeSource, by.get('VM')!.instanceFeeConfirmed], [5, 5.22, 'azureVm', false]);
  for (const [w, entry] of [
    ['SQLDataBase', 'sqlServerInAzureVm'],
    ['SAPHanaDatabase', 'sapHanaInAzureVm'],
    ['AzureFileShare', 'azureFiles'],
    ['Microsoft.Compute/disks', 'azureDisks'],
    ['Microsoft.Storage/storageAccounts/blobServices', 'azureBlobs'],
    ['Microsoft.ContainerService/managedClusters', 'aks'],
    ['Microsoft.DBforPostgreSQL/servers/databases', 'postgreSql'],
  ] as const) {
    const c = by.get(w)!;
    assert.equal(c.status, 'unpriced', w);
    assert.equal(c.instanceFee, 'unpriced', `${w} is never priced at the VM fee`);
    assert.equal(c.instanceFeeSource, entry);
    assert.match(c.note!, new RegExp(`no fee for .*\\(${entry}\\)`));
  }
  assert.match(by.get('FileFolder')!.note!, /no entry for workload type FileFolder/);
  assert.deepEqual(r.unconfirmedFees, ['azureVm']);
  // 9 billable, 1 priced: the total is unknown, the lower bound is $5.22.
  assert.equal(r.total, null);
  assert.deepEqual([r.pricedTotal, r.pricedItems, r.billableItems, r.unknownItems], [5.22, 1, 9, 8]);
  assert.equal(describeTotal('USD', r), '≥ $5.22 (1 of 9 priced)');
});

test('a card with a workload entry prices it there and names the entry; a region entry beats the default; an old lower-cased key still works', () => {
  const hana = { tiers: [{ upToGb: 500, price: 80 }], beyond: { blockGb: 500, pricePerBlock: 80 } };
  const custom: RateCard = {
    ...card,
    default: { ...card.default, workloads: { ...card.default.workloads, sapHanaInAzureVm: { instanceFee: hana, source: 'test', confirmed: true }, sqldatabase: { instanceFee: { tiers: [{ upToGb: 500, price: 15 }], beyond: null } } } },
    regions: { westeurope: { workloads: { sapHanaInAzureVm: { instanceFee: { tiers: [{ upToGb: 500, price: 90 }], beyond: null } } } } },
  };
  assert.deepEqual(instanceFeeFor(custom, 'eastus', 'SAPHanaDatabase'), { schedule: hana, source: 'sapHanaInAzureVm', confirmed: true });
  assert.equal(instanceFeeFor(custom, 'westeurope', 'SAPHanaDatabase').source, 'westeurope:sapHanaInAzureVm');
  const r = costSnapshot({ items: [item('h', 'SAPHanaDatabase'), item('s', 'SQLDataBase')], vaults, card: custom, ratecardHash: 'h', annotations: new Map(), sizes: sizes(0) });
  const by = new Map(r.items.map((c) => [c.name, c]));
  assert.deepEqual([by.get('h')!.instanceFee, by.get('h')!.instanceFeeSource, by.get('h')!.instanceFeeConfirmed], [80, 'sapHanaInAzureVm', true]);
  assert.deepEqual([by.get('s')!.instanceFee, by.get('s')!.instanceFeeSource], [15, 'sqlServerInAzureVm']);
  // $80 + $15, storage 0 GB: complete.
  assert.equal(r.total, 95);
});

test('nothing priced is "unknown (0 of 21 priced)"; a soft-deleted item known not to be billed is $0.00', () => {
  const r = costSnapshot({ items: Array.from({ length: 21 }, (_, i) => item(`db${i}`, 'SQLDataBase')), vaults, card, ratecardHash: 'h', annotations: new Map(), sizes: sizes(1) });
  assert.equal(r.total, null);
  assert.equal(describeTotal('USD', r), 'unknown (0 of 21 priced)');
  const soft = costSnapshot({ items: [item('gone', 'AzureFileShare', { softDeleted: true })], vaults, card, ratecardHash: 'h', annotations: new Map(), sizes: sizes(1) });
  assert.deepEqual([soft.total, soft.billableItems, soft.items[0]!.status], [0, 0, 'notBilled']);
  assert.equal(describeTotal('USD', soft), '$0.00');
});

test('a delta of two incomplete totals is stated as nothing, never as a saving', () => {
  const before = costSnapshot({ items: [item('vm', 'VM'), item('db', 'SQLDataBase')], vaults, card, ratecardHash: 'h', annotations: new Map(), sizes: sizes(10) });
  const after = costSnapshot({ items: [item('db', 'SQLDataBase')], vaults, card, ratecardHash: 'h', annotations: new Map(), sizes: sizes(10) });
  const d = costDelta(before, after);
  assert.deepEqual(statedDelta(d), { before: null, after: null, change: null });
  assert.deepEqual([d.pricedBefore, d.pricedAfter], [5.22, 0]);
  const vmOnly = costDelta(
    costSnapshot({ items: [item('vm', 'VM')], vaults, card, ratecardHash: 'h', annotations: new Map(), sizes: sizes(10) }),
    costSnapshot({ items: [], vaults, card, ratecardHash: 'h', annotations: new Map(), sizes: sizes(10) }),
  );
  assert.deepEqual(statedDelta(vmOnly), { before: 5.22, after: 0, change: -5.22 });
});

test('cost on an imported real estate (SQL in VM, 8 items, no sizes): --json total null with the counts; text says unknown, never $0.00', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-evidence-cost-'));
  const store = path.join(dir, 'v.db');
  const env = { VAULTPROOF_NOW: '2025-01-12T12:00:00Z', VAULTPROOF_USER: 'auditor1' };
  const imp = await cli(['import', path.join(TRUTH_DIR, 'sql-in-vm.rest.json'), '--as-of', '2025-01-12T12:00:00Z', '--store', store, '--json'], env);
  assert.equal(imp.code, 0, imp.stderr);
  const j = await cli(['cost', 'latest', '--store', store, '--json'], env);
  assert.equal(j.code, 0, j.stderr);
  const c = JSON.parse(j.stdout) as Record<string, unknown> & { items: Array<Record<string, unknown>> };
  // 8 SQL databases, none soft-deleted: 8 billable; the default card has no SQL fee, so none is priced.
  assert.deepEqual([c.total, c.pricedTotal, c.pricedItems, c.billableItems, c.unknownItems], [null, 0, 0, 8, 8]);
  assert.ok(c.items.every((i) => i.instanceFeeSource === 'sqlServerInAzureVm' && i.status === 'unpriced'));
  const t = await cli(['cost', 'latest', '--store', store], env);
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /total unknown \(0 of 8 priced\)/);
  assert.doesNotMatch(t.stdout, /0\.00/);
});
