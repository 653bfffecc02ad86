/**
 * One schema migration. Its own module so that the migration files and the
 * list in index.ts do not import each other.
 */
export type Migration = {
  /** Contiguous from 1, never reused; the file is named by it (`004-….ts`). */
  id: number;
  name: string;
  /** Executed in one transaction. Its SHA-256 is recorded; an edited migration is refused. */
  sql: string;
  /**
   * SQL functions the migration's SQL calls (a backfill computed in JS, such
   * as 008's natural name key), registered on the connection, deterministic,
   * before the transaction starts. The SQL names each one and the name carries
   * its version (`vp_name_key_v1`), so the recorded SHA-256 of the SQL still
   * says what ran: a changed function is a new name, hence a new migration.
   * Only the migration's own statements may call them, never the schema it
   * leaves (an index or trigger on one would break every other SQLite client).
   */
  functions?: ReadonlyArray<{ name: string; fn: (...args: never[]) => unknown }>;
  /**
   * The table whose every row the functions are called for once (a backfill):
   * an upgrade tells its progress as calls made of that table's rows (store.ts
   * UpgradeEvent). Not part of the recorded SQL.
   */
  rowsOf?: 'items';
};

/** Migration ids as a person reads them, in order: three digits each, as the files are named ("010, 011"). */
export function migrationIdsText(ids: readonly number[]): string {
  return ids.map((id) => String(id).padStart(3, '0')).join(', ');
}
