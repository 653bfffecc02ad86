import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Annotation, RestoreTest } from '../../shared/domain/annotations.ts';
import type { RecoveryPointRecord } from '../../shared/domain/types.ts';
import { runFindings } from '../../electron/core/analysis/run.ts';
import { recoveryPointGroups } from '../../electron/core/analysis/restore-points.ts';
import { policy, tmpStore, vault, vmItem, writeSnapshot } from '../analysis/estate.ts';

const AS_OF = '2025-03-10T12:00:00.000Z';

/** A recovery point record as the normaliser writes it; `region` marks a point listed from the secondary region. */
function rp(item: { id: string; key: string }, name: string, time: string, tiers: string[], region?: 'secondary'): RecoveryPointRecord {
  const id = `${item.id}/recoveryPoints/${name}`;
  return { key: `${id.toLowerCase()}${region ? '#secondary' : ''}`, id, itemKey: item.key, time, type: 'AppConsistent', tiers, expiryTime: null, ...(region ? { region } : {}) } as RecoveryPointRecord;
}

function ann(target: string, over: Partial<Annotation>): [string, Annotation] {
  return [target, { target, owner: 'ops', ownerEmail: null, team: null, costCentre: null, criticality: null, exceptions: [], decision: null, frontEndGb: null, storageGb: null, notes: [], tags: {}, restoreTests: [], ...over }];
}

const t = (id: string, date: string, outcome: RestoreTest['outcome']): RestoreTest => ({ id, date, recoveryPoint: 'rp', target: null, durationMin: null, outcome, tester: 'ana', ticket: 'CHG-7' });

test('restore readiness findings from the listed recovery points and the drills, judged at asOf', () => {
  const { store, dir } = tmpStore('vp-restore-');
  try {
    // asOf 10 March 12:00; a daily policy allows 24 h + 2 h grace = 26 h, so a point at 9 March 10:00 or later is within the RPO.
    const a = vmItem('a');
    const b = vmItem('b'); // the item record claims a point at 10 March 02:00, but the newest listed one is 9 March 09:00 (27 h)
    const c = vmItem('c'); // no point listed at all
    const d = vmItem('d');
    const far = vmItem('far', { vault: 'vault3' }); // its vault's points were not listed: not judged
    const s = writeSnapshot(store, {
      asOf: AS_OF,
      items: [a, b, c, d, far],
      vaults: [vault('vault1', { crossRegionRestore: true, storageRedundancy: 'GeoRedundant' }), vault('vault3')],
      policies: [policy('vault1', 'DailyPolicy'), policy('vault3', 'DailyPolicy')],
      recoveryPoints: [
        rp(a, '11', '2025-03-10T02:00:00.000Z', ['HardenedRP', 'InstantRP']),
        rp(a, '10', '2025-03-09T02:00:00.000Z', ['HardenedRP']),
        rp(a, '9', '2025-03-08T02:00:00.000Z', ['HardenedRP'], 'secondary'),
        rp(b, '21', '2025-03-09T09:00:00.000Z', ['HardenedRP']),
        rp(d, '41', '2025-03-10T01:00:00.000Z', ['InstantRP']),
        rp(d, '40', '2025-03-07T01:00:00.000Z', ['HardenedRP'], 'secondary'),
      ],
    });
    const annotations = new Map([
      ann(`item:${a.key}`, { criticality: 'high', restoreTests: [t('rt-a1', '2025-02-01', 'passed'), t('rt-a2', '2025-03-01', 'failed')] }),
      ann(`item:${b.key}`, { restoreTests: [t('rt-b1', '2025-02-01', 'failed'), t('rt-b2', '2025-03-01', 'passed')] }),
      ann(`item:${d.key}`, { criticality: 'high' }),
    ]);
    const r = runFindings(store, s.id, { annotations });
    const keys = (rule: string) => r.findings.filter((f) => f.rule === rule).map((f) => f.key).sort();

    assert.deepEqual(keys('restore-point-outside-rpo'), [b.key, c.key].sort());
    const fb = r.findings.find((f) => f.rule === 'restore-point-outside-rpo' && f.key === b.key)!;
    assert.equal(fb.evidence.latestRecoveryPoint, '2025-03-09T09:00:00.000Z');
    assert.equal(fb.evidence.ageHours, 27);
    assert.equal(fb.evidence.thresholdHours, 26);
    assert.equal(fb.evidence.itemSaysLastRecoveryPoint, '2025-03-10T02:00:00.000Z');
    const fc = r.findings.find((f) => f.rule === 'restore-point-outside-rpo' && f.key === c.key)!;
    assert.equal(fc.evidence.latestRecoveryPoint, null);
    assert.equal(fc.evidence.listedPoints, 0);
    assert.ok(r.assumptions.some((x) => x.rule === 'restore-point-outside-rpo' && x.note.startsWith('1 item(s)')), JSON.stringify(r.assumptions));

    // vault1 has cross-region restore on and its secondary points were listed: b and c have none there; a and d do.
    assert.deepEqual(keys('restore-no-secondary-point'), [b.key, c.key].sort());

    // a's latest drill (1 March) failed; b's failed one was followed by a pass.
    assert.deepEqual(keys('restore-test-failed'), [a.key]);
    assert.deepEqual(r.findings.find((f) => f.rule === 'restore-test-failed')!.evidence.lastTest, { date: '2025-03-01', outcome: 'failed', id: 'rt-a2', recoveryPoint: 'rp', tester: 'ana', ticket: 'CHG-7' });

    // d is critical with no drill: the existing rule keeps its 365-day window and now names the point a drill would start from.
    const fd = r.findings.find((f) => f.rule === 'critical-without-restore-test' && f.key === d.key)!;
    assert.equal(fd.evidence.periodDays, 365);
    assert.equal(fd.evidence.latestRecoveryPoint, '2025-03-10T01:00:00.000Z');
    assert.equal(fd.evidence.latestRecoveryPointFrom, 'listed');
    // a passed within 365 days, so it is not critical-without-restore-test, only restore-test-failed.
    assert.deepEqual(keys('critical-without-restore-test'), [d.key]);
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('without recovery point records the point rules are not evaluated, and say why', () => {
  const { store, dir } = tmpStore('vp-restore-');
  try {
    const s = writeSnapshot(store, { asOf: AS_OF, items: [vmItem('a')], vaults: [vault('vault1', { crossRegionRestore: true })], policies: [policy('vault1', 'DailyPolicy')] });
    const r = runFindings(store, s.id, { annotations: new Map() });
    const reasons = new Map(r.notEvaluated.map((n) => [n.rule, n.reason]));
    assert.match(reasons.get('restore-point-outside-rpo') ?? '', /no recovery point records/);
    assert.match(reasons.get('restore-no-secondary-point') ?? '', /no recovery point records/);
    assert.equal(r.findings.filter((f) => f.rule.startsWith('restore-')).length, 0);
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('secondary points never listed: cross-region items are not judged and the rule says so', () => {
  const { store, dir } = tmpStore('vp-restore-');
  try {
    const a = vmItem('a');
    const s = writeSnapshot(store, {
      asOf: AS_OF,
      items: [a],
      vaults: [vault('vault1', { crossRegionRestore: true })],
      policies: [policy('vault1', 'DailyPolicy')],
      recoveryPoints: [rp(a, '1', '2025-03-10T02:00:00.000Z', ['InstantRP'])],
    });
    const r = runFindings(store, s.id, { annotations: new Map() });
    assert.match(r.notEvaluated.find((n) => n.rule === 'restore-no-secondary-point')?.reason ?? '', /--use-secondary-region/);
    // The groups carry the latest point's id with its time; one item's groups come from its key range alone.
    const groups = recoveryPointGroups(store.db, s.id).get(a.key);
    assert.deepEqual(groups, [{ itemKey: a.key, tiers: ['InstantRP'], region: 'primary', latest: '2025-03-10T02:00:00.000Z', latestId: `${a.id}/recoveryPoints/1`, oldest: '2025-03-10T02:00:00.000Z', count: 1 }]);
    assert.deepEqual([...recoveryPointGroups(store.db, s.id, a.key).keys()], [a.key]);
    assert.equal(recoveryPointGroups(store.db, s.id, `${a.key}x`).size, 0);
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
