/**
 * The counts a reader sees as tiles in the UI — last backup failed, never
 * backed up, soft-deleted — from countBackupStates (shared/domain/backup-state.ts),
 * the one definition the PDF, workbook and CLI use, so the window never
 * counts a different set. Read from the items table in one walk (clustered on
 * snapshot and key since migration 011; every field the definitions needs is a column) and the snapshot's job records (a Backup vault
 * instance's last backup); a snapshot never changes, so the counts are kept.
 */
import type { Database as Db } from 'better-sqlite3';
import { countBackupStates, type BackupStateCounts, type BackupStateInput } from '../../../shared/domain/backup-state.ts';
import { J, lastBackups } from '../analysis/load.ts';

const cache = new WeakMap<Db, Map<string, BackupStateCounts & { total: number }>>();

type Row = [string, string | null, string | null, string | null, number | null, string | null, number | null, number];

function* rows(db: Db, snapshotId: string): Generator<BackupStateInput & { key: string }> {
  const stmt = db
    .prepare(`SELECT key, protection_state, last_backup_status, last_backup_time, ${J.never}, ${J.lrp}, ${J.rpc}, soft_deleted FROM items WHERE snapshot_id = ?`)
    .raw(true);
  for (const r of stmt.iterate(snapshotId) as Iterable<Row>) {
    yield {
      key: r[0],
      protectionState: r[1],
      lastBackupStatus: r[2],
      lastBackupTime: r[3],
      neverBackedUp: r[4] === 1,
      lastRecoveryPoint: r[5],
      recoveryPointCount: r[6],
      softDeleted: r[7] === 1,
    };
  }
}

export function backupStateCounts(db: Db, snapshotId: string, asOf: string): BackupStateCounts & { total: number } {
  let perDb = cache.get(db);
  if (!perDb) cache.set(db, (perDb = new Map()));
  const hit = perDb.get(snapshotId);
  if (hit) return hit;
  let total = 0;
  const counted = countBackupStates(
    (function* () {
      for (const r of rows(db, snapshotId)) {
        total++;
        yield r;
      }
    })(),
    lastBackups(db, snapshotId, asOf),
  );
  const out = { ...counted, total };
  perDb.set(snapshotId, out);
  if (perDb.size > 8) perDb.delete(perDb.keys().next().value!);
  return out;
}
