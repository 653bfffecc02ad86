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
};
