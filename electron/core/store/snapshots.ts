import { randomBytes } from 'node:crypto';
import type { Database as Db } from 'better-sqlite3';
import { finishSnapshot, insertRows, prepareRow, rowStatements, type NewSnapshot, type RowStatements } from './rows.ts';
import type { BackupItem, CoverageEntry, NormalisedRecord, Provenance, RecordOf, RecordType, SnapshotSummary } from '../../../shared/domain/types.ts';
import type { ItemFilterField } from '../../../shared/contract/methods/snapshots.ts';
import { UserError } from '../errors.ts';
import { hasItemBody, itemBodyData, itemTextSql } from './item-body.ts';

/** UUIDv7: time-ordered, so ids sort by creation and prefixes stay short. */
export function uuidv7(nowMs: number = Date.now()): string {
  const b = randomBytes(16);
  const ts = BigInt(nowMs);
  for (let i = 0; i < 6; i++) b[i] = Number((ts >> BigInt(8 * (5 - i))) & 0xffn);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

type SnapshotRow = {
  id: string;
  label: string | null;
  created_at: string;
  as_of: string;
  source: 'import' | 'live';
  item_count: number;
  content_hash: string;
  complete: number;
  canonical_version: number;
  provenance: string;
  coverage: string;
};

function toSummary(r: SnapshotRow): SnapshotSummary {
  return {
    id: r.id,
    label: r.label,
    createdAt: r.created_at,
    asOf: r.as_of,
    source: r.source,
    itemCount: r.item_count,
    contentHash: r.content_hash,
    complete: r.complete === 1,
    canonicalVersion: r.canonical_version,
  };
}

/** Deduplicates records by (type, key) within one snapshot. */
export class KeyDeduper {
  private readonly seen = new Map<RecordType, Set<string>>();
  duplicates = 0;

  /** True the first time a (type, key) is offered. */
  first(type: RecordType, key: string): boolean {
    let keys = this.seen.get(type);
    if (!keys) {
      keys = new Set();
      this.seen.set(type, keys);
    }
    if (keys.has(key)) {
      this.duplicates++;
      return false;
    }
    keys.add(key);
    return true;
  }

  has(type: RecordType, key: string): boolean {
    return this.seen.get(type)?.has(key) ?? false;
  }
}

/** What both writers offer: streaming add, then commit (all or nothing) or abort. */
export interface SnapshotSink {
  readonly id: string;
  readonly itemCount: number;
  readonly recordCount: number;
  readonly duplicates: number;
  /** Adds a record; returns false (and counts a duplicate) when its key was already added. */
  add(rec: NormalisedRecord): boolean;
  commitAsync(meta: NewSnapshot): Promise<SnapshotSummary>;
  abort(): void;
  /** Optional back-pressure for writers that queue work: await it between chunks. */
  drain?(): Promise<void>;
}

/**
 * Writes one snapshot inside one transaction. Records are added one at a time
 * (streaming); `commit` computes the content hash and writes the snapshot row.
 * Nothing is visible before commit; `abort` (or a crash) leaves no trace.
 */
export class SnapshotWriter implements SnapshotSink {
  readonly id: string;
  private readonly db: Db;
  private readonly st: RowStatements;
  private readonly dedupe = new KeyDeduper();
  private finished = false;
  itemCount = 0;
  recordCount = 0;

  constructor(db: Db, id: string) {
    this.db = db;
    this.id = id;
    this.st = rowStatements(db);
    db.exec('BEGIN IMMEDIATE');
  }

  get duplicates(): number {
    return this.dedupe.duplicates;
  }

  add(rec: NormalisedRecord): boolean {
    if (!this.dedupe.first(rec.type, rec.key)) return false;
    const row = prepareRow(this.id, rec);
    insertRows(this.st, [row]);
    if (row.item) this.itemCount++;
    this.recordCount++;
    return true;
  }

  hasKey(type: RecordType, key: string): boolean {
    return this.dedupe.has(type, key);
  }

  commit(meta: NewSnapshot): SnapshotSummary {
    if (this.finished) throw new Error('snapshot writer already finished');
    try {
      const summary = finishSnapshot(this.db, this.id, this.itemCount, meta);
      this.finished = true;
      return summary;
    } catch (e) {
      this.abort();
      throw e;
    }
  }

  commitAsync(meta: NewSnapshot): Promise<SnapshotSummary> {
    return Promise.resolve(this.commit(meta));
  }

  abort(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }
}

const sortColumns = {
  key: 'key',
  name: 'name_key', // natural order (migration 008)
  vaultName: 'vault_name',
  protectionState: 'protection_state',
  lastBackupTime: 'last_backup_time',
  workloadType: 'workload_type',
} as const;

/** The items-table column behind each filter field (also used by the UI's browse queries). */
export const itemFilterColumns: Record<ItemFilterField, string> = {
  protectionState: 'protection_state',
  healthStatus: 'health_status',
  protectionStatus: 'protection_status',
  lastBackupStatus: 'last_backup_status',
  workloadType: 'workload_type',
  backupManagementType: 'backup_management_type',
  vaultName: 'vault_name',
  subscriptionId: 'subscription_id',
  resourceGroup: 'resource_group',
  policyName: 'policy_name',
  softDeleted: 'soft_deleted',
  vaultKind: 'vault_kind',
  name: 'name',
  key: 'key',
};

/**
 * The keyset condition "after this row" of a page sorted by `col` then key
 * (the tiebreak), in either direction; it sets @ak and @av in `params`.
 * NULLs sort first ascending and last descending, as SQLite orders them.
 * One definition for items.query and the grid (electron/core/browse/browse.ts).
 */
export function keysetAfter(col: string, after: { value: string | null; key: string }, desc: boolean, params: Record<string, unknown>): string {
  params.ak = after.key;
  if (col === 'key') return desc ? 'key < @ak' : 'key > @ak';
  if (after.value === null) return desc ? `(${col} IS NULL AND key < @ak)` : `((${col} IS NULL AND key > @ak) OR ${col} IS NOT NULL)`;
  params.av = after.value;
  return desc ? `(${col} < @av OR (${col} = @av AND key < @ak) OR ${col} IS NULL)` : `(${col} > @av OR (${col} = @av AND key > @ak))`;
}

/** Escapes `\\`, `%` and `_` for a LIKE pattern written with ESCAPE '\\'. */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

/**
 * A row of `table` by full id or unique id prefix. `ambiguous` lists the
 * candidate ids when a prefix fits several rows (the caller words the error).
 */
export function findByIdOrPrefix<T extends { id: string }>(db: Db, table: string, ref: string): { match: T | null; ambiguous: string[] } {
  const rows = db.prepare(`SELECT * FROM ${table} WHERE id = ? OR id LIKE ? ESCAPE '\\' LIMIT 3`).all(ref, `${likeEscape(ref)}%`) as T[];
  const exact = rows.find((r) => r.id === ref);
  if (exact) return { match: exact, ambiguous: [] };
  if (rows.length > 1) return { match: null, ambiguous: rows.map((r) => r.id) };
  return { match: rows[0] ?? null, ambiguous: [] };
}

/**
 * The WHERE conditions of an item filter, shared by items.query and the UI's
 * browse queries: "" matches null or empty, equality ignores case, search
 * looks in name and key.
 */
export function itemFilterSql(snapshotId: string, where: ReadonlyArray<{ field: ItemFilterField; value: string }>, search: string | undefined): { conds: string[]; params: Record<string, unknown> } {
  const conds: string[] = ['snapshot_id = @sid'];
  const params: Record<string, unknown> = { sid: snapshotId };
  where.forEach((w, i) => {
    const col = itemFilterColumns[w.field];
    if (w.field === 'softDeleted') {
      conds.push(`${col} = @w${i}`);
      params[`w${i}`] = w.value === 'true' || w.value === '1' ? 1 : 0;
    } else if (w.value === '') {
      conds.push(`(${col} IS NULL OR ${col} = '')`);
    } else {
      conds.push(`${col} = @w${i} COLLATE NOCASE`);
      params[`w${i}`] = w.value;
    }
  });
  if (search && search.trim() !== '') {
    conds.push("(name LIKE @search ESCAPE '\\' OR key LIKE @search ESCAPE '\\')");
    params.search = `%${likeEscape(search.trim())}%`;
  }
  return { conds, params };
}

export type ItemQuery = {
  where?: Array<{ field: ItemFilterField; value: string }>;
  search?: string;
  sort?: keyof typeof sortColumns;
  desc?: boolean;
  after?: { value: string | null; key: string };
  limit?: number;
  /** Restrict to these keys (e.g. items of an owner or a finding). */
  keys?: string[];
};

export class SnapshotRepository {
  private readonly db: Db;
  private readonly beforeWrite: () => void;

  /** `beforeWrite` runs before a snapshot is written or deleted (the store's whole-file check). */
  constructor(db: Db, beforeWrite: () => void = () => {}) {
    this.db = db;
    this.beforeWrite = beforeWrite;
  }

  begin(nowMs?: number): SnapshotWriter {
    this.beforeWrite();
    return new SnapshotWriter(this.db, uuidv7(nowMs));
  }

  list(): SnapshotSummary[] {
    const rows = this.db.prepare('SELECT * FROM snapshots ORDER BY created_at, id').all() as SnapshotRow[];
    return rows.map(toSummary);
  }

  /** Full id, a unique prefix, or `latest`: the latest as-of (the newest state of the estate), ties broken by creation time — never the id order. */
  resolve(ref: string): SnapshotSummary {
    let row: SnapshotRow | undefined;
    if (ref === 'latest') {
      // julianday(): as-of strings may differ in form ("…08:00Z" / "…08:00:00.000Z"); compare instants, not text.
      row = this.db.prepare('SELECT * FROM snapshots ORDER BY julianday(as_of) DESC, julianday(created_at) DESC, id DESC LIMIT 1').get() as SnapshotRow | undefined;
      if (!row) throw new UserError('NOT_FOUND', 'the store holds no snapshot yet (import or collect one first)');
      return toSummary(row);
    }
    const { match, ambiguous } = findByIdOrPrefix<SnapshotRow>(this.db, 'snapshots', ref);
    if (ambiguous.length > 0) throw new UserError('CONFLICT', `snapshot prefix "${ref}" is ambiguous (${ambiguous.join(', ')}…); give more characters`);
    if (!match) throw new UserError('NOT_FOUND', `no snapshot matches "${ref}"`);
    return toSummary(match);
  }

  detail(id: string): { summary: SnapshotSummary; provenance: Provenance; coverage: CoverageEntry[]; recordCounts: Record<string, number> } {
    const row = this.db.prepare('SELECT * FROM snapshots WHERE id = ?').get(id) as SnapshotRow | undefined;
    if (!row) throw new UserError('NOT_FOUND', `no snapshot "${id}"`);
    const counts: Record<string, number> = { item: row.item_count };
    for (const r of this.db.prepare('SELECT type, COUNT(*) AS n FROM records WHERE snapshot_id = ? GROUP BY type').all(id) as Array<{ type: string; n: number }>) {
      counts[r.type] = r.n;
    }
    return { summary: toSummary(row), provenance: JSON.parse(row.provenance) as Provenance, coverage: JSON.parse(row.coverage) as CoverageEntry[], recordCounts: counts };
  }

  *iterateItems(id: string): Generator<BackupItem> {
    const stmt = this.db.prepare(`SELECT ${itemTextSql(this.db).data} FROM items WHERE snapshot_id = ? ORDER BY key`).pluck(true);
    for (const data of stmt.iterate(id) as Iterable<string>) yield JSON.parse(data) as BackupItem;
  }

  allItems(id: string): BackupItem[] {
    return (this.db.prepare(`SELECT ${itemTextSql(this.db).data} FROM items WHERE snapshot_id = ? ORDER BY key`).pluck(true).all(id) as string[]).map((d) => JSON.parse(d) as BackupItem);
  }

  records<T extends Exclude<RecordType, 'item'>>(id: string, type: T): Array<RecordOf[T]> {
    return (this.db.prepare('SELECT data FROM records WHERE snapshot_id = ? AND type = ? ORDER BY key').pluck(true).all(id, type) as string[]).map(
      (d) => JSON.parse(d) as RecordOf[T],
    );
  }

  getItem(id: string, key: string): { item: BackupItem; raw: unknown; rawText: string; rawSha256: string } | null {
    const t = itemTextSql(this.db);
    const row = this.db.prepare(`SELECT ${t.data} AS data, ${t.raw} AS raw, raw_sha256 FROM items WHERE snapshot_id = ? AND key = ?`).get(id, key) as
      | { data: string; raw: string; raw_sha256: string }
      | undefined;
    if (!row) return null;
    return { item: JSON.parse(row.data) as BackupItem, raw: JSON.parse(row.raw) as unknown, rawText: row.raw, rawSha256: row.raw_sha256 };
  }

  /** Keys of items (in any snapshot) that match, for annotation target validation. */
  itemKeyExists(key: string): boolean {
    return this.db.prepare('SELECT 1 FROM items WHERE key = ? LIMIT 1').get(key) !== undefined;
  }

  query(id: string, q: ItemQuery): { items: BackupItem[]; total: number; next: { value: string | null; key: string } | null } {
    const { conds, params } = itemFilterSql(id, q.where ?? [], q.search);
    if (q.keys) {
      conds.push('key IN (SELECT value FROM json_each(@keys))');
      params.keys = JSON.stringify(q.keys);
    }
    const whereSql = conds.join(' AND ');
    const total = (this.db.prepare(`SELECT COUNT(*) FROM items WHERE ${whereSql}`).pluck(true).get(params) as number) ?? 0;
    const col = sortColumns[q.sort ?? 'key'];
    const dir = q.desc ? 'DESC' : 'ASC';
    const pageConds = [...conds];
    if (q.after) pageConds.push(keysetAfter(col, q.after, q.desc === true, params));
    const limit = q.limit ?? 100;
    params.lim = limit + 1;
    const order = col === 'key' ? `key ${dir}` : `${col} ${dir}, key ${dir}`;
    // The body is unpacked for the page's rows only, not for every row the sort passes.
    const body = hasItemBody(this.db);
    const rows = this.db.prepare(`SELECT ${col === 'key' ? 'key AS sv' : `${col} AS sv`}, key, ${body ? 'body' : 'data'} AS data FROM items WHERE ${pageConds.join(' AND ')} ORDER BY ${order} LIMIT @lim`).all(params) as Array<{ sv: string | null; key: string; data: string | Uint8Array }>;
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page[page.length - 1];
    return {
      items: page.map((r) => JSON.parse(body ? itemBodyData(r.data as Uint8Array) : (r.data as string)) as BackupItem),
      total,
      next: more && last ? { value: last.sv, key: last.key } : null,
    };
  }

  /** Deletes a snapshot as a whole; the deletion itself is recorded (append-only). */
  delete(id: string, reason: string, user: string, nowIso: string): void {
    if (!reason.trim()) throw new UserError('BAD_INPUT', 'deleting a snapshot needs a reason');
    const snap = this.detail(id).summary;
    this.beforeWrite();
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO snapshot_deletions (snapshot_id, deleted_at, deleted_by, reason, content_hash) VALUES (?, ?, ?, ?, ?)').run(id, nowIso, user, reason, snap.contentHash);
      this.db.prepare('DELETE FROM items WHERE snapshot_id = ?').run(id);
      this.db.prepare('DELETE FROM records WHERE snapshot_id = ?').run(id);
      this.db.prepare('DELETE FROM snapshots WHERE id = ?').run(id);
    })();
  }
}
