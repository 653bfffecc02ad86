import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { itemTarget } from '../../shared/domain/annotations.ts';
import { verifyAnnotationLog } from '../../electron/core/annotations/chain.ts';
import { exportAnnotations, mergeAnnotations } from '../../electron/core/annotations/exchange.ts';
import { loadAnnotationIndex, readLog } from '../../electron/core/annotations/repository.ts';
import { setAnnotations } from '../../electron/core/annotations/service.ts';
import type { Store } from '../../electron/core/store/store.ts';
import { addSnapshot, author, tmpDir, tmpStore, vmItem } from './helpers.ts';

const vm1 = vmItem('rg-app', 'vm1');
const vm2 = vmItem('rg-app', 'vm2');
const t1 = itemTarget(vm1.key);
const t2 = itemTarget(vm2.key);

function auditorStore(): Store {
  const s = tmpStore();
  addSnapshot(s, [vm1, vm2]);
  return s;
}

function values(store: Store, target: string) {
  const a = loadAnnotationIndex(store).get(target);
  return a ? { owner: a.owner, team: a.team, costCentre: a.costCentre, notes: a.notes } : null;
}

test('merging two divergent histories keeps both, lists conflicts, and the later writer wins with the conflict logged', () => {
  const dir = tmpDir('vp-merge-');
  const A = auditorStore();
  const B = auditorStore();
  try {
    // common start: Alice's work, shared with Bob
    setAnnotations(A, { target: vm1.key, owner: 'Bob', team: 'Ops' }, author('alice', '2025-06-10T10:00:00.000Z'));
    exportAnnotations(A, path.join(dir, 'a0.json'), author('alice', '2025-06-10T10:05:00.000Z'));
    const first = mergeAnnotations(B, path.join(dir, 'a0.json'), author('bob', '2025-06-10T11:00:00.000Z'));
    assert.deepEqual([first.incoming, first.applied, first.conflicts.length, first.entriesWritten], [2, 2, 0, 2]);

    // they diverge, offline
    setAnnotations(A, { target: vm1.key, owner: 'Carol' }, author('alice', '2025-06-11T09:00:00.000Z'));
    setAnnotations(A, { target: vm1.key, team: 'Infra' }, author('alice', '2025-06-11T09:30:00.000Z'));
    setAnnotations(A, { target: vm2.key, costCentre: 'CC-A' }, author('alice', '2025-06-11T09:45:00.000Z'));
    setAnnotations(B, { target: vm1.key, team: 'Web' }, author('bob', '2025-06-11T08:00:00.000Z'));
    setAnnotations(B, { target: vm1.key, owner: 'Dave' }, author('bob', '2025-06-11T10:00:00.000Z'));
    setAnnotations(B, { target: vm2.key, note: 'checked' }, author('bob', '2025-06-11T10:30:00.000Z'));
    exportAnnotations(A, path.join(dir, 'a1.json'), author('alice', '2025-06-12T08:00:00.000Z'));
    exportAnnotations(B, path.join(dir, 'b1.json'), author('bob', '2025-06-12T08:00:00.000Z'));

    // a dry run reports without writing
    const before = readLog(B).length;
    const dry = mergeAnnotations(B, path.join(dir, 'a1.json'), author('bob', '2025-06-12T09:00:00.000Z'), { dryRun: true });
    assert.equal(dry.conflicts.length, 2);
    assert.equal(readLog(B).length, before);

    // Bob merges Alice's file
    const mb = mergeAnnotations(B, path.join(dir, 'a1.json'), author('bob', '2025-06-12T09:00:00.000Z'));
    assert.equal(mb.incoming, 5);
    assert.equal(mb.alreadyPresent, 2);
    assert.equal(mb.applied, 2, "Alice's cost centre (clean) and her later team (conflict won)");
    assert.deepEqual(
      mb.conflicts.map((c) => [c.target, c.field, c.local.value, c.incoming.value, c.winner]),
      [
        [t1, 'owner', 'Dave', 'Carol', 'local'],
        [t1, 'team', 'Web', 'Infra', 'incoming'],
      ],
    );
    assert.deepEqual(values(B, t1), { owner: 'Dave', team: 'Infra', costCentre: null, notes: [] });
    assert.deepEqual(values(B, t2), { owner: null, team: null, costCentre: 'CC-A', notes: ['checked'] });
    // both histories are in B's log: Alice's losing owner entry is kept, unapplied, beside a conflict record
    const logB = readLog(B);
    const carol = logB.find((e) => e.newValue === 'Carol')!;
    assert.equal(carol.applied, false);
    assert.equal(carol.user, 'alice');
    assert.equal(carol.at, '2025-06-11T09:00:00.000Z');
    assert.equal(carol.mergedFrom?.exportedBy, 'Alice Auditor (alice)');
    const records = logB.filter((e) => e.kind === 'conflict');
    assert.equal(records.length, 2);
    assert.match(records[0]!.reason!, /last writer wins: local/);
    assert.match(records[1]!.reason!, /last writer wins: incoming/);
    assert.equal(verifyAnnotationLog(B).ok, true);

    // Alice merges Bob's file (made before he merged hers): same outcome
    const ma = mergeAnnotations(A, path.join(dir, 'b1.json'), author('alice', '2025-06-12T09:00:00.000Z'));
    assert.equal(ma.alreadyPresent, 2, 'her own entries came back');
    assert.deepEqual(
      ma.conflicts.map((c) => [c.field, c.winner]),
      [
        ['team', 'local'],
        ['owner', 'incoming'],
      ],
    );
    assert.deepEqual(values(A, t1), values(B, t1));
    assert.deepEqual(values(A, t2), values(B, t2));

    // and after exchanging again, nothing new conflicts and the values stay converged
    exportAnnotations(B, path.join(dir, 'b2.json'), author('bob', '2025-06-13T08:00:00.000Z'));
    const again = mergeAnnotations(A, path.join(dir, 'b2.json'), author('alice', '2025-06-13T09:00:00.000Z'));
    assert.equal(again.conflicts.length, 0);
    assert.deepEqual(values(A, t1), { owner: 'Dave', team: 'Infra', costCentre: null, notes: [] });
    assert.equal(verifyAnnotationLog(A).ok, true);
    // re-merging a file already merged writes nothing
    const n = readLog(B).length;
    const repeat = mergeAnnotations(B, path.join(dir, 'a1.json'), author('bob', '2025-06-13T10:00:00.000Z'));
    assert.deepEqual([repeat.alreadyPresent, repeat.entriesWritten, readLog(B).length], [5, 0, n]);
  } finally {
    A.close();
    B.close();
  }
});

test('an edited or truncated export is refused, naming the entry; nothing is merged', () => {
  const dir = tmpDir('vp-merge-');
  const A = auditorStore();
  const B = auditorStore();
  try {
    setAnnotations(A, { target: vm1.key, owner: 'Bob' }, author('alice', '2025-06-10T10:00:00.000Z'));
    setAnnotations(A, { target: vm1.key, team: 'Ops' }, author('alice', '2025-06-10T10:01:00.000Z'));
    setAnnotations(A, { target: vm2.key, owner: 'Eve' }, author('alice', '2025-06-10T10:02:00.000Z'));
    const file = path.join(dir, 'a.json');
    exportAnnotations(A, file, author());
    const body = JSON.parse(fs.readFileSync(file, 'utf8')) as { log: Array<{ newValue: unknown }>; head: unknown };

    const edited = structuredClone(body);
    edited.log[1]!.newValue = 'Mallory';
    fs.writeFileSync(path.join(dir, 'edited.json'), JSON.stringify(edited));
    assert.throws(() => mergeAnnotations(B, path.join(dir, 'edited.json'), author()), /edited\.json: the exported log is broken at entry 2: entry 2 was altered/);

    const truncated = structuredClone(body);
    truncated.log.pop();
    fs.writeFileSync(path.join(dir, 'truncated.json'), JSON.stringify(truncated));
    assert.throws(() => mergeAnnotations(B, path.join(dir, 'truncated.json'), author()), /holds 2 entries but the file's head says 3/);

    fs.writeFileSync(path.join(dir, 'other.json'), '{"format":"something-else"}');
    assert.throws(() => mergeAnnotations(B, path.join(dir, 'other.json'), author()), /not a Vaultproof annotations export/);
    assert.equal(readLog(B).length, 0);
  } finally {
    A.close();
    B.close();
  }
});

test('export refuses a log that does not verify', () => {
  const A = auditorStore();
  try {
    setAnnotations(A, { target: vm1.key, owner: 'Bob' }, author());
    A.db.exec('DROP TRIGGER annotation_log_no_update');
    A.db.prepare(`UPDATE annotation_log SET reason = 'x' WHERE seq = 1`).run();
    const file = path.join(tmpDir(), 'a.json');
    assert.throws(() => exportAnnotations(A, file, author()), /does not verify \(entry 1: entry 1 was altered/);
    assert.equal(fs.existsSync(file), false);
  } finally {
    A.close();
  }
});
