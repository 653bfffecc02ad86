import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JobRecord, RecoveryPointRecord } from '../../shared/domain/types.ts';
import { runAdherence } from '../../electron/core/analysis/periodic.ts';
import { policy, tmpStore, vaultId, vmItem, writeSnapshot } from './estate.ts';

let n = 0;
function job(name: string, operation: string, status: string, start: string): JobRecord {
  const id = `${vaultId('vault1')}/backupJobs/job-${++n}`;
  // Recovery Services jobs name the item only by its friendly name (no item key)
  return { key: id.toLowerCase(), id, vaultKey: vaultId('vault1').toLowerCase(), entityFriendlyName: name, itemKey: null, operation, status, startTime: start, endTime: null, backupManagementType: 'AzureIaasVM', workloadType: 'VM' };
}

test('adherence: share of observed days with a successful backup, from jobs and recovery points across snapshots', () => {
  const { store } = tmpStore();
  try {
    const weekly = policy('vault1', 'WeeklyPolicy', { scheduleFrequency: 'Weekly', scheduleIntervalHours: 168 });
    const a = vmItem('vmA');
    const w = vmItem('vmW', { policyId: weekly.id, policyName: 'WeeklyPolicy' });
    const fresh = vmItem('vmNew');
    const rp: RecoveryPointRecord = { key: `${a.key}/recoverypoints/1`, id: `${a.id}/recoveryPoints/1`, itemKey: a.key, time: '2025-03-10T02:00:00.000Z', type: 'AppConsistent', tiers: [], expiryTime: null };
    writeSnapshot(store, {
      asOf: '2025-03-07T12:00:00.000Z',
      items: [a, w],
      policies: [policy('vault1', 'DailyPolicy'), weekly],
      jobs: [
        job('vmA', 'Backup', 'Completed', '2025-03-04T01:00:00.000Z'),
        job('vmA', 'Backup', 'Completed', '2025-03-05T01:00:00.000Z'),
        job('vmA', 'Backup', 'Failed', '2025-03-06T01:00:00.000Z'),
        job('vmA', 'Backup', 'CompletedWithWarnings', '2025-03-07T01:00:00.000Z'),
        job('vmW', 'Backup', 'Completed', '2025-03-05T03:00:00.000Z'),
        job('vmA', 'Restore', 'Completed', '2025-03-06T05:00:00.000Z'),
      ],
    });
    writeSnapshot(store, {
      asOf: '2025-03-10T12:00:00.000Z',
      items: [a, w, fresh],
      policies: [policy('vault1', 'DailyPolicy'), weekly],
      jobs: [job('vmA', 'Backup', 'Completed', '2025-03-08T01:00:00.000Z'), job('vmNew', 'Backup', 'Completed', '2025-03-09T01:00:00.000Z')],
      recoveryPoints: [rp],
    });
    const r = runAdherence(store, { windowDays: 7 });
    assert.equal(r.from, '2025-03-04');
    assert.equal(r.to, '2025-03-10');
    const by = new Map(r.items.map((x) => [x.name, x]));
    // vmA: observed 03-04 … 03-10 (7 days); successes 04, 05, 07 (with warnings), 08 (job) and 10 (recovery point)
    assert.deepEqual([by.get('vmA')!.observed, by.get('vmA')!.succeeded, by.get('vmA')!.share, by.get('vmA')!.missed], [7, 5, 0.7143, ['2025-03-06', '2025-03-09']]);
    // vmW (weekly): the week of Monday 03-03 had a success, the week of 03-10 (one observed day) none
    assert.deepEqual([by.get('vmW')!.period, by.get('vmW')!.observed, by.get('vmW')!.succeeded, by.get('vmW')!.missed], ['week', 2, 1, ['week of 2025-03-10']]);
    // vmNew first appears in the second snapshot: days up to the first snapshot's asOf are not its misses
    assert.deepEqual([by.get('vmNew')!.observed, by.get('vmNew')!.succeeded, by.get('vmNew')!.share], [3, 1, 0.3333]);
    assert.deepEqual(r.overall, { observed: 12, succeeded: 7, share: 0.5833 });
    assert.equal(r.snapshotIds.length, 2);
  } finally {
    store.close();
  }
});
