/**
 * A workbook a reviewer can print and filter, read back from the file: the
 * xlsx parts themselves (sheet XML, workbook names, styles) and LibreOffice's
 * own reading of it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { openPack } from '../../electron/core/packs/write/zip.ts';
import { cli, tempDir } from '../harness/cli.ts';
import { TRUTH_DIR } from './truth.ts';

test('every list sheet has an autofilter and landscape fit-to-width print with the header row repeated; Summary has no filter, fits one page, and shows dates as dates', async () => {
  const dir = tempDir('vp-evidence-wb-');
  const store = path.join(dir, 'v.db');
  const env = { VAULTPROOF_NOW: '2026-12-04T12:10:00Z', VAULTPROOF_USER: 'auditor1', VP_PASS: 'correct horse battery staple' };
  assert.equal((await cli(['import', path.join(TRUTH_DIR, 'sql-in-vm.rest.json'), '--as-of', '2025-01-12T12:00:00Z', '--store', store], env)).code, 0);
  const out = path.join(dir, 'pack');
  const p = await cli(['pack', 'latest', '--out', out, '--sign-self-signed', '--passphrase-env', 'VP_PASS', '--store', store, '--json'], env);
  assert.equal(p.code, 0, p.stderr);
  const wbPath = path.join(out, 'workbook.xlsx');

  const xlsx = await openPack(wbPath);
  const text = async (name: string) => (await xlsx.read(name)).toString('utf8');
  const workbookXml = await text('xl/workbook.xml');
  const sheets = [...workbookXml.matchAll(/<sheet sheetId="\d+" name="([^"]+)"/g)].map((m) => m[1]!);
  assert.equal(sheets[0], 'Summary');
  assert.ok(sheets.length >= 8, sheets.join(','));
  for (const [i, name] of sheets.entries()) {
    const xml = await text(`xl/worksheets/sheet${i + 1}.xml`);
    const quoted = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const titles = new RegExp(`<definedName name="_xlnm.Print_Titles" localSheetId="${i}">(&apos;)?${quoted}(&apos;)?!\\$1:\\$1</definedName>`);
    if (name === 'Summary') {
      assert.doesNotMatch(xml, /<autoFilter/, 'Summary is a page of figures, not a list');
      assert.match(xml, /<pageSetUpPr fitToPage="1"\/>/);
      assert.match(xml, /<pageSetup orientation="portrait"[^>]*fitToWidth="1" fitToHeight="1"\/>/);
    } else {
      assert.match(xml, /<autoFilter ref="A1:[A-Z]+\d+"\/>/, `${name} has no autofilter`);
      assert.match(xml, /<pageSetUpPr fitToPage="1"\/>/, `${name} is not fitted`);
      assert.match(xml, /orientation="landscape"/, `${name} is not landscape`);
      assert.match(xml, /fitToHeight="0"/, `${name} must run to as many pages down as it needs`);
      assert.match(workbookXml, titles, `${name} does not repeat its header row`);
    }
  }
  await xlsx.close();

  // LibreOffice reads the Summary's Created and Data as of as dates, not serial numbers.
  const csv = path.join(dir, 'csv');
  spawnSync('soffice', ['--headless', `-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`, '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1', '--outdir', csv, wbPath], { encoding: 'utf8', timeout: 120_000 });
  const summary = new Map((parse(fs.readFileSync(path.join(csv, 'workbook-Summary.csv'), 'utf8'), { relax_column_count: true }) as string[][]).map((r) => [r[0], r[1]]));
  // (The CSV filter exports values, not their display: a date cell comes out as a date-time, a number would be 46360.50…)
  assert.equal(summary.get('Created'), '2026-12-04 12:10:00');
  assert.equal(summary.get('Data as of'), '2025-01-12 12:00:00');
  // And keeps the autofilters and the repeated header rows.
  const fods = path.join(dir, 'fods');
  spawnSync('soffice', ['--headless', `-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`, '--convert-to', 'fods', '--outdir', fods, wbPath], { encoding: 'utf8', timeout: 120_000 });
  const xml = fs.readFileSync(path.join(fods, 'workbook.fods'), 'utf8');
  assert.match(xml, /table:database-range[^>]*target-range-address="Items\.A1:Items\.[A-Z]+9"[^>]*display-filter-buttons="true"/);
  assert.doesNotMatch(xml, /target-range-address="Summary\./);
  assert.match(xml, /<table:table table:name="Items"[\s\S]*?<table:table-header-rows>/);
  assert.match(xml, /style:print-orientation="landscape"/);
});
