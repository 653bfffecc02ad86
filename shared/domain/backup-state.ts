/**
 * What an item's backup fields mean, defined once. The findings rules, the
 * normaliser and every count a person reads (PDF tiles, workbook Summary,
 * CLI) call these, so "never backed up" or "last backup failed" is the same
 * set of items wherever it is printed.
 */
import { failedStatuses, lower, stateClass } from './findings-facts.ts';
import type { BackupItem } from './types.ts';

export type BackupStateInput = Pick<
  BackupItem,
  'protectionState' | 'lastBackupStatus' | 'lastBackupTime' | 'neverBackedUp' | 'lastRecoveryPoint' | 'recoveryPointCount' | 'softDeleted'
>;

/** States in which the service waits for the first backup of a newly configured item. */
const awaitingFirstBackup = new Set(['irpending', 'configuringprotection']);

/**
 * Never backed up: what the source stated (stored as `neverBackedUp`: the
 * Recovery Services 2001-01-01 placeholder, or a Backup vault instance whose
 * recoveryPointInfo says 0001-01-01, "none", in every region), or no last
 * backup time at all while the item waits for its initial backup (IRPending)
 * and states no recovery point. A ProtectionConfigured Backup vault instance
 * that states nothing about its recovery points is unknown, not "never".
 */
export function isNeverBackedUp(it: Omit<BackupStateInput, 'lastBackupStatus' | 'softDeleted'>): boolean {
  if (it.neverBackedUp) return true;
  if (it.lastBackupTime !== null || it.lastRecoveryPoint !== null) return false;
  if (it.recoveryPointCount !== null && it.recoveryPointCount > 0) return false;
  return awaitingFirstBackup.has(lower(it.protectionState));
}

/**
 * The last backup failed: the service says Failed (or, for workloads,
 * Unhealthy) while the item is meant to be backed up — protected, in error,
 * or waiting for its initial backup (a failed initial backup is a failure).
 * Stopped and soft-deleted items are not counted: nobody expects a backup.
 */
export function isLastBackupFailed(it: Pick<BackupStateInput, 'protectionState' | 'lastBackupStatus' | 'softDeleted'>): boolean {
  if (it.softDeleted || !failedStatuses.has(lower(it.lastBackupStatus))) return false;
  return stateClass(it.protectionState) !== 'stopped';
}

export type JobBackups = ReadonlyMap<string, { time: string; status: string }>;

/**
 * A Backup vault instance states no last backup; its last finished backup job
 * in the snapshot does (see lastBackupsFromJobs). Applied wherever an item's
 * backup state is judged or counted, so both see the same item.
 */
export function withJobBackup<T extends Pick<BackupItem, 'key' | 'lastBackupTime' | 'lastBackupStatus' | 'neverBackedUp'>>(it: T, fromJobs: JobBackups | null | undefined): T {
  if (it.lastBackupTime !== null || !fromJobs || fromJobs.size === 0) return it;
  const job = fromJobs.get(it.key);
  if (!job) return it;
  return { ...it, lastBackupTime: job.time, lastBackupStatus: it.lastBackupStatus ?? job.status, neverBackedUp: false };
}

export type BackupStateCounts = { lastBackupFailed: number; neverBackedUp: number; softDeleted: number };

/** The counts a reader sees on the PDF cover, the workbook Summary and the CLI, from the definitions above. */
export function countBackupStates(items: Iterable<BackupStateInput & Pick<BackupItem, 'key'>>, fromJobs?: JobBackups | null): BackupStateCounts {
  const c: BackupStateCounts = { lastBackupFailed: 0, neverBackedUp: 0, softDeleted: 0 };
  for (const raw of items) {
    const it = withJobBackup(raw, fromJobs);
    if (it.softDeleted) {
      c.softDeleted++;
      continue;
    }
    if (isLastBackupFailed(it)) c.lastBackupFailed++;
    if (isNeverBackedUp(it)) c.neverBackedUp++;
  }
  return c;
}
