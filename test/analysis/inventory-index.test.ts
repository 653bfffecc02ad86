/**
 * The store's workload inventory index (electron/core/analysis/load.ts
 * inventoryIndex) against the records themselves, and the findings it feeds
 * against the reference evaluation over plain arrays: the rules that read the
 * inventory (orphaned item, unprotected workload, required policy by the
 * source's tags) give the same report either way, whether a few records are
 * unprotected (read one by one) or many (read in one walk).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { loadProfile } from '../../electron/core/analysis/assets.ts';
import { inventoryIndex, inventoryRecords } from '../../electron/core/analysis/load.ts';
import { findingsOf, inOneRead } from '../../electron/core/analysis/run.ts';
import type { Store } from '../../electron/core/store/store.ts';
import { evaluateFindings } from '../../shared/domain/findings.ts';
import type { AuditProfile } from '../../shared/domain/profile.ts';
import type { BackupItem, InventoryRecord } from '../../shared/domain/types.ts';
import { policy, SUB, tmpStore, vault, vm, vmId, vmItem, writeSnapshot } from './estate.ts';

const ASOF = '2025-03-10T12:00:00.000Z';
const OTHER_SUB = '00000000-0000-0000-0000-000000000002';
const names = Array.from({ length: 40 }, (_, i) => `vm-${String(i).padStart(2, '0')}`);

/** 40 VMs (the first five tagged app=pay) and a storage account; key order puts the VMs (microsoft.compute) first. */
function inventory(): InventoryRecord[] {
  const st = `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/st1`;
  return [
    // Written out of key order: the index orders by key.
    { key: st.toLowerCase(), id: st, name: 'st1', type: 'Microsoft.Storage/storageAccounts', kind: 'storageAccount', subscriptionId: SUB, resourceGroup: 'rg-app', location: 'westeurope', tags: { env: 'prod' } },
    ...names.map((n, i) => vm(n, i < 5 ? { tags: { app: 'pay' } } : {})).reverse(),
  ];
}

/** Items protecting the first `live` VMs, a soft-deleted item on vm-38, one on a VM the inventory lacks, one in a subscription it does not cover. */
function items(live: number): BackupItem[] {
  const out = names.slice(0, live).map((n) => vmItem(n));
  out.push(vmItem('vm-38', { softDeleted: true, protectionState: 'ProtectionStopped', deferredDeleteTime: '2025-03-09T00:00:00.000Z' }));
  out.push(vmItem('vm-99'));
  const other = vmId('vm-77', OTHER_SUB);
  out.push(vmItem('vm-77', { sourceResourceId: other, sourceResourceKey: other.toLowerCase() }));
  return out;
}

function profile(): { value: AuditProfile; hash: string; source: string } {
  const p = loadProfile();
  const value: AuditProfile = { ...p.value, unprotected: { kinds: ['virtualMachine', 'storageAccount'] }, requiredPolicies: [{ match: { tag: { name: 'app', value: 'pay' } }, policies: ['GoldPolicy'] }] };
  return { ...p, value };
}

describe('analysis: the store inventory index', () => {
  let store: Store;
  let dir: string;
  beforeEach(() => ({ store, dir } = tmpStore('vp-inventory-index-')));
  afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const write = (live: number) =>
    writeSnapshot(store, { asOf: ASOF, items: items(live), vaults: [vault('vault1')], policies: [policy('vault1', 'DailyPolicy')], inventory: inventory() });

  it('answers slots, tags, subscriptions and types as the records say, and reads the records it is asked for in key order', () => {
    const s = write(38);
    inOneRead(store, () => {
      const idx = inventoryIndex(store.db, s.id);
      const all = inventoryRecords(store.db, s.id);
      assert.equal(idx.size, 41);
      assert.deepEqual(all.map((r) => r.name), [...names, 'st1']);
      assert.deepEqual([...idx.subscriptions], [SUB]);
      assert.deepEqual([...idx.types].sort(), ['microsoft.compute/virtualmachines', 'microsoft.storage/storageaccounts']);
      // Not the item in hand: looked up on its own.
      assert.equal(idx.slotOf(vmId('vm-03').toLowerCase()), 3);
      assert.equal(idx.slotOf(all[40]!.key), 40);
      assert.equal(idx.slotOf(vmId('vm-99').toLowerCase()), -1);
      assert.deepEqual(idx.tagsOf(3), { app: 'pay' });
      assert.deepEqual(idx.tagsOf(20), {});
      assert.deepEqual(idx.tagsOf(40), { env: 'prod' });
      // The item in hand: its source's slot comes with its row.
      idx.atRow(vmId('vm-07').toLowerCase(), null);
      assert.equal(idx.slotOf(vmId('vm-07').toLowerCase()), -1);
      // Two of 41 (read one by one), then thirty-one (read in one walk), then none.
      const keep = (slots: number[]) => (slot: number) => !slots.includes(slot);
      assert.deepEqual([...idx.records(keep([39, 40]))], [all[39], all[40]]);
      const many = Array.from({ length: 31 }, (_, i) => i + 10);
      assert.deepEqual([...idx.records(keep(many))], all.slice(10));
      assert.deepEqual([...idx.records(() => true)], []);
    });
  });

  for (const [label, live, unprotected] of [
    ['a few unprotected', 38, ['vm-38', 'vm-39']],
    ['many unprotected', 10, names.slice(10)],
  ] as const) {
    it(`findings over the store equal the reference evaluation (${label})`, () => {
      const s = write(live);
      const p = profile();
      const run = findingsOf(store, s, p, new Map());
      const ref = evaluateFindings({
        asOf: s.asOf,
        profile: p.value,
        profileHash: p.hash,
        items: store.snapshots.allItems(s.id),
        vaults: store.snapshots.records(s.id, 'vault'),
        policies: store.snapshots.records(s.id, 'policy'),
        inventory: store.snapshots.records(s.id, 'inventory'),
        protectionConfiguredAt: null,
        annotations: new Map(),
      });
      const of = (rule: string, r: { findings: Array<{ rule: string; evidence: Record<string, unknown> }> }) => r.findings.filter((f) => f.rule === rule).map((f) => f.evidence['name']);
      // Worked out by hand: vm-38's only item is soft-deleted, so it protects nothing; the storage account has no item.
      assert.deepEqual(of('unprotected-workload', run), [...unprotected, 'st1']);
      assert.deepEqual(of('orphaned-item', run), ['vm-99']);
      assert.deepEqual(of('required-policy', run), ['vm-00', 'vm-01', 'vm-02', 'vm-03', 'vm-04'].slice(0, Math.min(5, live)));
      assert.ok(run.assumptions.some((a) => a.rule === 'orphaned-item' && a.note.startsWith('1 item(s)')), JSON.stringify(run.assumptions));
      const { snapshot: _s, profileSource: _p, ...report } = run;
      assert.deepEqual(report, ref);
    });
  }
});
