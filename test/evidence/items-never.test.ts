/**
 * `items --json` and `show` say "never backed up" exactly where the findings
 * do (issue 13 item 2): a Backup vault instance states no last backup of its
 * own, its jobs in the same snapshot do, so the stored `neverBackedUp` (what
 * the instance alone stated) is judged again with the jobs at read time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cli, tempDir } from '../harness/cli.ts';
import { TRUTH_DIR } from './truth.ts';

type Row = { name: string; key: string; neverBackedUp: boolean; lastBackupTime: string | null };

test('a Backup vault instance with a completed backup job is not never-backed-up in items --json, show or findings; one with no job and no point is, in all three', async () => {
  const dir = tempDir('vp-items-never-');
  const store = path.join(dir, 'v.db');
  // The Resource Graph fixture (test/fixtures/truth/SOURCES.md). By hand: aks-prod-1 and pgdb1-1 both state
  // 0001-01-01 ("none") for every recoveryPointInfo field, so as normalised alone each is never backed up.
  // Keep those two instances, and give aks-prod-1 one finished job: Backup, Completed, 2025-10-28T03:00:00Z.
  const arg = JSON.parse(fs.readFileSync(path.join(TRUTH_DIR, 'backup-vault.arg.json'), 'utf8')) as { data: Array<{ name: string; type: string; properties: Record<string, unknown> }> };
  const aksJob = arg.data.find((r) => r.name === '1d1c8f5e-0000-4000-8000-000000000003')!;
  aksJob.properties.status = 'Completed';
  const data = [...arg.data.filter((r) => r.name === 'aks-prod-1' || r.name === 'pgdb1-1'), aksJob];
  const file = path.join(dir, 'bv.arg.json');
  fs.writeFileSync(file, JSON.stringify({ totalRecords: data.length, count: data.length, resultTruncated: 'false', data }));

  const env = { VAULTPROOF_NOW: '2025-10-28T12:00:00Z' };
  const imp = await cli(['import', file, '--as-of', '2025-10-28T12:00:00Z', '--store', store, '--json'], env);
  assert.equal(imp.code, 0, imp.stderr);

  const items = await cli(['items', 'latest', '--store', store, '--json'], env);
  assert.equal(items.code, 0, items.stderr);
  const rows = JSON.parse(items.stdout) as Row[];
  const byName = new Map(rows.map((r) => [r.name, r]));
  assert.deepEqual([...byName.keys()].sort(), ['aks-prod\\ns-payments', 'pgdb1']);
  const aks = byName.get('aks-prod\\ns-payments')!;
  const pg = byName.get('pgdb1')!;
  assert.equal(aks.neverBackedUp, false, 'the completed job at 03:00 is a backup');
  assert.equal(pg.neverBackedUp, true, 'no job, no recovery point in any region');
  // The other fields are the stored record, still what the instance's own JSON says (it states no last backup).
  assert.equal(aks.lastBackupTime, null);

  for (const [row, want] of [[aks, false], [pg, true]] as const) {
    const show = await cli(['show', 'latest', row.key, '--store', store, '--json'], env);
    assert.equal(show.code, 0, show.stderr);
    assert.equal((JSON.parse(show.stdout) as { item: Row }).item.neverBackedUp, want, `show ${row.name}`);
  }

  const f = await cli(['findings', 'latest', '--store', store, '--json'], env);
  assert.equal(f.code, 0, f.stderr);
  const findings = (JSON.parse(f.stdout) as { findings: Array<{ rule: string; key: string }> }).findings;
  const never = findings.filter((x) => x.rule === 'never-backed-up' || x.rule === 'ir-pending-too-long').map((x) => x.key);
  assert.deepEqual(never, [pg.key], 'the findings and items --json name the same never-backed-up items');
});
