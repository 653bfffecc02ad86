/**
 * A snapshot's recovery points grouped in SQL by item, tier combination and
 * region, so an estate with millions of points hands the restore catalog and
 * its findings a few rows per item. The latest point's id rides along with
 * its time (`time|id`, compared as text: times are ISO-8601 UTC with a fixed
 * precision, so text order is time order).
 */
import type { Database as Db } from 'better-sqlite3';
import type { RecoveryPointGroup, RestorePointsIndex } from '../../../shared/domain/restore/points.ts';
import { indexPoints } from '../../../shared/domain/restore/points.ts';

const GROUPS_SQL = `SELECT data->>'$.itemKey' AS item, data->>'$.tiers' AS tiers, COALESCE(data->>'$.region', 'primary') AS region,
    MAX((data->>'$.time') || '|' || (data->>'$.id')) AS latest, MIN(data->>'$.time') AS oldest, COUNT(*) AS n
  FROM records WHERE snapshot_id = @snapshot AND type = 'recoveryPoint'`;
const GROUPS_TAIL = ' GROUP BY item, tiers, region ORDER BY item';

type Row = { item: string; tiers: string | null; region: string; latest: string | null; oldest: string | null; n: number };

/** The groups in item-key order (the order items stream in), for a merge with the item stream; only one item's when itemKey is given. */
export function* recoveryPointGroups(db: Db, snapshotId: string, itemKey?: string): Generator<RecoveryPointGroup> {
  const sql = itemKey === undefined ? GROUPS_SQL + GROUPS_TAIL : `${GROUPS_SQL} AND data->>'$.itemKey' = @item${GROUPS_TAIL}`;
  for (const r of db.prepare(sql).iterate(itemKey === undefined ? { snapshot: snapshotId } : { snapshot: snapshotId, item: itemKey }) as Iterable<Row>) {
    const bar = r.latest ? r.latest.indexOf('|') : -1;
    yield {
      itemKey: r.item,
      tiers: r.tiers ? (JSON.parse(r.tiers) as string[]) : [],
      region: r.region === 'secondary' ? 'secondary' : 'primary',
      latest: bar >= 0 ? r.latest!.slice(0, bar) : null,
      latestId: bar >= 0 ? r.latest!.slice(bar + 1) : null,
      oldest: r.oldest,
      count: r.n,
    };
  }
}

/** Every item's points, for the findings rules (null when the snapshot holds no recovery point records). */
export function restorePointsIndex(db: Db, snapshotId: string): RestorePointsIndex | null {
  const index = indexPoints(recoveryPointGroups(db, snapshotId));
  return index.byItem.size === 0 ? null : index;
}
