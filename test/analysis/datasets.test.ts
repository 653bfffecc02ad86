import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { importSizes, listSizes, parseReportTime } from '../../electron/core/analysis/sizes.ts';
import { runCost } from '../../electron/core/analysis/run.ts';
import { runReconcile } from '../../electron/core/analysis/periodic.ts';
import { sha256Hex } from '../../electron/core/store/canonical.ts';
import { itemId, tmpStore, vault, vmItem, writeSnapshot } from './estate.ts';
import type * as ExcelJSTypes from 'exceljs';

const require = createRequire(import.meta.url);
const fixtures = path.resolve(import.meta.dirname, '../fixtures/analysis');
const NOW = new Date('2025-03-12T09:00:00.000Z');

function estate() {
  return {
    asOf: '2025-03-10T12:00:00.000Z',
    items: [vmItem('vm1'), vmItem('vm2'), vmItem('vm3'), vmItem('twin'), vmItem('twin', { vault: 'vault2' })],
    vaults: [vault('vault1'), vault('vault2')],
  };
}

test('report times: ISO and the portal export format', () => {
  assert.equal(parseReportTime('3/9/2025, 11:00:00.000 PM'), '2025-03-09T23:00:00.000Z');
  assert.equal(parseReportTime('3/10/2025, 12:00:00.000 AM'), '2025-03-10T00:00:00.000Z');
  assert.equal(parseReportTime('2025-03-10T01:02:03Z'), '2025-03-10T01:02:03.000Z');
  assert.equal(parseReportTime('yesterday'), null);
});

test('sizes import: a Backup Reports CSV becomes a separate hashed dataset; the snapshot is untouched; cost uses it', async () => {
  const { store } = tmpStore();
  try {
    const snap = writeSnapshot(store, estate());
    const file = path.join(fixtures, 'backup-items-report.csv');
    const ds = await importSizes(store, file, { now: NOW, user: 'auditor' });
    assert.equal(ds.rowCount, 6);
    assert.equal(ds.fileSha256, sha256Hex(fs.readFileSync(file)));
    assert.match(ds.contentHash, /^[0-9a-f]{64}$/);
    assert.equal(ds.columns.frontEnd, 'BackupItemFrontEndSize [MB]');
    const again = await importSizes(store, file, { now: new Date('2025-03-13T00:00:00.000Z'), user: 'auditor' });
    assert.equal(again.id, ds.id, 'the same file imported again is the same dataset');
    assert.match(again.warnings.join(), /already imported/);
    assert.deepEqual(listSizes(store).map((d) => d.id), [ds.id]);
    assert.equal(store.snapshots.resolve(snap.id).contentHash, snap.contentHash, 'the snapshot is unchanged');
    assert.throws(() => store.db.prepare('DELETE FROM sizes_rows').run(), /immutable/);

    const c = runCost(store, snap.id, { sizesId: ds.id.slice(0, 20), annotations: new Map() });
    const by = new Map(c.items.map((i) => [i.name, i]));
    // vm1 (by item id, written without the fabric segment): 40 GB → $5; 100 GB × $0.0448 = $4.48
    assert.deepEqual([by.get('vm1')!.frontEndGb, by.get('vm1')!.storageGb, by.get('vm1')!.total], [40, 100, 9.48]);
    // vm2 (by source VM id, other casing): 600 GB → 2 blocks = $20; 1,048,576 MB = 1,024 GB × 0.0448 = $45.8752 → $45.88
    assert.deepEqual([by.get('vm2')!.frontEndGb, by.get('vm2')!.storageGb, by.get('vm2')!.total], [600, 1024, 65.88]);
    // vm3 (by name in vault1; the 3/10 row is later than the 3/2 one): 2,000 GB → $40; 50 GB → $2.24
    assert.deepEqual([by.get('vm3')!.frontEndGb, by.get('vm3')!.storageGb, by.get('vm3')!.total], [2000, 50, 42.24]);
    assert.equal(by.get('vm3')!.frontEndSource, `sizes:${ds.id}`);
    // Two items have no size, so the total is unknown (null); the priced part is 9.48 + 65.88 + 42.24.
    assert.equal(c.total, null);
    assert.equal(c.pricedTotal, 117.6);
    assert.deepEqual(c.sizesMatch?.matched, { byKey: 1, bySource: 1, byName: 2 });
    // "ghost" matches nothing; "twin" (no vault column value) matches two items
    assert.equal(c.sizesMatch?.unmatchedRows, 1);
    assert.equal(c.sizesMatch?.ambiguousRows, 1);
    assert.equal(c.unknownSize, 2, 'the two twins have no size: unknown, not 0');
  } finally {
    store.close();
  }
});

test('sizes import reads an Excel workbook (title row above the header, GB columns)', async () => {
  const { store, dir } = tmpStore();
  try {
    const ExcelJS = require('exceljs') as typeof ExcelJSTypes;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Backup Items');
    ws.addRow(['Backup Items report']);
    ws.addRow(['Backup Item', 'Vault', 'Backup Item Id', 'Front-end Size (GB)', 'Cloud Storage (GB)']);
    ws.addRow(['vm1', 'vault1', itemId('vault1', 'vm1'), 40, 100]);
    ws.addRow(['vm2', 'vault1', itemId('vault1', 'vm2'), 0.5, null]);
    const file = path.join(dir, 'report.xlsx');
    await wb.xlsx.writeFile(file);
    const ds = await importSizes(store, file, { now: NOW, user: 'auditor' });
    assert.equal(ds.format, 'xlsx');
    assert.equal(ds.rowCount, 2);
    const snap = writeSnapshot(store, estate());
    const c = runCost(store, snap.id, { sizesId: ds.id, annotations: new Map() });
    const by = new Map(c.items.map((i) => [i.name, i]));
    assert.equal(by.get('vm1')!.total, 9.48);
    assert.deepEqual([by.get('vm2')!.frontEndGb, by.get('vm2')!.storageGb, by.get('vm2')!.total], [0.5, 'unknown', 'unknown']);
  } finally {
    store.close();
  }
});

test('sizes import refuses a file without size columns, a size column without a unit, and a non-number, naming file and line', async () => {
  const { store, dir } = tmpStore();
  try {
    const write = (name: string, text: string) => {
      const f = path.join(dir, name);
      fs.writeFileSync(f, text);
      return f;
    };
    await assert.rejects(importSizes(store, write('a.csv', 'Name,Vault\nvm1,vault1\n'), { now: NOW, user: 'u' }), /a\.csv: no size column found/);
    await assert.rejects(importSizes(store, write('b.csv', 'Name,Front-end size\nvm1,5\n'), { now: NOW, user: 'u' }), /b\.csv: cannot tell the unit of column "Front-end size"/);
    await assert.rejects(importSizes(store, write('c.csv', 'Name,StorageConsumedInMBs\nvm1,5\nvm2,lots\n'), { now: NOW, user: 'u' }), /c\.csv:3: column "StorageConsumedInMBs" holds "lots"/);
    assert.equal(listSizes(store).length, 0, 'nothing was stored');
  } finally {
    store.close();
  }
});

test('reconciliation: estimated vs billed per vault and month, differences listed', async () => {
  const { store } = tmpStore();
  try {
    const snap = writeSnapshot(store, { ...estate(), items: [vmItem('vm1'), vmItem('vm2'), vmItem('vm3')] });
    const ds = await importSizes(store, path.join(fixtures, 'backup-items-report.csv'), { now: NOW, user: 'u' });
    const r = await runReconcile(store, { billing: path.join(fixtures, 'cost-export.csv'), snapshots: [snap.id], sizesId: ds.id, now: NOW, user: 'u' });
    assert.equal(r.billing.rowCount, 4);
    assert.equal(r.billing.skippedRows, 1, 'the storage-account row is not a Backup charge');
    assert.equal(r.billing.currency, 'USD');
    const v1 = '/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg-backup/providers/microsoft.recoveryservices/vaults/';
    const rows = r.rows.map((x) => [x.month, x.vaultKey.slice(v1.length), x.estimated, x.billed, x.difference, x.differencePct, x.status]);
    assert.deepEqual(rows, [
      ['2025-02', 'vault1', null, 50, null, null, 'noSnapshot'],
      // estimate 117.60 (see the sizes test); billed 60.00 + 57.00 = 117.00; −0.60 is −0.51% of billed: within 10%
      ['2025-03', 'vault1', 117.6, 117, -0.6, -0.51, 'match'],
      ['2025-03', 'vault2', null, 10, null, null, 'notEstimated'],
    ]);
    assert.deepEqual(r.totals, { estimated: 117.6, billed: 177, difference: 59.4 });
    assert.deepEqual(
      r.differences.map((d) => d.status),
      ['noSnapshot', 'notEstimated'],
    );
    assert.deepEqual(r.rows[1]!.meters, { 'Azure VM Protected Instances': 60, 'GRS Data Stored': 57 });
  } finally {
    store.close();
  }
});
