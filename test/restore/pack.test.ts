/**
 * The restore catalog in a real pack: the PDF "Restore readiness" section read
 * back with pdftotext (capped like the appendix) and the workbook's "Restore
 * readiness" sheet read back through LibreOffice, with every item and its commands.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { RecoveryPointRecord } from '../../shared/domain/types.ts';
import { buildPack } from '../../electron/core/packs/build.ts';
import { openStore } from '../../electron/core/store/store.ts';
import { tempDir } from '../harness/cli.ts';
import { policy, vault, vmItem, writeSnapshot } from '../analysis/estate.ts';

function rp(item: { id: string; key: string }, name: string, time: string, tiers: string[]): RecoveryPointRecord {
  const id = `${item.id}/recoveryPoints/${name}`;
  return { key: id.toLowerCase(), id, itemKey: item.key, time, type: 'AppConsistent', tiers, expiryTime: null };
}

test('the PDF section and the workbook sheet carry the restore catalog; the PDF is capped, the workbook lists every item', async () => {
  const dir = tempDir('vp-restore-pack-');
  const store = openStore(path.join(dir, 'store', 'v.db'));
  try {
    const a = vmItem('app-a');
    const b = vmItem('app-b');
    const c = vmItem('app-c', { vault: 'vault2' });
    const s = writeSnapshot(store, {
      asOf: '2025-03-10T12:00:00.000Z',
      items: [a, b, c],
      vaults: [vault('vault1', { crossRegionRestore: true, storageRedundancy: 'GeoRedundant' }), vault('vault2', { crossRegionRestore: false })],
      policies: [policy('vault1', 'DailyPolicy')],
      recoveryPoints: [
        rp(a, '901', '2025-03-10T02:00:00.000Z', ['InstantRP', 'HardenedRP']),
        rp(a, '900', '2025-03-09T02:00:00.000Z', ['HardenedRP']),
        rp(a, '800', '2024-12-01T02:00:00.000Z', ['ArchivedRP']),
        rp(b, '700', '2025-03-08T02:00:00.000Z', ['HardenedRP']),
      ],
    });
    const out = path.join(dir, 'pack');
    await buildPack(
      store,
      { snapshot: s.id, out, appendixCap: 2, signer: { kind: 'local', identity: 'restore', commonName: 'Restore Tester' }, passphrase: 'restore passphrase' },
      { now: new Date('2025-03-11T09:00:00Z'), user: 'tester', toolVersion: '0.0.0-test' },
    );

    const pdf = execFileSync('pdftotext', ['-layout', path.join(out, 'report.pdf'), '-'], { encoding: 'utf8' });
    const start = pdf.indexOf('Restore readiness');
    assert.ok(start >= 0, 'the PDF has the section');
    const section = pdf.slice(start, pdf.indexOf('Item appendix', start)).replace(/\s+/g, ' ');
    assert.match(section, /The first 2 of 3 items, by key/);
    // app-a: newest point 10 March 02:00; snapshot tier one point; vault-standard two (9 and 10 March); archive one (1 Dec).
    assert.match(section, /app-a .*?2025-03-10 02:00/);
    assert.match(section, /snapshot 2025-03-10 02:00 \(1\)/);
    assert.match(section, /vault 2025-03-09 02:00 to 2025-03-10 02:00 \(2\)/);
    assert.match(section, /archive 2024-12-01 02:00 \(1\)/);
    // vault1 has cross-region restore on, but no secondary-region point was listed.
    assert.match(section, /on; not listed/);
    // The options cell wraps, so pdftotext interleaves its lines with the next row's cells.
    assert.match(section, /Create a new VM; Restore disks;/);
    assert.match(section, /Cross-region restore \(secondary region\)/);
    assert.ok(!section.includes('app-c'), 'the third item is past the cap');

    const csvDir = path.join(dir, 'csv');
    spawnSync(
      'soffice',
      ['--headless', `-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`, '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1', '--outdir', csvDir, path.join(out, 'workbook.xlsx')],
      { encoding: 'utf8', timeout: 120_000 },
    );
    const rows = parse(fs.readFileSync(path.join(csvDir, 'workbook-Restore readiness.csv'), 'utf8'), { relax_column_count: true }) as string[][];
    assert.equal(rows[0]![0], 'Item');
    assert.deepEqual(rows.slice(1).map((r) => r[0]), ['app-a', 'app-b', 'app-c'], 'every item, past the PDF cap');
    const col = (name: string) => rows[0]!.indexOf(name);
    const ra = rows[1]!;
    assert.equal(ra[col('Container')], 'IaasVMContainer;iaasvmcontainerv2;rg-app;app-a');
    assert.equal(ra[col('Points listed')], '3');
    assert.match(ra[col('Latest point (UTC)')]!, /^2025-03-10 02:00(:00)?$/);
    assert.match(ra[col('Oldest point (UTC)')]!, /^2024-12-01 02:00(:00)?$/);
    assert.match(ra[col('Vault-standard oldest')]!, /^2025-03-09 02:00(:00)?$/);
    assert.equal(ra[col('Cross-region restore')], 'on');
    assert.equal(ra[col('Secondary latest')], 'not listed');
    assert.equal(ra[col('Drill outcome')], 'none recorded');
    assert.equal(ra[col('Restore options')], 'Create a new VM; Restore disks; Replace existing disks; File recovery; Cross-region restore (secondary region)');
    assert.equal(
      ra[col('Restore (az)')],
      "az backup restore restore-disks --resource-group rg-backup --vault-name vault1 --container-name 'IaasVMContainer;iaasvmcontainerv2;rg-app;app-a' --item-name 'VM;iaasvmcontainerv2;rg-app;app-a' --rp-name 901 --storage-account <staging-storage-account> --target-resource-group <target-resource-group>",
    );
    // app-c's vault has no listed points: the sheet says so instead of showing none.
    const rc = rows[3]!;
    assert.equal(rc[col('Points listed')], '');
    assert.match(rc[col('Notes')]!, /recovery points not listed for this vault/);
    assert.match(rc[col('Show latest point (az)')]!, /--name <recovery-point-name>/);
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
