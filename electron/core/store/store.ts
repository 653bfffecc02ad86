import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { UserError } from '../errors.ts';
import { sha256Hex } from './canonical.ts';
import { migrations as allMigrations, type Migration } from './migrations/index.ts';
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
    if (!opts.readonly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    const quick = db.pragma('quick_check', { simple: true });
    if (quick !== 'ok') throw new UserError('STORE', `store ${filePath} is damaged (quick_check: ${String(quick)}); it was left untouched`, { file: filePath });
    const list = opts.migrations ?? allMigrations;
    const info = opts.readonly ? { applied: [], backupPath: null } : migrate(db, filePath, list);
    if (opts.readonly) checkSchema(db, filePath, list);
    return new Store(db, filePath, info);
  } catch (e) {
    db.close();
    if (e instanceof UserError) throw e;
    const msg = (e as Error).message;
    if (/not a database|file is encrypted|malformed/i.test(msg)) {
      throw new UserError('STORE', `${filePath} is not a usable SQLite store (${msg}); it was left untouched`, { file: filePath });
    }
    if (/readonly|read-only|SQLITE_CANTOPEN|unable to open/i.test(msg)) {
      throw new UserError('STORE', `cannot write to store ${filePath}: ${msg}`, { file: filePath });
    }
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
  for (const m of pending) {
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.id, m.name, sha256Hex(m.sql), new Date().toISOString());
    })();
  }
  return { applied: pending.map((m) => m.id), backupPath };
}
