/**
 * Reads what the analysis needs from a snapshot without building 100k full
 * item objects: the promoted columns plus a few `->>` JSON fields, streamed
 * row by row into the same pure functions the reference path uses.
 */
import type { Database as Db } from 'better-sqlite3';
import type { CostItemInput } from '../../../shared/domain/cost.ts';
import type { DiffItem } from '../../../shared/domain/diff.ts';
import type { FindingsInventory, FindingsInventoryIndex, FindingsItem } from '../../../shared/domain/findings.ts';
import { configuredTimesFromJobs } from '../../../shared/domain/findings.ts';
import { lastBackupsFromJobs, lower } from '../../../shared/domain/findings-facts.ts';
import type { SizesItem } from '../../../shared/domain/sizes.ts';
import type { BackupItem, InventoryKind, JobRecord } from '../../../shared/domain/types.ts';
import { UserError } from '../errors.ts';

/**
 * The normalised fields analysis reads beyond the plain columns: since
 * migration 010 columns of their own (store/rows.ts PROMOTED_FIELDS), each
 * what `data->>'$.member'` gave, so a walk of the table never unpacks an
 * item's body (migration 011).
 */
export const J = {
  pihs: 'protected_item_health_status',
  never: 'never_backed_up',
  lrp: 'last_recovery_point',
  rpc: 'recovery_point_count',
  ddt: 'deferred_delete_time',
  sdr: 'soft_delete_retention_days',
  policyId: 'policy_id',
  tags: 'tags',
  archive: 'archive_enabled',
  location: 'location',
} as const;

/*
 * Since migration 011 items is clustered on (snapshot_id, key): a query that
 * walks a snapshot says ORDER BY key, so SQLite walks the table in key order
 * (no sort) rather than items_ui in name order when that index happens to
 * cover the columns. For a walk joined by key to another snapshot this
 * matters: in key order each lookup lands next to the last (100k added-items
 * check: 100 ms), in name order anywhere (540 ms).
 */

const EMPTY_TAGS: Record<string, string> = Object.freeze({}) as Record<string, string>;

function tagsOf(text: string | null): Record<string, string> {
  return text === null || text === '{}' ? EMPTY_TAGS : (JSON.parse(text) as Record<string, string>);
}

/**
 * FINDINGS_SQL is exported so tests can count how often a snapshot's items are read for findings.
 * The last column is the rowid of the inventory record keyed by the item's
 * source resource (see inventoryIndex): SQLite finds it in the records' key
 * index for about a microsecond an item (a fraction of that when the snapshot
 * has no inventory), where hashing the 95k inventory keys into a JavaScript
 * map and each item's source key against it cost several times that, and kept
 * the keys through the pass.
 */
const FINDINGS_SELECT = `SELECT key, name, vault_key, vault_name, vault_kind, subscription_id, workload_type, protection_state, protection_status, health_status,
    last_backup_status, last_backup_time, policy_name, source_resource_key, soft_deleted,
    ${J.pihs}, ${J.never}, ${J.lrp}, ${J.rpc}, ${J.ddt}, ${J.sdr}, ${J.policyId}, ${J.tags},
    (SELECT r.rowid FROM records r WHERE r.snapshot_id = items.snapshot_id AND r.type = 'inventory' AND r.key = items.source_resource_key)
  FROM items WHERE snapshot_id = ?`;
export const FINDINGS_SQL = `${FINDINGS_SELECT} ORDER BY key`;
const FINDINGS_BEFORE_SQL = `${FINDINGS_SELECT} AND key < ? ORDER BY key`;
const FINDINGS_FROM_SQL = `${FINDINGS_SELECT} AND key >= ? ORDER BY key`;

/** Part of a snapshot's items in key order: those before a key, or from a key on (findings-split.ts judges the two on two threads). */
export type KeyHalf = { before: string } | { from: string };

type FindingsRow = [
  key: string,
  name: string,
  vaultKey: string | null,
  vaultName: string | null,
  vaultKind: BackupItem['vaultKind'],
  subscriptionId: string | null,
  workloadType: string | null,
  protectionState: string | null,
  protectionStatus: string | null,
  healthStatus: string | null,
  lastBackupStatus: string | null,
  lastBackupTime: string | null,
  policyName: string | null,
  sourceResourceKey: string | null,
  softDeleted: number,
  pihs: string | null,
  never: number | null,
  lrp: string | null,
  rpc: number | null,
  ddt: string | null,
  sdr: number | null,
  policyId: string | null,
  tags: string | null,
  sourceRowid: number | null,
];

/**
 * The driver makes a new string for every cell, so 100k rows of one vault
 * would hold 100k copies of its key and name, and a report that keeps them
 * (evidence, priced items) makes the garbage collector copy each. Rows come
 * in key order, so neighbours mostly share a vault, a state, a status: a cell
 * equal to the one above takes that row's string instead (one comparison, no
 * hashing), and the new copy dies young. The values are the same strings.
 */
class Repeats {
  private readonly last: Array<string | null> = [];
  same(i: number, v: string | null): string | null {
    const prev = this.last[i];
    if (v === prev) return prev;
    this.last[i] = v;
    return v;
  }
}

/**
 * Rows as arrays (no per-row column-name objects from the driver): 100k rows are built once, into the shape the rules read.
 * Only the short repeated cells evidence keeps are shared (Repeats); long ones the rules only look up (vault key,
 * policy id) are left as they come: comparing two equal 200-character ids cost what sharing saved.
 */
export function* findingsItems(db: Db, snapshotId: string, inventory?: StoreInventoryIndex, half?: KeyHalf): Generator<FindingsItem> {
  const rows = !half
    ? db.prepare(FINDINGS_SQL).raw(true).iterate(snapshotId)
    : 'before' in half
      ? db.prepare(FINDINGS_BEFORE_SQL).raw(true).iterate(snapshotId, half.before)
      : db.prepare(FINDINGS_FROM_SQL).raw(true).iterate(snapshotId, half.from);
  const rep = new Repeats();
  const sources = inventory && inventory.size > 0 ? inventory : null;
  for (const r of rows as Iterable<FindingsRow>) {
    // The item in hand's source, for the inventory's look-ups while the rules judge it.
    if (sources) sources.atRow(r[13], r[23]);
    yield {
      key: r[0],
      name: r[1],
      vaultKey: r[2],
      vaultName: rep.same(3, r[3]),
      vaultKind: r[4],
      subscriptionId: r[5],
      workloadType: r[6],
      protectionState: rep.same(7, r[7]),
      protectionStatus: rep.same(8, r[8]),
      healthStatus: rep.same(9, r[9]),
      protectedItemHealthStatus: rep.same(15, r[15]),
      lastBackupStatus: rep.same(10, r[10]),
      lastBackupTime: r[11],
      neverBackedUp: r[16] === 1,
      lastRecoveryPoint: r[17],
      recoveryPointCount: r[18],
      softDeleted: r[14] === 1,
      deferredDeleteTime: r[19],
      softDeleteRetentionDays: r[20],
      policyId: r[21],
      policyName: rep.same(12, r[12]),
      sourceResourceKey: r[13],
      tags: tagsOf(r[22]),
    };
  }
}

type CostRow = [
  key: string,
  name: string,
  vaultKey: string | null,
  vaultName: string | null,
  subscriptionId: string | null,
  workloadType: string | null,
  protectionState: string | null,
  softDeleted: number,
  sizeGb: number | null,
  location: string | null,
  sourceResourceKey: string | null,
];

/** Rows a pricing read takes from the driver at a time. */
const COST_CHUNK = 2048;

/**
 * The read that prices a snapshot, from its first item: one per pricing
 * (exported so tests can count pricings). The rest come from COST_NEXT_SQL,
 * after the last key read. The driver hands over a chunk's rows in one call
 * (`all`) for less than row by row (`iterate`): a 100k pricing's CPU best of 6
 * 369-380 -> 335-342 ms (2,048 rows a chunk; 256 gives about as much, 8,192
 * less: the chunk's rows outlive a young-generation collection).
 */
const COST_COLUMNS = `key, name, vault_key, vault_name, subscription_id, workload_type, protection_state, soft_deleted, size_gb, ${J.location}, source_resource_key`;
export const COST_SQL = `SELECT ${COST_COLUMNS}
      FROM items WHERE snapshot_id = ? ORDER BY key LIMIT ${COST_CHUNK}`;
const COST_NEXT_SQL = `SELECT ${COST_COLUMNS}
      FROM items WHERE snapshot_id = ? AND key > ? ORDER BY key LIMIT ${COST_CHUNK}`;

/**
 * A snapshot's items as pricing reads them, in key order. The chunks are
 * separate reads: outside a transaction a snapshot deleted between two of
 * them would end the items early, so once the last is read the snapshot must
 * still be there (a deletion takes its items and its row in one transaction).
 */
export function* costItems(db: Db, snapshotId: string): Generator<CostItemInput> {
  const inRead = db.inTransaction;
  const next = db.prepare(COST_NEXT_SQL).raw(true);
  const rep = new Repeats();
  let rows = db.prepare(COST_SQL).raw(true).all(snapshotId) as CostRow[];
  for (;;) {
    for (const r of rows) {
      yield {
        key: r[0],
        name: r[1],
        vaultKey: rep.same(2, r[2]),
        vaultName: rep.same(3, r[3]),
        subscriptionId: rep.same(4, r[4]),
        workloadType: rep.same(5, r[5]),
        protectionState: rep.same(6, r[6]),
        softDeleted: r[7] === 1,
        sizeGb: r[8],
        location: rep.same(9, r[9]),
        sourceResourceKey: r[10],
      };
    }
    if (rows.length < COST_CHUNK) break;
    rows = next.all(snapshotId, rows[COST_CHUNK - 1]![0]) as CostRow[];
  }
  if (!inRead && db.prepare('SELECT 1 FROM snapshots WHERE id = ?').get(snapshotId) === undefined) {
    throw new UserError('NOT_FOUND', `snapshot ${snapshotId} was deleted while it was priced`);
  }
}

export function* sizesItems(db: Db, snapshotId: string): Generator<SizesItem> {
  const stmt = db.prepare(`SELECT key, name, vault_name, source_resource_key FROM items WHERE snapshot_id = ? ORDER BY key`);
  for (const r of stmt.iterate(snapshotId) as Iterable<{ key: string; name: string; vault_name: string | null; source_resource_key: string | null }>) {
    yield { key: r.key, name: r.name, vaultName: r.vault_name, sourceResourceKey: r.source_resource_key };
  }
}

export type DiffRow = {
  key: string;
  subscription_id: string | null;
  vault_key: string | null;
  workload_type: string | null;
  protection_state: string | null;
  protection_status: string | null;
  policy_id: string | null;
  policy_name: string | null;
  health_status: string | null;
  pihs: string | null;
  last_backup_status: string | null;
  soft_deleted: number;
  archive: number | null;
  size_gb: number | null;
  source_resource_key: string | null;
};

export function diffItemOf(r: DiffRow): DiffItem {
  return {
    key: r.key,
    subscriptionId: r.subscription_id,
    vaultKey: r.vault_key,
    workloadType: r.workload_type,
    protectionState: r.protection_state,
    protectionStatus: r.protection_status,
    policyId: r.policy_id,
    policyName: r.policy_name,
    healthStatus: r.health_status,
    protectedItemHealthStatus: r.pihs,
    lastBackupStatus: r.last_backup_status,
    softDeleted: r.soft_deleted === 1,
    archiveEnabled: r.archive === null ? null : r.archive === 1,
    sizeGb: r.size_gb,
    sourceResourceKey: r.source_resource_key,
  };
}

const INVENTORY_COLUMNS = `key, data->>'$.name', data->>'$.type', data->>'$.kind', data->>'$.subscriptionId', data->>'$.resourceGroup', data->'$.tags'`;
const INVENTORY_FROM = `FROM records INDEXED BY records_inventory WHERE snapshot_id = ? AND type = 'inventory'`;
type InventoryRow = [string, string, string, InventoryKind, string | null, string | null, string | null];

function inventoryOf(r: InventoryRow): FindingsInventory {
  return { key: r[0], name: r[1], type: r[2], kind: r[3], subscriptionId: r[4], resourceGroup: r[5], tags: tagsOf(r[6]) };
}

/** A snapshot's inventory records in key order, read whole. */
export function inventoryRecords(db: Db, snapshotId: string): FindingsInventory[] {
  const rows = db.prepare(`SELECT ${INVENTORY_COLUMNS} ${INVENTORY_FROM} ORDER BY key`).raw(true).all(snapshotId) as InventoryRow[];
  return rows.map(inventoryOf);
}

/** The store's inventory index (inventoryIndex): the items walk tells it the source of the item in hand. */
export type StoreInventoryIndex = FindingsInventoryIndex & {
  /** The item being judged: its source key and the rowid of the inventory record so keyed (null when none). */
  atRow(source: string | null, rowid: number | null): void;
};

/** The slot (place in the list) of each of these rowids: a table over their range when it is compact (a snapshot's records are written together), else a map. */
function rowidSlots(rowids: readonly number[]): (rowid: number) => number {
  let min = Infinity;
  let max = -Infinity;
  for (const r of rowids) {
    if (r < min) min = r;
    if (r > max) max = r;
  }
  if (rowids.length > 0 && max - min < rowids.length * 4 + 1024) {
    const table = new Int32Array(max - min + 1);
    for (let slot = 0; slot < rowids.length; slot++) table[rowids[slot]! - min] = slot;
    return (rowid) => table[rowid - min]!;
  }
  const map = new Map<number, number>();
  for (let slot = 0; slot < rowids.length; slot++) map.set(rowids[slot]!, slot);
  return (rowid) => map.get(rowid)!;
}

/**
 * A snapshot's inventory as the findings rules read it (FindingsInventoryIndex).
 * A record's slot is its place in key order. Read up front, from the covering
 * index records_inventory: the records' rowids in key order (numbers, no
 * strings), the tags of those that have any, and the distinct subscriptions and
 * types. The slot of an item's source comes with the item's row (FINDINGS_SQL,
 * atRow); any other key is looked up on its own. A record's fields are read only
 * when the after-pass asks for the record (unprotected workloads). Before, the
 * 95k records were read whole, seven strings each, and kept through the pass.
 *
 * The rowids are read in the same read transaction as the items
 * (findingsOf, spoolFindings), so they name the same records.
 */
export function inventoryIndex(db: Db, snapshotId: string): StoreInventoryIndex {
  const rowids = db.prepare(`SELECT rowid ${INVENTORY_FROM} ORDER BY key`).pluck().all(snapshotId) as number[];
  const slotOfRowid = rowidSlots(rowids);
  const tags = new Map<number, Record<string, string>>();
  for (const r of db.prepare(`SELECT rowid, data->'$.tags' ${INVENTORY_FROM} AND data->'$.tags' <> '{}'`).raw(true).iterate(snapshotId) as Iterable<[number, string]>) {
    tags.set(slotOfRowid(r[0]), tagsOf(r[1]));
  }
  const distinct = (expr: string): Array<string | null> => db.prepare(`SELECT DISTINCT ${expr} ${INVENTORY_FROM}`).pluck().all(snapshotId) as Array<string | null>;
  const subscriptions = new Set(distinct(`data->>'$.subscriptionId'`).map(lower));
  const types = new Set(distinct(`data->>'$.type'`).map((t) => t!.toLowerCase()));
  let one: { get(...params: unknown[]): unknown } | null = null;
  let rowSource: string | null = null;
  let rowSlot = -1;
  return {
    size: rowids.length,
    subscriptions,
    types,
    atRow(source, rowid) {
      rowSource = source;
      rowSlot = rowid === null ? -1 : slotOfRowid(rowid);
    },
    slotOf(key) {
      if (key === rowSource) return rowSlot;
      if (rowids.length === 0) return -1;
      one ??= db.prepare(`SELECT rowid ${INVENTORY_FROM} AND key = ?`).pluck();
      const rowid = one.get(snapshotId, key) as number | undefined;
      return rowid === undefined ? -1 : slotOfRowid(rowid);
    },
    tagsOf: (slot) => tags.get(slot) ?? EMPTY_TAGS,
    *records(skip) {
      const wanted: number[] = [];
      for (let slot = 0; slot < rowids.length; slot++) if (!skip(slot)) wanted.push(slot);
      if (wanted.length === 0) return;
      if (wanted.length <= rowids.length / 16) {
        // A few: each read by its rowid.
        const byRowid = db.prepare(`SELECT ${INVENTORY_COLUMNS} FROM records WHERE rowid = ?`).raw(true);
        for (const slot of wanted) yield inventoryOf(byRowid.get(rowids[slot]) as InventoryRow);
        return;
      }
      // Many: one walk in key order, the order of the slots.
      let slot = 0;
      let next = 0;
      for (const r of db.prepare(`SELECT ${INVENTORY_COLUMNS} ${INVENTORY_FROM} ORDER BY key`).raw(true).iterate(snapshotId) as Iterable<InventoryRow>) {
        if (slot++ !== wanted[next]) continue;
        yield inventoryOf(r);
        if (++next === wanted.length) return;
      }
    },
  };
}

export function hasRecords(db: Db, snapshotId: string, type: string): boolean {
  return db.prepare('SELECT 1 FROM records WHERE snapshot_id = ? AND type = ? LIMIT 1').get(snapshotId, type) !== undefined;
}

/**
 * Last finished backup per Backup vault instance from the snapshot's job
 * records (only those jobs name an item); null when there are none.
 */
export function lastBackups(db: Db, snapshotId: string, asOf: string): Map<string, { time: string; status: string }> | null {
  const rows = db
    .prepare(`SELECT data->>'$.itemKey' AS itemKey, data->>'$.operation' AS operation, data->>'$.status' AS status, data->>'$.startTime' AS startTime
      FROM records WHERE snapshot_id = ? AND type = 'job' AND data->>'$.itemKey' IS NOT NULL`)
    .all(snapshotId) as Array<Pick<JobRecord, 'itemKey' | 'operation' | 'status' | 'startTime'>>;
  return rows.length === 0 ? null : lastBackupsFromJobs(rows, asOf);
}

/** Configure-backup times from the snapshot's job records; null when it holds no job records. */
export function configuredTimes(db: Db, snapshotId: string, asOf: string): Map<string, string> | null {
  if (!hasRecords(db, snapshotId, 'job')) return null;
  const rows = db
    .prepare(`SELECT data->>'$.itemKey' AS itemKey, data->>'$.vaultKey' AS vaultKey, data->>'$.entityFriendlyName' AS entityFriendlyName,
      data->>'$.operation' AS operation, data->>'$.startTime' AS startTime
      FROM records WHERE snapshot_id = ? AND type = 'job' AND data->>'$.operation' LIKE 'configure%'`)
    .all(snapshotId) as Array<Pick<JobRecord, 'itemKey' | 'vaultKey' | 'entityFriendlyName' | 'operation' | 'startTime'>>;
  return configuredTimesFromJobs(rows, asOf);
}
