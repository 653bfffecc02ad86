/** Number, money and time formatting shared by the PDF and the workbook (en-US, UTC). */

const intFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function fmtInt(n: number): string {
  return intFmt.format(n);
}

export function fmtPct(part: number, whole: number): string {
  if (whole === 0) return 'n/a';
  return `${(Math.round((part / whole) * 1000) / 10).toFixed(1)} %`;
}

const moneyFmts = new Map<string, Intl.NumberFormat>();

export function fmtMoney(v: number | null, currency: string): string {
  if (v === null) return 'unknown';
  let f = moneyFmts.get(currency);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 });
    moneyFmts.set(currency, f);
  }
  return f.format(v);
}

export function fmtSignedMoney(v: number | null, currency: string): string {
  if (v === null) return 'unknown';
  return v > 0 ? `+${fmtMoney(v, currency)}` : fmtMoney(v, currency);
}

/** `2025-10-27 23:08 UTC` (or the input when it is not a time). */
export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `2025-10-27 23:08` for table cells whose header says UTC. */
export function fmtTimeShort(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t).toISOString().slice(0, 16).replace('T', ' ');
}

export function fmtNumber(v: number): string {
  return v.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

export function fmtValue(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
