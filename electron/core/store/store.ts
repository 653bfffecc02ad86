import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { storeErrorFromSqlite, UserError } from '../errors.ts';
import { sha256Hex } from './canonical.ts';
import { migrations as allMigrations } from './migrations/index.ts';
import { migrationIdsText, type Migration } from './migrations/migration.ts';
import { SnapshotRepository } from './snapshots.ts';
import { registerItemBodyFunctions } from './item-body.ts';

export type MigrationInfo = { applied: number[]; backupPath: string | null; /** Disk the upgrade was checked to need (backup + rebuilt indexes); 0 or absent when nothing held data. */ diskNeededBytes?: number };

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
  /** Opened from a read-only folder or file system: every write fails, and `path` is never written. */
  readonly readOnly: boolean;
  /** The private copy a read-only store is read from (null when the store file itself is open). */
  readonly workingCopy: string | null;

  /** Whether the whole file passed quick_check through this connection (before a migration, or before the first write). */
  private checkedWhole: boolean;

  constructor(db: Db, filePath: string, migration: MigrationInfo, readOnly: { copy: string } | null = null, checkedWhole = false) {
    this.db = db;
    this.path = filePath;
    this.dir = path.dirname(filePath);
    this.migration = migration;
    this.snapshots = new SnapshotRepository(db, () => this.checkBeforeWrite());
    this.readOnly = readOnly !== null;
    this.workingCopy = readOnly?.copy ?? null;
    this.checkedWhole = checkedWhole;
  }

  /**
   * Called before the first write through this connection (a snapshot, its
   * deletion, an annotation, a dataset): the whole file's quick_check, once.
   * A write into a damaged b-tree or free-list can spread the damage, so a
   * damaged store is refused before anything is written. Reads do not pay
   * it (about 1.5 s per 2 GB, up to 6 s cold): the catalogue was checked at
   * open, SQLite checks every page a read touches, and `store verify` runs
   * the full integrity_check.
   */
  checkBeforeWrite(): void {
    if (this.checkedWhole || this.readOnly) return;
    wholeFileCheck(this.db, this.path);
    this.checkedWhole = true;
  }

  private readonly closeHooks: Array<() => Promise<void> | void> = [];

  /**
   * Runs `hook` when this store closes, before its connection does: what else holds the file open for it (the
   * views' evaluation workers, electron/core/browse/evaluations.ts) lets go with it, instead of keeping a
   * connection and hundreds of MB of evaluation to a store the app has moved away from.
   */
  onClose(hook: () => Promise<void> | void): void {
    this.closeHooks.push(hook);
  }

  close(): void {
    const waits: Array<Promise<void>> = [];
    for (const hook of this.closeHooks.splice(0)) {
      const r = hook();
      if (r) waits.push(r);
    }
    if (this.db.open) this.db.close();
    if (!this.workingCopy) return;
    const dir = path.dirname(this.workingCopy);
    const remove = () => fs.rmSync(dir, { recursive: true, force: true });
    // A hook still letting go (a worker thread ending) may hold the working copy open: removed once it has
    // (Windows refuses to delete an open file). Nothing waits on it: removing a private copy is tidying only.
    if (waits.length === 0) remove();
    else void Promise.allSettled(waits).then(() => { try { remove(); } catch { /* left in the temp folder */ } });
  }
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** The whole file's quick_check; a damaged store is refused with the file named and nothing written. */
export function wholeFileCheck(db: Db, filePath: string): void {
  let quick: unknown;
  try {
    quick = db.pragma('quick_check', { simple: true });
  } catch (e) {
    throw damagedStore(filePath, e);
  }
  if (quick !== 'ok') throw new UserError('STORE', `store ${filePath} is damaged (quick_check: ${String(quick)}); it was left untouched`, { file: filePath });
}

/**
 * The per-item bulk tables: a read touches only the pages it reads, and
 * SQLite checks each of those as it reads it, so opening a store does not
 * walk them (the whole file is checked before a write and by `store verify`).
 */
const BULK_TABLES = new Set(['items', 'records', 'sizes_rows', 'billing_rows']);

/**
 * What every command relies on, checked at each open in milliseconds: the
 * schema, the migration record, the snapshot list and its deletions, the
 * annotation log and the dataset lists (quick_check per table, with its
 * indexes).
 */
function catalogueCheck(db: Db, filePath: string): void {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rootpage").pluck(true).all() as string[];
  for (const name of ['sqlite_master', ...tables.filter((t) => !BULK_TABLES.has(t))]) {
    const quick = db.pragma(`quick_check("${name.replace(/"/g, '""')}")`, { simple: true });
    if (quick !== 'ok') throw new UserError('STORE', `store ${filePath} is damaged (quick_check: ${String(quick)}); it was left untouched`, { file: filePath });
  }
}

function damagedStore(filePath: string, e: unknown): UserError {
  if (e instanceof UserError) return e;
  return new UserError('STORE', `${filePath} is not a usable SQLite store (${(e as Error).message}); it was left untouched`, { file: filePath });
}

/**
 * A file shorter than the page count its header records was cut short (a
 * copy that stopped, a full disk): SQLite would read the missing pages as
 * zeros only when a command reaches them. The header's count is trusted as
 * SQLite trusts it (non-zero, change counter equal to version-valid-for),
 * and only with no write-ahead log beside the file, whose frames may hold
 * the pages a checkpoint has not written yet.
 */
function cutShort(filePath: string, head: Buffer, size: number): { have: number; want: number } | null {
  if (head.length < 100) return null;
  const raw = head.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return null;
  const pages = head.readUInt32BE(28);
  if (pages === 0 || head.readUInt32BE(24) !== head.readUInt32BE(92)) return null;
  try {
    if (fs.statSync(`${filePath}-wal`).size > 0) return null;
  } catch {
    // No log beside it.
  }
  // A rollback journal beside it: a write (the store's first, before WAL is on) is still in progress.
  if (fs.existsSync(`${filePath}-journal`)) return null;
  const have = Math.floor(size / pageSize);
  return have < pages ? { have, want: pages } : null;
}

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
  let head: Buffer;
  let size: number;
  try {
    head = Buffer.alloc(100);
    head = head.subarray(0, fs.readSync(fd, head, 0, 100, 0));
    // The size after the header: another process creating the store writes page 1 (with its page count) before the
    // pages it counts, so a size taken before the header could be one page against a count of 37 (seen in CI).
    size = fs.fstatSync(fd).size;
  } finally {
    fs.closeSync(fd);
  }
  if (head.length < 16 || !head.subarray(0, 16).equals(SQLITE_MAGIC)) {
    throw new UserError('STORE', `${filePath} is not a Vaultproof store (not a SQLite database); it was left untouched`, { file: filePath });
  }
  const cut = cutShort(filePath, head, size);
  if (cut) {
    throw new UserError(
      'STORE',
      `${filePath} is not a usable SQLite store (database disk image is malformed); it was left untouched — the file holds ${cut.have} of the ${cut.want} pages its header records (cut short?)`,
      { file: filePath },
    );
  }
  return true;
}

/**
 * What an upgrade of a store that holds data tells as it goes (issue 17: an
 * upgrade says what it needs before it starts and shows progress): what it
 * will run and the disk it needs beside the store (and what is free, where the
 * file system says), the backup it takes first, each migration as it starts
 * and, for those that work row by row in JS (008, 011), rows done of the
 * total, then the compaction. Told on the thread that opens the store, in
 * the migration's transaction; a listener that throws is ignored.
 */
export type UpgradeEvent =
  | { step: 'start'; migrations: Array<{ id: number; name: string }>; diskNeededBytes: number; freeBytes: number | null }
  | { step: 'backup'; path: string }
  | { step: 'migration'; id: number; name: string; done: number; total: number | null }
  | { step: 'compact' };

export type OpenOptions = {
  readonly?: boolean;
  busyTimeoutMs?: number;
  /** Told what an upgrade of an existing store does as it goes (UpgradeEvent). */
  onUpgrade?: (e: UpgradeEvent) => void;
  /** tests only: a different migration list */
  migrations?: Migration[];
  /** tests only: free bytes in the store's folder (default: the file system's own figure) */
  freeBytes?: (dir: string) => number;
};

/**
 * Tests only: VAULTPROOF_TEST_MAX_PAGES caps the store's size in pages
 * (SQLite max_page_count, per connection), so a full disk can be simulated
 * without a tmpfs. Every connection that writes applies it.
 */
export function applyTestPageLimit(db: Db): void {
  const limit = Number(process.env.VAULTPROOF_TEST_MAX_PAGES);
  if (Number.isInteger(limit) && limit > 0) db.pragma(`max_page_count = ${limit}`);
}

/**
 * A new store is private whatever the umask: its folder 0700 (when we make
 * it) and the file 0600 before SQLite first opens it — SQLite gives the
 * -wal and -shm files the database's own mode, so they are private too.
 */
function createPrivateStoreFile(filePath: string): void {
  const dir = path.dirname(filePath);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new UserError('STORE', `cannot create the store folder ${dir}: ${(e as Error).message}`, { file: filePath });
  }
  try {
    const fd = fs.openSync(filePath, 'a', 0o600);
    try {
      fs.fchmodSync(fd, 0o600);
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    throw new UserError('STORE', `cannot create store ${filePath}: ${(e as Error).message}`, { file: filePath });
  }
}

/** Whether this user may write the store file and its folder (SQLite writes its -wal and -shm beside the file). */
function writable(filePath: string): boolean {
  try {
    fs.accessSync(filePath, fs.constants.W_OK);
    fs.accessSync(path.dirname(filePath), fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * A store on write-once media or in a read-only folder: SQLite cannot open a
 * WAL-mode file there even read-only (it must create the -shm beside it), so
 * it is read from a private copy (with its -wal, if one was left), opened
 * read-only. A store from an older Vaultproof is migrated in that copy only;
 * the archived file is never written.
 */
function openReadOnlyCopy(filePath: string, opts: OpenOptions): Store {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vaultproof-readonly-'));
  fs.chmodSync(tmp, 0o700);
  const copy = path.join(tmp, 'store.db');
  try {
    try {
      fs.copyFileSync(filePath, copy, fs.constants.COPYFILE_FICLONE);
      fs.chmodSync(copy, 0o600);
      if (fs.existsSync(`${filePath}-wal`)) {
        // Changes committed to the log but not yet to the file are part of the store.
        fs.copyFileSync(`${filePath}-wal`, `${copy}-wal`, fs.constants.COPYFILE_FICLONE);
        fs.chmodSync(`${copy}-wal`, 0o600);
      }
    } catch (e) {
      throw new UserError('STORE', `cannot read store ${filePath}: ${(e as Error).message}`, { file: filePath });
    }
    const list = opts.migrations ?? allMigrations;
    let db: Db = new Database(copy, { fileMustExist: true, timeout: opts.busyTimeoutMs ?? 5000 });
    try {
      catalogueCheck(db, filePath);
      const applied = checkSchema(db, filePath, list);
      if (applied.length === 0) refuseForeignDatabase(db, filePath);
      const pending = list.filter((m) => !applied.some((a) => a.id === m.id));
      if (pending.length > 0) {
        // Upgrading reads and rewrites indexes over the whole file: only a sound one.
        wholeFileCheck(db, filePath);
        runMigrations(db, list, upgradeTeller(opts.onUpgrade));
      }
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
    db = new Database(copy, { readonly: true, fileMustExist: true, timeout: opts.busyTimeoutMs ?? 5000 });
    db.pragma('foreign_keys = ON');
    registerItemBodyFunctions(db);
    return new Store(db, filePath, { applied: [], backupPath: null }, { copy });
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Puts the store in WAL mode, waiting out others as the busy timeout does.
 * Processes that open a new store at the same moment all switch it: in the
 * rollback journal each holds a shared lock and wants the exclusive one, and
 * SQLite answers one of them "database is locked" at once, without the busy
 * handler (it would deadlock), or leaves the mode as it was. Retried here
 * until the file is in WAL mode or the timeout passes. (CI saw "database is
 * locked" once with three processes creating one store; not reproduced
 * since, so which step answered it is not proven.)
 */
function switchToWal(db: Db, timeoutMs: number): void {
  const until = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      // As before once the time is up: the mode SQLite kept, and the busy timeout governs what follows.
      if (db.pragma('journal_mode = WAL', { simple: true }) === 'wal' || Date.now() >= until) return;
    } catch (e) {
      if (!String((e as { code?: unknown }).code ?? '').startsWith('SQLITE_BUSY') || Date.now() >= until) throw e;
    }
    Atomics.wait(pause, 0, 0, 20);
  }
}

export function openStore(filePath: string, opts: OpenOptions = {}): Store {
  const existed = checkExistingFile(filePath);
  if (!existed && !opts.readonly) createPrivateStoreFile(filePath);
  if (existed && !opts.readonly && !writable(filePath)) {
    try {
      return openReadOnlyCopy(filePath, opts);
    } catch (e) {
      if (e instanceof UserError) throw e;
      throw new UserError('STORE', `cannot open store ${filePath} (read-only): ${(e as Error).message}`, { file: filePath });
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
    registerItemBodyFunctions(db);
    catalogueCheck(db, filePath);
    const list = opts.migrations ?? allMigrations;
    // Refuse a file that is not ours, or is from a newer version, before anything writes to it
    // (switching to WAL rewrites the header).
    const applied = checkSchema(db, filePath, list);
    if (applied.length === 0 && !opts.readonly) refuseForeignDatabase(db, filePath);
    if (!opts.readonly) switchToWal(db, opts.busyTimeoutMs ?? 5000);
    db.pragma('synchronous = NORMAL');
    if (!opts.readonly) applyTestPageLimit(db);
    const info = opts.readonly ? { applied: [], backupPath: null } : migrate(db, filePath, list, opts.freeBytes ?? freeBytesIn, upgradeTeller(opts.onUpgrade));
    // A store that was upgraded passed the whole-file check first.
    return new Store(db, filePath, info, null, info.applied.length > 0);
  } catch (e) {
    db.close();
    if (e instanceof UserError) throw e;
    const msg = (e as Error).message;
    if (/not a database|file is encrypted|malformed/i.test(msg)) {
      throw new UserError('STORE', `${filePath} is not a usable SQLite store (${msg}); it was left untouched`, { file: filePath });
    }
    if (/readonly|read-only|SQLITE_CANTOPEN|unable to open/i.test(msg)) {
      // Reached when the store looked writable but SQLite could not write (e.g. a file system that turned read-only).
      throw new UserError('STORE', `cannot write to store ${filePath}: ${msg} — the store file or its folder is read-only for this user`, { file: filePath });
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

function freeBytesIn(dir: string): number {
  const st = fs.statfsSync(dir);
  return st.bavail * st.bsize;
}

const MB = 1024 * 1024;

/**
 * What upgrading a store that holds data needs on disk, before anything is
 * written: the backup (a compacted copy, at most the store's used pages) and,
 * while a migration's transaction runs, what it rewrites in the WAL: 006
 * rebuilds items_analysis (about an eighth of a store), 008 writes name_key
 * into every item row and indexes it (about 1.6x the backup of a 100k store,
 * measured: 914 MB backup, 584 MB WAL), 011 writes items again at about a
 * fifth of their size and compacts the file after (compactAfterUpgrade).
 * Counted generously: the whole store again on top of the backup.
 */
function diskNeeded(db: Db): { total: number; backup: number; work: number } {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db.pragma('page_count', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  const backup = (pages - free) * pageSize;
  const work = backup;
  return { total: backup + work, backup, work };
}

type Tell = (e: UpgradeEvent) => void;

/** The listener, with its failures ignored: telling must never stop an upgrade half-way. */
function upgradeTeller(listener: ((e: UpgradeEvent) => void) | undefined): Tell {
  return (e) => {
    try {
      listener?.(e);
    } catch {
      // ignored, as documented on UpgradeEvent
    }
  };
}

function migrate(db: Db, filePath: string, migrations: Migration[], freeBytes: (dir: string) => number, tell: Tell): MigrationInfo {
  const applied = checkSchema(db, filePath, migrations);
  const done = new Set(applied.map((r) => r.id));
  const pending = migrations.filter((m) => !done.has(m.id));
  if (pending.length === 0) return { applied: [], backupPath: null };
  let backupPath: string | null = null;
  let diskNeededBytes = 0;
  if (applied.length > 0) {
    // Never back up or rebuild indexes over a damaged file.
    wholeFileCheck(db, filePath);
    // Say what the upgrade needs before starting it: a disk that fills half-way through the
    // backup or an index rebuild is found out minutes in; this is found out now, with nothing changed.
    const need = diskNeeded(db);
    diskNeededBytes = need.total;
    let free = Infinity;
    try {
      free = freeBytes(path.dirname(filePath));
    } catch {
      // A file system that cannot say: go on, as before this check existed.
    }
    if (free < need.total) {
      const ids = migrationIdsText(pending.map((m) => m.id));
      throw new UserError(
        'STORE',
        `upgrading store ${filePath} (schema migration ${ids}) needs about ${Math.ceil(need.total / MB)} MB free beside it (a ${Math.ceil(need.backup / MB)} MB backup first, then up to ${Math.ceil(need.work / MB)} MB while indexes are rebuilt); only ${Math.floor(free / MB)} MB are free. Free some space and open it again — nothing was changed`,
        { file: filePath },
      );
    }
    tell({ step: 'start', migrations: pending.map((m) => ({ id: m.id, name: m.name })), diskNeededBytes: need.total, freeBytes: Number.isFinite(free) ? free : null });
    // Back up a store that already holds data before changing its schema.
    const dir = path.join(path.dirname(filePath), 'backups');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    backupPath = path.join(dir, `${path.basename(filePath, '.db')}-schema${Math.max(...done)}-${stamp}.db`);
    tell({ step: 'backup', path: backupPath });
    db.prepare('VACUUM INTO ?').run(backupPath);
    fs.chmodSync(backupPath, 0o600);
  }
  // A new store's first migrations are not an upgrade: nothing to tell.
  const ran = runMigrations(db, migrations, applied.length > 0 ? tell : () => {});
  compactAfterUpgrade(db, applied.length > 0 ? tell : () => {});
  return { applied: ran, backupPath, diskNeededBytes };
}

/**
 * A migration that rebuilds a table (011 rewrote items at about a fifth of
 * its size) leaves the old pages free inside the file: the store would stay
 * as big as before on disk. When more than a quarter of the file is free
 * after an upgrade, it is compacted (VACUUM, then the log folded back into
 * the file). A store that cannot be compacted now (another process reading
 * it) is still sound and is compacted at a later upgrade.
 */
function compactAfterUpgrade(db: Db, tell: Tell): void {
  const pages = db.pragma('page_count', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  if (free * 4 <= pages) return;
  tell({ step: 'compact' });
  try {
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    // Left as it is: free pages are reused by the next snapshots.
  }
}

/** How often a row-by-row migration tells its progress: every tenth of its rows, and never more often than every 1,000 rows. */
const progressStep = (total: number | null): number => Math.max(1000, Math.ceil((total ?? 0) / 10));

/**
 * Applies every migration not yet recorded, each in its own transaction;
 * returns the ids it ran. A migration whose SQL calls JS functions once per
 * row of `rowsOf` (008, 011) is told as rows done of that table's rows.
 */
function runMigrations(db: Db, migrations: Migration[], tell: Tell = () => {}): number[] {
  // Under the write lock taken first (BEGIN IMMEDIATE waits out the busy timeout), like each migration below.
  db.transaction(() => db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, hash TEXT NOT NULL, applied_at TEXT NOT NULL)')).immediate();
  const record = db.prepare('INSERT INTO schema_migrations (id, name, hash, applied_at) VALUES (?, ?, ?, ?)');
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE id = ?');
  const done = new Set((db.prepare('SELECT id FROM schema_migrations').pluck(true).all() as number[]));
  const ran: number[] = [];
  for (const m of migrations.filter((x) => !done.has(x.id))) {
    let rows = 0;
    let total: number | null = null;
    let step = progressStep(null);
    // Outside the transaction: better-sqlite3 refuses to register a function while a statement runs.
    // Each function counts its calls (one per row of rowsOf); the value it returns is the migration's own.
    for (const f of m.functions ?? []) {
      const fn = f.fn as (...args: unknown[]) => unknown;
      db.function(f.name, { deterministic: true, varargs: true }, (...args: unknown[]) => {
        if (++rows % step === 0) tell({ step: 'migration', id: m.id, name: m.name, done: rows, total });
        return fn(...args);
      });
    }
    // The app and the CLI may open a new or old store at the same moment: take the write lock
    // first (waiting out the busy timeout), then look again — the other one may have migrated it.
    db.transaction(() => {
      if (isApplied.get(m.id) !== undefined) return;
      total = m.rowsOf ? (db.prepare(`SELECT count(*) FROM ${m.rowsOf}`).pluck(true).get() as number) : null;
      step = progressStep(total);
      tell({ step: 'migration', id: m.id, name: m.name, done: 0, total });
      db.exec(m.sql);
      if (total !== null && rows % step !== 0) tell({ step: 'migration', id: m.id, name: m.name, done: rows, total });
      record.run(m.id, m.name, sha256Hex(m.sql), new Date().toISOString());
      ran.push(m.id);
    }).immediate();
  }
  return ran;
}
