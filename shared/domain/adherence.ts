/**
 * Policy adherence without Log Analytics: per item, the share of days in a
 * window with at least one successful backup, from the jobs and recovery
 * points of one or more snapshots.
 *
 * A day counts as observed when some snapshot's job records cover it (from
 * that snapshot's earliest job start to its asOf) or when the item has a
 * recovery point that day; a day nobody observed is neither a success nor a
 * miss. Weekly policies are measured per ISO week instead of per day.
 */
import type { JobRecord, RecoveryPointRecord } from './types.ts';

export type AdherenceSnapshot = {
  asOf: string;
  items: ReadonlyArray<{ key: string; name: string; policyName: string | null; scheduleFrequency: string | null }>;
  jobs: ReadonlyArray<Pick<JobRecord, 'itemKey' | 'operation' | 'status' | 'startTime'>>;
  recoveryPoints: ReadonlyArray<Pick<RecoveryPointRecord, 'itemKey' | 'time'>>;
};

export type AdherenceRow = {
  key: string;
  name: string;
  period: 'day' | 'week';
  observed: number;
  succeeded: number;
  /** succeeded / observed, 4 decimals; null when nothing was observed. */
  share: number | null;
  missed: string[];
};

export type AdherenceReport = {
  from: string;
  to: string;
  windowDays: number;
  snapshots: number;
  items: AdherenceRow[];
  /** Over all observed item-periods. */
  overall: { observed: number; succeeded: number; share: number | null };
  method: string;
};

export const ADHERENCE_METHOD =
  'share of observed days (ISO weeks for weekly policies) with at least one successful backup job (operation starting "Backup", status Completed, CompletedWithWarnings or Succeeded) or a recovery point; a day is observed when a snapshot\'s job records span it or a recovery point falls on it';

const DAY = 86_400_000;
const okStatus = new Set(['completed', 'completedwithwarnings', 'succeeded']);

function dayOf(ms: number): number {
  return Math.floor(ms / DAY);
}

function isoDay(d: number): string {
  return new Date(d * DAY).toISOString().slice(0, 10);
}

/** Monday-based week index (1970-01-05 was a Monday). */
function weekOf(d: number): number {
  return Math.floor((d - 4) / 7);
}

export function policyAdherence(snapshots: readonly AdherenceSnapshot[], opts: { windowDays: number; to?: string }): AdherenceReport {
  const sorted = [...snapshots].sort((a, b) => Date.parse(a.asOf) - Date.parse(b.asOf));
  const last = sorted[sorted.length - 1];
  const toMs = opts.to ? Date.parse(opts.to) : last ? Date.parse(last.asOf) : 0;
  const toDay = dayOf(toMs);
  const fromDay = toDay - opts.windowDays + 1;
  const inWindow = (d: number): boolean => d >= fromDay && d <= toDay;

  const observedDays = new Set<number>();
  const success = new Map<string, Set<number>>();
  const info = new Map<string, { name: string; weekly: boolean; since: number }>();
  const mark = (key: string, d: number): void => {
    if (!inWindow(d)) return;
    let s = success.get(key);
    if (!s) {
      s = new Set();
      success.set(key, s);
    }
    s.add(d);
  };

  sorted.forEach((snap, index) => {
    // An item absent from the previous snapshot did not exist before it: days up to that asOf are not its misses.
    const since = index === 0 ? -Infinity : dayOf(Date.parse(sorted[index - 1]!.asOf)) + 1;
    for (const it of snap.items) {
      const prev = info.get(it.key);
      info.set(it.key, { name: it.name, weekly: (it.scheduleFrequency ?? '').toLowerCase() === 'weekly', since: prev ? prev.since : since });
    }
    let earliest = Infinity;
    for (const j of snap.jobs) {
      const t = j.startTime ? Date.parse(j.startTime) : NaN;
      if (Number.isNaN(t)) continue;
      earliest = Math.min(earliest, t);
      if (j.itemKey && /^backup/i.test(j.operation ?? '') && okStatus.has((j.status ?? '').toLowerCase())) mark(j.itemKey, dayOf(t));
    }
    if (earliest !== Infinity) {
      const end = dayOf(Date.parse(snap.asOf));
      for (let d = Math.max(dayOf(earliest), fromDay); d <= Math.min(end, toDay); d++) observedDays.add(d);
    }
    for (const rp of snap.recoveryPoints) {
      const t = rp.time ? Date.parse(rp.time) : NaN;
      if (!Number.isNaN(t)) mark(rp.itemKey, dayOf(t));
    }
  });

  const rows: AdherenceRow[] = [];
  let obsAll = 0;
  let okAll = 0;
  for (const [key, meta] of [...info.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const ok = success.get(key) ?? new Set<number>();
    const since = Math.min(meta.since, ...ok);
    const days = new Set<number>([...[...observedDays].filter((d) => d >= since), ...ok]);
    let observed = 0;
    let succeeded = 0;
    const missed: string[] = [];
    if (meta.weekly) {
      const weeks = new Map<number, boolean>();
      for (const d of days) weeks.set(weekOf(d), (weeks.get(weekOf(d)) ?? false) || ok.has(d));
      for (const [w, hit] of [...weeks.entries()].sort((a, b) => a[0] - b[0])) {
        observed++;
        if (hit) succeeded++;
        else missed.push(`week of ${isoDay(w * 7 + 4)}`);
      }
    } else {
      for (const d of [...days].sort((a, b) => a - b)) {
        observed++;
        if (ok.has(d)) succeeded++;
        else missed.push(isoDay(d));
      }
    }
    obsAll += observed;
    okAll += succeeded;
    rows.push({ key, name: meta.name, period: meta.weekly ? 'week' : 'day', observed, succeeded, share: observed ? Math.round((succeeded / observed) * 10000) / 10000 : null, missed });
  }
  return {
    from: isoDay(fromDay),
    to: isoDay(toDay),
    windowDays: opts.windowDays,
    snapshots: sorted.length,
    items: rows,
    overall: { observed: obsAll, succeeded: okAll, share: obsAll ? Math.round((okAll / obsAll) * 10000) / 10000 : null },
    method: ADHERENCE_METHOD,
  };
}
