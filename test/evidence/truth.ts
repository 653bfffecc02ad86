/**
 * Reads a truth fixture (a REST list `{value}`, a Resource Graph result
 * `{data}`, or one object) through the same normaliser every import uses,
 * and judges it with the reference findings.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lastBackupsFromJobs } from '../../shared/domain/findings-facts.ts';
import type { FindingsReport } from '../../shared/domain/findings.ts';
import { configuredTimesFromJobs, evaluateFindings } from '../../shared/domain/findings.ts';
import { normaliseResource } from '../../shared/domain/normalise/index.ts';
import type { BackupItem, JobRecord } from '../../shared/domain/types.ts';
import { loadProfile } from '../../electron/core/analysis/assets.ts';

export const TRUTH_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'truth');

export function readTruth(file: string): { items: BackupItem[]; jobs: JobRecord[] } {
  const json = JSON.parse(readFileSync(path.join(TRUTH_DIR, file), 'utf8')) as { value?: unknown[]; data?: unknown[] };
  const raws = json.value ?? json.data ?? [json];
  const items: BackupItem[] = [];
  const jobs: JobRecord[] = [];
  for (const raw of raws) {
    const r = normaliseResource(raw);
    if (r?.type === 'item') items.push(r.data);
    else if (r?.type === 'job') jobs.push(r.data);
  }
  return { items, jobs };
}

export function judge(items: BackupItem[], jobs: JobRecord[], asOf: string, configured?: Map<string, string>): FindingsReport {
  const profile = loadProfile();
  return evaluateFindings({
    asOf,
    profile: profile.value,
    profileHash: profile.hash,
    items,
    vaults: [],
    policies: [],
    inventory: [],
    protectionConfiguredAt: configured ?? (jobs.length > 0 ? configuredTimesFromJobs(jobs, asOf) : null),
    lastBackupFromJobs: jobs.length > 0 ? lastBackupsFromJobs(jobs, asOf) : null,
    annotations: new Map(),
  });
}

/** `name`, or `name@server` for workload items (SQL repeats `master` across servers). */
export function label(it: BackupItem): string {
  return it.serverName ? `${it.name}@${it.serverName}` : it.name;
}

/** Rules per item label (sorted), for comparing with the hand-written table. */
export function rulesByName(r: FindingsReport, items: BackupItem[]): Record<string, string[]> {
  const nameOf = new Map(items.map((i) => [i.key, label(i)]));
  const out: Record<string, string[]> = {};
  for (const it of items) out[label(it)] = [];
  for (const f of r.findings) {
    const n = nameOf.get(f.key);
    if (n !== undefined) out[n]!.push(f.rule);
  }
  for (const k of Object.keys(out)) out[k]!.sort();
  return out;
}
