/**
 * Item labels a reader sees in lists (see shared/domain/names.ts): the name,
 * with its context only where the name repeats in the snapshot. Only the
 * items whose names repeat are read in full.
 */
import type { Database as Db } from 'better-sqlite3';
import { itemLabels } from '../../../shared/domain/names.ts';
import { itemTextSql } from '../store/item-body.ts';

export type Labeller = (key: string) => string | null;

/** Labels of the items whose names repeat in the snapshot, by key (every other item is labelled by its name). */
export function repeatedNameLabels(db: Db, snapshotId: string): Map<string, string> {
  // The name test runs on the narrow columns; only the items that repeat are read in full, their
  // normalised JSON once each (since migration 011 unpacked from the body, store/item-body.ts).
  const rows = db
    .prepare(`SELECT i.key, i.name, i.vault_name AS vaultName, ${itemTextSql(db, 'i').data} AS data
      FROM items i
      WHERE i.snapshot_id = ? AND lower(i.name) IN (SELECT lower(name) FROM items WHERE snapshot_id = ? GROUP BY lower(name) HAVING count(*) > 1)`)
    .raw(true)
    .all(snapshotId, snapshotId) as Array<[string, string, string | null, string]>;
  return itemLabels(
    rows.map(([key, name, vaultName, data]) => {
      const d = JSON.parse(data) as Record<string, unknown>;
      const text = (m: string): string | null => (typeof d[m] === 'string' ? (d[m] as string) : null);
      return { key, name, vaultName, serverName: text('serverName'), containerName: text('containerName'), vaultResourceGroup: text('vaultResourceGroup') };
    }),
  );
}

export function snapshotLabeller(db: Db, snapshotId: string): Labeller {
  const repeated = repeatedNameLabels(db, snapshotId);
  // From the covering index: a lookup in the table would read the item's wide row (raw and normalised JSON) for its name.
  const nameStmt = db.prepare(`SELECT name FROM items WHERE snapshot_id = ? AND key = ?`).pluck(true);
  return (key) => repeated.get(key) ?? ((nameStmt.get(snapshotId, key) as string | undefined) ?? null);
}

/** Above this many keys, one walk of the snapshot's index beats a lookup per key. */
const LOOKUPS_MAX = 2000;

/**
 * Labels for the keys a report names, from the first snapshot that holds
 * each, in the order the keys come. A 100k-item findings report names tens
 * of thousands of items: one lookup each took 1.4-4.9 s at 100k, one walk
 * of the covering index (key, name) 0.1 s.
 */
export function labelsFor(db: Db, snapshotIds: string[], keys: Iterable<string>): Record<string, string> {
  const order: string[] = [];
  const wanted = new Set<string>();
  for (const k of keys) {
    if (!wanted.has(k)) {
      wanted.add(k);
      order.push(k);
    }
  }
  const found = new Map<string, string>();
  for (const id of snapshotIds) {
    if (wanted.size === 0) break;
    const repeated = repeatedNameLabels(db, id);
    const take = (key: string, name: string): void => {
      found.set(key, repeated.get(key) ?? name);
      wanted.delete(key);
    };
    if (wanted.size <= LOOKUPS_MAX) {
      const nameStmt = db.prepare(`SELECT name FROM items WHERE snapshot_id = ? AND key = ?`).pluck(true);
      for (const k of [...wanted]) {
        const name = nameStmt.get(id, k) as string | undefined;
        if (name !== undefined) take(k, name);
      }
    } else {
      const scan = db.prepare(`SELECT key, name FROM items WHERE snapshot_id = ?`).raw(true);
      for (const [key, name] of scan.iterate(id) as Iterable<[string, string]>) if (wanted.has(key)) take(key, name);
    }
  }
  const out: Record<string, string> = {};
  for (const k of order) {
    const v = found.get(k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}
