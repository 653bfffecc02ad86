/** Display helpers. Times are shown in UTC, as evidence is judged in UTC. */

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
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
    return new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
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
