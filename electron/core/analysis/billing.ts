/**
 * Azure Cost Management exports (CSV): the Backup rows, summed per vault and
 * month, stored as a separate hashed dataset for reconciliation.
 *
 * Recognised layouts: actual/amortised cost exports (Date, MeterCategory,
 * MeterName, ResourceId, CostInBillingCurrency, BillingCurrency), the older
 * usage-details layout (UsageDateTime, InstanceId, PreTaxCost, Currency) and
 * FOCUS (ChargePeriodStart, ServiceName, ResourceId, BilledCost,
 * BillingCurrency). Dates: ISO (2025-01-31), Cost Management's MM/DD/YYYY,
 * or YYYYMMDD. Rows of other services, or whose resource is not a Recovery
 * Services or Backup vault, are skipped and counted.
 */
import path from 'node:path';
import type { BillingDatasetSummary } from '../../../shared/contract/methods/analysis.ts';
import type { BilledVaultMonth } from '../../../shared/domain/reconcile.ts';
import { canonicalArmId, vaultIdOf } from '../../../shared/domain/keys.ts';
import { toCents } from '../../../shared/domain/ratecard.ts';
import { badInput, notFound } from '../errors.ts';
import type { Store } from '../store/store.ts';
import { canonicalJson, sha256Hex } from '../store/canonical.ts';
import { findByIdOrPrefix, uuidv7 } from '../store/snapshots.ts';
import { normaliseHeader, numberCell, readTable } from './tabular.ts';

const dateHeaders = ['date', 'usagedate', 'usagedatetime', 'chargeperiodstart', 'billingperiodstartdate'];
const costHeaders = ['costinbillingcurrency', 'pretaxcost', 'cost', 'billedcost', 'effectivecost', 'costinusd'];
const currencyHeaders = ['billingcurrency', 'billingcurrencycode', 'currency'];
const resourceHeaders = ['resourceid', 'instanceid', 'resourceuri'];
const categoryHeaders = ['metercategory', 'servicename'];
const meterHeaders = ['metername', 'metersubcategory', 'skuid', 'chargedescription'];

function find(header: string[], names: readonly string[]): string | null {
  const norm = new Map(header.map((h) => [normaliseHeader(h), h]));
  for (const n of names) {
    const h = norm.get(n);
    if (h !== undefined) return h;
  }
  return null;
}

export function looksLikeBilling(header: string[]): boolean {
  return find(header, costHeaders) !== null && find(header, resourceHeaders) !== null;
}

/** YYYY-MM of a Cost Management date cell, or null. */
export function monthOf(v: string | number | null): string | null {
  if (v === null) return null;
  const s = String(v).trim();
  let m = /^(\d{4})-(\d{2})-\d{2}/.exec(s);
  if (m) return `${m[1]}-${m[2]}`;
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(s);
  if (m) return Number(m[1]) >= 1 && Number(m[1]) <= 12 ? `${m[3]}-${m[1]!.padStart(2, '0')}` : null;
  m = /^(\d{4})(\d{2})\d{2}$/.exec(s);
  if (m) return `${m[1]}-${m[2]}`;
  return null;
}

type BillingRow = { row: number; vaultKey: string; month: string; meter: string | null; cents: number; currency: string | null };

export async function importBilling(store: Store, filePath: string, opts: { now: Date; user: string; label?: string }): Promise<BillingDatasetSummary> {
  const t = await readTable(filePath, looksLikeBilling);
  const file = t.file;
  const dateCol = find(t.header, dateHeaders);
  const costCol = find(t.header, costHeaders);
  const resCol = find(t.header, resourceHeaders);
  const curCol = find(t.header, currencyHeaders);
  const catCol = find(t.header, categoryHeaders);
  const meterCol = find(t.header, meterHeaders);
  const missing = [!dateCol && 'a date (Date / UsageDateTime / ChargePeriodStart)', !costCol && 'a cost (CostInBillingCurrency / PreTaxCost / Cost / BilledCost)', !resCol && 'a resource id (ResourceId / InstanceId)'].filter(Boolean);
  if (missing.length > 0) throw badInput(`${file}: not an Azure Cost Management export: no column for ${missing.join(', ')} — columns are: ${t.header.join(', ')}`, { file });
  const rows: BillingRow[] = [];
  let skipped = 0;
  const currencies = new Set<string>();
  for (const r of t.rows) {
    const cat = catCol ? String(r.cells[catCol] ?? '') : '';
    const res = String(r.cells[resCol!] ?? '');
    const vaultId = vaultIdOf(res);
    if ((catCol && !/^backup$/i.test(cat.trim())) || !vaultId) {
      skipped++;
      continue;
    }
    const month = monthOf(r.cells[dateCol!] ?? null);
    if (!month) throw badInput(`${file}:${r.line}: column "${dateCol}" holds "${String(r.cells[dateCol!])}", which is not a date (expected YYYY-MM-DD or MM/DD/YYYY)`, { file, line: r.line });
    const cost = numberCell(r.cells[costCol!] ?? null);
    if (cost === undefined) throw badInput(`${file}:${r.line}: column "${costCol}" holds "${String(r.cells[costCol!])}", which is not a number`, { file, line: r.line });
    const currency = curCol && r.cells[curCol] !== null ? String(r.cells[curCol]).toUpperCase() : null;
    if (currency) currencies.add(currency);
    rows.push({ row: r.line, vaultKey: canonicalArmId(vaultId), month, meter: meterCol && r.cells[meterCol] !== null ? String(r.cells[meterCol]) : null, cents: toCents(cost ?? 0), currency });
  }
  if (currencies.size > 1) throw badInput(`${file}: the export mixes currencies (${[...currencies].join(', ')}); export one billing currency at a time`, { file });
  const warnings: string[] = [];
  if (skipped > 0) warnings.push(`${skipped} row(s) are not Backup charges on a vault and were skipped`);
  if (rows.length === 0) warnings.push('no Backup charges on a Recovery Services or Backup vault were found');
  const contentHash = sha256Hex(canonicalJson(rows));
  const existing = store.db.prepare('SELECT id FROM billing_datasets WHERE file_sha256 = ? AND content_hash = ? ORDER BY created_at LIMIT 1').pluck(true).get(t.sha256, contentHash) as string | undefined;
  if (existing) return resolveBilling(store, existing);
  const id = uuidv7(opts.now.getTime());
  const columns: Record<string, string> = {};
  for (const [k, v] of Object.entries({ date: dateCol, cost: costCol, resource: resCol, currency: curCol, category: catCol, meter: meterCol })) if (v) columns[k] = v;
  const summary: BillingDatasetSummary = {
    id,
    label: opts.label ?? null,
    createdAt: opts.now.toISOString(),
    createdBy: opts.user,
    fileName: path.basename(filePath),
    fileSha256: t.sha256,
    rowCount: rows.length,
    skippedRows: skipped,
    currency: [...currencies][0] ?? null,
    contentHash,
    columns,
    warnings,
  };
  store.checkBeforeWrite();
  const db = store.db;
  db.transaction(() => {
    db.prepare(`INSERT INTO billing_datasets (id, label, created_at, created_by, file_name, file_sha256, file_size, row_count, skipped_rows, currency, content_hash, columns, warnings)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(id, summary.label, summary.createdAt, summary.createdBy, summary.fileName, t.sha256, t.size, rows.length, skipped, summary.currency, contentHash, JSON.stringify(columns), JSON.stringify(warnings));
    const ins = db.prepare('INSERT INTO billing_rows (dataset_id, row_no, vault_key, month, meter, cost_cents, currency, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const r of rows) ins.run(id, r.row, r.vaultKey, r.month, r.meter, r.cents, r.currency, canonicalJson(r));
  })();
  return summary;
}

type Row = {
  id: string;
  label: string | null;
  created_at: string;
  created_by: string;
  file_name: string;
  file_sha256: string;
  row_count: number;
  skipped_rows: number;
  currency: string | null;
  content_hash: string;
  columns: string;
  warnings: string;
};

export function resolveBilling(store: Store, ref: string): BillingDatasetSummary {
  const { match, ambiguous } = findByIdOrPrefix<Row>(store.db, 'billing_datasets', ref);
  if (ambiguous.length > 0) throw badInput(`billing dataset prefix "${ref}" is ambiguous`);
  const r = match;
  if (!r) throw notFound(`no billing dataset matches "${ref}"`);
  return {
    id: r.id,
    label: r.label,
    createdAt: r.created_at,
    createdBy: r.created_by,
    fileName: r.file_name,
    fileSha256: r.file_sha256,
    rowCount: r.row_count,
    skippedRows: r.skipped_rows,
    currency: r.currency,
    contentHash: r.content_hash,
    columns: JSON.parse(r.columns) as Record<string, string>,
    warnings: JSON.parse(r.warnings) as string[],
  };
}

/** Billed cents per vault and month (with a per-meter split). */
export function billedByVaultMonth(store: Store, datasetId: string): BilledVaultMonth[] {
  const out = new Map<string, BilledVaultMonth>();
  const rows = store.db.prepare('SELECT vault_key, month, meter, SUM(cost_cents) AS cents FROM billing_rows WHERE dataset_id = ? GROUP BY vault_key, month, meter ORDER BY month, vault_key, meter').all(datasetId) as Array<{
    vault_key: string;
    month: string;
    meter: string | null;
    cents: number;
  }>;
  for (const r of rows) {
    const k = `${r.month}|${r.vault_key}`;
    let e = out.get(k);
    if (!e) {
      e = { vaultKey: r.vault_key, month: r.month, cents: 0, meters: {} };
      out.set(k, e);
    }
    e.cents += r.cents;
    const m = r.meter ?? '(no meter)';
    e.meters[m] = (e.meters[m] ?? 0) + r.cents;
  }
  return [...out.values()];
}
