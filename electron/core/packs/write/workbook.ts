/**
 * workbook.xlsx, written with exceljs's streaming WorkbookWriter (the
 * in-memory Workbook needs ~10x the time and memory at 100k rows).
 *
 * Every sheet: bold header row, frozen below the header, column widths and
 * number formats set before the first row is committed (the streaming writer
 * fixes them then), dates as date cells. Every list sheet (all but Summary)
 * has an autofilter over the data and prints landscape, fitted to the page
 * width, its header row repeated; the Summary prints on one page. LibreOffice ignores an
 * autofilter unless workbook.xml also has the hidden sheet-local
 * `_xlnm._FilterDatabase` name, which exceljs does not write: we add it.
 *
 * Text that starts with = + - @ tab or CR is written as an inline rich-text
 * string, so no spreadsheet can take it for a formula.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type ExcelJSTypes from 'exceljs';
import { throwIfCancelled } from '../../cancel.ts';
import { severityOrder, type PackModel } from '../model.ts';
import { DATE_FMT, workbookSheets, type SheetSpec } from './workbook-sheets.ts';

const require = createRequire(import.meta.url);
// exceljs is CommonJS; its stream namespace is only reachable from the default export.
const ExcelJS = require('exceljs') as typeof ExcelJSTypes;

export { literal, workbookSheets, type SheetSpec, type Value } from './workbook-sheets.ts';

function colLetter(n: number): string {
  let s = '';
  let x = n + 1;
  while (x > 0) {
    const r = (x - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    x = Math.floor((x - 1) / 26);
  }
  return s;
}

const SEVERITY_FILL: Record<string, { fill: string; font: string }> = {
  critical: { fill: 'FF8B0000', font: 'FFFFFFFF' },
  high: { fill: 'FFFFD8A8', font: 'FF9C2500' },
  medium: { fill: 'FFFFF3BF', font: 'FF7A5A00' },
  low: { fill: 'FFD0EBFF', font: 'FF1864AB' },
  info: { fill: 'FFF1F3F5', font: 'FF495057' },
};

type WorkbookInternals = { addWorkbook(): Promise<void>; zip: { append(data: unknown, opts: { name: string }): unknown } };

/** A date in a column without a date format (the Summary's Value column) is still shown as a date, not as its serial number. */
const DATE_CELL: Partial<ExcelJSTypes.Style> = { numFmt: DATE_FMT };

/**
 * Print setup: a list prints landscape, fitted to the page width (as many
 * pages down as it needs) with its header row on every page; the Summary
 * fits one page.
 */
function pageSetupFor(spec: SheetSpec): Partial<ExcelJSTypes.PageSetup> {
  return spec.figures
    ? { orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 1 }
    : { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' };
}

/** Adds the hidden sheet-local _xlnm._FilterDatabase names to workbook.xml as exceljs writes it. */
function addFilterDatabaseNames(wb: ExcelJSTypes.stream.xlsx.WorkbookWriter, names: () => Array<{ sheetIndex: number; ref: string }>): void {
  const inner = wb as unknown as WorkbookInternals;
  const original = inner.addWorkbook.bind(wb);
  inner.addWorkbook = async () => {
    const zip = inner.zip;
    const append = zip.append.bind(zip);
    zip.append = (data, opts) => {
      if (opts.name === '/xl/workbook.xml' && typeof data === 'string') {
        const defs = names()
          .map((n) => `<definedName name="_xlnm._FilterDatabase" localSheetId="${n.sheetIndex}" hidden="1">${n.ref}</definedName>`)
          .join('');
        if (defs) {
          data = data.includes('</definedNames>') ? data.replace('</definedNames>', `${defs}</definedNames>`) : data.replace('</sheets>', `</sheets><definedNames>${defs}</definedNames>`);
        }
      }
      return append(data, opts);
    };
    try {
      await original();
    } finally {
      zip.append = append;
    }
  };
}

// archiver hands exceljs a readable-stream v2 PassThrough, which has no writableNeedDrain: read its state.
type Drainable = { writableNeedDrain?: boolean; _writableState?: { needDrain?: boolean }; once(ev: 'drain', f: () => void): unknown };

/**
 * Waits while the zip's compressor is behind. exceljs's sheet stream pushes
 * into the zip without back-pressure, so a fast producer would buffer the
 * whole sheet's XML in memory (~1 GB at 100k rows × 3 sheets).
 */
async function drained(ws: ExcelJSTypes.Worksheet): Promise<void> {
  const pipes = (ws as unknown as { stream?: { pipes?: Drainable[] } }).stream?.pipes ?? [];
  for (const p of pipes) {
    if (p.writableNeedDrain ?? p._writableState?.needDrain) await new Promise<void>((r) => p.once('drain', r));
  }
  await new Promise<void>((r) => setImmediate(r));
}

async function writeSheet(
  wb: ExcelJSTypes.stream.xlsx.WorkbookWriter,
  spec: SheetSpec,
  sheetIndex: number,
  filters: Array<{ sheetIndex: number; ref: string }>,
  signal?: AbortSignal,
): Promise<number> {
  const ws = wb.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1, xSplit: 0, activeCell: 'A2' }], pageSetup: pageSetupFor(spec) });
  // One style object per column, given to every cell of that column: exceljs
  // caches a style id per style object, so shared objects cost nothing per
  // cell, while the fresh object exceljs makes for each cell is re-serialised
  // every time (that alone made a 100k-row workbook 2.5× slower).
  const styles = spec.columns.map((c): Partial<ExcelJSTypes.Style> => ({
    ...(c.numFmt ? { numFmt: c.numFmt } : {}),
    ...(c.link ? { font: { color: { argb: 'FF0563C1' }, underline: true } } : {}),
  }));
  ws.columns = spec.columns.map((c) => ({ width: c.width }));
  const header = ws.addRow(spec.columns.map((c) => c.header));
  header.font = { bold: true, color: { argb: 'FFFFFFFF' } };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F3A5F' } };
  header.alignment = { vertical: 'middle' };
  header.commit();
  let n = 0;
  for (const values of spec.rows) {
    // A null makes exceljs create an empty cell (with its own fresh style); undefined creates none.
    for (let i = 0; i < values.length; i++) if (values[i] === null) (values as unknown[])[i] = undefined;
    const row = ws.addRow(values as unknown[]);
    // Row._cells (index = column - 1) without eachCell's callback per cell: this loop runs millions of times.
    const cells = (row as unknown as { _cells: Array<{ style: unknown } | undefined> })._cells;
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c];
      if (cell) cell.style = values[c] instanceof Date && !styles[c]!.numFmt?.startsWith('yyyy') ? DATE_CELL : styles[c];
    }
    row.commit();
    n++;
    if (n % 1000 === 0) {
      await drained(ws);
      throwIfCancelled(signal, 'pack build cancelled');
    }
  }
  const lastCol = colLetter(spec.columns.length - 1);
  const lastRow = Math.max(2, n + 1);
  if (!spec.figures) {
    ws.autoFilter = `A1:${lastCol}${lastRow}`;
    filters.push({ sheetIndex, ref: `'${spec.name.replace(/'/g, "''")}'!$A$1:$${lastCol}$${lastRow}` });
  }
  if (spec.severityColumn !== undefined) {
    const col = colLetter(spec.severityColumn);
    ws.addConditionalFormatting({
      ref: `${col}2:${col}${lastRow}`,
      rules: severityOrder.map((sev, i) => ({
        type: 'expression',
        priority: i + 1,
        formulae: [`$${col}2="${sev}"`],
        style: { fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: SEVERITY_FILL[sev]!.fill } }, font: { color: { argb: SEVERITY_FILL[sev]!.font }, bold: sev === 'critical' } },
      })),
    });
  }
  ws.commit();
  return n;
}

export async function writeWorkbook(file: string, m: PackModel, signal?: AbortSignal): Promise<{ sha256: string; size: number; rows: Record<string, number> }> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  wb.creator = `Vaultproof ${m.toolVersion}`;
  wb.created = new Date(m.createdAt);
  const filters: Array<{ sheetIndex: number; ref: string }> = [];
  addFilterDatabaseNames(wb, () => filters);
  const rowsBySheet: Record<string, number> = {};
  let i = 0;
  for (const s of workbookSheets(m)) rowsBySheet[s.name] = await writeSheet(wb, s, i++, filters, signal);
  await wb.commit();
  const h = createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(file)) {
    h.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: h.digest('hex'), size, rows: rowsBySheet };
}

