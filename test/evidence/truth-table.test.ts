/**
 * The truth table: for each workload, what the raw payload says, worked out
 * by reading it (comments give the reasoning), against what the normaliser
 * and the findings make of it. Nothing here was pasted from the code's output.
 *
 * Default profile: RPO = 24 h default interval + 2 h grace (no policy
 * records in these fixtures), irPendingMaxDays = 2; no annotations, so every
 * live item is also `ownerless-item` (true: nobody is recorded as owner).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countBackupStates } from '../../shared/domain/backup-state.ts';
import { costSnapshot } from '../../shared/domain/cost.ts';
import { loadRatecard } from '../../electron/core/analysis/assets.ts';
import { lastBackupsFromJobs } from '../../shared/domain/findings-facts.ts';
import type { BackupItem } from '../../shared/domain/types.ts';
import { judge, label, readTruth, rulesByName } from './truth.ts';

type Expect = Partial<Pick<BackupItem, 'name' | 'workloadType' | 'protectionState' | 'lastBackupTime' | 'lastRecoveryPoint' | 'oldestRecoveryPoint' | 'neverBackedUp' | 'softDeleted' | 'recoveryPointCount' | 'sourceResourceId' | 'deferredDeleteTime' | 'lastBackupStatus'>>;

function check(items: BackupItem[], expected: Record<string, Expect>): void {
  assert.deepEqual(items.map(label).sort(), Object.keys(expected).sort());
  for (const it of items) {
    const want = expected[label(it)]!;
    const got = Object.fromEntries(Object.keys(want).map((k) => [k, it[k as keyof BackupItem]]));
    assert.deepEqual(got, want, label(it));
  }
}

const O = 'ownerless-item';

test('VM (real az/PowerShell traffic): healthy, failed-and-stale, healthy', () => {
  const { items, jobs } = readTruth('vm.rest.json');
  // Recorded 2025-10-28; judged at noon that day.
  const asOf = '2025-10-28T12:00:00.000Z';
  check(items, {
    // lastBackupTime 2025-10-27T23:08:44.4457362Z → milliseconds .445; lastRecoveryPoint …47.8335014Z → .833.
    'hiaga-adhoc-vm': { workloadType: 'VM', protectionState: 'Protected', lastBackupTime: '2025-10-27T23:08:44.445Z', lastRecoveryPoint: '2025-10-27T23:08:47.833Z', neverBackedUp: false },
    // Failed at 2025-01-12T16:09:19.3771812Z; last recovery point 2024-02-25T23:09:20.0217564Z.
    hiagaNewVm1: { protectionState: 'Protected', lastBackupStatus: 'Failed', lastBackupTime: '2025-01-12T16:09:19.377Z', lastRecoveryPoint: '2024-02-25T23:09:20.021Z', neverBackedUp: false },
    'pstest-ccy-vm3': { lastBackupTime: '2025-10-27T23:00:53.827Z', lastRecoveryPoint: '2025-10-27T23:00:57.811Z', neverBackedUp: false },
  });
  const r = judge(items, jobs, asOf);
  assert.deepEqual(rulesByName(r, items), {
    // 23:08:47 → 12:00 next day is under 13 h, inside 26 h.
    'hiaga-adhoc-vm': [O],
    // Failed last backup; the last good point (Feb 2024) is far past 26 h; Unhealthy + ActionRequired (VM not found).
    hiagaNewVm1: ['last-backup-failed', O, 'rpo-breach', 'unhealthy'],
    'pstest-ccy-vm3': [O],
  });
  const rpo = r.findings.find((f) => f.rule === 'rpo-breach')!;
  assert.equal(rpo.evidence.lastGoodBackup, '2024-02-25T23:09:20.021Z', 'the failed attempt is no good backup; the recovery point is');
  assert.deepEqual(countBackupStates(items), { lastBackupFailed: 1, neverBackedUp: 0, softDeleted: 0 });
});

test('VM right after enabling protection (docs): the 2001-01-01 placeholder is never backed up; IR pending is judged once, from the configure time', () => {
  const { items } = readTruth('vm-irpending.rest.json');
  const asOf = '2025-10-28T12:00:00.000Z';
  // lastBackupTime "2001-01-01T00:00:00Z" is the service's "never"; extendedInfo.recoveryPointCount is 0.
  check(items, { testVM: { protectionState: 'IRPending', lastBackupTime: null, lastRecoveryPoint: null, neverBackedUp: true, recoveryPointCount: 0 } });
  assert.deepEqual(countBackupStates(items), { lastBackupFailed: 0, neverBackedUp: 1, softDeleted: 0 });

  // No job records: when protection was configured is unknown, so IR pending is not judged (and said so).
  const unknown = judge(items, [], asOf);
  assert.deepEqual(rulesByName(unknown, items), { testVM: [O] });
  assert.match(unknown.notEvaluated.find((n) => n.rule === 'ir-pending-too-long')!.reason, /no job records/);

  // Configured 3 days before asOf (> 2 days allowed): exactly one finding, ir-pending-too-long, never both.
  const configured = new Map([[items[0]!.key, '2025-10-25T12:00:00.000Z']]);
  const r = judge(items, [], asOf, configured);
  assert.deepEqual(rulesByName(r, items), { testVM: ['ir-pending-too-long', O] });
  assert.equal(r.findings.find((f) => f.rule === 'ir-pending-too-long')!.evidence.pendingDays, 3);
});

test('SQL in VM (real traffic): six stopped databases on one server, two protected on another; master and msdb repeat', () => {
  const { items, jobs } = readTruth('sql-in-vm.rest.json');
  const asOf = '2025-01-12T12:00:00.000Z';
  check(items, {
    'model_restored_5_29_2023_1638@sql-pstest-vm1': { workloadType: 'SQLDataBase', protectionState: 'ProtectionStopped', lastBackupTime: '2023-07-05T09:42:58.897Z', neverBackedUp: false },
    'master@sql-pstest-vm1': { protectionState: 'ProtectionStopped', lastBackupTime: '2024-08-04T01:33:28.860Z' },
    // lastBackupStatus "IRPending" on a stopped item is the workload vocabulary, not a failure.
    'model_restored_5_31_2023_1254@sql-pstest-vm1': { protectionState: 'ProtectionStopped', lastBackupStatus: 'IRPending', lastBackupTime: '2023-07-05T10:11:41.341Z' },
    'msdb@sql-pstest-vm1': { protectionState: 'ProtectionStopped', lastBackupTime: '2024-08-07T23:04:48.528Z' },
    'mig-db1@sql-pstest-vm1': { protectionState: 'ProtectionStopped', lastBackupStatus: 'Unhealthy', lastBackupTime: '2024-08-07T23:09:32.956Z' },
    'model@sql-pstest-vm1': { protectionState: 'ProtectionStopped', lastBackupTime: '2024-08-08T14:40:01.797Z' },
    'master@sql-pstest-vm2': { protectionState: 'Protected', lastBackupStatus: 'Healthy', lastBackupTime: '2025-01-11T23:03:21.528Z', lastRecoveryPoint: null, neverBackedUp: false },
    'msdb@sql-pstest-vm2': { protectionState: 'Protected', lastBackupTime: '2025-01-11T23:04:33.456Z' },
  });
  const stopped = ['protection-stopped', O].sort();
  assert.deepEqual(rulesByName(judge(items, jobs, asOf), items), {
    'model_restored_5_29_2023_1638@sql-pstest-vm1': stopped,
    'master@sql-pstest-vm1': stopped,
    'model_restored_5_31_2023_1254@sql-pstest-vm1': stopped,
    'msdb@sql-pstest-vm1': stopped,
    // Unhealthy last backup, but protection is stopped: nobody expects a backup, so no failure is counted.
    'mig-db1@sql-pstest-vm1': stopped,
    'model@sql-pstest-vm1': stopped,
    // 23:03 → 12:00 is under 13 h.
    'master@sql-pstest-vm2': [O],
    'msdb@sql-pstest-vm2': [O],
  });
  assert.deepEqual(countBackupStates(items), { lastBackupFailed: 0, neverBackedUp: 0, softDeleted: 0 });
});

test('Azure Files with soft delete (real traffic): a failed initial backup is a high failure; the soft-deleted share gives its purge date', () => {
  const { items, jobs } = readTruth('azure-files.rest.json');
  // The list was taken at 05:45:38Z on 2026-07-27; judged at 06:00.
  const asOf = '2026-07-27T06:00:00.000Z';
  check(items, {
    afs1hrtestfs2: { workloadType: 'AzureFileShare', protectionState: 'IRPending', lastBackupStatus: 'Failed', lastBackupTime: '2026-07-26T10:00:35.301Z', neverBackedUp: false, softDeleted: false },
    // isScheduledForDeferredDelete true; deferredDeleteTimeInUTC …05:45:06.390629Z; softDeleteRetentionPeriod 14.
    afs1hrtestfs: { softDeleted: true, deferredDeleteTime: '2026-07-27T05:45:06.390Z' },
    afsbvtlonghaulcrrafsne: { protectionState: 'Protected', lastBackupTime: '2026-07-26T19:46:14.387Z', softDeleted: false },
  });
  const r = judge(items, jobs, asOf);
  assert.deepEqual(rulesByName(r, items), {
    // IRPending + Failed: the initial backup failed (high), and protectionStatus is Unhealthy.
    afs1hrtestfs2: ['last-backup-failed', O, 'unhealthy'],
    afs1hrtestfs: ['soft-deleted'],
    afsbvtlonghaulcrrafsne: [O],
  });
  assert.equal(r.findings.find((f) => f.rule === 'last-backup-failed')!.severity, 'high');
  // Deleted 2026-07-27T05:45:06.390Z + 14 days.
  assert.equal(r.findings.find((f) => f.rule === 'soft-deleted')!.evidence.permanentDeletion, '2026-08-10T05:45:06.390Z');
  assert.deepEqual(countBackupStates(items), { lastBackupFailed: 1, neverBackedUp: 0, softDeleted: 1 });
});

test('SAP HANA (from the documented workload item shape): IRPending with no time is never backed up; Unhealthy is a failed backup', () => {
  const { items, jobs } = readTruth('sap-hana.rest.json');
  const asOf = '2025-10-28T12:00:00.000Z';
  check(items, {
    'SYSTEMDB@hana-vm1': { workloadType: 'SAPHanaDatabase', protectionState: 'IRPending', lastBackupTime: null, neverBackedUp: true },
    'H01@hana-vm1': { protectionState: 'Protected', lastBackupTime: '2025-10-27T22:00:00.123Z', neverBackedUp: false },
    'TENANTDB@hana-vm1': { lastBackupStatus: 'Unhealthy', lastBackupTime: '2025-10-28T01:30:10.500Z', neverBackedUp: false },
  });
  const r = judge(items, jobs, asOf);
  assert.deepEqual(rulesByName(r, items), {
    // Waiting for its initial backup; no job records, so how long is unknown: not judged, and said so.
    'SYSTEMDB@hana-vm1': [O],
    // 22:00 → 12:00 is 14 h.
    'H01@hana-vm1': [O],
    // Workload lastBackupStatus "Unhealthy" is a failed backup; protectionStatus Unhealthy too.
    'TENANTDB@hana-vm1': ['last-backup-failed', O, 'unhealthy'],
  });
  assert.ok(r.notEvaluated.some((n) => n.rule === 'ir-pending-too-long' && /^1 item/.test(n.reason)));
  assert.deepEqual(countBackupStates(items), { lastBackupFailed: 1, neverBackedUp: 1, softDeleted: 0 });
});

test('legacy Azure SQL (AzureSqlDb, from the documented item shape): named by the database, source id from the container', () => {
  const { items, jobs } = readTruth('legacy-azure-sql.rest.json');
  const asOf = '2025-10-28T12:00:00.000Z';
  // name dsName;salesdb;<guid> in container Sql;rg-legacy;sqlsrv-legacy, vault in subscription 9999….
  const src = (db: string) => `/subscriptions/99999999-8888-7777-6666-555555555555/resourceGroups/rg-legacy/providers/Microsoft.Sql/servers/sqlsrv-legacy/databases/${db}`;
  check(items, {
    salesdb: { workloadType: 'AzureSqlDb', protectionState: 'Protected', sourceResourceId: src('salesdb'), lastBackupTime: null, lastRecoveryPoint: null, recoveryPointCount: 12, oldestRecoveryPoint: '2025-09-01T03:00:00.000Z', neverBackedUp: false },
    hrdb: { protectionState: 'ProtectionStopped', sourceResourceId: src('hrdb'), recoveryPointCount: 3 },
  });
  const r = judge(items, jobs, asOf);
  // The item states no backup time: RPO cannot be judged (said in the assumptions), never "breached".
  assert.deepEqual(rulesByName(r, items), { salesdb: [O], hrdb: ['protection-stopped', O].sort() });
  assert.ok(r.assumptions.some((a) => a.rule === 'rpo-breach' && /^1 item/.test(a.note)));
});

test('Backup vault disk / blob / AKS (real traffic, no recoveryPointInfo): unknown is not "never"', () => {
  const disk = readTruth('bv-disk.rest.json');
  const more = readTruth('bv-blob-aks.rest.json');
  const items = [...disk.items, ...more.items];
  const asOf = '2026-08-30T12:00:00.000Z';
  check(items, {
    'pstest-disk': { workloadType: 'Microsoft.Compute/disks', protectionState: 'ProtectionConfigured', lastRecoveryPoint: null, neverBackedUp: false },
    afspstesttargetsa: { workloadType: 'Microsoft.Storage/storageAccounts/blobServices', protectionState: 'ProtectionConfigured', neverBackedUp: false },
    afspstestsa: { protectionState: 'ProtectionConfigured' },
    'adkopstierGA\\new': { workloadType: 'Microsoft.ContainerService/managedClusters', protectionState: 'ProtectionStopped' },
    'donotuseaksbvtaadalrtargetcluster\\uami01': { protectionState: 'ProtectionConfigured', neverBackedUp: false },
  });
  const r = judge(items, [], asOf);
  assert.deepEqual(rulesByName(r, items), {
    'pstest-disk': [O],
    afspstesttargetsa: [O],
    afspstestsa: [O],
    'adkopstierGA\\new': ['protection-stopped', O].sort(),
    'donotuseaksbvtaadalrtargetcluster\\uami01': [O],
  });
  assert.ok(r.assumptions.some((a) => a.rule === 'rpo-breach' && /^4 item/.test(a.note)), 'the four configured instances state no time');
});

test('Backup vault disk / blob / AKS / PostgreSQL (Resource Graph rows with recoveryPointInfo and jobs): RPO judged for every instance', () => {
  const { items, jobs } = readTruth('backup-vault.arg.json');
  const asOf = '2025-10-28T12:00:00.000Z';
  check(items, {
    // Primary latest …02:00:05.1234567Z (7 digits) → .123; 0001-01-01 in the secondary region means none there.
    'disk-app01': { protectionState: 'ProtectionConfigured', lastRecoveryPoint: '2025-10-28T02:00:05.123Z', oldestRecoveryPoint: '2025-10-01T02:00:03.987Z', lastBackupTime: null, neverBackedUp: false },
    stblobtruth: { lastRecoveryPoint: '2025-10-20T01:00:00.000Z', oldestRecoveryPoint: '2025-09-20T01:00:00.000Z', neverBackedUp: false },
    // Every region says 0001-01-01: the vault states it holds no recovery point.
    'aks-prod\\ns-payments': { lastRecoveryPoint: null, neverBackedUp: true },
    pgdb1: { workloadType: 'Microsoft.DBforPostgreSQL/servers/databases', lastRecoveryPoint: null, neverBackedUp: true },
  });
  assert.equal(jobs.length, 4);
  const r = judge(items, jobs, asOf);
  assert.deepEqual(rulesByName(r, items), {
    // Recovery point ~10 h old; last backup job Succeeded 02:00:00.5Z.
    'disk-app01': [O],
    // Newest point 2025-10-20T01:00Z is 8 d 11 h old (> 26 h); the InProgress job is no backup yet.
    stblobtruth: [O, 'rpo-breach'],
    // Its only backup job (03:00Z) Failed: a failed backup, high. It has an attempt time, so it is not "never".
    'aks-prod\\ns-payments': ['last-backup-failed', O],
    // No recovery point, no backup job, configure time unknown: never backed up.
    pgdb1: ['never-backed-up', O],
  });
  const rpo = r.findings.find((f) => f.rule === 'rpo-breach')!;
  assert.equal(rpo.evidence.lastGoodBackup, '2025-10-20T01:00:00.000Z');
  assert.equal(rpo.evidence.ageHours, 203);
  const failed = r.findings.find((f) => f.rule === 'last-backup-failed')!;
  assert.equal(failed.evidence.lastBackupTime, '2025-10-28T03:00:00.000Z');
});

test('on one mixed estate the counts a reader sees agree with the findings: failed = last-backup-failed; never = one never/IR-pending finding each', () => {
  const files = ['vm.rest.json', 'vm-irpending.rest.json', 'sql-in-vm.rest.json', 'azure-files.rest.json', 'sap-hana.rest.json', 'legacy-azure-sql.rest.json', 'bv-disk.rest.json', 'bv-blob-aks.rest.json', 'backup-vault.arg.json'];
  const all = files.map(readTruth);
  const items = all.flatMap((f) => f.items);
  const jobs = all.flatMap((f) => f.jobs);
  const asOf = '2026-09-01T00:00:00.000Z';
  // Every item configured long ago (more than the 2 days of grace), so every never-backed-up item is judged.
  const configured = new Map(items.map((i) => [i.key, '2020-01-01T00:00:00.000Z']));
  const r = judge(items, jobs, asOf, configured);
  const fromJobs = lastBackupsFromJobs(jobs, asOf);
  const counts = countBackupStates(items, fromJobs);
  // By hand: failed = hiagaNewVm1, afs1hrtestfs2, TENANTDB, aks-prod (failed job) = 4;
  // never = testVM (placeholder), SYSTEMDB (IRPending, no time), pgdb1 (vault says none) = 3; soft-deleted = afs1hrtestfs = 1.
  assert.deepEqual(counts, { lastBackupFailed: 4, neverBackedUp: 3, softDeleted: 1 });
  const keys = (rule: string) => r.findings.filter((f) => f.rule === rule).map((f) => f.key);
  assert.equal(keys('last-backup-failed').length, counts.lastBackupFailed);
  const never = [...keys('never-backed-up'), ...keys('ir-pending-too-long')];
  assert.equal(never.length, counts.neverBackedUp);
  assert.equal(new Set(never).size, never.length, 'no item gets both never-backed-up and ir-pending-too-long');
});

test('cost status per workload with the default rate card and no sizes: each workload at its own entry, never another workload fee', () => {
  const card = loadRatecard();
  const status = (file: string) => {
    const { items } = readTruth(file);
    const r = costSnapshot({ items, vaults: [], card: card.value, ratecardHash: card.hash, annotations: new Map() });
    return Object.fromEntries(r.items.map((c) => [label(items.find((i) => i.key === c.key)!), [c.status, c.instanceFeeSource]]));
  };
  // VMs have a fee (azureVm) but no size here: unknown, not unpriced and never $0.
  assert.deepEqual(status('vm.rest.json'), { 'hiaga-adhoc-vm': ['unknownSize', 'azureVm'], hiagaNewVm1: ['unknownSize', 'azureVm'], 'pstest-ccy-vm3': ['unknownSize', 'azureVm'] });
  assert.deepEqual(new Set(Object.values(status('sql-in-vm.rest.json')).map((s) => s.join(' '))), new Set(['unpriced sqlServerInAzureVm']));
  assert.deepEqual(new Set(Object.values(status('sap-hana.rest.json')).map((s) => s.join(' '))), new Set(['unpriced sapHanaInAzureVm']));
  // The soft-deleted share is known not to be billed; the live ones have no Azure Files fee in the card.
  assert.deepEqual(status('azure-files.rest.json'), { afs1hrtestfs2: ['unpriced', 'azureFiles'], afs1hrtestfs: ['notBilled', null], afsbvtlonghaulcrrafsne: ['unpriced', 'azureFiles'] });
  // Legacy Azure SQL: the card has no entry for it at all.
  assert.deepEqual(status('legacy-azure-sql.rest.json'), { salesdb: ['unpriced', null], hrdb: ['unpriced', null] });
  assert.deepEqual(status('backup-vault.arg.json'), {
    'disk-app01': ['unpriced', 'azureDisks'],
    stblobtruth: ['unpriced', 'azureBlobs'],
    'aks-prod\\ns-payments': ['unpriced', 'aks'],
    pgdb1: ['unpriced', 'postgreSql'],
  });
});
