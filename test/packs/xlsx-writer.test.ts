/**
 * The streaming XLSX writer (electron/core/packs/write/xlsx.ts), read back
 * from the file it wrote: by LibreOffice (what a person opening it sees) and
 * part by part (what the XML says). Expected values are worked out by hand
 * from the cells given here.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { CUT_MARK, MAX_LINKS_PER_SHEET, continuationName, writeXlsx, type XlsxCell, type XlsxSheet } from '../../electron/core/packs/write/xlsx.ts';
import { openPack } from '../../electron/core/packs/write/zip.ts';
import { tempDir } from '../harness/cli.ts';

const created = new Date('2026-12-04T12:10:00Z');
const header = (...cells: string[]): XlsxSheet['header'] => ({ cells, style: { font: { bold: true } } });

/** Every kind of cell the writer takes, in a sheet whose name needs escaping. */
function kindsSheet(): XlsxSheet {
  return {
    name: 'Costs & notes',
    list: true,
    columns: [{ width: 10 }, { width: 20 }, { width: 10, style: { numFmt: '#,##0.00 "EUR"' } }, { width: 8 }, { width: 18 }, { width: 8 }, { width: 20 }, { width: 10 }, { width: 12, style: { numFmt: 'yyyy-mm-dd' } }],
    header: header('Formula-looking', 'Markup', 'Amount', 'Flag', 'When', 'Empty', 'Link', 'Control', 'Day'),
    rows: [
      [
        { richText: [{ text: '=1+1' }] },
        'a<b & "c" \'d\'',
        1234.5,
        true,
        new Date('2025-01-12T12:00:00Z'),
        null,
        { text: 'Open', hyperlink: 'https://example.com/?a=1&b=2' },
        'bell\u0007gone',
        new Date('2025-01-13T00:00:00Z'),
      ],
      ['second', '', 0, false, null, undefined, null, 'x', null],
    ],
  };
}

function libreOfficeCsv(file: string, dir: string): Map<string, string[][]> {
  const out = path.join(dir, 'csv');
  spawnSync('soffice', ['--headless', `-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`, '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1', '--outdir', out, file], { encoding: 'utf8', timeout: 120_000 });
  const sheets = new Map<string, string[][]>();
  const base = path.basename(file, '.xlsx');
  for (const f of fs.readdirSync(out)) sheets.set(f.slice(base.length + 1, -4), parse(fs.readFileSync(path.join(out, f), 'utf8'), { relax_column_count: true }) as string[][]);
  return sheets;
}

async function parts(file: string): Promise<{ text(name: string): Promise<string>; names: string[]; close(): Promise<void> }> {
  const zip = await openPack(file);
  return { names: zip.files, text: async (n) => (await zip.read(n)).toString('utf8'), close: () => zip.close() };
}

describe('streaming XLSX writer', () => {
  test('every kind of cell reads back as given: text stays text (a formula-looking one too), numbers, booleans, dates, links; markup escaped, control characters dropped', async () => {
    const dir = tempDir('vp-xlsx-kinds-');
    const file = path.join(dir, 'kinds.xlsx');
    const w = await writeXlsx(file, { creator: 'Vaultproof test', created, sheets: [kindsSheet()] });
    assert.deepEqual(w.sheets, [{ name: 'Costs & notes', rows: 2, parts: 1 }]);
    assert.equal(w.linksAsText, 0);

    const sheet = libreOfficeCsv(file, dir).get('Costs & notes');
    assert.ok(sheet, 'LibreOffice found the sheet by its name');
    assert.deepEqual(sheet[0], ['Formula-looking', 'Markup', 'Amount', 'Flag', 'When', 'Empty', 'Link', 'Control', 'Day']);
    // 2025-01-12 12:00 UTC is a date cell: LibreOffice exports it as a date-time, not the serial 45669.5.
    assert.deepEqual(sheet[1], ['=1+1', 'a<b & "c" \'d\'', '1234.5', 'TRUE', '2025-01-12 12:00:00', '', 'Open', 'bellgone', '2025-01-13']);
    assert.deepEqual(sheet[2]!.slice(0, 5), ['second', '', '0', 'FALSE', '']);

    const x = await parts(file);
    try {
      const xml = await x.text('xl/worksheets/sheet1.xml');
      // The formula-looking text is an inline string: no <f> anywhere, so nothing is ever calculated.
      assert.match(xml, /<c r="A2" t="inlineStr"><is><r><t>=1\+1<\/t><\/r><\/is><\/c>/);
      assert.doesNotMatch(xml, /<f>/);
      assert.match(xml, /<c r="B2" t="str"><v>a&lt;b &amp; "c" 'd'<\/v><\/c>/);
      // Days since 1899-12-30: 2025-01-12 is day 45669 (25569 to 1970-01-01, then 20100 days), noon adds 0.5.
      assert.match(xml, /<c r="E2" s="\d+"><v>45669\.5<\/v><\/c>/);
      assert.match(xml, /<c r="I2" s="\d+"><v>45670<\/v><\/c>/);
      assert.match(xml, /<hyperlinks><hyperlink ref="G2" r:id="rId1"\/><\/hyperlinks>/);
      assert.match(xml, /<autoFilter ref="A1:I3"\/>/);
      const rels = await x.text('xl/worksheets/_rels/sheet1.xml.rels');
      assert.match(rels, /<Relationship Id="rId1" Type="[^"]+\/hyperlink" Target="https:\/\/example\.com\/\?a=1&amp;b=2" TargetMode="External"\/>/);
      const workbook = await x.text('xl/workbook.xml');
      assert.match(workbook, /<sheet sheetId="1" name="Costs &amp; notes" r:id="rId1"\/>/);
      assert.match(workbook, /<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">&apos;Costs &amp; notes&apos;!\$A\$1:\$I\$3<\/definedName>/);
      const styles = await x.text('xl/styles.xml');
      assert.match(styles, /<numFmt numFmtId="\d+" formatCode="#,##0\.00 &quot;EUR&quot;"\/>/);
      const core = await x.text('docProps/core.xml');
      assert.match(core, /<dc:creator>Vaultproof test<\/dc:creator>/);
      assert.match(core, /<dcterms:modified xsi:type="dcterms:W3CDTF">2026-12-04T12:10:00Z<\/dcterms:modified>/);
    } finally {
      await x.close();
    }
  });

  test('the same sheets give the same bytes, and the hash and size returned are those of the file', async () => {
    const dir = tempDir('vp-xlsx-same-');
    const a = await writeXlsx(path.join(dir, 'a.xlsx'), { creator: 'c', created, sheets: [kindsSheet()] });
    const b = await writeXlsx(path.join(dir, 'b.xlsx'), { creator: 'c', created, sheets: [kindsSheet()] });
    const bytes = fs.readFileSync(path.join(dir, 'a.xlsx'));
    assert.ok(bytes.equals(fs.readFileSync(path.join(dir, 'b.xlsx'))));
    assert.equal(a.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.equal(a.size, bytes.length);
    assert.equal(b.sha256, a.sha256);
    assert.equal(fs.statSync(path.join(dir, 'a.xlsx')).mode & 0o777, 0o600);
  });

  test(`past Excel's ${MAX_LINKS_PER_SHEET} hyperlinks in a sheet, a link cell shows its target as text`, async () => {
    const dir = tempDir('vp-xlsx-links-');
    const file = path.join(dir, 'links.xlsx');
    const n = MAX_LINKS_PER_SHEET + 2;
    const rows = function* (): Generator<XlsxCell[]> {
      for (let i = 1; i <= n; i++) yield [{ text: `item ${i}`, hyperlink: `https://portal.example/${i}` }];
    };
    const w = await writeXlsx(file, { creator: 'c', created, sheets: [{ name: 'Links', list: false, columns: [{ width: 20 }], header: header('Portal'), rows: rows() }] });
    assert.deepEqual(w.sheets, [{ name: 'Links', rows: n, parts: 1 }]);
    assert.equal(w.linksAsText, 2);
    const x = await parts(file);
    try {
      const rels = await x.text('xl/worksheets/_rels/sheet1.xml.rels');
      assert.equal([...rels.matchAll(/<Relationship /g)].length, 65_530);
      assert.match(rels, /Id="rId65530" Type="[^"]+" Target="https:\/\/portal\.example\/65530"/);
      const xml = await x.text('xl/worksheets/sheet1.xml');
      // Data row i is sheet row i + 1: the 65,530th link sits in A65531, the two after it are text.
      assert.match(xml, /<hyperlink ref="A65531" r:id="rId65530"\/><\/hyperlinks>/);
      assert.match(xml, /<c r="A65531" t="str"><v>item 65530<\/v><\/c>/);
      assert.match(xml, /<c r="A65532" t="str"><v>https:\/\/portal\.example\/65531<\/v><\/c>/);
      assert.match(xml, /<c r="A65533" t="str"><v>https:\/\/portal\.example\/65532<\/v><\/c>/);
    } finally {
      await x.close();
    }
    assert.deepEqual(fs.readdirSync(dir).sort(), ['links.xlsx'], 'the spooled relationships are gone');
  });

  test("a text longer than Excel's 32,767 characters per cell is cut, never inside a surrogate pair, and says so; a link address past 2,079 characters is text", async () => {
    const dir = tempDir('vp-xlsx-cut-');
    const file = path.join(dir, 'cut.xlsx');
    // The cut falls at 32,767 - CUT_MARK.length characters, which is the second half of the emoji: the cut moves before it.
    const head = 'a'.repeat(32_767 - CUT_MARK.length - 1);
    const long = `${head}\u{1F600}${'b'.repeat(10_000)}`;
    const longLink = `https://portal.example/${'x'.repeat(2_100)}`;
    const w = await writeXlsx(file, {
      creator: 'c',
      created,
      sheets: [{ name: 'Cut', list: false, columns: [{ width: 10 }, { width: 10 }, { width: 10 }], header: header('Text', 'Rich', 'Link'), rows: [[long, { richText: [{ text: `=${long}` }] }, { text: 'Open', hyperlink: longLink }]] }],
    });
    assert.equal(w.cutCells, 2);
    assert.equal(w.linksAsText, 1);
    const x = await parts(file);
    try {
      const xml = await x.text('xl/worksheets/sheet1.xml');
      const a2 = /<c r="A2" t="str"><v>([^<]*)<\/v><\/c>/.exec(xml)?.[1];
      assert.equal(a2, head + CUT_MARK);
      assert.equal(a2.length, 32_766);
      // The formula-looking text keeps its leading "=" and stays an inline string: 32,767 - mark characters, no split pair to drop.
      const b2 = /<c r="B2" t="inlineStr"><is><r><t>([^<]*)<\/t><\/r><\/is><\/c>/.exec(xml)?.[1];
      assert.equal(b2, `=${head}${CUT_MARK}`);
      assert.equal(b2.length, 32_767);
      assert.match(xml, new RegExp(`<c r="C2" t="str"><v>${longLink}</v></c>`));
      assert.doesNotMatch(xml, /<hyperlinks>/);
    } finally {
      await x.close();
    }
  });

  test("a sheet longer than a worksheet's rows goes on in \"Name (2)\", \"Name (3)\", each with its header, filter, print titles and its own links", async () => {
    const dir = tempDir('vp-xlsx-parts-');
    const file = path.join(dir, 'parts.xlsx');
    // Excel's 1,048,575 data rows are the default; 3 here, so 7 rows make parts of 3, 3 and 1.
    const rows = function* (): Generator<XlsxCell[]> {
      for (let i = 1; i <= 7; i++) yield [`item ${i}`, { text: 'Open', hyperlink: `https://portal.example/${i}` }];
    };
    const sheet = (name: string, r: Iterable<XlsxCell[]>): XlsxSheet => ({ name, list: true, columns: [{ width: 10 }, { width: 10 }], header: header('Item', 'Portal'), rows: r });
    const w = await writeXlsx(file, { creator: 'c', created, maxDataRowsPerSheet: 3, sheets: [sheet('Findings', rows()), sheet('Exactly three', [['a'], ['b'], ['c']]), sheet('Empty', [])] });
    assert.deepEqual(w.sheets, [
      { name: 'Findings', rows: 7, parts: 3 },
      { name: 'Exactly three', rows: 3, parts: 1 },
      { name: 'Empty', rows: 0, parts: 1 },
    ]);
    const sheets = libreOfficeCsv(file, dir);
    assert.deepEqual([...sheets.keys()].sort(), ['Empty', 'Exactly three', 'Findings', 'Findings (2)', 'Findings (3)']);
    assert.deepEqual(sheets.get('Findings')!.map((r) => r[0]), ['Item', 'item 1', 'item 2', 'item 3']);
    assert.deepEqual(sheets.get('Findings (2)')!.map((r) => r[0]), ['Item', 'item 4', 'item 5', 'item 6']);
    assert.deepEqual(sheets.get('Findings (3)')!.map((r) => r[0]), ['Item', 'item 7']);
    const x = await parts(file);
    try {
      const workbook = await x.text('xl/workbook.xml');
      assert.match(workbook, /<sheet sheetId="1" name="Findings" r:id="rId1"\/><sheet sheetId="2" name="Findings \(2\)" r:id="rId2"\/><sheet sheetId="3" name="Findings \(3\)" r:id="rId3"\/><sheet sheetId="4" name="Exactly three"/);
      assert.match(workbook, /<definedName name="_xlnm._FilterDatabase" localSheetId="2" hidden="1">&apos;Findings \(3\)&apos;!\$A\$1:\$B\$2<\/definedName><definedName name="_xlnm.Print_Titles" localSheetId="2">&apos;Findings \(3\)&apos;!\$1:\$1<\/definedName>/);
      // Part 2's links are its own: rows 2-4 of its sheet, relationships rId1-rId3, to items 4-6.
      assert.match(await x.text('xl/worksheets/sheet2.xml'), /<hyperlinks><hyperlink ref="B2" r:id="rId1"\/><hyperlink ref="B3" r:id="rId2"\/><hyperlink ref="B4" r:id="rId3"\/><\/hyperlinks>/);
      assert.match(await x.text('xl/worksheets/_rels/sheet2.xml.rels'), /Id="rId1" Type="[^"]+" Target="https:\/\/portal\.example\/4"/);
    } finally {
      await x.close();
    }
    // A name is cut to fit Excel's 31 characters with its part number.
    assert.equal(continuationName('Restore readiness and more words', 12), 'Restore readiness and more (12)');
    assert.equal(continuationName('Restore readiness and more words', 12).length, 31);
  });

  test('an existing file is refused and kept; a cancelled or failed write stops and leaves nothing behind', async () => {
    const dir = tempDir('vp-xlsx-refuse-');
    const file = path.join(dir, 'taken.xlsx');
    fs.writeFileSync(file, 'keep me');
    await assert.rejects(writeXlsx(file, { creator: 'c', created, sheets: [kindsSheet()] }), /EEXIST/);
    assert.equal(fs.readFileSync(file, 'utf8'), 'keep me');

    const ac = new AbortController();
    const rows = function* (): Generator<XlsxCell[]> {
      for (let i = 1; i <= 50_000; i++) {
        if (i === 2500) ac.abort();
        yield [{ text: 'x', hyperlink: `https://portal.example/${i}` }];
      }
    };
    const out = path.join(dir, 'cancelled.xlsx');
    await assert.rejects(writeXlsx(out, { creator: 'c', created, sheets: [{ name: 'S', list: true, columns: [{ width: 5 }], header: header('h'), rows: rows() }] }, ac.signal), /cancelled/);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['taken.xlsx'], 'neither the half-written workbook nor its spooled links are left');

    // A source that fails part-way (a store read, say) leaves nothing either, and its error is what the caller sees.
    const failing = function* (): Generator<XlsxCell[]> {
      for (let i = 1; i <= 5000; i++) {
        if (i === 4000) throw new Error('the row source broke');
        yield [{ text: 'x', hyperlink: `https://portal.example/${i}` }];
      }
    };
    await assert.rejects(writeXlsx(path.join(dir, 'failed.xlsx'), { creator: 'c', created, sheets: [{ name: 'S', list: true, columns: [{ width: 5 }], header: header('h'), rows: failing() }] }), /the row source broke/);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['taken.xlsx']);
  });
});
