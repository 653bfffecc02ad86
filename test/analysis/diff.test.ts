import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Annotation } from '../../shared/domain/annotations.ts';
import type { DiffResult } from '../../shared/domain/diff.ts';
import { diffSnapshots } from '../../shared/domain/diff.ts';
import type { SnapshotSummary } from '../../shared/domain/types.ts';
import { diffSnapshotsSql } from '../../electron/core/analysis/diff-sql.ts';
import type { Store } from '../../electron/core/store/store.ts';
import { SUB, policy, tmpStore, vault, vaultId, vmItem, writeSnapshot } from './estate.ts';

const OTHER_SUB = '00000000-0000-0000-0000-000000000002';

/** Runs the SQL fast path and the reference on the same stored snapshots; they must agree. */
function both(store: Store, a: SnapshotSummary, b: SnapshotSummary, annotations: Map<string, Annotation> = new Map()): DiffResult {
  const sql = diffSnapshotsSql(store, a.id, b.id, annotations);
  const side = (id: string) => ({ items: store.snapshots.allItems(id), policies: store.snapshots.records(id, 'policy'), vaults: store.snapshots.records(id, 'vault') });
  const ref = diffSnapshots(side(a.id), { ...side(b.id), coverage: store.snapshots.detail(b.id).coverage }, annotations);
  assert.deepEqual(sql, ref, 'the SQL diff agrees with the reference');
  return sql;
}

test('the same item with differently-cased ids is unchanged, never added + removed', () => {
  const { store } = tmpStore();
  try {
    const a = vmItem('vm1');
    const upper = (s: string) => s.replace('/subscriptions/', '/Subscriptions/').replace('resourceGroups', 'RESOURCEGROUPS').replace('vault1', 'VAULT1');
    const b = { ...a, id: upper(a.id), vaultId: upper(a.vaultId!), policyId: upper(a.policyId!), sourceResourceId: upper(a.sourceResourceId!), vaultName: 'VAULT1', protectionState: 'protected' };
    const sa = writeSnapshot(store, { asOf: '2025-03-01T00:00:00.000Z', items: [a], policies: [policy('vault1', 'DailyPolicy')], vaults: [vault('vault1')] });
    const sb = writeSnapshot(store, { asOf: '2025-03-02T00:00:00.000Z', items: [b], policies: [policy('vault1', 'DailyPolicy')], vaults: [vault('vault1')] });
    const d = both(store, sa, sb);
    assert.deepEqual([d.added, d.removed, d.changed, d.unchanged], [[], [], [], 1]);
  } finally {
    store.close();
  }
});

test('removed items carry a reason: gone, softDeleted, or notCollected when their vault or subscription was not collected', () => {
  const { store } = tmpStore();
  try {
    const gone = vmItem('gone');
    const soft = vmItem('soft');
    const failedVault = vmItem('in-failed-vault', { vault: 'vault2' });
    const otherSub = vmItem('other-sub', { sub: OTHER_SUB });
    const stays = vmItem('stays');
    const sa = writeSnapshot(store, { asOf: '2025-03-01T00:00:00.000Z', items: [gone, soft, failedVault, otherSub, stays] });
    const sb = writeSnapshot(store, {
      asOf: '2025-03-02T00:00:00.000Z',
      items: [{ ...soft, softDeleted: true, protectionState: 'ProtectionStopped', deferredDeleteTime: '2025-03-01T12:00:00.000Z' }, stays],
      coverage: [
        { scope: `subscription:${SUB}`, status: 'collected', error: null },
        { scope: `vault:${vaultId('vault2').toLowerCase()}`, status: 'failed', error: { code: 'AuthorizationFailed', message: 'no access' } },
      ],
    });
    const d = both(store, sa, sb);
    const reasons = Object.fromEntries(d.removed.map((r) => [r.key, r.reason]));
    assert.deepEqual(reasons, { [gone.key]: 'gone', [soft.key]: 'softDeleted', [failedVault.key]: 'notCollected', [otherSub.key]: 'notCollected' });
    assert.deepEqual(d.changed, [], 'becoming soft-deleted is a removal, not a field change');
    assert.equal(d.unchanged, 1);
    const v2 = d.rollups.vault.find((r) => r.group === vaultId('vault2').toLowerCase())!;
    assert.deepEqual([v2.removed, v2.notCollected], [0, 1]);
  } finally {
    store.close();
  }
});

test('changes are reported per field, before → after, with roll-ups per subscription, vault, workload and owner', () => {
  const { store } = tmpStore();
  try {
    const weekly = policy('vault1', 'WeeklyPolicy', { scheduleFrequency: 'Weekly', scheduleIntervalHours: 168 });
    const x = vmItem('x');
    const y = vmItem('y');
    const z = vmItem('z');
    const n = vmItem('new');
    const sa = writeSnapshot(store, { asOf: '2025-03-01T00:00:00.000Z', items: [x, y, z], policies: [policy('vault1', 'DailyPolicy'), weekly], vaults: [vault('vault1')] });
    const sb = writeSnapshot(store, {
      asOf: '2025-03-02T00:00:00.000Z',
      items: [
        { ...x, protectionState: 'ProtectionStopped', policyId: null, policyName: null, healthStatus: 'ActionRequired' },
        { ...y, policyId: weekly.id, policyName: 'WeeklyPolicy', lastBackupStatus: 'Failed', archiveEnabled: true, sizeGb: 12 },
        // only volatile fields the diff does not compare: unchanged although the row hash differs
        { ...z, lastBackupTime: '2025-03-02T02:00:00.000Z', lastRecoveryPoint: '2025-03-02T02:00:00.000Z' },
        n,
      ],
      policies: [policy('vault1', 'DailyPolicy'), weekly],
      vaults: [vault('vault1')],
    });
    const owners = new Map([[`item:${x.key}`, { target: `item:${x.key}`, owner: 'ana', ownerEmail: null, team: null, costCentre: null, criticality: null, exceptions: [], decision: null, frontEndGb: null, storageGb: null, notes: [], tags: {}, restoreTests: [] } satisfies Annotation]]);
    const d = both(store, sa, sb, owners);
    assert.deepEqual(d.added, [n.key]);
    assert.deepEqual(d.removed, []);
    assert.equal(d.unchanged, 1);
    const byKey = new Map(d.changed.map((c) => [c.key, c.fields]));
    assert.deepEqual(byKey.get(x.key), {
      protectionState: { before: 'Protected', after: 'ProtectionStopped' },
      policy: { before: 'DailyPolicy', after: null },
      healthStatus: { before: 'Passed', after: 'ActionRequired' },
      retention: { before: 'daily 30d', after: null },
    });
    // y moved to another policy whose retention is the same (daily 30d): retention unchanged
    assert.deepEqual(byKey.get(y.key), {
      policy: { before: 'DailyPolicy', after: 'WeeklyPolicy' },
      lastBackupStatus: { before: 'Completed', after: 'Failed' },
      archiveEnabled: { before: false, after: true },
      sizeGb: { before: null, after: 12 },
    });
    assert.deepEqual(d.rollups.subscription, [{ group: SUB, added: 1, removed: 0, notCollected: 0, changed: 2, unchanged: 1 }]);
    assert.deepEqual(d.rollups.workload, [{ group: 'vm', added: 1, removed: 0, notCollected: 0, changed: 2, unchanged: 1 }]);
    assert.deepEqual(d.rollups.owner, [
      { group: '(no owner)', added: 1, removed: 0, notCollected: 0, changed: 1, unchanged: 1 },
      { group: 'ana', added: 0, removed: 0, notCollected: 0, changed: 1, unchanged: 0 },
    ]);
  } finally {
    store.close();
  }
});

test('a retention change of the policy and a vault redundancy change show on every item using them; without policy records retention is not compared', () => {
  const { store } = tmpStore();
  try {
    const x = vmItem('x');
    const sa = writeSnapshot(store, { asOf: '2025-03-01T00:00:00.000Z', items: [x], policies: [policy('vault1', 'DailyPolicy')], vaults: [vault('vault1')] });
    const sb = writeSnapshot(store, {
      asOf: '2025-03-02T00:00:00.000Z',
      items: [x],
      policies: [policy('vault1', 'DailyPolicy', { dailyRetentionDays: 7, weeklyRetentionWeeks: 4 })],
      vaults: [vault('vault1', { storageRedundancy: 'LocallyRedundant' })],
    });
    const d = both(store, sa, sb);
    assert.deepEqual(d.changed, [
      {
        key: x.key,
        fields: {
          retention: { before: 'daily 30d', after: 'daily 7d, weekly 4w' },
          vaultRedundancy: { before: 'GeoRedundant', after: 'LocallyRedundant' },
        },
      },
    ]);
    const sc = writeSnapshot(store, { asOf: '2025-03-03T00:00:00.000Z', items: [x] });
    const d2 = both(store, sb, sc);
    assert.deepEqual(d2.changed, []);
    assert.deepEqual(
      d2.notCompared.map((n) => [n.field, n.reason]),
      [
        ['retention', 'the current snapshot holds no policy records'],
        ['vaultRedundancy', 'the current snapshot holds no vault records'],
      ],
    );
  } finally {
    store.close();
  }
});
