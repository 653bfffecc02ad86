/** The "Alert routing" PDF section (pdftotext) and workbook sheet (LibreOffice) of a real pack. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { normaliseActionGroup } from '../../shared/domain/normalise/monitoring.ts';
import type { AlertProcessingRuleRecord } from '../../shared/domain/types.ts';
import { buildPack } from '../../electron/core/packs/build.ts';
import { openStore } from '../../electron/core/store/store.ts';
import { tempDir } from '../harness/cli.ts';
import { vault, vmItem } from '../analysis/estate.ts';

const groups = (JSON.parse(fs.readFileSync(new URL('../fixtures/alerts/arm-action-groups.json', import.meta.url), 'utf8')) as { value: Array<Record<string, unknown> & { id: string }> }).value.map((g) =>
  normaliseActionGroup(g, g.id),
);
const sample = groups.find((g) => g.name === 'SampleActionGroup')!;

test('the pack says per vault who hears a failed backup', async () => {
  const dir = tempDir('vp-alerts-pack-');
  const store = openStore(path.join(dir, 'store', 'v.db'));
  try {
    const prod = { ...vault('rsv-prod'), monitoringSettings: { jobFailureAlerts: 'Enabled', classicCriticalOperationAlerts: null } };
    const dev = { ...vault('rsv-dev'), monitoringSettings: { jobFailureAlerts: 'Disabled', classicCriticalOperationAlerts: null } };
    const id = `${prod.id.split('/resourceGroups/')[0]}/resourceGroups/rg-monitor/providers/Microsoft.AlertsManagement/actionRules/backup-to-ops`;
    const rule: AlertProcessingRuleRecord = { key: id.toLowerCase(), id, name: 'backup-to-ops', subscriptionId: null, resourceGroup: 'rg-monitor', enabled: true, description: null, scopes: [prod.id], conditions: [], actions: [{ actionType: 'AddActionGroups', actionGroupIds: [sample.id] }], scheduled: false };
    const it = vmItem('vm-1', { vault: 'rsv-prod' });
    const w = store.snapshots.begin(Date.parse('2025-03-10T12:00:00.000Z'));
    w.add({ type: 'item', key: it.key, data: it, raw: { id: it.id } });
    for (const v of [prod, dev]) w.add({ type: 'vault', key: v.key, data: v, raw: { id: v.id } });
    for (const g of groups) w.add({ type: 'actionGroup', key: g.key, data: g, raw: { id: g.id } });
    w.add({ type: 'alertProcessingRule', key: rule.key, data: rule, raw: { id: rule.id } });
    const s = w.commit({ label: null, createdAt: '2025-03-10T12:00:00.000Z', asOf: '2025-03-10T12:00:00.000Z', source: 'import', complete: true, provenance: { toolVersion: 'test', source: 'import', user: 't', createdAt: '2025-03-10T12:00:00.000Z', asOfSource: 'option', tenants: [], subscriptions: [] }, coverage: [] });
    const out = path.join(dir, 'pack');
    await buildPack(store, { snapshot: s.id, out, signer: { kind: 'local', identity: 'alerts', commonName: 'Alerts Tester' }, passphrase: 'alerts passphrase' }, { now: new Date('2025-03-11T09:00:00Z'), user: 'tester', toolVersion: '0.0.0-test' });

    const pdf = execFileSync('pdftotext', ['-layout', path.join(out, 'report.pdf'), '-'], { encoding: 'utf8' });
    const start = pdf.indexOf('Alert routing');
    assert.ok(start >= 0, 'the PDF has the section');
    const section = pdf.slice(start, start + 3000).replace(/\s+/g, ' ');
    assert.match(section, /From 2 action group\(s\) and 1 alert processing rule\(s\)/);
    assert.match(section, /rsv-dev Disabled no one built-in Azure Monitor alerts for job failures are off/);
    assert.match(section, /rsv-prod Enabled a receiver/);
    assert.ok(section.includes('johndoe@email.com'), section);

    const csvDir = path.join(dir, 'csv');
    spawnSync('soffice', ['--headless', `-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`, '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1', '--outdir', csvDir, path.join(out, 'workbook.xlsx')], { encoding: 'utf8', timeout: 120_000 });
    const rows = parse(fs.readFileSync(path.join(csvDir, 'workbook-Alert routing.csv'), 'utf8'), { relax_column_count: true }) as string[][];
    assert.deepEqual(rows[0], ['Vault', 'Job-failure alerts', 'Failures reach', 'Why', 'Receiver kind', 'Receiver', 'Address / target', 'Action group', 'Alert processing rule']);
    // rsv-dev: one row, nobody; rsv-prod: its 4 enabled receivers (John's email, Jane's SMS, two webhooks).
    assert.deepEqual(rows.slice(1).map((r) => [r[0], r[2], r[4]]), [['rsv-dev', 'no one', ''], ['rsv-prod', 'a receiver', 'email'], ['rsv-prod', 'a receiver', 'sms'], ['rsv-prod', 'a receiver', 'webhook'], ['rsv-prod', 'a receiver', 'webhook']]);
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a pack compared with a baseline says which vault now reaches no one (the demo estate)', async () => {
  const dir = tempDir('vp-alerts-demo-');
  const store = openStore(path.join(dir, 'store', 'v.db'));
  try {
    const { importFiles } = await import('../../electron/core/import/index.ts');
    const demo = path.join(import.meta.dirname, '..', '..', 'assets', 'demo');
    const ids: string[] = [];
    for (const [folder, asOf] of [['2025-09-30', '2025-09-30T06:00:00Z'], ['2025-10-30', '2025-10-30T06:00:00Z']] as const) {
      const files = fs.readdirSync(path.join(demo, folder)).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(demo, folder, f));
      ids.push((await importFiles(store, files, { asOf, now: new Date('2025-11-01T00:00:00Z'), user: 't' })).snapshotId);
    }
    const out = path.join(dir, 'pack');
    await buildPack(store, { snapshot: ids[1]!, compare: ids[0]!, out, signer: { kind: 'local', identity: 'alerts', commonName: 'Alerts Tester' }, passphrase: 'alerts passphrase' }, { now: new Date('2025-11-01T09:00:00Z'), user: 'tester', toolVersion: '0.0.0-test' });
    const pdf = execFileSync('pdftotext', ['-layout', path.join(out, 'report.pdf'), '-'], { encoding: 'utf8' });
    const flat = pdf.slice(pdf.indexOf('Alert routing')).replace(/\s+/g, ' ');
    // September's rule covered rg-backup (both vaults); October's covers rsv-prod-weu only.
    assert.match(flat, /rsv-dev-weu Enabled no one no alert processing rule covers the vault/);
    assert.match(flat, /Changes in alert routing since the baseline rsv-dev-weu: failure alerts now reach no one \(no alert processing rule covers the vault, so its alerts go to no action group\); 3 receiver\(s\) fewer/);
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
