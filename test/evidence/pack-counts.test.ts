/**
 * One mixed real estate (every truth fixture in one import): the counts a
 * reader sees on the PDF cover and the workbook Summary agree with the
 * findings, because both use the domain's definitions (backup-state.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { cli, tempDir } from '../harness/cli.ts';
import { TRUTH_DIR } from './truth.ts';

const FILES = ['vm.rest.json', 'vm-irpending.rest.json', 'sql-in-vm.rest.json', 'azure-files.rest.json', 'sap-hana.rest.json', 'legacy-azure-sql.rest.json', 'bv-disk.rest.json', 'bv-blob-aks.rest.json', 'backup-vault.arg.json'];

test('PDF "Last backup failed", workbook Summary and findings agree on one mixed estate; both say an import is only as complete as stated', async () => {
  const dir = tempDir('vp-evidence-pack-');
  const store = path.join(dir, 'v.db');
  const env = { VAULTPROOF_NOW: '2026-09-01T00:00:00Z', VAULTPROOF_USER: 'auditor1', VP_PASS: 'correct horse battery staple' };
  const imp = await cli(['import', ...FILES.map((f) => path.join(TRUTH_DIR, f)), '--as-of', '2026-09-01T00:00:00Z', '--store', store, '--json'], env);
  assert.equal(imp.code, 0, imp.stderr);
  const out = path.join(dir, 'pack');
  const p = await cli(['pack', 'latest', '--out', out, '--sign-self-signed', '--passphrase-env', 'VP_PASS', '--store', store, '--json'], env);
  assert.equal(p.code, 0, p.stderr);

  const findings = JSON.parse(fs.readFileSync(path.join(out, 'data/findings.json'), 'utf8')) as { findings: Array<{ rule: string }>; assumptions: Array<{ rule: string; note: string }> };
  const n = (rule: string) => findings.findings.filter((f) => f.rule === rule).length;
  // By hand (see truth-table.test.ts): failed = hiagaNewVm1, afs1hrtestfs2 (failed initial backup), TENANTDB (Unhealthy), aks-prod (failed job) = 4.
  assert.equal(n('last-backup-failed'), 4);
  // Never backed up = testVM (placeholder), SYSTEMDB (IRPending, no time), pgdb1 (vault states none) = 3: pgdb1 gets never-backed-up;
  // the two IRPending items have no configure job in the snapshot, so ir-pending-too-long says it did not judge them.
  assert.equal(n('never-backed-up'), 1);
  assert.ok(findings.assumptions.some((a) => a.rule === 'ir-pending-too-long' && /^2 item/.test(a.note)));

  const pdf = execFileSync('pdftotext', ['-layout', path.join(out, 'report.pdf'), '-'], { encoding: 'utf8' });
  const cover = pdf.slice(pdf.indexOf('Executive summary'));
  assert.match(cover, /Last backup failed[\s\S]{0,300}?\b4\b/);
  assert.match(cover, /3 never backed up/);

  const csv = path.join(dir, 'csv');
  spawnSync('soffice', ['--headless', `-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`, '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1', '--outdir', csv, path.join(out, 'workbook.xlsx')], { encoding: 'utf8', timeout: 120_000 });
  const summary = new Map((parse(fs.readFileSync(path.join(csv, 'workbook-Summary.csv'), 'utf8'), { relax_column_count: true }) as string[][]).map((r) => [r[0], r[1]]));
  assert.equal(summary.get('Last backup failed'), '4');
  assert.equal(summary.get('Never backed up'), '3');
  assert.equal(summary.get('Soft-deleted items'), '1');

  // Imported files: the cover and the Summary say the coverage is as the files state it; the PDF never claims a complete collection.
  assert.match(pdf, /IMPORTED: COVERAGE AS STATED/);
  assert.doesNotMatch(pdf, /COMPLETE COLLECTION/);
  assert.match(pdf, /coverage as stated by the files, not verified/);
  assert.match(summary.get('Collection') ?? '', /^Imported from files: the coverage is as the files state it, not verified/);

  // Names that repeat (SQL master and msdb on two servers) carry server and vault in the PDF's lists and the workbook's Items sheet.
  const flat = pdf.replace(/\s+/g, ' ');
  for (const n of ['master (sql-pstest-vm1, hiagaVault)', 'master (sql-pstest-vm2, hiagaVault)', 'msdb (sql-pstest-vm2, hiagaVault)']) assert.ok(flat.includes(n), `PDF lacks ${n}`);
  const items = (parse(fs.readFileSync(path.join(csv, 'workbook-Items.csv'), 'utf8'), { relax_column_count: true }) as string[][]).map((r) => r[0]);
  assert.ok(items.includes('master (sql-pstest-vm1, hiagaVault)') && items.includes('master (sql-pstest-vm2, hiagaVault)'));
  assert.ok(!items.includes('master'), 'a bare repeated name identifies nothing');
  assert.ok(items.includes('mig-db1'), 'a unique name stays as it is');
});
