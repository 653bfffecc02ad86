import type { Migration } from './migration.ts';

/**
 * Annotations: an append-only, hash-chained change log (`annotation_log`),
 * the current value of every (target, field) kept in sync with it in the same
 * transaction (`annotation_values`, re-derivable by replaying the log), the
 * chain heads recorded by evidence packs (`annotation_log_heads`) so a deleted
 * tail is detectable, and a small `settings` table (display name, store id).
 *
 * The triggers stop ordinary UPDATE / DELETE on the log and the heads; a user
 * who drops them with raw SQL is caught by `log verify` (hashes and heads).
 */
export const migration002Annotations: Migration = {
  id: 2,
  name: 'annotations',
  sql: `
CREATE TABLE annotation_log (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  at TEXT NOT NULL,
  user TEXT NOT NULL,
  display_name TEXT,
  target TEXT NOT NULL,
  field TEXT NOT NULL,
  old_value TEXT NOT NULL,
  new_value TEXT NOT NULL,
  reason TEXT,
  applied INTEGER NOT NULL CHECK (applied IN (0,1)),
  merged_from TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX annotation_log_by_target ON annotation_log (target, seq);

CREATE TRIGGER annotation_log_no_update BEFORE UPDATE ON annotation_log
BEGIN SELECT RAISE(ABORT, 'the annotation log is append-only'); END;
CREATE TRIGGER annotation_log_no_delete BEFORE DELETE ON annotation_log
BEGIN SELECT RAISE(ABORT, 'the annotation log is append-only'); END;

CREATE TABLE annotation_values (
  target TEXT NOT NULL,
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  seq INTEGER NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (target, field)
) WITHOUT ROWID;

CREATE TABLE annotation_log_heads (
  pack_id TEXT PRIMARY KEY,
  count INTEGER NOT NULL CHECK (count >= 0),
  hash TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
CREATE TRIGGER annotation_log_heads_no_update BEFORE UPDATE ON annotation_log_heads
BEGIN SELECT RAISE(ABORT, 'recorded log heads are append-only'); END;
CREATE TRIGGER annotation_log_heads_no_delete BEFORE DELETE ON annotation_log_heads
BEGIN SELECT RAISE(ABORT, 'recorded log heads are append-only'); END;

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO settings (key, value) VALUES ('store.id', lower(hex(randomblob(16))));
`,
};
