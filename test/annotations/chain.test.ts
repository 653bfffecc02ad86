import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { runCli } from '../../electron/cli.ts';
import { verifyAnnotationLog } from '../../electron/core/annotations/chain.ts';
import { entryHash, entryHashReference, GENESIS_HASH } from '../../electron/core/annotations/hash.ts';
import { annotationLogHead, recordLogHead, readLog } from '../../electron/core/annotations/repository.ts';
import { setAnnotations } from '../../electron/core/annotations/service.ts';
import { openStore, type Store } from '../../electron/core/store/store.ts';
import { addSnapshot, author, tmpDir, vmItem } from './helpers.ts';

/** A store with five log entries on one item. */
function storeWithFiveEntries(): { store: Store; key: string; file: string } {
  const file = path.join(tmpDir(), 'v.db');
  const store = openStore(file);
  const it = vmItem('rg1', 'vm1');
  addSnapshot(store, [it]);
  setAnnotations(store, { target: it.key, owner: 'o1' }, author('alice', '2025-06-10T10:00:00.000Z'));
  setAnnotations(store, { target: it.key, owner: 'o2' }, author('alice', '2025-06-10T10:01:00.000Z'));
  setAnnotations(store, { target: it.key, team: 't1' }, author('bob', '2025-06-10T10:02:00.000Z'));
  setAnnotations(store, { target: it.key, owner: 'o3' }, author('bob', '2025-06-10T10:03:00.000Z'));
  setAnnotations(store, { target: it.key, costCentre: 'cc' }, author('bob', '2025-06-10T10:04:00.000Z'));
  return { store, key: it.key, file };
}

/** What an attacker with the SQLite file does: drop the guards, then edit. */
function dropTriggers(store: Store): void {
  store.db.exec('DROP TRIGGER annotation_log_no_update; DROP TRIGGER annotation_log_no_delete; DROP TRIGGER annotation_log_heads_no_delete;');
}

test('an intact chain verifies; the empty log has the genesis head', () => {
  const { store } = storeWithFiveEntries();
  try {
    const v = verifyAnnotationLog(store);
    assert.equal(v.ok, true);
    assert.equal(v.count, 5);
    assert.equal(v.firstBad, undefined);
    assert.deepEqual(v.warnings, []);
    assert.deepEqual(annotationLogHead(store), { count: 5, hash: readLog(store)[4]!.hash });
  } finally {
    store.close();
  }
  const empty = openStore(path.join(tmpDir(), 'e.db'));
  try {
    assert.deepEqual(annotationLogHead(empty), { count: 0, hash: GENESIS_HASH });
    assert.equal(verifyAnnotationLog(empty).ok, true);
  } finally {
    empty.close();
  }
});

test('the triggers refuse UPDATE and DELETE on the log', () => {
  const { store } = storeWithFiveEntries();
  try {
    assert.throws(() => store.db.prepare(`UPDATE annotation_log SET new_value = '"mallory"' WHERE seq = 2`).run(), /append-only/);
    assert.throws(() => store.db.prepare('DELETE FROM annotation_log WHERE seq = 5').run(), /append-only/);
  } finally {
    store.close();
  }
});

test('an UPDATE made by hand is caught at the altered entry', () => {
  const { store } = storeWithFiveEntries();
  try {
    dropTriggers(store);
    store.db.prepare(`UPDATE annotation_log SET new_value = '"mallory"' WHERE seq = 2`).run();
    const v = verifyAnnotationLog(store);
    assert.equal(v.ok, false);
    assert.equal(v.firstBad?.seq, 2);
    assert.match(v.firstBad!.reason, /entry 2 was altered/);
    assert.ok(v.problems.some((p) => p.seq === 0 && /annotation_log_no_update is missing/.test(p.reason)));
  } finally {
    store.close();
  }
});

test('an UPDATE that also re-hashes the entry is caught at the next entry, whose link no longer holds', () => {
  const { store } = storeWithFiveEntries();
  try {
    dropTriggers(store);
    const third = readLog(store)[2]!;
    const { hash: _old, ...rest } = { ...third, user: 'mallory' };
    store.db.prepare('UPDATE annotation_log SET user = ?, hash = ? WHERE seq = 3').run('mallory', entryHash(rest));
    const v = verifyAnnotationLog(store);
    assert.equal(v.ok, false);
    assert.equal(v.firstBad?.seq, 4);
    assert.match(v.firstBad!.reason, /entry 4 does not link to entry 3/);
  } finally {
    store.close();
  }
});

test('a DELETE in the middle is named as the missing entry', () => {
  const { store } = storeWithFiveEntries();
  try {
    dropTriggers(store);
    store.db.prepare('DELETE FROM annotation_log WHERE seq = 3').run();
    const v = verifyAnnotationLog(store);
    assert.equal(v.ok, false);
    assert.deepEqual(v.firstBad, { seq: 3, reason: 'entry 3 is missing from the log (deleted); the chain continues at entry 4' });
    assert.equal(v.count, 2);
  } finally {
    store.close();
  }
});

test('a deleted tail is caught through the head an evidence pack recorded', () => {
  const { store } = storeWithFiveEntries();
  try {
    const head = annotationLogHead(store);
    recordLogHead(store, { packId: 'pack-1', ...head, at: '2025-06-10T11:00:00.000Z' });
    recordLogHead(store, { packId: 'pack-1', ...head, at: '2025-06-10T11:00:00.000Z' }); // idempotent
    assert.throws(() => recordLogHead(store, { packId: 'pack-1', count: 4, hash: head.hash, at: 'x' }), /already recorded/);
    assert.equal(verifyAnnotationLog(store).headsChecked, 1);
    dropTriggers(store);
    store.db.prepare('DELETE FROM annotation_log WHERE seq >= 4').run();
    // the remaining chain is internally consistent ...
    const v = verifyAnnotationLog(store);
    // ... but pack-1 saw five entries
    assert.equal(v.ok, false);
    assert.equal(v.firstBad?.seq, 4);
    assert.match(v.firstBad!.reason, /ends at entry 3, but evidence pack pack-1 recorded it with 5 entries/);
  } finally {
    store.close();
  }
});

test('a tail replaced by different entries no longer matches the recorded head', () => {
  const { store, key } = storeWithFiveEntries();
  try {
    recordLogHead(store, { packId: 'pack-2', ...annotationLogHead(store), at: '2025-06-10T11:00:00.000Z' });
    dropTriggers(store);
    store.db.prepare('DELETE FROM annotation_log WHERE seq = 5').run();
    store.db.prepare("DELETE FROM annotation_values WHERE field = 'costCentre'").run();
    // a new, valid entry 5 written through the app
    setAnnotations(store, { target: key, costCentre: 'other' }, author('mallory', '2025-06-10T12:00:00.000Z'));
    const v = verifyAnnotationLog(store);
    assert.equal(v.ok, false);
    assert.equal(v.firstBad?.seq, 5);
    assert.match(v.firstBad!.reason, /entry 5 differs from the head recorded by evidence pack pack-2/);
  } finally {
    store.close();
  }
});

test('current values changed outside the log are reported', () => {
  const { store } = storeWithFiveEntries();
  try {
    store.db.prepare(`UPDATE annotation_values SET value = '"mallory"' WHERE field = 'owner'`).run();
    const v = verifyAnnotationLog(store);
    assert.equal(v.ok, false);
    assert.equal(v.firstBad?.seq, 4);
    assert.match(v.firstBad!.reason, /current value of owner .* does not match log entry 4/);
  } finally {
    store.close();
  }
});

test('`log verify` exits 0 on an intact chain and 3 naming the first broken entry (deterministic entries via VAULTPROOF_NOW / VAULTPROOF_USER)', async () => {
  const file = path.join(tmpDir(), 'v.db');
  const it = vmItem('rg1', 'vm1');
  const s = openStore(file);
  addSnapshot(s, [it]);
  s.close();
  const saved = { now: process.env.VAULTPROOF_NOW, user: process.env.VAULTPROOF_USER, name: process.env.VAULTPROOF_DISPLAY_NAME };
  process.env.VAULTPROOF_NOW = '2025-06-10T09:30:00Z';
  process.env.VAULTPROOF_USER = 'ci-auditor';
  process.env.VAULTPROOF_DISPLAY_NAME = 'CI Auditor';
  try {
    let out = '';
    let err = '';
    const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t) };
    for (const owner of ['a', 'b', 'c', 'd']) assert.equal(await runCli(['annotate', it.key, '--owner', owner, '--store', file], io), 0, err);
    out = '';
    assert.equal(await runCli(['log', '--json', '--store', file], io), 0);
    const log = JSON.parse(out) as Array<{ seq: number; at: string; user: string; displayName: string; oldValue: unknown; newValue: unknown }>;
    assert.deepEqual(
      log.map((e) => [e.seq, e.at, e.user, e.displayName, e.oldValue, e.newValue]),
      [
        [1, '2025-06-10T09:30:00.000Z', 'ci-auditor', 'CI Auditor', null, 'a'],
        [2, '2025-06-10T09:30:00.000Z', 'ci-auditor', 'CI Auditor', 'a', 'b'],
        [3, '2025-06-10T09:30:00.000Z', 'ci-auditor', 'CI Auditor', 'b', 'c'],
        [4, '2025-06-10T09:30:00.000Z', 'ci-auditor', 'CI Auditor', 'c', 'd'],
      ],
    );
    out = '';
    assert.equal(await runCli(['log', 'verify', '--store', file], io), 0);
    assert.match(out, /annotation log verified: 4 entries/);

    const t = openStore(file);
    dropTriggers(t);
    t.db.prepare('DELETE FROM annotation_log WHERE seq = 2').run();
    t.close();
    out = '';
    assert.equal(await runCli(['log', 'verify', '--store', file], io), 3);
    assert.match(out, /annotation log BROKEN at entry 2: entry 2 is missing/);
    out = '';
    assert.equal(await runCli(['log', 'verify', '--json', '--store', file], io), 3);
    const v = JSON.parse(out) as { ok: boolean; firstBad: { seq: number } };
    assert.equal(v.ok, false);
    assert.equal(v.firstBad.seq, 2);
  } finally {
    for (const [k, v] of [
      ['VAULTPROOF_NOW', saved.now],
      ['VAULTPROOF_USER', saved.user],
      ['VAULTPROOF_DISPLAY_NAME', saved.name],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});

test('the hand-built entry hash equals SHA-256 over the RFC 8785 canonical JSON of the entry', () => {
  const base = {
    seq: 7,
    id: '0190f0a0-0000-7000-8000-000000000001',
    kind: 'set' as const,
    at: '2025-06-10T12:00:00.000Z',
    user: 'zoë',
    displayName: null,
    target: 'item:/subscriptions/s/x;"quoted"\\back',
    field: 'owner',
    oldValue: null as unknown,
    newValue: 'Bob \u2028 😀' as unknown,
    reason: null,
    applied: true,
    mergedFrom: null,
    prevHash: GENESIS_HASH,
  };
  const variants = [
    base,
    { ...base, displayName: 'Ünïcode Name', reason: 'why\nnot', applied: false },
    { ...base, field: 'decision', oldValue: { reason: 'r', decision: 'keep', after: null }, newValue: { decision: 'delete', reason: 'é', after: '2025-12-31' } },
    { ...base, field: 'frontEndGb', oldValue: 1.5, newValue: 1e21 },
    { ...base, kind: 'conflict' as const, mergedFrom: { storeId: 'ab', exportedBy: 'alice', exportedAt: '2025-01-01T00:00:00.000Z', seq: 3, hash: 'f'.repeat(64) } },
  ];
  for (const v of variants) assert.equal(entryHash(v), entryHashReference(v));
});
