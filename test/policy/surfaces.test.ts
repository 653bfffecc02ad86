/** Azure Policy evidence on the CLI (`vaultproof policy`), in the PDF (pdftotext) and the workbook (LibreOffice). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { PolicyReport } from '../../shared/contract/methods/policy.ts';
import { normalisePolicyState, policyStateKey } from '../../shared/domain/normalise/monitoring.ts';
import { buildPack } from '../../electron/core/packs/build.ts';
import { openStore } from '../../electron/core/store/store.ts';
import { cli, tempDir } from '../harness/cli.ts';
import { SUB, vault, vmItem } from '../analysis/estate.ts';

const raw = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'policy', 'az-policy-states-backup.json'), 'utf8')) as Array<Record<string, unknown>>;

test('vaultproof policy, the PDF section and the workbook sheet say where Azure Policy and the items disagree', async () => {
  const dir = tempDir('vp-policy-surfaces-');
  const storePath = path.join(dir, 'store', 'v.db');
  const store = openStore(storePath);
  let id: string;
  try {
    const w = store.snapshots.begin(Date.parse('2025-03-10T12:00:00.000Z'));
    for (const it of [vmItem('a'), vmItem('b')]) w.add({ type: 'item', key: it.key, data: it, raw: { id: it.id } });
    const v = vault('vault1');
    w.add({ type: 'vault', key: v.key, data: v, raw: { id: v.id } });
    for (const r of raw) {
      const key = policyStateKey(r)!;
      w.add({ type: 'policyState', key, data: normalisePolicyState(r, key), raw: r });
    }
    id = w.commit({ label: null, createdAt: '2025-03-10T12:00:00.000Z', asOf: '2025-03-10T12:00:00.000Z', source: 'import', complete: true, provenance: { toolVersion: 'test', source: 'import', user: 't', createdAt: '2025-03-10T12:00:00.000Z', asOfSource: 'option', tenants: [], subscriptions: [SUB] }, coverage: [] }).id;
    await buildPack(store, { snapshot: id, out: path.join(dir, 'pack'), signer: { kind: 'local', identity: 'policy', commonName: 'Policy Tester' }, passphrase: 'policy passphrase' }, { now: new Date('2025-03-11T09:00:00Z'), user: 'tester', toolVersion: '0.0.0-test' });
  } finally {
    store.close();
  }
  // 7 states, 6 for known backup definitions. Items protect VMs a and b only (no share item here):
  // a NonCompliant+protected (disagrees), b Compliant+protected (agrees), c Compliant+none (disagrees), d NonCompliant+none (agrees),
  // e Compliant in another subscription (not checked), finance-share NonCompliant+none (agrees).
  const j = await cli(['policy', id, '--store', storePath, '--json']);
  assert.equal(j.code, 0, j.stderr);
  const r = JSON.parse(j.stdout) as PolicyReport;
  assert.deepEqual([r.states, r.backupStates, r.agree, r.disagree, r.notChecked], [7, 6, 3, 2, 1]);
  const t = await cli(['policy', id, '--store', storePath]);
  assert.match(t.stdout, /agree with the items: 3; disagree: 2; not checked: 1/);
  assert.match(t.stdout, /virtualMachines\/a\n {2}Azure Policy says NOT backed up, but a backup item protects it\n {4}NonCompliant: Azure Backup should be enabled for Virtual Machines \(assignment backup-vms/);

  const out = path.join(dir, 'pack');
  const pdf = execFileSync('pdftotext', ['-layout', path.join(out, 'report.pdf'), '-'], { encoding: 'utf8' });
  const start = pdf.indexOf('Azure Policy evidence');
  assert.ok(start >= 0, 'the PDF has the section');
  const section = pdf.slice(start, start + 2500).replace(/\s+/g, ' ');
  assert.match(section, /7 policy state\(s\), 6 of them for the built-in backup definitions Vaultproof knows\. Against the snapshot's own backup items: 3 agree, 2 disagree, 1 could not be checked/);
  assert.match(section, /\bc Compliant: Azure Backup should be\b/);
  assert.match(section, /\ba NonCompliant: Azure Backup should be\b/);
  assert.match(section, /no backup item/);

  const csvDir = path.join(dir, 'csv');
  spawnSync('soffice', ['--headless', `-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`, '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1', '--outdir', csvDir, path.join(out, 'workbook.xlsx')], { encoding: 'utf8', timeout: 120_000 });
  const rows = parse(fs.readFileSync(path.join(csvDir, 'workbook-Azure Policy.csv'), 'utf8'), { relax_column_count: true }) as string[][];
  assert.deepEqual(rows[0], ['Resource', 'Definition', 'Assignment', 'Compliance state', 'Evaluated (UTC)', 'Against the items', 'Backup items']);
  // In store order (by resource key): subscription …0001 before …0009.
  const verdicts = rows.slice(1).map((x) => [x[0]!.split('/').pop(), x[3], x[5]]);
  assert.deepEqual(verdicts, [
    ['a', 'NonCompliant', 'disagrees'],
    ['b', 'Compliant', 'agrees'],
    ['c', 'Compliant', 'disagrees'],
    ['d', 'NonCompliant', 'agrees'],
    ['finance-share', 'NonCompliant', 'agrees'],
    ['e', 'Compliant', 'not checked'],
  ]);
});
