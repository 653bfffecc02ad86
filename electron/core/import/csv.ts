import { parse } from 'csv-parse/sync';
import { badInput } from '../errors.ts';

/**
 * csv-parse's message without the text it quotes from the file (`value is
 * "…"`, `got "…"`): an error names the place, never echoes the content, so a
 * wrong file — a password file given by mistake or by a hostile page — is
 * not printed back.
 */
export function csvProblem(message: string): string {
  return message.replace(/,? value is "[\s\S]*$/, '').replace(/got "[\s\S]*?" at/g, 'got another character at');
}

/** Parses a CSV export into row objects (built with define semantics: a `__proto__` header is data). */
export function parseCsvRows(text: string, file: string): { header: string[]; rows: Array<Record<string, unknown>> } {
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: false, skip_empty_lines: true }) as string[][];
  } catch (e) {
    const err = e as { message: string; lines?: number };
    throw badInput(`${file}${err.lines ? `:${err.lines}` : ''}: invalid CSV: ${csvProblem(err.message)}`, { file, ...(err.lines ? { line: err.lines } : {}) });
  }
  const header = records[0] ?? [];
  const rows = records.slice(1).map((r) =>
    Object.fromEntries(
      header.map((h, i) => {
        const v = r[i] ?? '';
        // Resource Graph Explorer writes nested objects as JSON text.
        if ((v.startsWith('{') && v.endsWith('}')) || (v.startsWith('[') && v.endsWith(']'))) {
          try {
            return [h, JSON.parse(v) as unknown];
          } catch {
            return [h, v];
          }
        }
        return [h, v === '' ? null : v];
      }),
    ),
  );
  return { header, rows };
}

export function isBackupReportsHeader(header: string[]): boolean {
  const h = header.map((x) => x.toLowerCase());
  return h.some((x) => x.includes('backupitemfrontendsize') || x.includes('frontendsize')) || (h.includes('backupitemid') && h.includes('backupitemname'));
}
