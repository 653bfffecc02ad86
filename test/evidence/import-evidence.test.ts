/**
 * An import states only what its files can support: no snapshot without
 * items, and a warning when the data carry times after the snapshot's asOf.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { cli, tempDir } from '../harness/cli.ts';
import { TRUTH_DIR } from './truth.ts';

const IMPORT_FIXTURES = path.resolve(import.meta.dirname, '../fixtures/import');
const env = { VAULTPROOF_NOW: '2026-12-01T00:00:00Z', VAULTPROOF_USER: 'auditor1' };

test('files with jobs and a vault but no backup item are refused with exit 1, saying what was found and what to do; nothing is stored', async () => {
  const store = path.join(tempDir('vp-evidence-empty-'), 'v.db');
  const r = await cli(['import', path.join(IMPORT_FIXTURES, 'arm-jobs.json'), path.join(IMPORT_FIXTURES, 'arm-vault.json'), '--as-of', '2026-11-01T00:00:00Z', '--store', store], env);
  assert.equal(r.code, 1, r.stdout);
  // arm-jobs.json holds 1 job, arm-vault.json 1 vault.
  assert.match(r.stderr, /no backup item or backup instance found \(found 1 job\(s\), 1 vault\(s\)\)/);
  assert.match(r.stderr, /import them together with the item list/);
  const list = await cli(['snapshots', '--store', store, '--json'], env);
  assert.deepEqual(JSON.parse(list.stdout), []);
});

test('times after the snapshot asOf are flagged: how many, and the first', async () => {
  const store = path.join(tempDir('vp-evidence-late-'), 'v.db');
  // The real VM list: hiaga-adhoc-vm backed up 2025-10-27T23:08:44Z and pstest-ccy-vm3 at 23:00:53Z, both after 2025-10-27T00:00Z;
  // hiagaNewVm1's last backup (2025-01-12) and recovery point (2024-02-25) are before it.
  const r = await cli(['import', path.join(TRUTH_DIR, 'vm.rest.json'), '--as-of', '2025-10-27T00:00:00Z', '--store', store, '--json'], env);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { warnings: string[] };
  const w = out.warnings.find((x) => /later than the snapshot's asOf/.test(x));
  assert.ok(w, JSON.stringify(out.warnings));
  assert.match(w, /^2 record\(s\) carry a time later than the snapshot's asOf 2025-10-27T00:00:00\.000Z, first item \S+hiaga-adhoc-vm \(last backup 2025-10-27T23:08:44\.445Z\)/);
  assert.match(w, /wrong collection time|different days/);
  // At the recording's own day the same file raises no such warning.
  const ok = await cli(['import', path.join(TRUTH_DIR, 'vm.rest.json'), '--as-of', '2025-10-28T12:00:00Z', '--store', store, '--json'], env);
  assert.deepEqual((JSON.parse(ok.stdout) as { warnings: string[] }).warnings.filter((x) => /later than/.test(x)), []);
});
