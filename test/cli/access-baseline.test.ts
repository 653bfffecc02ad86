/**
 * `vaultproof access SNAPSHOT --baseline SNAPSHOT` (issue 18: the access.report
 * method took a baseline the CLI could not pass). Expected from the demo's
 * role-assignments.json files by hand: the only difference between
 * 2025-09-30 and 2025-10-30 is a.lindqvist@contoso.com (object id
 * a3c1e5f7-0b2d-4e6f-8a9b-1c2d3e4f5a06, User) given Backup Contributor on
 * rsv-prod-weu itself; before that j.keller (Owner at the subscription) and
 * m.osei (Backup Contributor at rg-backup) could delete backup data there.
 * Nobody lost a right, and nothing changed in rsv-dev-weu.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { cli, repoRoot, tempDir } from '../harness/cli.ts';

const env = { VAULTPROOF_NOW: '2026-11-24T10:00:00Z', VAULTPROOF_USER: 'auditor1' };

async function importDemo(store: string, day: string): Promise<string> {
  const dir = path.join(repoRoot, 'assets', 'demo', day);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => path.join(dir, f));
  const r = await cli(['import', ...files, '--as-of', `${day}T06:00:00Z`, '--store', store, '--json'], env);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { snapshotId: string }).snapshotId;
}

test('access --baseline prints who gained or lost which right since the baseline; without it, no change section', async () => {
  const store = path.join(tempDir('vp-access-baseline-'), 's.db');
  const before = await importDemo(store, '2025-09-30');
  const after = await importDemo(store, '2025-10-30');

  const r = await cli(['access', after, '--baseline', before, '--store', store], env);
  assert.equal(r.code, 0, r.stderr);
  const section = r.stdout.slice(r.stdout.indexOf(`\nchanges since baseline ${before}: `));
  assert.ok(section.length < r.stdout.length, `no change section in:\n${r.stdout}`);
  const lindqvist = '+ a.lindqvist@contoso.com [a3c1e5f7-0b2d-4e6f-8a9b-1c2d3e4f5a06] (Backup Contributor at this vault)';
  assert.ok(section.includes(`1 more principal can delete backup data in rsv-prod-weu (2 → 3)\n    ${lindqvist}\n`), section);
  assert.ok(section.includes(`1 more principal can restore in rsv-prod-weu (2 → 3)\n    ${lindqvist}\n`), section);
  assert.doesNotMatch(section, /^\s+- /m, 'nobody lost a right');
  assert.doesNotMatch(section, /rsv-dev-weu/);

  const plain = await cli(['access', after, '--store', store], env);
  assert.equal(plain.code, 0, plain.stderr);
  assert.doesNotMatch(plain.stdout, /changes since baseline/);

  // --vault narrows the changes too; --json carries them as access.report returns them.
  const dev = JSON.parse((await cli(['access', after, '--baseline', before, '--vault', 'rsv-dev-weu', '--store', store, '--json'], env)).stdout) as { changes: { changes: unknown[] } };
  assert.deepEqual(dev.changes.changes, []);

  const same = await cli(['access', after, '--baseline', after, '--store', store], env);
  assert.equal(same.code, 1);
  assert.match(same.stderr, /--baseline/, 'the error names the flag');
});
