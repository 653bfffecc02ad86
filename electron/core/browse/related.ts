/** What the item drawer shows beside the item: its vault, policy, recovery points and jobs in the same snapshot. */
import type { Database as Db } from 'better-sqlite3';
import type { ItemRelated } from '../../../shared/contract/methods/ui.ts';
import type { JobRecord, PolicyRecord, RecoveryPointRecord, VaultRecord } from '../../../shared/domain/types.ts';
import { canonicalArmId } from '../../../shared/domain/keys.ts';

/** The vault, policy, recovery points and jobs a snapshot holds for one item. */
export function itemRelated(db: Db, snapshotId: string, itemKey: string, vaultKey: string | null, policyId: string | null): ItemRelated {
  const one = <T>(type: string, key: string | null): T | null => {
    if (!key) return null;
    const d = db.prepare('SELECT data FROM records WHERE snapshot_id = ? AND type = ? AND key = ?').pluck(true).get(snapshotId, type, canonicalArmId(key)) as string | undefined;
    return d ? (JSON.parse(d) as T) : null;
  };
  // Recovery point ids live under the item id, so a key range on the primary key finds them.
  const rpRows = db
    .prepare("SELECT data FROM records WHERE snapshot_id = ? AND type = 'recoveryPoint' AND key > ? AND key < ? ORDER BY key")
    .pluck(true)
    .all(snapshotId, `${itemKey}/`, `${itemKey}/\uffff`) as string[];
  let recoveryPoints = rpRows.map((d) => JSON.parse(d) as RecoveryPointRecord);
  if (recoveryPoints.length === 0) {
    recoveryPoints = (
      db.prepare("SELECT data FROM records WHERE snapshot_id = ? AND type = 'recoveryPoint' AND json_extract(data, '$.itemKey') = ?").pluck(true).all(snapshotId, itemKey) as string[]
    ).map((d) => JSON.parse(d) as RecoveryPointRecord);
  }
  recoveryPoints.sort((a, b) => (b.time ?? '').localeCompare(a.time ?? ''));
  const jobs = (
    db.prepare("SELECT data FROM records WHERE snapshot_id = ? AND type = 'job' AND json_extract(data, '$.itemKey') = ?").pluck(true).all(snapshotId, itemKey) as string[]
  )
    .map((d) => JSON.parse(d) as JobRecord)
    .sort((a, b) => (b.startTime ?? '').localeCompare(a.startTime ?? ''));
  return { vault: one<VaultRecord>('vault', vaultKey), policy: one<PolicyRecord>('policy', policyId), recoveryPoints, jobs };
}
