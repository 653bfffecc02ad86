import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { cli, fixtures } from '../harness/cli.ts';
import { policy, tmpStore, vault, vmItem, writeSnapshot } from './estate.ts';

const env = { VAULTPROOF_NOW: '2025-03-12T09:00:00Z', VAULTPROOF_USER: 'auditor1' };

function estate(): { file: string; a: string; b: string; late: string } {
  const { store, dir } = tmpStore('vp-cli-analysis-');
  try {
    const keep = vmItem('keep');
    const late = vmItem('late', { lastBackupTime: '2025-03-01T00:00:00.000Z', lastRecoveryPoint: '2025-03-01T00:00:00.000Z' });
    const gone = vmItem('gone');
    const a = writeSnapshot(store, { asOf: '2025-03-09T12:00:00.000Z', items: [keep, late, gone], vaults: [vault('vault1')], policies: [policy('vault1', 'DailyPolicy')] });
    const b = writeSnapshot(store, {
      asOf: '2025-03-10T12:00:00.000Z',
      items: [keep, { ...late, healthStatus: 'ActionRequired' }, vmItem('added')],
      vaults: [vault('vault1')],
      policies: [policy('vault1', 'DailyPolicy')],
    });
    return { file: path.join(dir, 'v.db'), a: a.id, b: b.id, late: late.key };
  } finally {
    store.close();
  }
}

test('diff --json: added, removed with reasons, changed fields, unchanged count (then roll-ups)', async () => {
  const s = estate();
  const r = await cli(['diff', s.a, s.b, '--store', s.file, '--json'], env);
  assert.equal(r.code, 0, r.stderr);
  const d = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.deepEqual(Object.keys(d).slice(0, 4), ['added', 'removed', 'changed', 'unchanged']);
  assert.deepEqual(d.added, [vmItem('added').key]);
  assert.deepEqual(d.removed, [{ key: vmItem('gone').key, reason: 'gone' }]);
  assert.deepEqual(d.changed, [{ key: s.late, fields: { healthStatus: { before: 'Passed', after: 'ActionRequired' } } }]);
  assert.equal(d.unchanged, 1);
});

test('findings --json and --fail-on: exit 3 when findings at or above the severity are not excepted; an exception clears the gate', async () => {
  const s = estate();
  const r = await cli(['findings', s.b, '--store', s.file, '--json', '--fail-on', 'high'], env);
  assert.equal(r.code, 3, r.stderr);
  const f = JSON.parse(r.stdout) as { asOf: string; profileHash: string; findings: Array<Record<string, unknown>>; notEvaluated: Array<{ rule: string; reason: string }> };
  assert.deepEqual(Object.keys(f).slice(0, 4), ['asOf', 'profileHash', 'findings', 'notEvaluated']);
  assert.equal(f.asOf, '2025-03-10T12:00:00.000Z');
  assert.match(f.profileHash, /^[0-9a-f]{64}$/);
  const rpo = f.findings.find((x) => x.rule === 'rpo-breach')!;
  assert.deepEqual(Object.keys(rpo).slice(0, 8), ['rule', 'severity', 'key', 'title', 'controls', 'evidence', 'excepted', 'target']);
  assert.equal(rpo.key, s.late);
  assert.ok(f.notEvaluated.some((n) => n.rule === 'unprotected-workload'));
  assert.equal((await cli(['findings', s.b, '--store', s.file, '--fail-on', 'critical'], env)).code, 0);

  const ann = await cli(['annotate', s.late, '--exception', 'rpo-breach', '--justification', 'migration window', '--approver', 'CISO', '--expires', '2025-04-01', '--store', s.file], env);
  assert.equal(ann.code, 0, ann.stderr);
  const again = await cli(['findings', s.b, '--store', s.file, '--json', '--fail-on', 'high'], env);
  assert.equal(again.code, 0, 'the only high finding is excepted now');
  const excepted = (JSON.parse(again.stdout) as { findings: Array<{ rule: string; excepted: boolean }> }).findings.find((x) => x.rule === 'rpo-breach')!;
  assert.equal(excepted.excepted, true, 'still listed, marked excepted');
  const bad = await cli(['findings', s.b, '--store', s.file, '--fail-on', 'severe'], env);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--fail-on "severe": expected one of critical, high, medium, low, info/);
});

test('cost --json with --compare and --sizes; sample; sizes import; reconcile', async () => {
  const s = estate();
  const imp = await cli(['sizes', 'import', path.join(fixtures, 'analysis', 'backup-items-report.csv'), '--store', s.file, '--json'], env);
  assert.equal(imp.code, 0, imp.stderr);
  const ds = JSON.parse(imp.stdout) as { id: string; rowCount: number };
  assert.equal(ds.rowCount, 6);

  const c = await cli(['cost', s.b, '--compare', s.a, '--sizes', ds.id, '--store', s.file, '--json'], env);
  assert.equal(c.code, 0, c.stderr);
  const cost = JSON.parse(c.stdout) as { currency: string; total: number | null; unknownSize: number; items: Array<Record<string, unknown>>; byVault: unknown[]; delta: { retired: { count: number } } };
  assert.deepEqual(Object.keys(cost).slice(0, 6), ['currency', 'total', 'unknownSize', 'items', 'byVault', 'delta']);
  assert.deepEqual(Object.keys(cost.items[0]!).slice(0, 6), ['key', 'frontEndGb', 'storageGb', 'instanceFee', 'storageCost', 'total']);
  assert.equal(cost.currency, 'USD');
  assert.equal(cost.unknownSize, 3, 'no size is known for keep, late and added');
  // Nothing is priced: the total is unknown (null), never $0.00; so is the delta.
  assert.equal(cost.total, null);
  assert.equal((cost as unknown as { pricedItems: number; billableItems: number }).pricedItems, 0);
  assert.equal((cost as unknown as { billableItems: number }).billableItems, 3);
  assert.equal((cost.delta as unknown as { change: number | null }).change, null);
  assert.equal(cost.delta.retired.count, 1);

  const sm = await cli(['sample', s.b, '--size', '2', '--seed', 'q1-2025', '--stratify', 'vault', '--store', s.file, '--json'], env);
  assert.equal(sm.code, 0, sm.stderr);
  const sample = JSON.parse(sm.stdout) as { size: number; seed: string; method: string };
  assert.deepEqual([sample.size, sample.seed], [2, 'q1-2025']);
  assert.match(sample.method, /^vaultproof\.sample\/1/);
  assert.equal((await cli(['sample', s.b, '--size', 'two', '--seed', 'x', '--store', s.file], env)).code, 1);

  const rec = await cli(['reconcile', path.join(fixtures, 'analysis', 'cost-export.csv'), '--snapshot', s.b, '--store', s.file, '--json'], env);
  assert.equal(rec.code, 0, rec.stderr);
  const rr = JSON.parse(rec.stdout) as { rows: Array<{ status: string }>; billing: { id: string } };
  assert.ok(rr.rows.length >= 3);
  assert.equal((await cli(['reconcile', rr.billing.id, '--store', s.file], env)).code, 1, 'a snapshot is required');
});

test('works on a snapshot made by the real importer: inputs it lacks are reported as not evaluated', async () => {
  const { dir } = tmpStore('vp-cli-analysis-');
  const file = path.join(dir, 'imp.db');
  const imp = await cli(['import', path.join(fixtures, 'import', 'arm-items-iaasvm.json'), '--as-of', '2025-03-10T00:00:00Z', '--store', file, '--json'], env);
  assert.equal(imp.code, 0, imp.stderr);
  const { snapshotId } = JSON.parse(imp.stdout) as { snapshotId: string };
  const r = await cli(['findings', snapshotId, '--store', file, '--json'], env);
  assert.equal(r.code, 0, r.stderr);
  const f = JSON.parse(r.stdout) as { findings: unknown[]; notEvaluated: Array<{ rule: string; reason: string }> };
  const reasons = Object.fromEntries(f.notEvaluated.map((n) => [n.rule, n.reason]));
  assert.match(reasons['orphaned-item'] ?? '', /no workload inventory/);
  assert.match(reasons['retention-below-minimum'] ?? '', /no backup policy records/);
  assert.match(reasons['vault-soft-delete-disabled'] ?? '', /no vault records/);
  assert.ok(f.findings.length > 0);
});
