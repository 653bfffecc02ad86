import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { runCli } from '../../electron/cli.ts';
import { openStore } from '../../electron/core/store/store.ts';
import { addSnapshot, tmpDir, vmId, vmItem } from './helpers.ts';

type Io = { out: string; err: string; stdout(t: string): void; stderr(t: string): void };
function io(): Io {
  const o: Io = {
    out: '',
    err: '',
    stdout: (t) => void (o.out += t),
    stderr: (t) => void (o.err += t),
  };
  return o;
}

async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

test('CLI: annotate, restore-test, annotations --json, log --target, snapshots delete', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'v.db');
  const it = vmItem('rg1', 'vm1');
  const s = openStore(file);
  const snap = addSnapshot(s, [it]);
  addSnapshot(s, [it]);
  s.close();
  await withEnv({ VAULTPROOF_NOW: '2025-06-10T12:00:00Z', VAULTPROOF_USER: 'alice', VAULTPROOF_DISPLAY_NAME: 'Alice A.' }, async () => {
    const run = async (...args: string[]) => {
      const o = io();
      const code = await runCli([...args, '--store', file], o);
      return { code, ...o };
    };
    let r = await run('annotate', it.key, '--owner', 'Bob', '--email', 'bob@example.com', '--team', 'Ops', '--cost-centre', 'CC-1', '--criticality', 'high',
      '--exception', 'rpo-breach', '--justification', 'migration', '--approver', 'CISO', '--expires', '2025-09-30', '--ticket', 'RISK-1',
      '--decision', 'retire', '--reason', 'app sunset', '--after', '2025-12-31', '--front-end-gb', '120', '--storage-gb', '250.5', '--note', 'reviewed', '--tag', 'env=prod');
    assert.equal(r.code, 0, r.err);
    r = await run('restore-test', it.key, '--date', '2025-06-01', '--recovery-point', '2025-05-31T22:00:00Z', '--outcome', 'passed', '--duration', '35', '--target', 'vm1-restored', '--ticket', 'CHG-9');
    assert.equal(r.code, 0, r.err);
    r = await run('annotate', `resource:${vmId('rg2', 'unprotected')}`, '--owner', 'Zed');
    assert.equal(r.code, 0, r.err);

    r = await run('annotations', '--json');
    assert.equal(r.code, 0, r.err);
    const rows = JSON.parse(r.out) as Array<Record<string, unknown>>;
    assert.equal(rows.length, 2);
    const row = rows.find((x) => x.key === it.key)!;
    assert.equal(row.kind, 'item');
    assert.deepEqual([row.owner, row.ownerEmail, row.team, row.costCentre, row.criticality, row.frontEndGb, row.storageGb], ['Bob', 'bob@example.com', 'Ops', 'CC-1', 'high', 120, 250.5]);
    assert.deepEqual(row.decision, { decision: 'retire', reason: 'app sunset', after: '2025-12-31' });
    assert.deepEqual((row.exceptions as Array<Record<string, unknown>>).map((e) => [e.rule, e.approver, e.expires, e.ticket, e.createdBy]), [['rpo-breach', 'CISO', '2025-09-30', 'RISK-1', 'Alice A. (alice)']]);
    assert.deepEqual((row.restoreTests as Array<Record<string, unknown>>).map((t) => [t.date, t.outcome, t.durationMin, t.target, t.tester, t.ticket]), [['2025-06-01', 'passed', 35, 'vm1-restored', 'Alice A.', 'CHG-9']]);
    assert.deepEqual(row.notes, ['reviewed']);
    assert.deepEqual(row.tags, { env: 'prod' });
    const res = rows.find((x) => x.kind === 'resource')!;
    assert.equal(res.key, vmId('rg2', 'unprotected').toLowerCase());

    r = await run('log', '--target', it.id, '--json');
    const log = JSON.parse(r.out) as Array<{ field: string; user: string; at: string }>;
    assert.equal(log.length, 12, 'owner, e-mail, team, cost centre, criticality, exception, decision, 2 sizes, note, tag, restore test');
    assert.ok(log.every((e) => e.user === 'alice' && e.at === '2025-06-10T12:00:00.000Z'));

    // user mistakes exit 1 with the reason on stderr
    r = await run('annotate', it.key, '--exception', 'all', '--justification', 'x', '--approver', 'y', '--expires', '2025-06-01');
    assert.equal(r.code, 1);
    assert.match(r.err, /2025-06-01 is in the past/);
    r = await run('annotate', it.key, '--justification', 'x');
    assert.equal(r.code, 1);
    assert.match(r.err, /--justification belongs to an exception/);
    r = await run('annotate', vmItem('rg9', 'nope').key, '--owner', 'x');
    assert.equal(r.code, 1);
    assert.match(r.err, /--force: item \S+ is in no snapshot of this store; check the key, or choose to annotate it anyway/);
    r = await run('annotate', vmItem('rg9', 'nope').key, '--owner', 'x', '--force');
    assert.equal(r.code, 0, r.err);

    // deleting a snapshot needs a reason and is itself a log entry
    r = await run('snapshots', 'delete', snap);
    assert.equal(r.code, 1);
    r = await run('snapshots', 'delete', snap, '--reason', 'test data', '--json');
    assert.equal(r.code, 0, r.err);
    const del = JSON.parse(r.out) as { snapshotId: string; entry: { seq: number; kind: string; target: string; reason: string; oldValue: { contentHash: string } } };
    assert.equal(del.snapshotId, snap);
    assert.deepEqual([del.entry.kind, del.entry.target, del.entry.reason], ['snapshot.delete', `snapshot:${snap}`, 'test data']);
    r = await run('log', '--target', `snapshot:${snap}`, '--json');
    assert.equal((JSON.parse(r.out) as unknown[]).length, 1);
    r = await run('snapshots', '--json');
    assert.equal((JSON.parse(r.out) as unknown[]).length, 1);
    r = await run('log', 'verify');
    assert.equal(r.code, 0, r.out);
  });
});

test('CLI: annotations export and merge between two stores', async () => {
  const dir = tmpDir();
  const a = path.join(dir, 'a.db');
  const b = path.join(dir, 'b.db');
  const it = vmItem('rg1', 'vm1');
  for (const f of [a, b]) {
    const s = openStore(f);
    addSnapshot(s, [it]);
    s.close();
  }
  const exportFile = path.join(dir, 'alice.json');
  await withEnv({ VAULTPROOF_NOW: '2025-06-10T12:00:00Z', VAULTPROOF_USER: 'alice' }, async () => {
    assert.equal(await runCli(['annotate', it.key, '--owner', 'Bob', '--store', a], io()), 0);
    const o = io();
    assert.equal(await runCli(['annotations', 'export', exportFile, '--store', a, '--json'], o), 0, o.err);
    assert.equal((JSON.parse(o.out) as { entries: number }).entries, 1);
  });
  await withEnv({ VAULTPROOF_NOW: '2025-06-11T12:00:00Z', VAULTPROOF_USER: 'bob' }, async () => {
    assert.equal(await runCli(['annotate', it.key, '--owner', 'Carol', '--store', b], io()), 0);
    const o = io();
    assert.equal(await runCli(['annotations', 'merge', exportFile, '--store', b], o), 0, o.err);
    assert.match(o.out, /1 conflicts/);
    assert.match(o.out, /CONFLICT .* owner: local "Carol" \(bob at 2025-06-11T12:00:00.000Z\) vs incoming "Bob" \(alice at 2025-06-10T12:00:00.000Z\) → local wins/);
    const l = io();
    await runCli(['annotations', '--json', '--store', b], l);
    assert.equal((JSON.parse(l.out) as Array<{ owner: string }>)[0]!.owner, 'Carol');
  });
});
