import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { storeErrorFromSqlite, UserError } from '../errors.ts';
import { sha256Hex } from './canonical.ts';
import { migrations as allMigrations } from './migrations/index.ts';
import type { Migration } from './migrations/migration.ts';
import { SnapshotRepository } from './snapshots.ts';

export type MigrationInfo = { applied: number[]; backupPath: string | null };

/**
 * The SQLite store. One file; its folder also holds `backups/` (taken before
 * each migration) and `identities/` (encrypted signing keys).
 */
export class Store {
  readonly db: Db;
  readonly path: string;
  readonly dir: string;
  readonly snapshots: SnapshotRepository;
  readonly migration: MigrationInfo;

  constructor(db: Db, filePath: string, migration: MigrationInfo) {
    this.db = db;
    this.path = filePath;
    this.dir = path.dirname(filePath);
    this.migration = migration;
    this.snapshots = new SnapshotRepository(db);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

function checkExistingFile(filePath: string): boolean {
  let st: fs.Stats;
  try {
    st = fs.statSync(filePath);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new UserError('STORE', `cannot open store ${filePath}: ${(e as Error).message}`, { file: filePath });
  }
  if (st.isDirectory()) throw new UserError('STORE', `store path ${filePath} is a directory, expected a SQLite file`, { file: filePath });
  if (st.size === 0) return false;
  const fd = fs.openSync(filePath, 'r');
  try {
    const head = Buffer.alloc(16);
    fs.readSync(fd, head, 0, 16, 0);
    if (!head.equals(SQLITE_MAGIC)) {
      throw new UserError('STORE', `${filePath} is not a Vaultproof store (not a SQLite database); it was left untouched`, { file: filePath });
    }
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

export type OpenOptions = { readonly?: boolean; busyTimeoutMs?: number; /** tests only: a different migration list */ migrations?: Migration[] };

/**
 * Tests only: VAULTPROOF_TEST_MAX_PAGES caps the store's size in pages
 * (SQLite max_page_count, per connection), so a full disk can be simulated
 * without a tmpfs. Every connection that writes applies it.
 */
export function applyTestPageLimit(db: Db): void {
  const limit = Number(process.env.VAULTPROOF_TEST_MAX_PAGES);
  if (Number.isInteger(limit) && limit > 0) db.pragma(`max_page_count = ${limit}`);
}

export function openStore(filePath: string, opts: OpenOptions = {}): Store {
  const existed = checkExistingFile(filePath);
  if (!existed && !opts.readonly) {
    try {
      fs.mkdirSync(path.dirname(filePath), { recursive: true });
    } catch (e) {
      throw new UserError('STORE', `cannot create the store folder ${path.dirname(filePath)}: ${(e as Error).message}`, { file: filePath });
    }
  }
  let db: Db;
  try {
    db = new Database(filePath, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false, timeout: opts.busyTimeoutMs ?? 5000 });
  } catch (e) {
    throw new UserError('STORE', `cannot open store ${filePath}: ${(e as Error).message}`, { file: filePath });
  }
  try {
    if (!existed && !opts.readonly) db.pragma('page_size = 16384');
    db.pragma('foreign_keys = ON');
    const quick = db.pragma('quick_check', { simple: true });
    if (quick !== 'ok') throw new UserError('STORE', `store ${filePath} is damaged (quick_check: ${String(quick)}); it was left untouched`, { file: filePath });
    const list = opts.migrations ?? allMigrations;
    // Refuse a file that is not ours, or is from a newer version, before anything writes to it
    // (switching to WAL rewrites the header).
    const applied = checkSchema(db, filePath, list);
    if (applied.length === 0 && !opts.readonly) refuseForeignDatabase(db, filePath);
    if (!opts.readonly) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    if (!opts.readonly) applyTestPageLimit(db);
    const info = opts.readonly ? { applied: [], backupPath: null } : migrate(db, filePath, list);
    return new Store(db, filePath, info);
  } catch (e) {
    db.close();
    if (e instanceof UserError) throw e;
    const msg = (e as Error).message;
    if (/not a database|file is encrypted|malformed/i.test(msg)) {
      throw new UserError('STORE', `${filePath} is not a usable SQLite store (${msg}); it was left untouched`, { file: filePath });
    }
    if (/readonly|read-only|SQLITE_CANTOPEN|unable to open/i.test(msg)) {
      // SQLite keeps its write-ahead log beside the store, so even reading needs a writable file and folder.
      throw new UserError('STORE', `cannot write to store ${filePath}: ${msg} — the store file or its folder is read-only for this user (Vaultproof writes beside the store even to read it)`, { file: filePath });
    }
    const known = storeErrorFromSqlite((e as { code?: unknown }).code, msg);
    if (known) throw new UserError('STORE', `cannot open store ${filePath}: ${known.message}`, { file: filePath });
    throw new UserError('STORE', `cannot open store ${filePath}: ${msg}`, { file: filePath });
  }
}

type AppliedRow = { id: number; name: string; hash: string };

function appliedMigrations(db: Db): AppliedRow[] {
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_migrations'").get();
  if (!has) return [];
  return db.prepare('SELECT id, name, hash FROM schema_migrations ORDER BY id').all() as AppliedRow[];
}

function checkSchema(db: Db, filePath: string, migrations: Migration[]): AppliedRow[] {
  const applied = appliedMigrations(db);
  const known = new Map(migrations.map((m) => [m.id, m]));
  for (const row of applied) {
    const m = known.get(row.id);
    if (!m) {
      throw new UserError(
        'STORE',
        `store ${filePath} was written by a newer Vaultproof (schema migration ${row.id} "${row.name}" is unknown to this version); upgrade Vaultproof — the store was left untouched`,
        { file: filePath },
      );
    }
    if (sha256Hex(m.sql) !== row.hash) {
      throw new UserError('STORE', `store ${filePath}: migration ${row.id} "${row.name}" differs from the one applied (hash drift); refusing to open`, { file: filePath });
    }
  }
  return applied;
}

/** An SQLite file with tables but no schema record belongs to another program: never add our tables to it. */
function refuseForeignDatabase(db: Db, filePath: string): void {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name LIMIT 6").pluck(true).all() as string[];
  // schema_migrations alone: a first start that stopped before migration 001 committed.
  if (tables.length === 0 || tables.includes('schema_migrations')) return;
  throw new UserError(
    'STORE',
    `${filePath} is an SQLite database but not a Vaultproof store (it has tables ${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', …' : ''} and no Vaultproof schema record); it was left untouched`,
    { file: filePath },
  );
}

function migrate(db: Db, filePath: string, migrations: Migration[]): MigrationInfo {
  const applied = checkSchema(db, filePath, migrations);
  const done = new Set(applied.map((r) => r.id));
  const pending = migrations.filter((m) => !done.has(m.id));
  if (pending.length === 0) return { applied: [], backupPath: null };
  let backupPath: string | null = null;
  if (applied.length > 0) {
    // Back up a store that already holds data before changing its schema.
    const dir = path.join(path.dirname(filePath), 'backups');
    fs.mkdirSync(dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    backupPath = path.join(dir, `${path.basename(filePath, '.db')}-schema${Math.max(...done)}-${stamp}.db`);
    db.prepare('VACUUM INTO ?').run(backupPath);
  }
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, hash TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const record = db.prepare('INSERT INTO schema_migrations (id, name, hash, applied_at) VALUES (?, ?, ?, ?)');
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE id = ?');
  const ran: number[] = [];
  for (const m of pending) {
    // The app and the CLI may open a new or old store at the same moment: take the write lock
    // first (waiting out the busy timeout), then look again — the other one may have migrated it.
    db.transaction(() => {
      if (isApplied.get(m.id) !== undefined) return;
      db.exec(m.sql);
      record.run(m.id, m.name, sha256Hex(m.sql), new Date().toISOString());
      ran.push(m.id);
    }).immediate();
  }
  return { applied: ran, backupPath };
}
