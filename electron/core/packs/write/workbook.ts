/**
 * workbook.xlsx: the pack model's sheets (workbook-sheets.ts), written by our
 * streaming XLSX writer (xlsx.ts) in one pass over each sheet's rows.
 *
 * Every sheet: bold header row, frozen below the header, column widths and
 * number formats, dates as date cells. Every list sheet (all but Summary)
 * has an autofilter over the data and prints landscape, fitted to the page
 * width, its header row repeated; the Summary prints on one page. The
 * autofilter carries the hidden sheet-local `_xlnm._FilterDatabase` name,
 * without which LibreOffice ignores it.
 *
 * Text that starts with = + - @ tab or CR is written as an inline rich-text
 * string (literal() in workbook-sheets.ts), so no spreadsheet can take it for
 * a formula.
 */
import { severityOrder, type PackModel } from '../model.ts';
import { workbookSheets, type SheetSpec } from './workbook-sheets.ts';
import { writeXlsx, type XlsxSheet } from './xlsx.ts';

export { literal, workbookSheets, type SheetSpec, type Value } from './workbook-sheets.ts';

const SEVERITY_FILL: Record<string, { fill: string; font: string }> = {
  critical: { fill: 'FF8B0000', font: 'FFFFFFFF' },
  high: { fill: 'FFFFD8A8', font: 'FF9C2500' },
  medium: { fill: 'FFFFF3BF', font: 'FF7A5A00' },
  low: { fill: 'FFD0EBFF', font: 'FF1864AB' },
  info: { fill: 'FFF1F3F5', font: 'FF495057' },
};

const HEADER_STYLE = { font: { bold: true, color: 'FFFFFFFF' }, fill: 'FF1F3A5F', verticalAlign: 'center' } as const;
const LINK_FONT = { underline: true, color: 'FF0563C1' };

function xlsxSheet(spec: SheetSpec): XlsxSheet {
  return {
    name: spec.name,
    columns: spec.columns.map((c) => ({ width: c.width, style: c.numFmt || c.link ? { ...(c.numFmt ? { numFmt: c.numFmt } : {}), ...(c.link ? { font: LINK_FONT } : {}) } : undefined })),
    header: { cells: spec.columns.map((c) => c.header), style: HEADER_STYLE },
    rows: spec.rows,
    list: !spec.figures,
    ...(spec.severityColumn === undefined
      ? {}
      : { highlight: { column: spec.severityColumn, values: severityOrder.map((sev) => ({ equals: sev, fill: SEVERITY_FILL[sev]!.fill, color: SEVERITY_FILL[sev]!.font, bold: sev === 'critical' })) } }),
  };
}

export async function writeWorkbook(file: string, m: PackModel, signal?: AbortSignal): Promise<{ sha256: string; size: number; rows: Record<string, number> }> {
  const specs = workbookSheets(m);
  const w = await writeXlsx(file, { creator: `Vaultproof ${m.toolVersion}`, created: new Date(m.createdAt), sheets: specs.map(xlsxSheet) }, signal);
  return { sha256: w.sha256, size: w.size, rows: Object.fromEntries(w.sheets.map((s) => [s.name, s.rows])) };
}
