/**
 * Sizes datasets: `vaultproof sizes import FILE` reads a Backup Reports
 * "Backup Items" export (CSV or Excel) into a separate, hashed dataset.
 * It never changes a snapshot.
 *
 * Columns are recognised by name (case, spaces and punctuation ignored).
 * Units come from the column name: BackupItemFrontEndSize and
 * StorageConsumedInMBs are in MB (as Azure Monitor documents them), columns
 * naming GB / MB / TB are converted; a size column without a unit is refused.
 */
import path from 'node:path';
import type { SizesImportResult } from '../../../shared/contract/methods/analysis.ts';
import type { SizesDatasetSummary, SizesRow } from '../../../shared/domain/sizes.ts';
import { canonicalArmId, itemKeyFromId, vaultIdOf } from '../../../shared/domain/keys.ts';
import { badInput, notFound } from '../errors.ts';
import type { Store } from '../store/store.ts';
import { canonicalJson, sha256Hex } from '../store/canonical.ts';
import { findByIdOrPrefix, uuidv7 } from '../store/snapshots.ts';
import { normaliseHeader, numberCell, readTable } from './tabular.ts';

type Unit = 'MB' | 'GB' | 'TB';

const frontEndHeaders: Array<[string, Unit | null]> = [
  ['backupitemfrontendsize', 'MB'],
  ['backupitemfrontendsizeinmb', 'MB'],
  ['backupitemfrontendsizeinmbs', 'MB'],
  ['frontendsizeinmb', 'MB'],
  ['frontendsizeinmbs', 'MB'],
  ['frontendsizeingb', 'GB'],
  ['frontendsizeingbs', 'GB'],
  ['frontendsizegb', 'GB'],
  ['frontendsizemb', 'MB'],
  ['protectedinstancesizegb', 'GB'],
  ['sourcesizeinmbs', 'MB'],
  ['frontendsize', null],
];
const storageHeaders: Array<[string, Unit | null]> = [
  ['storageconsumedinmbs', 'MB'],
  ['storageconsumedinmb', 'MB'],
  ['storageconsumedingbs', 'GB'],
  ['storageconsumedingb', 'GB'],
  ['storageconsumedgb', 'GB'],
  ['storageconsumedmb', 'MB'],
  ['cloudstorageconsumedgb', 'GB'],
  ['cloudstorageconsumedmb', 'MB'],
  ['cloudstoragegb', 'GB'],
  ['cloudstorageingb', 'GB'],
  ['cloudstorageinmb', 'MB'],
  ['backupstorageconsumedgb', 'GB'],
  ['storageconsumed', null],
  ['cloudstorage', null],
];
const idHeaders = ['backupitemid', 'backupitemarmid', 'backupinstanceid', 'protecteditemid', 'itemid', 'resourceid', 'id'];
const sourceHeaders = ['datasourceresourceid', 'datasourceid', 'sourceresourceid', 'datasourcearmid', 'virtualmachineid'];
const nameHeaders = ['backupitemfriendlyname', 'backupinstancefriendlyname', 'datasourcefriendlyname', 'backupitem', 'backupitemname', 'friendlyname', 'name'];
const vaultHeaders = ['vaultname', 'vault', 'recoveryservicesvault'];
const timeHeaders = ['timegenerated', 'timegeneratedutc', 'date', 'reportdate'];

function find(header: string[], names: readonly string[]): string | null {
  const norm = new Map(header.map((h) => [normaliseHeader(h), h]));
  for (const n of names) {
    const h = norm.get(n);
    if (h !== undefined) return h;
  }
  return null;
}

function findSized(header: string[], list: Array<[string, Unit | null]>): { column: string; unit: Unit | null } | null {
  const norm = new Map(header.map((h) => [normaliseHeader(h), h]));
  for (const [n, unit] of list) {
    const h = norm.get(n);
    if (h !== undefined) return { column: h, unit: unit ?? unitFromText(h) };
  }
  return null;
}

function unitFromText(h: string): Unit | null {
  if (/\bT(i)?B\b|tb\b/i.test(h)) return 'TB';
  if (/\bG(i)?B\b|gbs?\b/i.test(h)) return 'GB';
  if (/\bM(i)?B\b|mbs?\b/i.test(h)) return 'MB';
  return null;
}

export function looksLikeSizes(header: string[]): boolean {
  return findSized(header, frontEndHeaders) !== null || findSized(header, storageHeaders) !== null;
}

/** A report time as ISO-8601 UTC: ISO text, or the portal's "3/10/2025, 12:00:00.000 AM" (UTC columns). Null when unreadable. */
export function parseReportTime(v: string | number | null): string | null {
  if (v === null || typeof v === 'number') return null;
  const s = v.trim();
  if (/^\d{4}-\d{2}-\d{2}/.test(s)) {
    const t = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(s) || s.length === 10 ? s : `${s}Z`);
    return Number.isNaN(t) ? null : new Date(t).toISOString();
  }
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?\s*([AP]M)?$/i.exec(s);
  if (!m) return null;
  let h = Number(m[4]);
  if (m[8]) h = (h % 12) + (m[8].toUpperCase() === 'PM' ? 12 : 0);
  const t = Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]), h, Number(m[5]), Number(m[6] ?? 0), Number((m[7] ?? '0').padEnd(3, '0')));
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

function toGb(v: number, unit: Unit): number {
  // Azure Backup reports MB and GB in binary units (1 GB = 1024 MB).
  const gb = unit === 'GB' ? v : unit === 'MB' ? v / 1024 : v * 1024;
  return Math.round(gb * 1e6) / 1e6;
}

function classifyId(v: string): { itemKey: string | null; sourceKey: string | null } {
  if (!v.includes('/')) return { itemKey: null, sourceKey: null };
  if (/\/(protecteditems|backupinstances)\//i.test(v)) return { itemKey: itemKeyFromId(v), sourceKey: null };
  const vault = vaultIdOf(v);
  if (vault && canonicalArmId(vault) === canonicalArmId(v)) return { itemKey: null, sourceKey: null };
  return { itemKey: null, sourceKey: canonicalArmId(v) };
}

export async function importSizes(store: Store, filePath: string, opts: { now: Date; user: string; label?: string }): Promise<SizesImportResult> {
  const t = await readTable(filePath, looksLikeSizes);
  const file = t.file;
  const fe = findSized(t.header, frontEndHeaders);
  const st = findSized(t.header, storageHeaders);
  if (!fe && !st) {
    throw badInput(`${file}: no size column found; expected a Backup Reports "Backup Items" export with BackupItemFrontEndSize and/or StorageConsumedInMBs (or "Front-end size (GB)" / "Storage consumed (GB)") — columns are: ${t.header.join(', ')}`, { file });
  }
  for (const c of [fe, st]) {
    if (c && c.unit === null) throw badInput(`${file}: cannot tell the unit of column "${c.column}"; rename it to say GB or MB (e.g. "${c.column} (GB)")`, { file });
  }
  const idCol = find(t.header, idHeaders);
  const srcCol = find(t.header, sourceHeaders);
  const nameCol = find(t.header, nameHeaders);
  const vaultCol = find(t.header, vaultHeaders);
  const timeCol = find(t.header, timeHeaders);
  if (!idCol && !srcCol && !nameCol) {
    throw badInput(`${file}: no column identifies the backup item (expected one of BackupItemId, DatasourceResourceId, BackupItemFriendlyName) — columns are: ${t.header.join(', ')}`, { file });
  }
  const warnings: string[] = [];
  const rows: SizesRow[] = [];
  let unidentified = 0;
  for (const r of t.rows) {
    const num = (col: { column: string; unit: Unit | null } | null): number | null => {
      if (!col) return null;
      const v = numberCell(r.cells[col.column] ?? null);
      if (v === undefined) throw badInput(`${file}:${r.line}: column "${col.column}" holds "${String(r.cells[col.column])}", which is not a number`, { file, line: r.line });
      if (v !== null && v < 0) throw badInput(`${file}:${r.line}: column "${col.column}" is negative (${v})`, { file, line: r.line });
      return v === null ? null : toGb(v, col.unit!);
    };
    const idText = idCol ? r.cells[idCol] : null;
    const srcText = srcCol ? r.cells[srcCol] : null;
    const ids = typeof idText === 'string' ? classifyId(idText) : { itemKey: null, sourceKey: null };
    const sourceKey = typeof srcText === 'string' && srcText.includes('/') ? canonicalArmId(srcText) : ids.sourceKey;
    const nameText = nameCol ? r.cells[nameCol] : null;
    const vaultText = vaultCol ? r.cells[vaultCol] : null;
    const timeText = timeCol ? r.cells[timeCol] : null;
    const row: SizesRow = {
      row: r.line,
      itemKey: ids.itemKey,
      sourceKey,
      name: nameText === null || nameText === undefined ? null : String(nameText).toLowerCase(),
      vaultName: vaultText === null || vaultText === undefined ? null : String(vaultText).toLowerCase(),
      frontEndGb: num(fe),
      storageGb: num(st),
      observedAt: parseReportTime(timeText ?? null),
    };
    if (!row.itemKey && !row.sourceKey && !row.name) {
      unidentified++;
      continue;
    }
    rows.push(row);
  }
  if (unidentified > 0) warnings.push(`${unidentified} row(s) name no backup item and were skipped`);
  if (rows.length === 0) throw badInput(`${file}: no row names a backup item with a size`, { file });
  const contentHash = sha256Hex(canonicalJson(rows));
  // The same file imported again is the same dataset: its id comes back, nothing is added.
  const existing = store.db.prepare('SELECT * FROM sizes_datasets WHERE file_sha256 = ? AND content_hash = ? ORDER BY created_at LIMIT 1').get(t.sha256, contentHash) as DatasetRow | undefined;
  if (existing) {
    const prev = toSummary(existing);
    return { ...prev, warnings: [...prev.warnings, `this file was already imported as sizes dataset ${prev.id} on ${prev.createdAt}; that dataset is reused`], matchedColumns: {} };
  }
  const id = uuidv7(opts.now.getTime());
  const columns: Record<string, string> = {};
  const matchedColumns: Record<string, string | null> = { frontEnd: fe?.column ?? null, storage: st?.column ?? null, itemId: idCol, sourceId: srcCol, name: nameCol, vault: vaultCol, time: timeCol };
  for (const [k, v] of Object.entries(matchedColumns)) if (v !== null) columns[k] = k === 'frontEnd' ? `${v} [${fe!.unit}]` : k === 'storage' ? `${v} [${st!.unit}]` : v;
  const summary: SizesDatasetSummary = {
    id,
    label: opts.label ?? null,
    createdAt: opts.now.toISOString(),
    createdBy: opts.user,
    fileName: path.basename(filePath),
    fileSha256: t.sha256,
    format: t.format,
    rowCount: rows.length,
    contentHash,
    columns,
    warnings,
  };
  store.checkBeforeWrite();
  const db = store.db;
  db.transaction(() => {
    db.prepare(`INSERT INTO sizes_datasets (id, label, created_at, created_by, file_name, file_sha256, file_size, format, row_count, content_hash, columns, warnings)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(id, summary.label, summary.createdAt, summary.createdBy, summary.fileName, t.sha256, t.size, t.format, rows.length, contentHash, JSON.stringify(columns), JSON.stringify(warnings));
    const ins = db.prepare('INSERT INTO sizes_rows (dataset_id, row_no, item_key, source_key, name, vault_name, front_end_gb, storage_gb, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const r of rows) ins.run(id, r.row, r.itemKey, r.sourceKey, r.name, r.vaultName, r.frontEndGb, r.storageGb, canonicalJson(r));
  })();
  return { ...summary, matchedColumns };
}

type DatasetRow = {
  id: string;
  label: string | null;
  created_at: string;
  created_by: string;
  file_name: string;
  file_sha256: string;
  format: string;
  row_count: number;
  content_hash: string;
  columns: string;
  warnings: string;
};

function toSummary(r: DatasetRow): SizesDatasetSummary {
  return {
    id: r.id,
    label: r.label,
    createdAt: r.created_at,
    createdBy: r.created_by,
    fileName: r.file_name,
    fileSha256: r.file_sha256,
    format: r.format,
    rowCount: r.row_count,
    contentHash: r.content_hash,
    columns: JSON.parse(r.columns) as Record<string, string>,
    warnings: JSON.parse(r.warnings) as string[],
  };
}

export function listSizes(store: Store): SizesDatasetSummary[] {
  return (store.db.prepare('SELECT * FROM sizes_datasets ORDER BY created_at, id').all() as DatasetRow[]).map(toSummary);
}

/** A dataset by full id or unique prefix. */
export function resolveSizes(store: Store, ref: string): SizesDatasetSummary {
  const { match, ambiguous } = findByIdOrPrefix<DatasetRow>(store.db, 'sizes_datasets', ref);
  if (ambiguous.length > 0) throw badInput(`sizes dataset prefix "${ref}" is ambiguous; give more characters`);
  if (!match) throw notFound(`no sizes dataset matches "${ref}" (list them with \`vaultproof sizes list\`)`);
  return toSummary(match);
}

export function sizesRows(store: Store, datasetId: string): SizesRow[] {
  return (store.db.prepare('SELECT data FROM sizes_rows WHERE dataset_id = ? ORDER BY row_no').pluck(true).all(datasetId) as string[]).map((d) => JSON.parse(d) as SizesRow);
}
