/**
 * What an item's, policy's or job's fields mean for the findings rules:
 * protection-state classes, failure and health vocabularies, schedule
 * intervals, configure-job times, and small id helpers. Data in, data out.
 */
import type { JobRecord, PolicyRecord } from './types.ts';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export type StateClass = 'active' | 'pending' | 'stopped' | 'error' | 'unknown';

function stateClassOf(state: string | null): StateClass {
  const s = (state ?? '').toLowerCase();
  if (s === '') return 'unknown';
  if (s === 'irpending' || s === 'configuringprotection') return 'pending';
  if (s === 'protectionstopped' || s === 'protectionpaused' || s === 'backupssuspended' || s === 'backupschedulessuspended') return 'stopped';
  if (s === 'protectionerror' || s === 'configuringprotectionfailed') return 'error';
  return 'active';
}

/*
 * stateClass and lower run several times per item over values a 100k estate
 * repeats (a state, a status): each remembers its answers, up to MEMO values
 * (then starts over), instead of lower-casing a new string every time.
 */
const MEMO = 512;
const stateMemo = new Map<string, StateClass>();
const lowerMemo = new Map<string, string>();

export function stateClass(state: string | null): StateClass {
  if (state === null || state === undefined) return 'unknown';
  let c = stateMemo.get(state);
  if (c === undefined) {
    if (stateMemo.size >= MEMO) stateMemo.clear();
    stateMemo.set(state, (c = stateClassOf(state)));
  }
  return c;
}

export const failedStatuses = new Set(['failed', 'unhealthy']);
export const unhealthyHealth = new Set(['actionrequired', 'unhealthy', 'notreachable', 'persistentunhealthy', 'persistentdegraded']);

/* The last time ms() parsed: an item's last backup and last recovery point are often the same time, and neighbours share one. */
let msIso: string | null = null;
let msValue: number | null = null;

export function ms(iso: string | null): number | null {
  if (!iso) return null;
  if (iso === msIso) return msValue;
  const t = Date.parse(iso);
  msIso = iso;
  msValue = Number.isNaN(t) ? null : t;
  return msValue;
}

export function lower(s: string | null | undefined): string {
  if (s === null || s === undefined || s === '') return '';
  let l = lowerMemo.get(s);
  if (l === undefined) {
    if (lowerMemo.size >= MEMO) lowerMemo.clear();
    lowerMemo.set(s, (l = s.toLowerCase()));
  }
  return l;
}

/** Interval in hours from a policy record, or null when it does not say. */
export function policyIntervalHours(p: Pick<PolicyRecord, 'scheduleFrequency' | 'scheduleIntervalHours'>): number | null {
  if (p.scheduleIntervalHours !== null && p.scheduleIntervalHours > 0) return p.scheduleIntervalHours;
  const f = lower(p.scheduleFrequency);
  if (f === 'daily') return 24;
  if (f === 'weekly') return 168;
  return null;
}

/** The second lookup key of a configure job: Recovery Services jobs name the item only by its friendly name. */
export function jobNameKey(vaultKey: string | null, friendlyName: string | null): string | null {
  return vaultKey && friendlyName ? `${vaultKey}|${friendlyName.toLowerCase()}` : null;
}

/**
 * Latest configure-backup/protection job start at or before asOf, keyed by the
 * job's item key and by `vaultKey|friendly name` (see jobNameKey).
 */
export function configuredTimesFromJobs(jobs: Iterable<Pick<JobRecord, 'itemKey' | 'vaultKey' | 'entityFriendlyName' | 'operation' | 'startTime'>>, asOf: string): Map<string, string> {
  const limit = Date.parse(asOf);
  const out = new Map<string, string>();
  const put = (k: string | null, iso: string, t: number): void => {
    if (k === null) return;
    const prev = out.get(k);
    if (!prev || Date.parse(prev) < t) out.set(k, iso);
  };
  for (const j of jobs) {
    if (!j.startTime || !/^configure/i.test(j.operation ?? '')) continue;
    const t = Date.parse(j.startTime);
    if (Number.isNaN(t) || t > limit) continue;
    put(j.itemKey, j.startTime, t);
    put(jobNameKey(j.vaultKey, j.entityFriendlyName), j.startTime, t);
  }
  return out;
}

export function sourceResourceGroup(sourceKey: string | null): string | null {
  if (!sourceKey) return null;
  const m = /\/resourcegroups\/([^/]+)/i.exec(sourceKey);
  return m ? m[1]!.toLowerCase() : null;
}

export function resourceTypeOf(key: string): string | null {
  const m = /\/providers\/([^/]+\/[^/]+)\//i.exec(`${key}/`);
  return m ? m[1]!.toLowerCase() : null;
}

export function tagMatches(tags: Record<string, string>[], name: string, value: string | undefined): boolean {
  const n = name.toLowerCase();
  for (const t of tags) {
    for (const [k, v] of Object.entries(t)) {
      if (k.toLowerCase() === n && (value === undefined || v === value)) return true;
    }
  }
  return false;
}

export function addDaysIso(iso: string, days: number): string | null {
  const t = ms(iso);
  return t === null ? null : new Date(t + days * DAY).toISOString();
}

/** A job status that ends an attempt: a finished backup, good or bad. Running or cancelled jobs are no backup. */
const finishedStatus = /^(succeeded|completed|completedwithwarnings|failed)$/i;

/**
 * The last finished backup per item from Backup vault jobs (which name their
 * instance by `backupInstanceId`, so jobs carry an item key), at or before
 * asOf. Backup vault instances state no last backup time of their own.
 */
export function lastBackupsFromJobs(
  jobs: Iterable<Pick<JobRecord, 'itemKey' | 'operation' | 'status' | 'startTime'>>,
  asOf: string,
): Map<string, { time: string; status: string }> {
  const limit = Date.parse(asOf);
  const out = new Map<string, { time: string; status: string }>();
  for (const j of jobs) {
    if (!j.itemKey || !j.startTime || !j.status || !finishedStatus.test(j.status) || !/^backup/i.test(j.operation ?? '')) continue;
    const t = Date.parse(j.startTime);
    if (Number.isNaN(t) || t > limit) continue;
    const prev = out.get(j.itemKey);
    if (!prev || Date.parse(prev.time) < t) out.set(j.itemKey, { time: j.startTime, status: j.status });
  }
  return out;
}
