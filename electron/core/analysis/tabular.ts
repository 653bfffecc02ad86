/**
 * Reads a tabular export (CSV, or the first matching sheet of an .xlsx
 * workbook) into rows keyed by header, with the file's row numbers, so every
 * message can name the file and the line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parse } from 'csv-parse/sync';
import { badInput } from '../errors.ts';
import { decodeText } from '../import/text.ts';
import { sha256Hex } from '../store/canonical.ts';
import type * as ExcelJSTypes from 'exceljs';

const require = createRequire(import.meta.url);

export type Table = {
  file: string;
  format: 'csv' | 'xlsx';
  sheet: string | null;
  header: string[];
  /** Each row with its 1-based line (CSV) or row number (sheet) in the file. */
  rows: Array<{ line: number; cells: Record<string, string | number | null> }>;
  sha256: string;
  size: number;
};

/** Lower-case letters and digits only: "Front-end Size (GB)" → "frontendsizegb". */
export function normaliseHeader(h: string): string {
  return h.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function cellValue(v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    const o = v as { result?: unknown; richText?: Array<{ text: string }>; text?: unknown; hyperlink?: unknown; error?: unknown };
    if ('result' in o) return cellValue(o.result);
    if (Array.isArray(o.richText)) return cellValue(o.richText.map((r) => r.text).join(''));
    if ('text' in o) return cellValue(o.text);
    if ('error' in o) return null;
  }
  return String(v);
}

async function readXlsx(buf: Buffer, file: string, looksRight: (header: string[]) => boolean): Promise<{ sheet: string; header: string[]; rows: Table['rows'] }> {
  const ExcelJS = require('exceljs') as typeof ExcelJSTypes;
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch (e) {
    throw badInput(`${file}: not a readable Excel workbook (${(e as Error).message})`, { file });
  }
  const candidates: string[] = [];
  for (const ws of wb.worksheets) {
    // The header is the first row with at least two non-empty text cells (reports often start with a title row).
    let headerRow = 0;
    let header: string[] = [];
    ws.eachRow({ includeEmpty: false }, (row, n) => {
      if (headerRow !== 0 || n > 20) return;
      const vals = (row.values as unknown[]).slice(1).map((v) => cellValue(v));
      if (vals.filter((v) => typeof v === 'string').length >= 2) {
        headerRow = n;
        header = vals.map((v, i) => (v === null ? `column${i + 1}` : String(v)));
      }
    });
    candidates.push(ws.name);
    if (headerRow === 0 || !looksRight(header)) continue;
    const rows: Table['rows'] = [];
    ws.eachRow({ includeEmpty: false }, (row, n) => {
      if (n <= headerRow) return;
      const vals = (row.values as unknown[]).slice(1);
      const cells: Record<string, string | number | null> = {};
      header.forEach((h, i) => {
        cells[h] = cellValue(vals[i]);
      });
      if (Object.values(cells).some((v) => v !== null)) rows.push({ line: n, cells });
    });
    return { sheet: ws.name, header, rows };
  }
  throw badInput(`${file}: no sheet has the expected columns (sheets: ${candidates.join(', ') || 'none'})`, { file });
}

function readCsv(buf: Buffer, file: string): { header: string[]; rows: Table['rows'] } {
  const { text } = decodeText(buf, file);
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (e) {
    const err = e as { message: string; lines?: number };
    throw badInput(`${file}${err.lines ? `:${err.lines}` : ''}: invalid CSV: ${err.message}`, { file, ...(err.lines ? { line: err.lines } : {}) });
  }
  const first = records[0];
  if (!first) throw badInput(`${file}: the file is empty`, { file });
  const header = first.record.map((h) => h.trim());
  const rows: Table['rows'] = [];
  for (const r of records.slice(1)) {
    if (r.record.length > header.length && r.record.slice(header.length).some((v) => v.trim() !== '')) {
      throw badInput(`${file}:${r.info.lines}: the row has ${r.record.length} cells but the header has ${header.length}`, { file, line: r.info.lines });
    }
    const cells: Record<string, string | number | null> = {};
    header.forEach((h, i) => {
      cells[h] = cellValue(r.record[i] ?? null);
    });
    rows.push({ line: r.info.lines, cells });
  }
  return { header, rows };
}

export async function readTable(filePath: string, looksRight: (header: string[]) => boolean): Promise<Table> {
  const file = path.basename(filePath);
  let buf: Buffer;
  try {
    buf = fs.readFileSync(filePath);
  } catch (e) {
    throw badInput(`cannot read ${filePath}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, { file: filePath });
  }
  const sha256 = sha256Hex(buf);
  const isZip = buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04;
  if (isZip || /\.xlsx$/i.test(file)) {
    const x = await readXlsx(buf, file, looksRight);
    return { file, format: 'xlsx', sheet: x.sheet, header: x.header, rows: x.rows, sha256, size: buf.length };
  }
  const c = readCsv(buf, file);
  return { file, format: 'csv', sheet: null, header: c.header, rows: c.rows, sha256, size: buf.length };
}

/** Reads a number cell: plain, or with thousands separators ("1,234.5"). Returns undefined when the text is not a number. */
export function numberCell(v: string | number | null): number | null | undefined {
  if (v === null) return null;
  if (typeof v === 'number') return v;
  let s = v.trim();
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, '');
  if (!/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return undefined;
  return Number(s);
}
