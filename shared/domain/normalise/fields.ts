/**
 * Field access that tolerates the key drift between sources: camelCase wire
 * names, the CLI's `...Utc`/`...Vm...` renames, PowerShell PascalCase, and
 * Resource Graph's lower-cased types. Lookups are case-insensitive and only
 * see own properties, so `__proto__` / `constructor` keys are plain data.
 */
export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const lowerMaps = new WeakMap<Obj, Map<string, string>>();

function lowerMap(o: Obj): Map<string, string> {
  let m = lowerMaps.get(o);
  if (!m) {
    m = new Map();
    for (const k of Object.keys(o)) {
      const lk = k.toLowerCase();
      // First non-null value wins when two spellings are present (the CLI sends both
      // softDeleteRetentionPeriod and softDeleteRetentionPeriodInDays: null).
      const prev = m.get(lk);
      if (prev === undefined || o[prev] === null || o[prev] === undefined) m.set(lk, k);
    }
    lowerMaps.set(o, m);
  }
  return m;
}

/** The value of the first of `names` present (case-insensitive) with a non-null value. */
export function pick(o: unknown, ...names: string[]): unknown {
  if (!isObj(o)) return undefined;
  const m = lowerMap(o);
  for (const n of names) {
    const k = m.get(n.toLowerCase());
    if (k !== undefined) {
      const v = o[k];
      if (v !== null && v !== undefined) return v;
    }
  }
  return undefined;
}

export function str(o: unknown, ...names: string[]): string | null {
  const v = pick(o, ...names);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

/** A string that is empty counts as absent. */
export function nonEmpty(o: unknown, ...names: string[]): string | null {
  const s = str(o, ...names);
  return s === null || s.trim() === '' ? null : s;
}

export function num(o: unknown, ...names: string[]): number | null {
  const v = pick(o, ...names);
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

export function bool(o: unknown, ...names: string[]): boolean | null {
  const v = pick(o, ...names);
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
  }
  if (typeof v === 'number') return v !== 0;
  return null;
}

export function obj(o: unknown, ...names: string[]): Obj | null {
  const v = pick(o, ...names);
  if (isObj(v)) return v;
  // Resource Graph CSV exports carry nested objects as JSON text.
  if (typeof v === 'string' && v.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(v);
      return isObj(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }
  return null;
}

export function arr(o: unknown, ...names: string[]): unknown[] {
  const v = pick(o, ...names);
  if (Array.isArray(v)) return v;
  if (typeof v === 'string' && v.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(v);
      return Array.isArray(parsed) ? parsed : [];
    } catch {
      return [];
    }
  }
  return [];
}

/** Tags as a plain record built with define semantics (no prototype pollution). */
export function tagsOf(o: unknown): Record<string, string> {
  const t = obj(o, 'tags', 'Tags');
  if (!t) return {};
  const entries: Array<[string, string]> = [];
  for (const k of Object.keys(t)) {
    const v = t[k];
    if (typeof v === 'string') entries.push([k, v]);
    else if (typeof v === 'number' || typeof v === 'boolean') entries.push([k, String(v)]);
  }
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return Object.fromEntries(entries);
}

const NEVER = Date.UTC(2001, 0, 1);

/**
 * Whether the written calendar fields exist: `new Date()` rolls 2026-02-30 over
 * to March 2 and 24:00 to the next day, which would silently move a time.
 */
function calendarOk(date: string, time: string): boolean {
  // date is YYYY-MM-DD and time HH:MM or HH:MM:SS (the callers' patterns): fields by position, no arrays.
  const y = Number(date.slice(0, 4));
  const mo = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  const h = Number(time.slice(0, 2));
  const mi = Number(time.slice(3, 5));
  const s = time.length > 5 ? Number(time.slice(6, 8)) : 0;
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
}

/**
 * Parses the date forms the sources use: ISO-8601 with 0–7 fraction digits
 * and `Z` or an offset, Python isoformat, and Windows PowerShell 5.1's
 * `/Date(ms)/`. Returns ISO UTC with milliseconds, or null.
 */
export function parseTime(v: unknown): string | null {
  if (typeof v === 'number' && Number.isFinite(v)) {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }
  if (typeof v !== 'string') return null;
  const s = v.trim();
  if (s === '') return null;
  const ms = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(s);
  if (ms) {
    const d = new Date(Number(ms[1]));
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/i.exec(s);
  if (!m) {
    // A plain date (YYYY-MM-DD) means midnight UTC.
    if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
      if (!calendarOk(s, '00:00')) return null;
      const d = new Date(`${s}T00:00:00Z`);
      return Number.isNaN(d.getTime()) ? null : d.toISOString();
    }
    return null;
  }
  if (!calendarOk(m[1]!, m[2]!)) return null;
  const frac = (m[3] ?? '').slice(0, 3).padEnd(3, '0');
  let zone = m[4] ?? 'Z';
  if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const time = m[2]!.length === 5 ? `${m[2]}:00` : m[2];
  // In UTC the fields, checked above, are the answer: toISOString would write the same text (years 0000–9999).
  if (zone === 'Z' || zone === 'z') return `${m[1]}T${time}.${frac}Z`;
  const d = new Date(`${m[1]}T${time}.${frac}${zone.toUpperCase()}`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** The service's "never backed up" placeholder (2001-01-01T00:00:00Z) or earlier. */
export function isNeverPlaceholder(iso: string | null): boolean {
  return iso !== null && Date.parse(iso) <= NEVER;
}

/** ISO-8601 duration (P30D, PT4H, P1W, P1Y...) in hours; null if not one. Months = 30 d, years = 365 d. */
export function isoDurationHours(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  const m = /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(v.trim());
  if (!m || v.trim() === 'P' || v.trim() === 'PT') return null;
  const n = (i: number) => (m[i] ? Number(m[i]) : 0);
  return n(1) * 365 * 24 + n(2) * 30 * 24 + n(3) * 7 * 24 + n(4) * 24 + n(5) + n(6) / 60 + n(7) / 3600;
}
