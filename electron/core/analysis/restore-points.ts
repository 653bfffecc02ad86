/**
 * A snapshot's recovery points grouped by item, tier combination and region,
 * so an estate with millions of points hands the restore catalog and its
 * findings a few groups per item. Each record's JSON is parsed once in JS
 * (five `->>` extractions parse the text five times), and one item's points
 * are read as a key range (point keys start with the item key), so the item
 * drawer does not scan the snapshot's points.
 */
import type { Database as Db } from 'better-sqlite3';
import type { RecoveryPointGroup, RestorePointsIndex } from '../../../shared/domain/restore/points.ts';
import { summarisePoints, vaultKeyOfItem } from '../../../shared/domain/restore/points.ts';

type PointData = { itemKey?: string; id?: string; time?: string | null; tiers?: string[]; region?: string };

/** Every item's groups (one item's when itemKey is given). */
export function recoveryPointGroups(db: Db, snapshotId: string, itemKey?: string): Map<string, RecoveryPointGroup[]> {
  const sql =
    itemKey === undefined
      ? `SELECT data FROM records WHERE snapshot_id = ? AND type = 'recoveryPoint'`
      : `SELECT data FROM records WHERE snapshot_id = ? AND type = 'recoveryPoint' AND key >= ? AND key < ?`;
  // Point keys are the item key + '/recoverypoints/...': one item's points are a key range.
  const params = itemKey === undefined ? [snapshotId] : [snapshotId, `${itemKey}/`, `${itemKey}0`];
  const byItem = new Map<string, Map<string, RecoveryPointGroup>>();
  for (const [text] of db.prepare(sql).raw(true).iterate(...params) as Iterable<[string]>) {
    const p = JSON.parse(text) as PointData;
    if (!p.itemKey || (itemKey !== undefined && p.itemKey !== itemKey)) continue;
    const tiers = p.tiers ?? [];
    const region = p.region === 'secondary' ? 'secondary' : 'primary';
    const gk = `${region}|${tiers.join(',')}`;
    let groups = byItem.get(p.itemKey);
    if (!groups) byItem.set(p.itemKey, (groups = new Map()));
    const time = p.time ?? null;
    const g = groups.get(gk);
    if (!g) {
      groups.set(gk, { itemKey: p.itemKey, tiers, region, latest: time, latestId: time ? (p.id ?? null) : null, oldest: time, count: 1 });
      continue;
    }
    g.count++;
    // Times are ISO-8601 UTC with a fixed precision, so text order is time order.
    if (time !== null && (g.latest === null || time > g.latest)) {
      g.latest = time;
      g.latestId = p.id ?? null;
    }
    if (time !== null && (g.oldest === null || time < g.oldest)) g.oldest = time;
  }
  const out = new Map<string, RecoveryPointGroup[]>();
  for (const [k, groups] of byItem) out.set(k, [...groups.values()]);
  return out;
}

/** Every item's points, for the findings rules (null when the snapshot holds no recovery point records). */
export function restorePointsIndex(db: Db, snapshotId: string): RestorePointsIndex | null {
  const groups = recoveryPointGroups(db, snapshotId);
  if (groups.size === 0) return null;
  const byItem = new Map<string, ReturnType<typeof summarisePoints>>();
  const vaultsWithPoints = new Set<string>();
  const vaultsWithSecondary = new Set<string>();
  for (const [k, list] of groups) {
    byItem.set(k, summarisePoints(list));
    const v = vaultKeyOfItem(k);
    if (!v) continue;
    if (list.some((g) => g.region === 'primary')) vaultsWithPoints.add(v);
    if (list.some((g) => g.region === 'secondary')) vaultsWithSecondary.add(v);
  }
  return { byItem, vaultsWithPoints, vaultsWithSecondary };
}
