/**
 * The Findings view exported as an .xlsx (issue 15 item 10): the rows the
 * view shows (shared/domain/findings-view.ts filters for both), one sheet
 * with a bold, frozen header and an autofilter. Text from the data that a
 * spreadsheet would read as a formula is written as a rich-text string
 * (workbook-sheets' literal), so it can never run. The file goes through
 * the output guard like every other file the engine writes.
 */
import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';
import type ExcelJSTypes from 'exceljs';
import { rules } from '../../../shared/domain/findings-rules.ts';
import { findingName, findingsInView, type FindingsViewFilter } from '../../../shared/domain/findings-view.ts';
import type { Finding } from '../../../shared/domain/findings/types.ts';
import { claimOutputFile, writeOutputFile } from '../output/guard.ts';
import { literal } from '../packs/write/workbook-sheets.ts';

const require = createRequire(import.meta.url);

export const FINDINGS_EXPORT_HEADER = ['Severity', 'Rule', 'Rule title', 'Item', 'Key', 'Status', 'Approver', 'Justification', 'Controls'];

export type FindingsExportResult = { path: string; rows: number; sheet: string };

export async function exportFindingsXlsx(
  findings: readonly Finding[],
  view: FindingsViewFilter,
  target: string,
  ctx: { storePath: string | null; force?: boolean | undefined },
): Promise<FindingsExportResult> {
  const abs = claimOutputFile(target, { storePath: ctx.storePath, force: ctx.force, option: 'path' });
  const list = findingsInView(findings, view);
  const ExcelJS = require('exceljs') as typeof ExcelJSTypes;
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'Vaultproof';
  const sheet = 'Findings';
  const ws = wb.addWorksheet(sheet, { views: [{ state: 'frozen', ySplit: 1, xSplit: 0, activeCell: 'A2' }] });
  ws.columns = [10, 24, 40, 32, 60, 26, 20, 40, 30].map((width) => ({ width }));
  const header = ws.addRow(FINDINGS_EXPORT_HEADER);
  header.font = { bold: true };
  header.commit();
  for (const f of list) {
    ws.addRow(
      [
        f.severity,
        f.rule,
        rules[f.rule]?.title ?? f.title,
        findingName(f),
        f.key,
        f.excepted && f.exception ? `excepted until ${f.exception.expires}` : 'open',
        f.exception?.approver ?? '',
        f.exception?.justification ?? '',
        f.controls.join('; '),
      ].map((v) => literal(v) ?? undefined),
    ).commit();
  }
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, list.length + 1), column: FINDINGS_EXPORT_HEADER.length } };
  ws.commit();
  await wb.commit();
  await done;
  writeOutputFile(abs, Buffer.concat(chunks), { force: ctx.force });
  return { path: abs, rows: list.length, sheet };
}
