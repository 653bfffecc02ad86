import { test } from 'node:test';
import assert from 'node:assert/strict';
import { itemTarget, resourceTarget } from '../../shared/domain/annotations.ts';
import { addRestoreTest, deleteSnapshot, setAnnotations } from '../../electron/core/annotations/service.ts';
import { loadAnnotationIndex, readLog } from '../../electron/core/annotations/repository.ts';
import { verifyAnnotationLog } from '../../electron/core/annotations/chain.ts';
import { UserError } from '../../electron/core/errors.ts';
import { addSnapshot, author, tmpStore, vmId, vmItem } from './helpers.ts';

const NOW = '2025-06-10T12:00:00.000Z';
const exception = (over: Record<string, string | undefined> = {}) => ({ rule: 'rpo-breach', justification: 'migration window', approver: 'CISO', expires: '2025-07-01', ...over });

test('annotations hang on the item key and carry across snapshots, even when the snapshot they were made on is deleted', () => {
  const store = tmpStore();
  try {
    const it = vmItem('rg1', 'vm1');
    const first = addSnapshot(store, [it]);
    setAnnotations(store, { target: it.id, owner: 'Bob', team: 'Ops', criticality: 'high' }, author());
    // The next snapshot carries the same item with its id in different casing.
    const again = vmItem('rg1', 'vm1', { id: it.id.toUpperCase().replace('/SUBSCRIPTIONS/', '/subscriptions/'), lastBackupTime: '2025-06-02T01:00:00.000Z' });
    addSnapshot(store, [again]);
    deleteSnapshot(store, first, 'superseded', author());
    const idx = loadAnnotationIndex(store);
    const a = idx.get(itemTarget(it.key));
    assert.ok(a, 'annotation still found by the item key');
    assert.equal(a.owner, 'Bob');
    assert.equal(a.team, 'Ops');
    assert.equal(a.criticality, 'high');
    assert.equal(idx.size, 1, 'the snapshot deletion entry adds no annotation');
    // bare key, item:<key> and differently-cased ids all reach the same target
    const r = setAnnotations(store, { target: `item:${it.id.toUpperCase().replace('/SUBSCRIPTIONS/', '/subscriptions/')}`, costCentre: 'CC-42' }, author());
    assert.equal(r.target, itemTarget(it.key));
    assert.equal(r.annotation.owner, 'Bob');
    assert.equal(r.annotation.costCentre, 'CC-42');
  } finally {
    store.close();
  }
});

test('every change is one log entry with who, when, old and new value and reason; unchanged values write nothing', () => {
  const store = tmpStore();
  try {
    const it = vmItem('rg1', 'vm1');
    addSnapshot(store, [it]);
    setAnnotations(store, { target: it.key, owner: 'Bob', reason: 'CMDB says so' }, author('alice', NOW, 'Alice A.'));
    const second = setAnnotations(store, { target: it.key, owner: 'Carol', team: 'Ops' }, author('dave', '2025-06-11T08:00:00.000Z', null));
    assert.equal(second.entries.length, 2);
    const again = setAnnotations(store, { target: it.key, owner: 'Carol' }, author());
    assert.equal(again.entries.length, 0, 'setting the same value again logs nothing');
    const log = readLog(store);
    assert.equal(log.length, 3);
    assert.deepEqual(
      log.map((e) => [e.seq, e.user, e.displayName, e.at, e.field, e.oldValue, e.newValue, e.reason]),
      [
        [1, 'alice', 'Alice A.', NOW, 'owner', null, 'Bob', 'CMDB says so'],
        [2, 'dave', null, '2025-06-11T08:00:00.000Z', 'owner', 'Bob', 'Carol', null],
        [3, 'dave', null, '2025-06-11T08:00:00.000Z', 'team', null, 'Ops', null],
      ],
    );
    assert.equal(log[1]!.prevHash, log[0]!.hash);
    assert.equal(log[2]!.prevHash, log[1]!.hash);
    // clearing a value is a change too
    const cleared = setAnnotations(store, { target: it.key, team: null }, author());
    assert.equal(cleared.entries[0]!.oldValue, 'Ops');
    assert.equal(cleared.entries[0]!.newValue, null);
    assert.equal(cleared.annotation.team, null);
    assert.equal(verifyAnnotationLog(store).ok, true);
  } finally {
    store.close();
  }
});

test('decisions, size overrides, notes, tags, owner e-mail and restore tests are recorded', () => {
  const store = tmpStore();
  try {
    const it = vmItem('rg1', 'vm1');
    addSnapshot(store, [it]);
    setAnnotations(
      store,
      { target: it.key, ownerEmail: 'bob@example.com', decision: { decision: 'delete', after: '2025-12-31' }, reason: 'app retired', frontEndGb: 120.5, storageGb: 300, note: 'checked with app team', tags: { env: 'prod', app: 'crm' } },
      author(),
    );
    const r = addRestoreTest(store, { target: it.key, date: '2025-06-01', recoveryPoint: '2025-05-31T22:00:00Z', outcome: 'passed', durationMin: 42, restoreTarget: 'vm1-restore', tester: 'Eve', ticket: 'CHG-1' }, author());
    const a = r.annotation;
    assert.equal(a.ownerEmail, 'bob@example.com');
    assert.deepEqual(a.decision, { decision: 'delete', reason: 'app retired', after: '2025-12-31' });
    assert.equal(a.frontEndGb, 120.5);
    assert.equal(a.storageGb, 300);
    assert.deepEqual(a.notes, ['checked with app team']);
    assert.deepEqual(a.tags, { env: 'prod', app: 'crm' });
    assert.equal(a.restoreTests.length, 1);
    const t = a.restoreTests[0]!;
    assert.deepEqual({ ...t, id: 'x' }, { id: 'x', date: '2025-06-01', recoveryPoint: '2025-05-31T22:00:00Z', target: 'vm1-restore', durationMin: 42, outcome: 'passed', tester: 'Eve', ticket: 'CHG-1' });
    // removing a tag
    const r2 = setAnnotations(store, { target: it.key, tags: { env: null } }, author());
    assert.deepEqual(r2.annotation.tags, { app: 'crm' });
  } finally {
    store.close();
  }
});

test('an exception is recorded with its rule, justification, approver, ticket and expiry; "all" is accepted', () => {
  const store = tmpStore();
  try {
    const it = vmItem('rg1', 'vm1');
    addSnapshot(store, [it]);
    const r = setAnnotations(store, { target: it.key, exception: { ...exception({ rule: 'all' }), ticket: 'RISK-7' } }, author('alice', NOW, 'Alice'));
    const ex = r.annotation.exceptions[0]!;
    assert.equal(ex.rule, 'all');
    assert.equal(ex.justification, 'migration window');
    assert.equal(ex.approver, 'CISO');
    assert.equal(ex.ticket, 'RISK-7');
    assert.equal(ex.expires, '2025-07-01');
    assert.equal(ex.createdAt, NOW);
    assert.equal(ex.createdBy, 'Alice (alice)');
    assert.equal(r.entries[0]!.field, `exception:${ex.id}`);
    assert.equal(r.entries[0]!.reason, 'migration window');
    // a second exception adds, it does not replace
    const r2 = setAnnotations(store, { target: it.key, exception: exception({ rule: 'never-backed-up' }) }, author());
    assert.deepEqual(r2.annotation.exceptions.map((e) => e.rule).sort(), ['all', 'never-backed-up']);
    // withdrawing one needs a reason
    assert.throws(() => setAnnotations(store, { target: it.key, revokeException: ex.id }, author()), /needs a reason/);
    const r3 = setAnnotations(store, { target: it.key, revokeException: ex.id, reason: 'fixed' }, author());
    assert.deepEqual(r3.annotation.exceptions.map((e) => e.rule), ['never-backed-up']);
  } finally {
    store.close();
  }
});

test('exception validation: justification, approver, known rule, expiry present, real, not past, not beyond the profile', () => {
  const store = tmpStore();
  try {
    const it = vmItem('rg1', 'vm1');
    addSnapshot(store, [it]);
    const set = (ex: ReturnType<typeof exception>, at = NOW, maxExceptionDays?: number) =>
      setAnnotations(store, { target: it.key, exception: ex }, author('alice', at), maxExceptionDays === undefined ? {} : { maxExceptionDays });
    assert.throws(() => set(exception({ justification: undefined })), /needs a justification/);
    assert.throws(() => set(exception({ justification: '   ' })), /needs a justification/);
    assert.throws(() => set(exception({ approver: undefined })), /needs an approver/);
    assert.throws(() => set(exception({ expires: undefined })), /needs an expiry date/);
    assert.throws(() => set(exception({ rule: 'no-such-rule' })), /"no-such-rule" is not a known findings rule/);
    assert.throws(() => set(exception({ expires: '2025-02-30' })), /not a real calendar date/);
    assert.throws(() => set(exception({ expires: '01/07/2025' })), /YYYY-MM-DD/);
    // the past is refused, saying so
    assert.throws(() => set(exception({ expires: '2025-06-09' })), /2025-06-09 is in the past \(today is 2025-06-10 UTC\)/);
    // the expiry day counts until its end, UTC: at 23:59:59.999 on that day it is still accepted
    assert.equal(set(exception({ expires: '2025-06-10' }), '2025-06-10T23:59:59.999Z').entries.length, 1);
    // the default profile allows 365 days: 2025-06-10 + 365 days = 2026-06-10
    assert.equal(set(exception({ expires: '2026-06-10' })).entries.length, 1);
    assert.throws(() => set(exception({ expires: '2026-06-11' })), /more than 365 days ahead; the audit profile allows exceptions up to 2026-06-10/);
    // a stricter profile: 30 days from 2025-06-10 is 2025-07-10
    assert.equal(set(exception({ expires: '2025-07-10' }), NOW, 30).entries.length, 1);
    assert.throws(() => set(exception({ expires: '2025-07-11' }), NOW, 30), /more than 30 days ahead/);
    // nothing was written by the refused calls
    assert.equal(readLog(store).length, 3);
  } finally {
    store.close();
  }
});

test('target validation: an unknown item key is refused unless forced; resource targets and malformed targets', () => {
  const store = tmpStore();
  try {
    const it = vmItem('rg1', 'vm1');
    addSnapshot(store, [it]);
    const unknown = vmItem('rg9', 'ghost');
    assert.throws(() => setAnnotations(store, { target: unknown.key, owner: 'x' }, author()), /is in no snapshot of this store; check the key, or choose to annotate it anyway/);
    assert.throws(() => setAnnotations(store, { target: `item:${unknown.key}`, owner: 'x' }, author()), (e: unknown) => e instanceof UserError && /annotate it anyway/.test(e.message) && (e.details as { option?: string }).option === 'force');
    const forced = setAnnotations(store, { target: unknown.key, owner: 'x', force: true }, author());
    assert.equal(forced.target, itemTarget(unknown.key));
    // once annotated (forced), later changes need no --force
    assert.equal(setAnnotations(store, { target: unknown.key, owner: 'y' }, author()).entries.length, 1);
    // an unprotected workload: resource targets need no item
    const vm = vmId('rg2', 'Unprotected');
    const res = setAnnotations(store, { target: `resource:${vm}`, owner: 'Zed' }, author());
    assert.equal(res.target, resourceTarget(vm));
    assert.equal(res.target, `resource:${vm.toLowerCase()}`);
    assert.throws(() => setAnnotations(store, { target: 'vm1', owner: 'x' }, author()), /not an ARM id/);
    assert.throws(() => setAnnotations(store, { target: 'resource:vm1', owner: 'x' }, author()), /not an ARM id/);
    assert.throws(() => setAnnotations(store, { target: it.key }, author()), /nothing to annotate/);
  } finally {
    store.close();
  }
});

test('other validation: decision needs a reason, dates are real, sizes are not negative, e-mail looks like one, restore tests are not in the future', () => {
  const store = tmpStore();
  try {
    const it = vmItem('rg1', 'vm1');
    addSnapshot(store, [it]);
    const a = author();
    assert.throws(() => setAnnotations(store, { target: it.key, decision: { decision: 'retire' } }, a), /retire decision needs a reason/);
    assert.throws(() => setAnnotations(store, { target: it.key, decision: { decision: 'delete', reason: 'x', after: '2025-13-01' } }, a), /not a real calendar date/);
    assert.throws(() => setAnnotations(store, { target: it.key, frontEndGb: -1 }, a), /0 or more/);
    assert.throws(() => setAnnotations(store, { target: it.key, storageGb: Number.NaN }, a), /0 or more/);
    assert.throws(() => setAnnotations(store, { target: it.key, ownerEmail: 'bob' }, a), /not an email address/);
    assert.throws(() => setAnnotations(store, { target: it.key, note: '  ' }, a), /note cannot be empty/);
    const rt = { target: it.key, recoveryPoint: 'rp', outcome: 'passed' as const };
    assert.throws(() => addRestoreTest(store, { ...rt, date: '2025-06-11' }, a), /2025-06-11 is in the future/);
    assert.throws(() => addRestoreTest(store, { ...rt, date: '2025-6-1' }, a), /YYYY-MM-DD/);
    assert.throws(() => addRestoreTest(store, { ...rt, date: '2025-06-01', durationMin: -5 }, a), /0 or more/);
    assert.throws(() => addRestoreTest(store, { ...rt, date: '2025-06-01', recoveryPoint: ' ' }, a), /recovery point/);
    assert.throws(() => addRestoreTest(store, { ...rt, target: vmItem('x', 'y').key, date: '2025-06-01' }, a), /annotate it anyway/);
    // a test on today's date is fine
    assert.equal(addRestoreTest(store, { ...rt, date: '2025-06-10' }, a).entries.length, 1);
    assert.equal(readLog(store).length, 1);
  } finally {
    store.close();
  }
});
