/**
 * Analysis over 100k items (DESIGN.md / issue 17 targets, in-process): the
 * diff of two snapshots ≤ 1 s, findings ≤ 1 s, cost and cost --compare
 * ≤ 1 s. Each is measured next to a
 * baseline taken in the same run on the same rows:
 * - diff: a plain scan of (key, row_hash) of both snapshots from the covering index;
 * - findings and cost: a plain scan of the same item rows (key + normalised JSON text, not parsed);
 *   cost --compare: the same scan of both snapshots.
 * Two diffs are measured: a day-to-day pair where every item's last backup
 * time moved (every row hash changes) and a pair where 3% of items changed.
 * Estates are written directly with the SnapshotWriter.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCost, runDiff, runFindings } from '../../electron/core/analysis/run.ts';
import { loadProfile, loadRatecard } from '../../electron/core/analysis/assets.ts';
import { openStore, type Store } from '../../electron/core/store/store.ts';
import type { BackupItem, InventoryRecord, PolicyRecord, VaultRecord } from '../../shared/domain/types.ts';
import { policy, vault, vaultId, vm, vmItem } from '../analysis/estate.ts';
import type { BenchResult } from './run.ts';

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
const SUBS = Array.from({ length: 10 }, (_, i) => `00000000-0000-0000-0000-${String(i + 1).padStart(12, '0')}`);

export function estate(n: number): { items: BackupItem[]; vaults: VaultRecord[]; policies: PolicyRecord[]; inventory: InventoryRecord[] } {
  const vaults: VaultRecord[] = [];
  const policies: PolicyRecord[] = [];
  for (const sub of SUBS) {
    for (let v = 0; v < 10; v++) {
      const name = `vault${v}`;
      vaults.push(vault(name, { sub, storageRedundancy: v % 3 === 0 ? 'LocallyRedundant' : 'GeoRedundant', softDeleteState: v === 9 ? 'Disabled' : 'Enabled' }));
      for (const p of ['DailyPolicy', 'WeeklyPolicy']) {
        const id = `${vaultId(name, sub)}/backupPolicies/${p}`;
        policies.push({ ...policy(name, p, p === 'WeeklyPolicy' ? { scheduleFrequency: 'Weekly', scheduleIntervalHours: 168 } : {}), id, key: id.toLowerCase(), vaultKey: vaultId(name, sub).toLowerCase() });
      }
    }
  }
  const items: BackupItem[] = [];
  const inventory: InventoryRecord[] = [];
  for (let i = 0; i < n; i++) {
    const sub = SUBS[i % 10]!;
    const v = `vault${Math.floor(i / 10) % 10}`;
    const name = `vm-${String(i).padStart(6, '0')}`;
    const p = i % 7 === 0 ? 'WeeklyPolicy' : 'DailyPolicy';
    const it = vmItem(name, {
      sub,
      vault: v,
      policyName: p,
      policyId: `${vaultId(v, sub)}/backupPolicies/${p}`,
      lastBackupStatus: i % 50 === 0 ? 'Failed' : 'Completed',
      lastBackupTime: i % 40 === 0 ? '2025-03-01T02:00:00.000Z' : '2025-03-10T02:00:00.000Z',
      lastRecoveryPoint: i % 40 === 0 ? '2025-03-01T02:00:00.000Z' : '2025-03-10T02:00:00.000Z',
      protectionState: i % 97 === 0 ? 'ProtectionStopped' : 'Protected',
      sizeGb: i % 11 === 0 ? null : (i % 900) + 20,
      tags: i % 5 === 0 ? { env: 'prod', owner: `team-${i % 13}` } : {},
    });
    items.push(it);
    if (i % 20 !== 0) inventory.push(vm(name, { id: it.sourceResourceId!, key: it.sourceResourceKey!, subscriptionId: sub }));
  }
  return { items, vaults, policies, inventory };
}

export function write(store: Store, asOf: string, e: ReturnType<typeof estate>): string {
  const w = store.snapshots.begin(Date.parse(asOf));
  for (const it of e.items) w.add({ type: 'item', key: it.key, data: it, raw: { id: it.id, name: it.name, properties: { friendlyName: it.name, protectionState: it.protectionState, lastBackupTime: it.lastBackupTime, policyId: it.policyId, sourceResourceId: it.sourceResourceId } } });
  for (const v of e.vaults) w.add({ type: 'vault', key: v.key, data: v, raw: { id: v.id } });
  for (const p of e.policies) w.add({ type: 'policy', key: p.key, data: p, raw: { id: p.id } });
  for (const r of e.inventory) w.add({ type: 'inventory', key: r.key, data: r, raw: { id: r.id } });
  return w.commit({
    label: null,
    createdAt: asOf,
    asOf,
    source: 'import',
    complete: true,
    provenance: { toolVersion: 'bench', source: 'import', user: 'bench', createdAt: asOf, asOfSource: 'option', tenants: [], subscriptions: SUBS },
    coverage: SUBS.map((s) => ({ scope: `subscription:${s}`, status: 'collected' as const, error: null })),
  }).id;
}

/** Best of `runs` (the first run also warms SQLite's page cache). */
function time<T>(runs: number, fn: () => T): { sec: number; value: T } {
  let best = Infinity;
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    value = fn();
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  return { sec: best, value };
}

function build(store: Store, n: number): { a: string; b: string; c: string; nextCount: number } {
  const base = estate(n);
  const a = write(store, '2025-03-10T12:00:00.000Z', base);
  // Next day: every last backup moved (all row hashes change), 1% removed, 1% added, 1% changed state.
  const next = {
    ...base,
    items: [
      ...base.items
        .filter((_, i) => i % 100 !== 1)
        .map((it, i) => ({
          ...it,
          lastBackupTime: '2025-03-11T02:00:00.000Z',
          lastRecoveryPoint: '2025-03-11T02:00:00.000Z',
          ...(i % 100 === 2 ? { protectionState: 'ProtectionStopped', policyId: null, policyName: null } : {}),
        })),
      ...base.items.slice(0, Math.floor(n / 100)).map((it) => vmItem(`${it.name}-new`, { vault: it.vaultName!, sub: it.subscriptionId! })),
    ],
  };
  const b = write(store, '2025-03-11T12:00:00.000Z', next);
  // A pair where only 3% of the rows changed (hashes equal elsewhere).
  const few = { ...base, items: base.items.map((it, i) => (i % 33 === 0 ? { ...it, healthStatus: 'ActionRequired' } : it)) };
  const c = write(store, '2025-03-10T18:00:00.000Z', few);
  return { a, b, c, nextCount: next.items.length };
}

export async function bench(): Promise<BenchResult[]> {
  const n = Number(process.env.VAULTPROOF_BENCH_ITEMS ?? 100_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-bench-analysis-'));
  const store = openStore(path.join(dir, 'v.db'));
  try {
    // Built in a function of its own so the 300k item objects are garbage before anything is timed.
    const { a, b, c, nextCount } = build(store, n);
    const annotations = new Map();
    const profile = loadProfile();
    const card = loadRatecard();

    const scanKeys = store.db.prepare('SELECT key, row_hash FROM items WHERE snapshot_id = ? ORDER BY key').raw(true);
    // The rows' stored text (since migration 011 the packed body), read without unpacking: the plain scan analysis is compared with.
    const scanData = store.db.prepare('SELECT key, body FROM items WHERE snapshot_id = ? ORDER BY key').raw(true);
    const scan = (stmt: typeof scanKeys, ...ids: string[]) => {
      let rows = 0;
      for (const id of ids) for (const _r of stmt.iterate(id)) rows++;
      return rows;
    };

    const diffBase = time(3, () => scan(scanKeys, a, b));
    const diffAll = time(3, () => runDiff(store, a, b, { annotations }));
    const diffFewBase = time(3, () => scan(scanKeys, a, c));
    const diffFew = time(3, () => runDiff(store, a, c, { annotations }));
    const findBase = time(3, () => scan(scanData, b));
    const find = time(3, () => runFindings(store, b, { profile, annotations }));
    const costBase = findBase;
    const cost = time(3, () => runCost(store, b, { ratecard: card, annotations }));
    const costCompareBase = time(3, () => scan(scanData, b, a));
    const costCompare = time(3, () => runCost(store, b, { ratecard: card, annotations, compare: a }));
    if (diffAll.value.changed.length === 0 || find.value.findings.length === 0 || cost.value.itemCount !== nextCount) throw new Error('the bench estate did not produce the expected work');

    const result = (name: string, v: { sec: number }, baseline: { sec: number }, target: number): BenchResult => ({
      name,
      value: round(v.sec),
      unit: 's',
      baseline: round(baseline.sec),
      ratio: round(v.sec / baseline.sec, 2),
      target: `≤ ${target} s`,
      pass: v.sec <= target,
    });
    return [
      result(`diff ${n / 1000}k → ${nextCount / 1000}k, every row hash changed`, diffAll, diffBase, 1),
      result(`diff ${n / 1000}k, 3% of rows changed`, diffFew, diffFewBase, 1),
      result(`findings over ${nextCount / 1000}k items (${find.value.findings.length} findings)`, find, findBase, 1),
      result(`cost over ${nextCount / 1000}k items`, cost, costBase, 1),
      result(`cost over ${nextCount / 1000}k items with --compare (costing + delta)`, costCompare, costCompareBase, 1),
    ];
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
