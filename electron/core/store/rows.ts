import { createHash } from 'node:crypto';
import type { Database as Db, Statement } from 'better-sqlite3';
import type { BackupItem, CoverageEntry, NormalisedRecord, Provenance, SnapshotSummary } from '../../../shared/domain/types.ts';
import { CANONICAL_VERSION, canonicalJson, sha256Hex } from './canonical.ts';
import { computeContentHash } from './content-hash.ts';
import { nameSortKey } from '../../../shared/domain/natural-sort.ts';
import { hasItemBody, packItemBody, packItemText, unpackItemBody } from './item-body.ts';
import type { HashSpool } from './hash-spool.ts';

/**
 * A record ready for the store, positionally. An item: the columns up to
 * size_gb, its body (normalised and raw JSON packed, item-body.ts; or the two
 * texts still unpacked, `{ data, raw }`, or already written as the body's
 * UTF-8 text into the batch's text buffer, `{ at, len }`, for the writing
 * thread to pack), raw_sha256 and the promoted columns; its name_key is added
 * by insertRows. Any other record: the records table's columns.
 */
export type PreparedRow = { item: true; values: unknown[] } | { item: false; values: unknown[] };

/** Where an item's body text sits in its batch's text buffer (see PreparedRow). */
export type TextAt = { at: number; len: number };

/** The item columns before the body, in PreparedRow order. */
const HEAD_COLUMNS = [
  'snapshot_id', 'key', 'row_hash', 'name', 'vault_key', 'vault_name', 'vault_kind', 'subscription_id', 'resource_group',
  'workload_type', 'backup_management_type', 'protection_state', 'protection_status', 'health_status', 'last_backup_status',
  'last_backup_time', 'policy_name', 'source_resource_key', 'soft_deleted', 'size_gb',
] as const;
/** Where row_hash sits in an item's PreparedRow values: null when the thread that packs the body works it out. */
const ROW_HASH_AT = HEAD_COLUMNS.indexOf('row_hash');
/** Where the body sits in an item's PreparedRow values (the parallel writer puts its text there). */
export const BODY_AT = HEAD_COLUMNS.length;

/**
 * The normalised fields promoted to columns by migration 010: the column, the
 * JSON member it holds and SQLite's operator that reads it (`->>` gives text,
 * a number, 1/0 or NULL; `->` gives JSON text, used for tags). Not hashed,
 * derived from the normalised record, each exactly what `data OP '$.member'`
 * gives, which `store verify` checks row by row.
 */
export const PROMOTED_FIELDS = [
  ['protected_item_health_status', 'protectedItemHealthStatus', '->>'],
  ['never_backed_up', 'neverBackedUp', '->>'],
  ['last_recovery_point', 'lastRecoveryPoint', '->>'],
  ['recovery_point_count', 'recoveryPointCount', '->>'],
  ['deferred_delete_time', 'deferredDeleteTime', '->>'],
  ['soft_delete_retention_days', 'softDeleteRetentionDays', '->>'],
  ['policy_id', 'policyId', '->>'],
  ['tags', 'tags', '->'],
  ['archive_enabled', 'archiveEnabled', '->>'],
  ['location', 'location', '->>'],
] as const;

const PROMOTED_COLUMNS = PROMOTED_FIELDS.map(([c]) => c);

/** Whether this store's items table has a column: a store opened with an earlier migration list (the migration tests) lacks name_key (008) or the promoted columns (010). */
export function hasItemColumn(db: Db, column: string): boolean {
  return db.prepare("SELECT 1 FROM pragma_table_info('items') WHERE name = ?").get(column) !== undefined;
}

function insertItemSql(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
}

/** What SQLite gives for a normalised JSON value: `->` the JSON text of any value present ('null' included); `->>` text and numbers as they are, 1/0 for booleans, NULL for null or missing, JSON text for an object or array. */
function extracted(v: unknown, op: '->' | '->>'): unknown {
  if (v === undefined) return null;
  if (op === '->') return canonicalJson(v);
  if (v === null) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'object') return canonicalJson(v);
  return v;
}

/** The promoted columns' values of an item, in PROMOTED_FIELDS order. */
function promotedValues(it: BackupItem): unknown[] {
  const o = it as unknown as Record<string, unknown>;
  return PROMOTED_FIELDS.map(([, m, op]) => extracted(o[m], op));
}
export const INSERT_RECORD_SQL = 'INSERT INTO records (snapshot_id, type, key, row_hash, data, raw, raw_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)';

/** The raw JSON text the store keeps and hashes: the source text when the importer has it (canonical version 2), else the value serialised. */
export function rawText(rec: Pick<NormalisedRecord, 'raw' | 'rawText'>): string {
  return rec.rawText ?? JSON.stringify(rec.raw) ?? 'null';
}

/**
 * `pack` false leaves the item's texts for insertRows to pack: the parallel
 * writer hands that work to its writer thread while that thread has time.
 */
export function prepareRow(snapshotId: string, rec: NormalisedRecord, pack = true, hashSpool?: Pick<HashSpool, 'add'>): PreparedRow {
  const data = canonicalJson(rec.data);
  // An unpacked item's row_hash is left to the thread that packs it (insertRows), which has the text at hand.
  const rowHash = !pack && rec.type === 'item' ? null : sha256Hex(data);
  const raw = rawText(rec);
  const rawSha = sha256Hex(raw);
  hashSpool?.add(rec.type, rec.key, data, rawSha);
  if (rec.type === 'item') {
    const it: BackupItem = rec.data;
    return {
      item: true,
      values: [
        snapshotId, rec.key, rowHash, it.name, it.vaultKey, it.vaultName, it.vaultKind, it.subscriptionId, it.resourceGroup,
        it.workloadType, it.backupManagementType, it.protectionState, it.protectionStatus, it.healthStatus, it.lastBackupStatus,
        it.lastBackupTime, it.policyName, it.sourceResourceKey, it.softDeleted ? 1 : 0, it.sizeGb, pack ? packItemBody(data, raw) : { data, raw }, rawSha,
        ...promotedValues(it),
      ],
    };
  }
  return { item: false, values: [snapshotId, rec.type, rec.key, rowHash, data, raw, rawSha] };
}

/** What a snapshot row records besides its items: written by finishSnapshot when the transaction commits. */
export type NewSnapshot = {
  id?: string;
  label: string | null;
  createdAt: string;
  asOf: string;
  source: 'import' | 'live';
  complete: boolean;
  provenance: Provenance;
  coverage: CoverageEntry[];
};

/**
 * How this store takes item rows. Since migration 011 (`body`): into a
 * temporary table of the connection, copied into items in key order when the
 * snapshot commits (finishSnapshot), so the clustered table's pages fill as
 * an append does whatever order the export listed the items in. A store
 * opened with an earlier migration list (the migration tests) takes them as
 * that schema had them: data and raw columns, with or without name_key (008)
 * and the promoted columns (010).
 */
export type RowStatements = { item: Statement; record: Statement; body: boolean; promoted: boolean; nameKey: boolean };

/** The temporary table a snapshot's items wait in until commit (one writer per connection at a time). */
const STAGE = 'temp.items_stage';

/** The insert for the items table as this store has it (see hasItemColumn). */
export function rowStatements(db: Db): RowStatements {
  const body = hasItemBody(db);
  const nameKey = hasItemColumn(db, 'name_key');
  const promoted = hasItemColumn(db, 'policy_id');
  if (body) {
    db.exec(`DROP TABLE IF EXISTS ${STAGE}`);
    // Same columns, same declared types (so the same affinities) as items; no key, no index.
    db.exec(`CREATE TEMP TABLE items_stage AS SELECT * FROM main.items WHERE 0`);
    const columns = [...HEAD_COLUMNS, 'body', 'raw_sha256', ...PROMOTED_COLUMNS, 'name_key'];
    return { item: db.prepare(insertItemSql(STAGE, columns)), record: db.prepare(INSERT_RECORD_SQL), body, promoted, nameKey };
  }
  // The natural sort key of the name (migration 008) comes last; not hashed, derived from name (insertRows).
  const columns = [...HEAD_COLUMNS, 'data', 'raw', 'raw_sha256', ...(promoted ? PROMOTED_COLUMNS : []), ...(nameKey ? ['name_key'] : [])];
  return { item: db.prepare(insertItemSql('items', columns)), record: db.prepare(INSERT_RECORD_SQL), body, promoted, nameKey };
}

/**
 * Inserts prepared rows. An item's name_key (migration 008) is derived here,
 * on the thread that writes, from the name (values[3]): a prepared row
 * crossing to the writer worker carries the name once, not twice (a
 * 12 Mi-character name is the importer's limit).
 */
export function insertRows(st: RowStatements, rows: PreparedRow[], texts?: Uint8Array): void {
  const full = BODY_AT + 2 + PROMOTED_COLUMNS.length;
  for (const r of rows) {
    if (!r.item) {
      st.record.run(r.values);
      continue;
    }
    // The row is this writer's own (prepared here or received by message): changed in place, no copy.
    const values = r.values;
    if (values.length !== full) throw new Error(`an item row has ${values.length} values, not ${full}`);
    let body = values[BODY_AT] as Uint8Array | { data: string; raw: string } | TextAt;
    if (!(body instanceof Uint8Array) && 'at' in body) {
      if (!texts) throw new Error('an item row refers to a text buffer it did not come with');
      if (body.at < 0 || body.len < 0 || body.at + body.len > texts.length) throw new Error('an item row refers past its text buffer');
      // row_hash: SHA-256 of the normalised JSON's UTF-8, the bytes before the text's first newline.
      if (values[ROW_HASH_AT] === null) {
        const nl = texts.indexOf(0x0a, body.at);
        if (nl < 0 || nl >= body.at + body.len) throw new Error('an item text holds no newline between its normalised and raw JSON');
        values[ROW_HASH_AT] = createHash('sha256').update(texts.subarray(body.at, nl)).digest('hex');
      }
      body = packItemText(texts, body.at, body.len);
      if (st.body) values[BODY_AT] = body;
    } else if (values[ROW_HASH_AT] === null && !(body instanceof Uint8Array)) values[ROW_HASH_AT] = sha256Hex(body.data);
    if (st.body) {
      if (!(body instanceof Uint8Array)) values[BODY_AT] = packItemBody(body.data, body.raw);
    } else {
      const { data, raw } = body instanceof Uint8Array ? unpackItemBody(body) : body;
      values.splice(BODY_AT, 1, data, raw);
      if (!st.promoted) values.length = BODY_AT + 3;
    }
    if (st.nameKey) values.push(nameSortKey(values[3] as string));
    st.item.run(values);
  }
}

/** Moves the staged items of the open transaction into items, in key order (see RowStatements); nothing when none are staged. */
export function placeStagedItems(db: Db): void {
  if (!db.prepare("SELECT 1 FROM temp.sqlite_master WHERE name = 'items_stage'").get()) return;
  db.exec(`INSERT INTO main.items SELECT * FROM ${STAGE} ORDER BY key`);
  db.exec(`DROP TABLE ${STAGE}`);
}

/** Computes the content hash, writes the snapshot row and commits the open transaction. */
/**
 * `contentHash`, when given, is the hash the preparing thread worked out from
 * the same texts it sent (hash-spool.ts); otherwise it is computed here from
 * the stored rows.
 */
export function finishSnapshot(db: Db, id: string, itemCount: number, meta: NewSnapshot, contentHash: string | null = null): SnapshotSummary {
  // Outside its transaction the snapshot row would be committed on its own, without (all) its items.
  if (!db.inTransaction) throw new Error('the snapshot transaction is no longer open; nothing was stored');
  placeStagedItems(db);
  contentHash ??= computeContentHash(db, id);
  db.prepare(`INSERT INTO snapshots (id, label, created_at, as_of, source, item_count, content_hash, complete, canonical_version, provenance, coverage)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
    id, meta.label, meta.createdAt, meta.asOf, meta.source, itemCount, contentHash, meta.complete ? 1 : 0, CANONICAL_VERSION,
    JSON.stringify(meta.provenance), JSON.stringify(meta.coverage),
  );
  db.exec('COMMIT');
  return {
    id, label: meta.label, createdAt: meta.createdAt, asOf: meta.asOf, source: meta.source, itemCount, contentHash,
    complete: meta.complete, canonicalVersion: CANONICAL_VERSION,
  };
}
