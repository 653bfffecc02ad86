/**
 * Access evidence on every surface of a pack and the CLI: the PDF section read
 * back with pdftotext, the workbook's Access sheet read back with LibreOffice,
 * `vaultproof access`, and `pack --redact-principals`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { cli, fixtures, tempDir } from '../harness/cli.ts';

const root = path.join(fixtures, '..', '..');
const demo = (name: string) => path.join(root, 'assets', 'demo', '2025-10-30', name);
const acc = (name: string) => path.join(fixtures, 'access', name);
const env = { VAULTPROOF_NOW: '2026-11-24T10:00:00Z', VAULTPROOF_USER: 'auditor1', VP_PASS: 'correct horse battery staple' };

async function estate(dir: string): Promise<string> {
  const store = path.join(dir, 'v.db');
  const files = [demo('protected-items-rsv-prod-weu.json'), demo('protected-items-rsv-dev-weu.json'), demo('vault-rsv-prod-weu.json'), demo('vault-rsv-dev-weu.json'), acc('az-role-assignments.json'), acc('az-role-definitions-custom.json')];
  const imp = await cli(['import', ...files, '--as-of', '2025-10-30T06:00:00Z', '--store', store, '--json'], env);
  assert.equal(imp.code, 0, imp.stderr);
  return store;
}

test('vaultproof access lists, per vault, who can delete and from which scope', async () => {
  const store = await estate(tempDir('vp-access-cli-'));
  const r = await cli(['access', 'latest', '--vault', 'rsv-prod-weu', '--store', store], env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /can delete backup data: 4 principal\(s\)/);
  assert.match(r.stdout, /alice@contoso\.com \(User\) — Owner at subscription 5b1f4c2a-7d3e-4f60-9a8b-1c2d3e4f5a6b/);
  assert.match(r.stdout, /bob@contoso\.com \(User\) — Backup Item Deleter \(custom\) at this vault/);
  assert.match(r.stdout, /Resource Guard \(MUA\): none/);
  const j = await cli(['access', 'latest', '--store', store, '--json'], env);
  const report = JSON.parse(j.stdout) as { assignments: number; vaults: Array<{ vaultName: string; principalCounts: Record<string, number> }> };
  assert.equal(report.assignments, 9);
  assert.deepEqual(report.vaults.map((v) => [v.vaultName, v.principalCounts.deleteBackupData, v.principalCounts.restore]), [['rsv-dev-weu', 3, 4], ['rsv-prod-weu', 4, 4]]);
  const bad = await cli(['access', 'latest', '--vault', 'nope', '--store', store], env);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /--vault.*no vault named "nope"/);
});

test('the PDF "Access evidence" section and the workbook "Access" sheet show each principal; --redact-principals replaces names and ids with per-pack pseudonyms', async () => {
  const dir = tempDir('vp-access-pack-');
  const store = await estate(dir);
  const out = path.join(dir, 'pack');
  const p = await cli(['pack', 'latest', '--out', out, '--sign-self-signed', '--passphrase-env', 'VP_PASS', '--store', store, '--json'], env);
  assert.equal(p.code, 0, p.stderr);

  // The snapshot data file carries the role assignments under the content hash, and verify recomputes it.
  const v = await cli(['verify', out], env);
  assert.equal(v.code, 0, v.stdout + v.stderr);
  assert.match(v.stdout, /content hash recomputed and matching/);

  const pdf = execFileSync('pdftotext', ['-layout', path.join(out, 'report.pdf'), '-'], { encoding: 'utf8' });
  const section = pdf.slice(pdf.indexOf('Access evidence'));
  assert.ok(pdf.includes('Access evidence'), 'the PDF has the section');
  const flat = section.replace(/\s+/g, ' ');
  assert.match(flat, /From 9 role assignment\(s\)/);
  assert.match(flat, /rsv-prod-weu — Recovery Services vault/);
  assert.match(flat, /Resource Guard \(MUA\) none: one person can delete alone/);
  assert.match(flat, /Can delete backup data 4 principal\(s\)/);
  assert.ok(flat.includes('bob@contoso.com'));
  // Table cells wrap: the inherited-from cell of the management-group Owner reads "management group" then "mg-contoso".
  assert.match(flat, /mg\.admin@contoso\.com .*?Owner management group .*?mg-contoso/);

  const csv = path.join(dir, 'csv');
  spawnSync('soffice', ['--headless', `-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`, '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1', '--outdir', csv, path.join(out, 'workbook.xlsx')], { encoding: 'utf8', timeout: 120_000 });
  const rows = parse(fs.readFileSync(path.join(csv, 'workbook-Access.csv'), 'utf8'), { relax_column_count: true }) as string[][];
  assert.equal(rows[0]![0], 'Vault');
  const alice = rows.find((r) => r[0] === 'rsv-prod-weu' && r[2] === 'alice@contoso.com')!;
  // Vault, kind, name, object id, type, guest, role, custom, scope, inherited from, delete, stop, change, restore, grant, MUA, immutability, soft delete.
  assert.deepEqual(alice, ['rsv-prod-weu', 'Recovery Services', 'alice@contoso.com', '11111111-aaaa-4bbb-8ccc-000000000002', 'User', 'no', 'Owner', 'no', '/subscriptions/5b1f4c2a-7d3e-4f60-9a8b-1c2d3e4f5a6b', 'subscription 5b1f4c2a-7d3e-4f60-9a8b-1c2d3e4f5a6b', 'yes', 'yes', 'yes', 'yes', 'yes', 'no', 'Disabled', 'Enabled']);
  const carol = rows.find((r) => r[2] === 'carol@contoso.com')!;
  assert.deepEqual(carol.slice(10, 15), ['no', 'yes', 'yes', 'yes', 'no']);
  const dave = rows.find((r) => r[2]?.startsWith('dave_'))!;
  assert.equal(dave[5], 'yes');

  const red = path.join(dir, 'pack-redacted');
  const q = await cli(['pack', 'latest', '--out', red, '--redact-principals', '--sign-self-signed', '--passphrase-env', 'VP_PASS', '--store', store, '--json'], env);
  assert.equal(q.code, 0, q.stderr);
  const rpdf = execFileSync('pdftotext', ['-layout', path.join(red, 'report.pdf'), '-'], { encoding: 'utf8' });
  const rsection = rpdf.slice(rpdf.indexOf('Access evidence'));
  for (const name of ['alice@contoso.com', 'bob@contoso.com', 'Backup Admins', '11111111-aaaa-4bbb-8ccc-000000000002']) assert.ok(!rsection.includes(name), `redacted PDF section shows ${name}`);
  assert.match(rsection, /per-pack pseudonyms/);
  const findings = JSON.parse(fs.readFileSync(path.join(red, 'data/findings.json'), 'utf8')) as { findings: Array<{ rule: string; evidence: { vault: string; principals?: Array<{ objectId: string; name: string; role: string }> } }> };
  const over = findings.findings.filter((f) => f.rule === 'access-delete-over-limit');
  const aliases = over.flatMap((f) => f.evidence.principals ?? []);
  assert.ok(aliases.length > 0);
  for (const a of aliases) {
    assert.match(a.objectId, /^principal-[0-9a-f]{12}$/);
    assert.equal(a.name, a.objectId);
  }
  // Stable within the pack: the subscription Owner is one pseudonym in both vaults' findings.
  const owners = over.map((f) => f.evidence.principals!.filter((x) => x.role === 'Owner').map((x) => x.objectId).sort());
  assert.deepEqual(owners[0], owners[1]);
  assert.ok(!JSON.stringify(findings).includes('alice@contoso.com'));
});

test('a pack compared with a baseline says who gained delete rights since', async () => {
  const dir = tempDir('vp-access-pack-diff-');
  const store = path.join(dir, 'v.db');
  const ids: string[] = [];
  for (const day of ['2025-09-30', '2025-10-30']) {
    const d = path.join(root, 'assets', 'demo', day);
    const files = fs.readdirSync(d).filter((f) => f.endsWith('.json')).map((f) => path.join(d, f));
    const r = await cli(['import', ...files, '--as-of', `${day}T06:00:00Z`, '--store', store, '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    ids.push((JSON.parse(r.stdout) as { snapshotId: string }).snapshotId);
  }
  const out = path.join(dir, 'pack');
  const p = await cli(['pack', ids[1]!, '--compare', ids[0]!, '--out', out, '--sign-self-signed', '--passphrase-env', 'VP_PASS', '--store', store, '--json'], env);
  assert.equal(p.code, 0, p.stderr);
  const pdf = execFileSync('pdftotext', [path.join(out, 'report.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  assert.match(pdf, /Changes in access since the baseline/);
  assert.match(pdf, /1 more principal can delete backup data in rsv-prod-weu \(2 → 3\): \+ a\.lindqvist@contoso\.com \(Backup Contributor\)/);
});
