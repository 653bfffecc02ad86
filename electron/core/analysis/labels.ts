/**
 * Item labels a reader sees in lists (see shared/domain/names.ts): the name,
 * with its context only where the name repeats in the snapshot. Only the
 * items whose names repeat are read in full.
 */
import type { Database as Db } from 'better-sqlite3';
import type { NamedItem } from '../../../shared/domain/names.ts';
import { itemLabels } from '../../../shared/domain/names.ts';
import { ANALYSIS_INDEX } from './load.ts';

export type Labeller = (key: string) => string | null;

/** Labels of the items whose names repeat in the snapshot, by key (every other item is labelled by its name). */
export function repeatedNameLabels(db: Db, snapshotId: string): Map<string, string> {
  const rows = db
    // The name test runs on the covering index; only the items that repeat are read in full
    // (testing every wide row took 1.6 s at 100k items, this 0.2 s).
    .prepare(`SELECT i.key, i.name, i.vault_name AS vaultName, i.data->>'$.serverName' AS serverName, i.data->>'$.containerName' AS containerName, i.data->>'$.vaultResourceGroup' AS vaultResourceGroup
      FROM items m ${ANALYSIS_INDEX} JOIN items i ON i.snapshot_id = m.snapshot_id AND i.key = m.key
      WHERE m.snapshot_id = ? AND lower(m.name) IN (SELECT lower(name) FROM items WHERE snapshot_id = ? GROUP BY lower(name) HAVING count(*) > 1)`)
    .all(snapshotId, snapshotId) as NamedItem[];
  return itemLabels(rows);
}

export function snapshotLabeller(db: Db, snapshotId: string): Labeller {
  const repeated = repeatedNameLabels(db, snapshotId);
  const nameStmt = db.prepare('SELECT name FROM items WHERE snapshot_id = ? AND key = ?').pluck(true);
  return (key) => repeated.get(key) ?? ((nameStmt.get(snapshotId, key) as string | undefined) ?? null);
}

/** Labels for the keys a report names, from the first snapshot that holds each. */
export function labelsFor(db: Db, snapshotIds: string[], keys: Iterable<string>): Record<string, string> {
  const ls = snapshotIds.map((id) => snapshotLabeller(db, id));
  const out: Record<string, string> = {};
  for (const k of keys) {
    if (k in out) continue;
    for (const l of ls) {
      const v = l(k);
      if (v !== null) {
        out[k] = v;
        break;
      }
    }
  }
  return out;
}
