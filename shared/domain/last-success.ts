/**
 * "When did this item last back up successfully?" — the grid's column and its
 * "no successful backup in N hours" filter, defined once.
 *
 * The later of:
 * - the last backup time, when the service says that backup succeeded
 *   (Completed, CompletedWithWarnings; workloads in a VM say Healthy): a
 *   failed or pending last backup is the time of an attempt, not of a backup;
 * - the latest recovery point the item states: a recovery point exists only
 *   after a backup succeeded, whatever the last attempt did (Backup vault
 *   instances state only this).
 * The service's 2001-01-01 "never" placeholder (and anything earlier) counts
 * as no time. A Backup vault instance's last finished job is not used: the
 * store's column (migration 007) is computed from the item alone, and the
 * grid must show what it filters on.
 *
 * The store computes the same value in SQL (the generated column
 * `last_success_time`, migration 007) so that 100k items filter and sort on
 * an index; test/db/browse-grid.test.ts checks the two agree.
 */
import type { BackupItem } from './types.ts';

/** Last backup statuses that mean the backup succeeded (compared lower-cased). */
export const successfulBackupStatuses: ReadonlySet<string> = new Set(['completed', 'completedwithwarnings', 'healthy', 'succeeded']);

/** Times at or before this are the service's "never" placeholder. Both sides are ISO UTC with milliseconds, so text order is time order. */
export const neverPlaceholderIso = '2001-01-01T00:00:00.000Z';

export type LastSuccessInput = Pick<BackupItem, 'lastBackupTime' | 'lastBackupStatus' | 'lastRecoveryPoint'>;

export function lastSuccessfulBackup(it: LastSuccessInput): string | null {
  const ok = it.lastBackupStatus !== null && successfulBackupStatuses.has(it.lastBackupStatus.toLowerCase());
  const fromBackup = ok && it.lastBackupTime !== null && it.lastBackupTime > neverPlaceholderIso ? it.lastBackupTime : null;
  const fromPoint = it.lastRecoveryPoint !== null && it.lastRecoveryPoint > neverPlaceholderIso ? it.lastRecoveryPoint : null;
  if (fromBackup === null) return fromPoint;
  if (fromPoint === null) return fromBackup;
  return fromBackup >= fromPoint ? fromBackup : fromPoint;
}

/**
 * The cut-off of "no successful backup in the last `hours` hours", judged at
 * the snapshot's asOf (the evidence's time, not the reader's clock): an item
 * matches when its last successful backup is before the cut-off or it has
 * none.
 */
export function lastSuccessCutoff(asOf: string, hours: number): string {
  return new Date(Date.parse(asOf) - hours * 3_600_000).toISOString();
}

/**
 * "48h", "48 hours", "7d", "7 days", "2 weeks" (a leading "older than" is
 * allowed) → hours; null when it is not a duration. The grid's field, its
 * shared filter text and the CLI's --no-success-in read the same words.
 */
export function parseHours(text: string): number | null {
  const m = /^\s*(?:older than\s*)?(\d+(?:\.\d+)?)\s*(h|hr|hrs|hours?|d|days?|w|wks?|weeks?)?\s*$/i.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'h').toLowerCase();
  const hours = unit.startsWith('d') ? n * 24 : unit.startsWith('w') ? n * 168 : n;
  return hours > 0 && hours <= 24 * 365 * 20 ? hours : null;
}
