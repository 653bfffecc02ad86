import type { Database as Db } from 'better-sqlite3';
import type { Annotation, AnnotationIndex } from '../../../shared/domain/annotations.ts';
import type { AnnotationLogEntry, EntryKind, MergedFrom } from '../../../shared/contract/methods/annotations.ts';
import { UserError } from '../errors.ts';
import type { Store } from '../store/store.ts';
import { buildAnnotation, isAnnotationTarget, type SlotValue } from './fields.ts';
import { entryHash, GENESIS_HASH, newId } from './hash.ts';

/** A change about to be appended; seq, hashes and (by default) id are assigned on append. */
export type EntryDraft = {
  id?: string;
  kind: EntryKind;
  at: string;
  user: string;
  displayName: string | null;
  target: string;
  field: string;
  oldValue: unknown;
  newValue: unknown;
  reason: string | null;
  /** false for a merged entry that lost a conflict: kept as history, not applied. */
  applied?: boolean;
  mergedFrom?: MergedFrom | null;
};

export type LogRow = {
  seq: number;
  id: string;
  kind: string;
  at: string;
  user: string;
  display_name: string | null;
  target: string;
  field: string;
  old_value: string;
  new_value: string;
  reason: string | null;
  applied: number;
  merged_from: string | null;
  prev_hash: string;
  hash: string;
};

export function rowToEntry(r: LogRow): AnnotationLogEntry {
  return {
    seq: r.seq,
    id: r.id,
    kind: r.kind as EntryKind,
    at: r.at,
    user: r.user,
    displayName: r.display_name,
    target: r.target,
    field: r.field,
    oldValue: JSON.parse(r.old_value) as unknown,
    newValue: JSON.parse(r.new_value) as unknown,
    reason: r.reason,
    applied: r.applied === 1,
    mergedFrom: r.merged_from === null ? null : (JSON.parse(r.merged_from) as MergedFrom),
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** The annotations of every target, from the current-values table (kept in sync with the log). */
export function loadAnnotationIndex(store: Store): AnnotationIndex {
  const rows = store.db.prepare('SELECT target, field, value, seq FROM annotation_values ORDER BY target, seq').all() as Array<{
    target: string;
    field: string;
    value: string;
    seq: number;
  }>;
  const byTarget = new Map<string, SlotValue[]>();
  for (const r of rows) {
    if (!isAnnotationTarget(r.target)) continue;
    let list = byTarget.get(r.target);
    if (!list) {
      list = [];
      byTarget.set(r.target, list);
    }
    list.push({ field: r.field, value: JSON.parse(r.value) as unknown, seq: r.seq });
  }
  const index = new Map<string, Annotation>();
  for (const [target, slots] of byTarget) index.set(target, buildAnnotation(target, slots));
  return index;
}

/** One target's annotation, or null when nothing was ever set on it. */
export function loadAnnotation(store: Store, target: string): Annotation | null {
  const rows = store.db.prepare('SELECT field, value, seq FROM annotation_values WHERE target = ? ORDER BY seq').all(target) as Array<{
    field: string;
    value: string;
    seq: number;
  }>;
  if (rows.length === 0) return null;
  return buildAnnotation(
    target,
    rows.map((r) => ({ field: r.field, value: JSON.parse(r.value) as unknown, seq: r.seq })),
  );
}

export type SlotState = { value: unknown; seq: number; at: string } | null;

export function currentSlot(db: Db, target: string, field: string): SlotState {
  const r = db.prepare('SELECT value, seq, at FROM annotation_values WHERE target = ? AND field = ?').get(target, field) as
    | { value: string; seq: number; at: string }
    | undefined;
  return r ? { value: JSON.parse(r.value) as unknown, seq: r.seq, at: r.at } : null;
}

/** The chain's head: number of entries and the hash of the last one (GENESIS_HASH when empty). */
export function annotationLogHead(store: Store): { count: number; hash: string } {
  const r = store.db.prepare('SELECT seq, hash FROM annotation_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  return r ? { count: r.seq, hash: r.hash } : { count: 0, hash: GENESIS_HASH };
}

/**
 * The chain's head as one text, its last entry's seq and hash ("0:" for an
 * empty log or a store without one): what is worked out from the annotations
 * is keyed by it (the UI's evaluations, browse/), and the two threads of a
 * big findings report check they read the same (analysis/findings-split.ts).
 */
export function logHead(db: Db): string {
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'annotation_log'").get() === undefined) return '0:';
  const r = db.prepare('SELECT seq, hash FROM annotation_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  return r ? `${r.seq}:${r.hash}` : '0:';
}

/**
 * Records the head an evidence pack put into its manifest. `log verify`
 * later checks the chain still holds an entry `count` with this hash, which
 * is how a deleted tail is detected. Recording the same head twice is a no-op.
 */
export function recordLogHead(store: Store, head: { packId: string; count: number; hash: string; at: string }): void {
  const existing = store.db.prepare('SELECT count, hash FROM annotation_log_heads WHERE pack_id = ?').get(head.packId) as
    | { count: number; hash: string }
    | undefined;
  if (existing) {
    if (existing.count === head.count && existing.hash === head.hash) return;
    throw new UserError('CONFLICT', `pack ${head.packId} already recorded annotation log head ${existing.count}/${existing.hash}; refusing to record ${head.count}/${head.hash}`);
  }
  store.db.prepare('INSERT INTO annotation_log_heads (pack_id, count, hash, recorded_at) VALUES (?, ?, ?, ?)').run(head.packId, head.count, head.hash, head.at);
}

export type RecordedHead = { packId: string; count: number; hash: string; recordedAt: string };

export function recordedHeads(store: Store): RecordedHead[] {
  return (store.db.prepare('SELECT pack_id, count, hash, recorded_at FROM annotation_log_heads ORDER BY count, pack_id').all() as Array<{
    pack_id: string;
    count: number;
    hash: string;
    recorded_at: string;
  }>).map((r) => ({ packId: r.pack_id, count: r.count, hash: r.hash, recordedAt: r.recorded_at }));
}

/**
 * Appends entries to the chain and brings the current values in line, in one
 * transaction (nested calls join the caller's transaction). IMMEDIATE, so a
 * second process writing to the same store waits for the lock instead of
 * reading a stale head. Returns the entries as stored.
 */
export function appendEntries(store: Store, drafts: EntryDraft[]): AnnotationLogEntry[] {
  store.checkBeforeWrite();
  const db = store.db;
  const insert = db.prepare(`INSERT INTO annotation_log (seq, id, kind, at, user, display_name, target, field, old_value, new_value, reason, applied, merged_from, prev_hash, hash)
    VALUES (@seq, @id, @kind, @at, @user, @display_name, @target, @field, @old_value, @new_value, @reason, @applied, @merged_from, @prev_hash, @hash)`);
  const upsert = db.prepare(`INSERT INTO annotation_values (target, field, value, seq, at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (target, field) DO UPDATE SET value = excluded.value, seq = excluded.seq, at = excluded.at`);
  const remove = db.prepare('DELETE FROM annotation_values WHERE target = ? AND field = ?');
  const out: AnnotationLogEntry[] = [];
  db.transaction(() => {
    let head = annotationLogHead(store);
    for (const d of drafts) {
      const base = {
        seq: head.count + 1,
        id: d.id ?? newId(Date.parse(d.at) || Date.now()),
        kind: d.kind,
        at: d.at,
        user: d.user,
        displayName: d.displayName,
        target: d.target,
        field: d.field,
        oldValue: d.oldValue ?? null,
        newValue: d.newValue ?? null,
        reason: d.reason,
        applied: d.applied ?? true,
        mergedFrom: d.mergedFrom ?? null,
        prevHash: head.hash,
      };
      const entry: AnnotationLogEntry = { ...base, hash: entryHash(base) };
      insert.run({
        seq: entry.seq,
        id: entry.id,
        kind: entry.kind,
        at: entry.at,
        user: entry.user,
        display_name: entry.displayName,
        target: entry.target,
        field: entry.field,
        old_value: JSON.stringify(entry.oldValue),
        new_value: JSON.stringify(entry.newValue),
        reason: entry.reason,
        applied: entry.applied ? 1 : 0,
        merged_from: entry.mergedFrom === null ? null : JSON.stringify(entry.mergedFrom),
        prev_hash: entry.prevHash,
        hash: entry.hash,
      });
      if (entry.applied) {
        if (entry.newValue === null) remove.run(entry.target, entry.field);
        else upsert.run(entry.target, entry.field, JSON.stringify(entry.newValue), entry.seq, entry.at);
      }
      out.push(entry);
      head = { count: entry.seq, hash: entry.hash };
    }
  }).immediate();
  return out;
}

export function readLog(store: Store, opts: { target?: string; afterSeq?: number; limit?: number } = {}): AnnotationLogEntry[] {
  const conds: string[] = [];
  const params: Record<string, unknown> = {};
  if (opts.target !== undefined) {
    conds.push('target = @target');
    params.target = opts.target;
  }
  if (opts.afterSeq !== undefined) {
    conds.push('seq > @after');
    params.after = opts.afterSeq;
  }
  const where = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
  const limit = opts.limit !== undefined ? `LIMIT ${Math.max(0, Math.floor(opts.limit))}` : '';
  const rows = store.db.prepare(`SELECT * FROM annotation_log ${where} ORDER BY seq ${limit}`).all(params) as LogRow[];
  return rows.map(rowToEntry);
}

export function* iterateLog(store: Store): Generator<AnnotationLogEntry> {
  for (const r of store.db.prepare('SELECT * FROM annotation_log ORDER BY seq').iterate() as Iterable<LogRow>) yield rowToEntry(r);
}

/** Known entry ids (own and merged) — merge skips entries it already holds. */
export function knownEntryIds(store: Store): Set<string> {
  return new Set(store.db.prepare('SELECT id FROM annotation_log').pluck(true).all() as string[]);
}

export function getSetting(store: Store, key: string): string | null {
  const v = store.db.prepare('SELECT value FROM settings WHERE key = ?').pluck(true).get(key) as string | undefined;
  return v ?? null;
}

export function setSetting(store: Store, key: string, value: string | null): void {
  if (value === null) store.db.prepare('DELETE FROM settings WHERE key = ?').run(key);
  else store.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

export function storeId(store: Store): string {
  return getSetting(store, 'store.id') ?? 'unknown';
}
