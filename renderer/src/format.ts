/**
 * Display helpers. Times are shown in the user's local time with its zone;
 * auditors who judge evidence in UTC switch every time on screen to UTC
 * (the header's switch; remembered).
 */

export type TimeMode = 'local' | 'utc';

function initialMode(): TimeMode {
  try {
    return globalThis.localStorage?.getItem('vaultproof.time') === 'utc' ? 'utc' : 'local';
  } catch {
    return 'local';
  }
}

let mode: TimeMode = initialMode();

export function timeMode(): TimeMode {
  return mode;
}

export function setTimeMode(m: TimeMode): void {
  mode = m;
  try {
    globalThis.localStorage?.setItem('vaultproof.time', m);
  } catch {
    // not fatal: the choice lasts this session
  }
}

/**
 * Intl formatters are made once: building one costs about a millisecond, and
 * the grid formats a time in every row it draws (at 100k items, most of each
 * keystroke's work in the page went there).
 */
let localTime: Intl.DateTimeFormat | null = null;
let relative: Intl.RelativeTimeFormat | null = null;
const money = new Map<string, Intl.NumberFormat>();

/** "2025-11-27 17:00 GMT+9" (local) or "2025-11-27 08:00 UTC". */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  if (mode === 'utc') return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  localTime ??= new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
  const parts = localTime.formatToParts(new Date(t));
  const p = (type: string) => parts.find((x) => x.type === type)?.value ?? '';
  return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')} ${p('timeZoneName')}`;
}

/** The zone times are shown in ("GMT+9", "UTC"). */
export function zoneName(): string {
  if (mode === 'utc') return 'UTC';
  return new Intl.DateTimeFormat('en-CA', { timeZoneName: 'short' }).formatToParts(new Date()).find((x) => x.type === 'timeZoneName')?.value ?? 'local';
}

/** "3 days ago", "in 2 hours": the age of `iso` seen from `from` (default now). */
export function ageInWords(iso: string | null | undefined, from?: string | number): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const now = from === undefined ? Date.now() : typeof from === 'number' ? from : Date.parse(from);
  const diff = (t - now) / 1000;
  const rtf = (relative ??= new Intl.RelativeTimeFormat('en', { numeric: 'auto' }));
  const abs = Math.abs(diff);
  const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
    ['year', 365 * 86400],
    ['month', 30 * 86400],
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
  ];
  for (const [unit, secs] of units) if (abs >= secs) return rtf.format(Math.trunc(diff / secs), unit);
  return 'just now';
}

export function formatDay(iso: string | null | undefined): string {
  if (!iso) return '—';
  return iso.slice(0, 10);
}

const intFormat = new Intl.NumberFormat('en-US');
export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : intFormat.format(n);
}

export function formatGb(n: number | null | undefined): string {
  if (n === null || n === undefined) return 'unknown';
  return `${n.toLocaleString('en-US', { maximumFractionDigits: 2 })} GB`;
}

export function formatMoney(n: number | null | undefined, currency: string): string {
  if (n === null || n === undefined) return 'unknown';
  try {
    let f = money.get(currency);
    if (!f) money.set(currency, (f = new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 })));
    return f.format(n);
  } catch {
    return `${n.toFixed(2)} ${currency}`;
  }
}

export function shortHash(h: string | null | undefined, n = 12): string {
  if (!h) return '—';
  return h.length > n ? `${h.slice(0, n)}…` : h;
}

export function shortId(id: string): string {
  return id.slice(0, 8);
}

export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v === '' ? '(empty)' : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** "Subscription 1f0c…" style labels for long ids. */
export function ellipsisMiddle(s: string, max = 48): string {
  if (s.length <= max) return s;
  const keep = Math.floor((max - 1) / 2);
  return `${s.slice(0, keep)}…${s.slice(-keep)}`;
}
