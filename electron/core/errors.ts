import type { ErrorCode, ErrorInfo } from '../../shared/contract/result.ts';

/**
 * An error the user can act on (bad file, unknown snapshot, ...). Anything
 * else that escapes a handler is reported as INTERNAL.
 */
export class UserError extends Error {
  readonly code: ErrorCode;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly details: unknown;

  constructor(
    code: ErrorCode,
    message: string,
    where: { file?: string; line?: number; column?: number; details?: unknown } = {},
  ) {
    super(message);
    this.name = 'UserError';
    this.code = code;
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
    this.details = where.details;
  }
}

export function badInput(message: string, where: { file?: string; line?: number; column?: number } = {}): UserError {
  return new UserError('BAD_INPUT', message, where);
}

/**
 * Which input an error is about, named as the contract names it (`asOf`, not
 * `--as-of`). The core words the problem for anyone; each entrance points at
 * its own control: the CLI prints the flag, the window can mark the field.
 */
export type OptionHint = { option: string };

/** A BAD_INPUT about one input option, worded without any entrance's syntax; the option travels in `details`. */
export function badOption(option: string, message: string, where: { file?: string; line?: number; column?: number } = {}): UserError {
  const hint: OptionHint = { option };
  return new UserError('BAD_INPUT', message, { ...where, details: hint });
}

/** A BAD_INPUT that asks for at least one of several options (each named as the contract names it). */
export function needOneOf(options: string[], message: string): UserError {
  return new UserError('BAD_INPUT', message, { details: { anyOf: options } });
}

/** The options a "give at least one of" error names, or [] (untrusted, like hintedOption). */
export function hintedChoices(details: unknown): string[] {
  if (typeof details !== 'object' || details === null) return [];
  const anyOf = (details as { anyOf?: unknown }).anyOf;
  return Array.isArray(anyOf) ? anyOf.filter((o): o is string => typeof o === 'string' && /^[A-Za-z][A-Za-z0-9]*$/.test(o)) : [];
}

/** The option an error's details name, or null (details cross process boundaries, so nothing about them is trusted). */
export function hintedOption(details: unknown): string | null {
  if (typeof details !== 'object' || details === null) return null;
  const option = (details as { option?: unknown }).option;
  return typeof option === 'string' && /^[A-Za-z][A-Za-z0-9]*$/.test(option) ? option : null;
}

export function notFound(message: string): UserError {
  return new UserError('NOT_FOUND', message);
}

/**
 * SQLite failures the user can act on (a busy, full, read-only or damaged
 * store) as a STORE error; null for anything else. better-sqlite3 throws
 * SqliteError with the extended result code in `code` (SQLITE_BUSY_SNAPSHOT,
 * SQLITE_IOERR_WRITE, ...); the ParallelSnapshotWriter's worker forwards it.
 */
export function storeErrorFromSqlite(code: unknown, message: string, storeFile?: string): UserError | null {
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return null;
  const base = code.replace(/^(SQLITE_[A-Z]+)(_.*)?$/, '$1');
  switch (base) {
    case 'SQLITE_BUSY':
      return new UserError('STORE', `the store is busy: another Vaultproof window or command is writing to it (${message}); nothing was changed — try again when it has finished`);
    case 'SQLITE_FULL':
      return new UserError('STORE', `the store cannot grow: the disk is full or the store reached its size limit (${message}); nothing was written — free some space and try again`);
    case 'SQLITE_READONLY':
      return new UserError('STORE', `the store is read-only (${message}): Vaultproof cannot write to the store file or its folder; nothing was written`);
    case 'SQLITE_CANTOPEN':
      return new UserError('STORE', `cannot open the store's files (${message}): check that the store folder exists and is writable`);
    case 'SQLITE_IOERR':
      return new UserError('STORE', `input/output error on the store (${message}); nothing was written — check the disk`);
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
      // Met while reading: opening checks only the catalogue, so damage among the items is found here.
      if (storeFile) return new UserError('STORE', `store ${storeFile} is damaged (${message}); nothing was written — run \`vaultproof store verify\` and restore it from a backup`, { file: storeFile });
      return new UserError('STORE', `the store is damaged (${message}); run \`vaultproof store verify\` and restore it from a backup`);
    default:
      return null;
  }
}

/** `storeFile`: the store the call used, named when SQLite finds it damaged. */
export function toErrorInfo(err: unknown, storeFile?: string): ErrorInfo {
  if (!(err instanceof UserError) && err instanceof Error) {
    const mapped = storeErrorFromSqlite((err as { code?: unknown }).code, err.message, storeFile);
    if (mapped) return toErrorInfo(mapped);
  }
  if (err instanceof UserError) {
    const info: ErrorInfo = { code: err.code, message: err.message };
    if (err.file !== undefined) info.file = err.file;
    if (err.line !== undefined) info.line = err.line;
    if (err.column !== undefined) info.column = err.column;
    if (err.details !== undefined) info.details = err.details;
    return info;
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: `internal error: ${message}` };
}
