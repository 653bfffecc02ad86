/**
 * Output-file guards: every command and RPC that writes a file or folder the
 * caller named goes through here first, so a mistyped path (or a hostile one
 * in web mode) can never replace the store, its journal files, its signing
 * identities or its backups, and never replaces anything else unless the
 * caller said so (`--force`, or an explicit confirm in the UI).
 *
 * Paths are compared after resolving symbolic links (the target's, or its
 * folder's when it does not exist yet) and, for files that exist, by device
 * and inode, so `./x/../store.db`, a symlink to the store and a hard link to
 * it are all the store.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';

/** What the guard must protect: the store the call works on (null when the caller has none). */
export type GuardContext = { storePath: string | null; /** the input field that named the target (for the error's details), when it is an option */ option?: string | undefined };

function where(abs: string, ctx: GuardContext): { file: string; details?: { option: string } } {
  return ctx.option ? { file: abs, details: { option: ctx.option } } : { file: abs };
}

/** Files SQLite keeps beside a database. */
const STORE_SIDE_FILES = ['', '-wal', '-shm', '-journal'];
/** Folders beside the store that hold what must never be replaced. */
const STORE_SIDE_FOLDERS = ['identities', 'backups'];

/** The path with every symbolic link resolved, as far as the path exists. */
export function realTarget(p: string): string {
  const abs = path.resolve(p);
  try {
    return fs.realpathSync(abs);
  } catch {
    const parent = path.dirname(abs);
    if (parent === abs) return abs;
    return path.join(realTarget(parent), path.basename(abs));
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    const sa = fs.statSync(a);
    const sb = fs.statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

/** `child` is `parent` or below it (both already resolved); a name that merely starts with ".." is inside. */
export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** Why `target` touches the store (its file, journal files, identities/ or backups/), or null. */
export function storePart(target: string, storePath: string | null): string | null {
  if (!storePath) return null;
  const real = realTarget(target);
  const store = realTarget(storePath);
  for (const suffix of STORE_SIDE_FILES) {
    const f = store + suffix;
    if (real === f || sameFile(real, f)) return suffix === '' ? 'the store itself' : `the store's ${suffix.slice(1)} file`;
  }
  for (const name of STORE_SIDE_FOLDERS) {
    const dir = path.join(path.dirname(store), name);
    if (isInside(real, dir)) return `the store's ${name}/ folder`;
  }
  return null;
}

function refuseStorePart(abs: string, ctx: GuardContext): void {
  const part = storePart(abs, ctx.storePath);
  if (part) {
    throw new UserError('CONFLICT', `${abs} is ${part} (${ctx.storePath}); Vaultproof never writes an output there, with or without --force — choose another file`, where(abs, ctx));
  }
}

/**
 * Checks a file the caller asked to write: never a store part, never a
 * folder, and an existing file only with `force`. Returns the absolute path.
 */
export function claimOutputFile(target: string, ctx: GuardContext & { force?: boolean | undefined }): string {
  const abs = path.resolve(target);
  refuseStorePart(abs, ctx);
  let st: fs.Stats | null = null;
  try {
    st = fs.lstatSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new UserError('BAD_INPUT', `cannot write ${abs}: ${(e as Error).message}`, where(abs, ctx));
  }
  if (st) {
    if (st.isDirectory()) throw new UserError('CONFLICT', `${abs} is a folder; give a file name to write`, where(abs, ctx));
    if (!ctx.force) throw new UserError('CONFLICT', `${abs} already exists; nothing was written — choose a new file, or confirm replacing it (--force)`, where(abs, ctx));
    if (!st.isFile()) throw new UserError('CONFLICT', `${abs} is not a regular file (a link, pipe or device); it is never replaced`, where(abs, ctx));
  }
  return abs;
}

/**
 * Checks a folder the caller asked to fill (a pack, the demo): never a store
 * part or the store's own folder, and an existing one only when empty — a
 * non-empty folder is refused whatever the flags. Returns the absolute path.
 */
export function claimOutputFolder(target: string, ctx: GuardContext): string {
  const abs = path.resolve(target);
  refuseStorePart(abs, ctx);
  if (ctx.storePath && realTarget(abs) === path.dirname(realTarget(ctx.storePath))) {
    throw new UserError('CONFLICT', `${abs} is the store's own folder; choose a new or empty folder`, where(abs, ctx));
  }
  let st: fs.Stats | null = null;
  try {
    st = fs.lstatSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new UserError('BAD_INPUT', `cannot use ${abs}: ${(e as Error).message}`, where(abs, ctx));
  }
  if (st && !st.isDirectory()) throw new UserError('CONFLICT', `${abs} already exists and is not a folder; choose a new or empty folder (an output folder is never written over)`, where(abs, ctx));
  if (st && fs.readdirSync(abs).length > 0) throw new UserError('CONFLICT', `${abs} already exists and is not empty; choose a new or empty folder (an output folder is never written over)`, where(abs, ctx));
  return abs;
}

/**
 * Writes a file claimed above: private (0600), through a temporary file, so
 * a crash leaves the old file or the new one. Without `force` the temporary
 * file is hard-linked into place, which fails if something appeared at the
 * target since the claim, instead of renaming over it.
 */
export function writeOutputFile(abs: string, data: string | Buffer, opts: { force?: boolean | undefined } = {}): void {
  const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.${process.pid}.tmp`);
  try {
    // The UI suggests a place under the store's folder (exports/); a folder made for an output is private too.
    fs.mkdirSync(path.dirname(abs), { recursive: true, mode: 0o700 });
    fs.writeFileSync(tmp, data, { mode: 0o600, flag: 'wx' });
    fs.chmodSync(tmp, 0o600);
    if (opts.force) fs.renameSync(tmp, abs);
    else {
      try {
        fs.linkSync(tmp, abs);
      } catch (e) {
        // File systems without hard links (FAT, some shares): an exclusive copy still never replaces.
        if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
        fs.copyFileSync(tmp, abs, fs.constants.COPYFILE_EXCL);
      }
      fs.rmSync(tmp);
    }
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new UserError('CONFLICT', `${abs} appeared while it was being written; nothing was replaced`, { file: abs });
    throw new UserError('BAD_INPUT', `cannot write ${abs}: ${(e as Error).message}`, { file: abs });
  }
}
