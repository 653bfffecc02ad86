import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Annotation, AnnotationIndex, ExceptionEntry } from '../../shared/domain/annotations.ts';
import type { FindingsInput, FindingsReport } from '../../shared/domain/findings.ts';
import { evaluateFindings } from '../../shared/domain/findings.ts';
import type { AuditProfile } from '../../shared/domain/profile.ts';
import type { BackupItem } from '../../shared/domain/types.ts';
import { loadProfile } from '../../electron/core/analysis/assets.ts';
import { policy, vault, vm, vmItem } from './estate.ts';

const AS_OF = '2025-03-10T12:00:00.000Z';
const defaultProfile = loadProfile();

function run(over: Partial<FindingsInput> & { items: BackupItem[] }): FindingsReport {
  return evaluateFindings({
    asOf: AS_OF,
    profile: defaultProfile.value,
    profileHash: defaultProfile.hash,
    vaults: [vault('vault1')],
    policies: [policy('vault1', 'DailyPolicy'), policy('vault1', 'WeeklyPolicy', { scheduleFrequency: 'Weekly', scheduleIntervalHours: 168 })],
    inventory: [],
    protectionConfiguredAt: new Map(),
    annotations: new Map(),
    ...over,
  });
}

function keysOf(r: FindingsReport, rule: string): string[] {
  return r.findings.filter((f) => f.rule === rule).map((f) => f.key);
}

function ann(target: string, over: Partial<Annotation>): [string, Annotation] {
  return [target, { target, owner: null, ownerEmail: null, team: null, costCentre: null, criticality: null, exceptions: [], decision: null, frontEndGb: null, storageGb: null, notes: [], tags: {}, restoreTests: [], ...over }];
}

function exception(rule: string, expires: string, id = `ex-${rule}-${expires}`): ExceptionEntry {
  return { id, rule, justification: 'accepted for migration', approver: 'CISO', ticket: 'CHG-1', expires, createdAt: '2025-01-01T00:00:00.000Z', createdBy: 'auditor' };
}

test('RPO: a daily policy allows 24 h + 2 h grace, judged at asOf: exactly 26 h is on time, 1 ms more is a breach', () => {
  const onTime = vmItem('on-time', { lastBackupTime: '2025-03-09T10:00:00.000Z', lastRecoveryPoint: '2025-03-09T10:00:00.000Z' });
  const late = vmItem('late', { lastBackupTime: '2025-03-09T09:59:59.999Z', lastRecoveryPoint: '2025-03-09T09:59:59.999Z' });
  // weekly: 168 h + 2 h; 2025-03-03T10:00Z is exactly 170 h before asOf
  const weeklyOk = vmItem('weekly-ok', { policyName: 'WeeklyPolicy', policyId: policy('vault1', 'WeeklyPolicy').id, lastBackupTime: '2025-03-03T10:00:00.000Z', lastRecoveryPoint: null });
  const weeklyLate = vmItem('weekly-late', { policyName: 'WeeklyPolicy', policyId: policy('vault1', 'WeeklyPolicy').id, lastBackupTime: '2025-03-03T09:00:00.000Z', lastRecoveryPoint: null });
  const r = run({ items: [onTime, late, weeklyOk, weeklyLate] });
  assert.deepEqual(keysOf(r, 'rpo-breach').sort(), [late.key, weeklyLate.key].sort());
  const f = r.findings.find((x) => x.key === late.key && x.rule === 'rpo-breach')!;
  assert.equal(f.evidence.thresholdHours, 26);
  assert.equal(f.evidence.intervalSource, 'policy');
  assert.equal(f.severity, 'high');
  assert.ok(f.controls.includes('ISO/IEC 27001:2022 A.8.13') && f.controls.includes('SOC 2 A1.2') && f.controls.includes('NIST SP 800-53 CP-9'));
  // The same data judged a day later (another asOf) breaches: the wall clock never matters.
  const later = run({ items: [onTime], asOf: '2025-03-11T12:00:00.000Z' });
  assert.deepEqual(keysOf(later, 'rpo-breach'), [onTime.key]);
});

test('RPO without policy records uses the profile default (24 h + 2 h) and says so', () => {
  const late = vmItem('late', { lastBackupTime: '2025-03-09T09:00:00.000Z', lastRecoveryPoint: null });
  const fine = vmItem('fine', { lastBackupTime: '2025-03-09T11:00:00.000Z', lastRecoveryPoint: null });
  const r = run({ items: [late, fine], policies: [] });
  assert.deepEqual(keysOf(r, 'rpo-breach'), [late.key]);
  assert.equal(r.findings.find((f) => f.rule === 'rpo-breach')!.evidence.intervalSource, 'profile default (no policy records)');
  assert.ok(r.assumptions.some((a) => a.rule === 'rpo-breach' && /no policy records/.test(a.note)));
  assert.ok(r.notEvaluated.some((n) => n.rule === 'retention-below-minimum' && /no backup policy records/.test(n.reason)));
});

test('a failed last backup is a finding; RPO then counts from the last recovery point, not the failed attempt', () => {
  const failed = vmItem('failed', { lastBackupStatus: 'Failed', lastBackupTime: '2025-03-10T02:00:00.000Z', lastRecoveryPoint: '2025-03-08T02:00:00.000Z' });
  const r = run({ items: [failed] });
  assert.deepEqual(keysOf(r, 'last-backup-failed'), [failed.key]);
  assert.deepEqual(keysOf(r, 'rpo-breach'), [failed.key]);
  assert.equal(r.findings.find((f) => f.rule === 'rpo-breach')!.evidence.lastGoodBackup, '2025-03-08T02:00:00.000Z');
});

test('never backed up (2001-01-01 placeholder), IR pending judged from the configure job, and unhealthy items', () => {
  const never = vmItem('never', { neverBackedUp: true, lastBackupTime: null, lastRecoveryPoint: null, lastBackupStatus: '' });
  const pendingLong = vmItem('pending-long', { protectionState: 'IRPending', neverBackedUp: true, lastBackupTime: null, lastRecoveryPoint: null });
  const pendingShort = vmItem('pending-short', { protectionState: 'IRPending', neverBackedUp: true, lastBackupTime: null, lastRecoveryPoint: null });
  const pendingUnknown = vmItem('pending-unknown', { protectionState: 'IRPending', neverBackedUp: true, lastBackupTime: null, lastRecoveryPoint: null });
  const sick = vmItem('sick', { healthStatus: 'ActionRequired', protectionStatus: 'Unhealthy' });
  const error = vmItem('error', { protectionState: 'ProtectionError' });
  const configured = new Map([
    [pendingLong.key, '2025-03-07T12:00:00.000Z'], // 3 days before asOf > 2
    [`${pendingShort.vaultKey}|pending-short`, '2025-03-08T12:00:00.000Z'], // exactly 2 days, matched by vault + friendly name
  ]);
  const r = run({ items: [never, pendingLong, pendingShort, pendingUnknown, sick, error], protectionConfiguredAt: configured });
  assert.deepEqual(keysOf(r, 'never-backed-up'), [never.key]);
  assert.deepEqual(keysOf(r, 'ir-pending-too-long'), [pendingLong.key]);
  assert.equal(r.findings.find((f) => f.rule === 'ir-pending-too-long')!.evidence.pendingDays, 3);
  assert.ok(r.assumptions.some((a) => a.rule === 'ir-pending-too-long' && /^1 item/.test(a.note)));
  assert.deepEqual(keysOf(r, 'unhealthy'), [sick.key]);
  assert.deepEqual(keysOf(r, 'protection-error'), [error.key]);
});

test('IR pending without any job records is not evaluated, with the reason', () => {
  const pending = vmItem('pending', { protectionState: 'IRPending', neverBackedUp: true, lastBackupTime: null });
  const r = run({ items: [pending], protectionConfiguredAt: null });
  const n = r.notEvaluated.find((x) => x.rule === 'ir-pending-too-long');
  assert.ok(n);
  assert.match(n.reason, /no job records/);
  assert.deepEqual(keysOf(r, 'ir-pending-too-long'), []);
});

test('protection stopped is a finding that says the retained data is still billed; soft-deleted gives the permanent deletion date', () => {
  const stopped = vmItem('stopped', { protectionState: 'ProtectionStopped', policyId: null, lastBackupTime: '2024-01-01T00:00:00.000Z' });
  const soft = vmItem('soft', { softDeleted: true, protectionState: 'ProtectionStopped', deferredDeleteTime: '2025-03-05T06:00:00.000Z', softDeleteRetentionDays: 14 });
  const r = run({ items: [stopped, soft] });
  assert.deepEqual(keysOf(r, 'protection-stopped'), [stopped.key]);
  assert.equal(r.findings.find((f) => f.rule === 'protection-stopped')!.evidence.stillBilled, true);
  assert.deepEqual(keysOf(r, 'rpo-breach'), [], 'a stopped item is not judged for RPO');
  const s = r.findings.find((f) => f.rule === 'soft-deleted')!;
  assert.equal(s.key, soft.key);
  assert.equal(s.evidence.permanentDeletion, '2025-03-19T06:00:00.000Z');
});

test('exceptions mark a finding excepted through the end of the expiry day (UTC); after that it is not, and the expiry is itself a finding', () => {
  const late = vmItem('late', { lastBackupTime: '2025-03-01T00:00:00.000Z', lastRecoveryPoint: null });
  const target = `item:${late.key}`;
  const annotations: AnnotationIndex = new Map([ann(target, { owner: 'ana', exceptions: [exception('rpo-breach', '2025-03-10')] })]);
  const at = (asOf: string) => evaluateFindings({ asOf, profile: defaultProfile.value, profileHash: 'h', items: [late], vaults: [], policies: [], inventory: [], protectionConfiguredAt: null, annotations });
  const lastMoment = at('2025-03-10T23:59:59.999Z');
  const rpo = lastMoment.findings.find((f) => f.rule === 'rpo-breach')!;
  assert.equal(rpo.excepted, true, 'still excepted at 23:59:59.999 on the expiry day');
  assert.equal(rpo.exception?.approver, 'CISO');
  assert.equal(lastMoment.counts.excepted, 1);
  assert.deepEqual(keysOf(lastMoment, 'exception-expired'), []);
  const nextDay = at('2025-03-11T00:00:00.000Z');
  const rpo2 = nextDay.findings.find((f) => f.rule === 'rpo-breach')!;
  assert.equal(rpo2.excepted, false, 'the finding never vanished and is no longer excepted');
  const expired = nextDay.findings.find((f) => f.rule === 'exception-expired')!;
  assert.equal(expired.key, late.key);
  assert.equal(expired.evidence.exceptedRule, 'rpo-breach');
  assert.equal(expired.evidence.expires, '2025-03-10');
});

test('an "all" exception covers every rule on its target; a renewed exception supersedes the expired one', () => {
  const it = vmItem('x', { lastBackupStatus: 'Failed', lastBackupTime: '2025-03-09T00:00:00.000Z', lastRecoveryPoint: '2025-03-01T00:00:00.000Z' });
  const annotations: AnnotationIndex = new Map([ann(`item:${it.key}`, { exceptions: [exception('all', '2025-01-31'), exception('all', '2025-12-31')] })]);
  const r = run({ items: [it], annotations });
  const mine = r.findings.filter((f) => f.key === it.key);
  assert.deepEqual(mine.map((f) => f.rule).sort(), ['last-backup-failed', 'ownerless-item', 'rpo-breach']);
  assert.ok(mine.every((f) => f.excepted));
  assert.deepEqual(keysOf(r, 'exception-expired'), []);
});

test('inventory: orphaned items and unprotected workloads, judged only where the inventory covers; otherwise not evaluated', () => {
  const protectedVm = vmItem('app1');
  const orphan = vmItem('deleted-vm');
  const inventory = [vm('app1'), vm('naked')];
  const r = run({ items: [protectedVm, orphan], inventory });
  assert.deepEqual(keysOf(r, 'orphaned-item'), [orphan.key]);
  assert.deepEqual(keysOf(r, 'unprotected-workload'), [vm('naked').key]);
  assert.equal(r.findings.find((f) => f.rule === 'unprotected-workload')!.target, `resource:${vm('naked').key}`);
  const none = run({ items: [protectedVm, orphan], inventory: [] });
  for (const rule of ['orphaned-item', 'unprotected-workload']) {
    assert.match(none.notEvaluated.find((n) => n.rule === rule)?.reason ?? '', /no workload inventory/);
    assert.deepEqual(keysOf(none, rule), []);
  }
});

test('vault settings: soft delete off, immutability off, locally redundant; a setting that was not collected is not judged', () => {
  const vaults = [
    vault('weak', { softDeleteState: 'Disabled', immutabilityState: 'Disabled', storageRedundancy: 'LocallyRedundant' }),
    vault('strong', { softDeleteState: 'AlwaysON', immutabilityState: 'Locked', storageRedundancy: 'GeoRedundant' }),
    vault('unknown', { softDeleteState: null, immutabilityState: null, storageRedundancy: null }),
  ];
  const r = run({ items: [], vaults });
  for (const rule of ['vault-soft-delete-disabled', 'vault-immutability-disabled', 'vault-no-cross-region']) {
    assert.deepEqual(keysOf(r, rule), [vaults[0]!.key], rule);
    assert.ok(r.assumptions.some((a) => a.rule === rule && /^1 vault/.test(a.note)), rule);
  }
  const noVaults = run({ items: [vmItem('a')], vaults: [] });
  assert.match(noVaults.notEvaluated.find((n) => n.rule === 'vault-soft-delete-disabled')!.reason, /no vault records/);
});

test('retention below the profile minimum, policy ids matched regardless of case', () => {
  const short = policy('vault1', 'ShortPolicy', { dailyRetentionDays: 7 });
  const it = vmItem('short', { policyName: 'ShortPolicy', policyId: short.id.toUpperCase().replace('/SUBSCRIPTIONS/', '/Subscriptions/') });
  const r = run({ items: [it, vmItem('ok')], policies: [policy('vault1', 'DailyPolicy'), short] });
  assert.deepEqual(keysOf(r, 'retention-below-minimum'), [it.key]);
  assert.deepEqual(r.findings.find((f) => f.rule === 'retention-below-minimum')!.evidence.below, { dailyDays: { actual: 7, minimum: 30 } });
});

test('owners and restore tests come from annotations: ownerless items; critical items need a passed test within the period', () => {
  const owned = vmItem('owned');
  const fresh = vmItem('fresh');
  const stale = vmItem('stale');
  const failedOnly = vmItem('failed-only');
  const t = (date: string, outcome: 'passed' | 'failed') => ({ id: `rt-${date}`, date, recoveryPoint: 'latest', target: null, durationMin: 30, outcome, tester: 'ops', ticket: null });
  const annotations: AnnotationIndex = new Map([
    ann(`item:${owned.key}`, { owner: 'ana' }),
    // 2024-03-10 is exactly 365 days before 2025-03-10: inside the period
    ann(`item:${fresh.key}`, { owner: 'bo', criticality: 'high', restoreTests: [t('2024-03-10', 'passed')] }),
    ann(`item:${stale.key}`, { owner: 'bo', criticality: 'high', restoreTests: [t('2024-03-09', 'passed')] }),
    // criticality on the source resource counts for the item too
    ann(`resource:${failedOnly.sourceResourceKey}`, { owner: 'cy', criticality: 'high', restoreTests: [t('2025-03-01', 'failed')] }),
  ]);
  const r = run({ items: [owned, fresh, stale, failedOnly, vmItem('nobody')], annotations });
  assert.deepEqual(keysOf(r, 'ownerless-item'), [vmItem('nobody').key]);
  assert.deepEqual(keysOf(r, 'critical-without-restore-test').sort(), [stale.key, failedOnly.key].sort());
  assert.deepEqual(r.findings.find((f) => f.key === failedOnly.key && f.rule === 'critical-without-restore-test')!.evidence.lastTest, { date: '2025-03-01', outcome: 'failed', id: 'rt-2025-03-01' });
});

test('the profile sets severities, switches rules off (reported as not evaluated) and requires policies by tag', () => {
  const profile: AuditProfile = {
    ...defaultProfile.value,
    severities: { 'ownerless-item': 'medium' },
    disabledRules: ['last-backup-failed'],
    requiredPolicies: [{ match: { tag: { name: 'Tier', value: 'gold' } }, policies: ['GoldPolicy'] }],
  };
  const gold = vmItem('gold', { tags: { tier: 'gold' }, lastBackupStatus: 'Failed' });
  const r = run({ items: [gold, vmItem('plain')], profile });
  assert.ok(r.findings.filter((f) => f.rule === 'ownerless-item').every((f) => f.severity === 'medium'));
  assert.equal(r.notEvaluated.find((n) => n.rule === 'last-backup-failed')?.reason, 'disabled by the audit profile');
  assert.deepEqual(keysOf(r, 'last-backup-failed'), []);
  assert.deepEqual(keysOf(r, 'required-policy'), [gold.key]);
  assert.match(run({ items: [gold] }).notEvaluated.find((n) => n.rule === 'required-policy')!.reason, /names no required policies/);
});

test('an empty snapshot reports item rules as not evaluated, never as zero findings', () => {
  const r = run({ items: [] });
  assert.match(r.notEvaluated.find((n) => n.rule === 'rpo-breach')!.reason, /no backup items/);
  assert.equal(r.itemCount, 0);
});
