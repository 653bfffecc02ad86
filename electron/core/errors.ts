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

export function notFound(message: string): UserError {
  return new UserError('NOT_FOUND', message);
}

export function toErrorInfo(err: unknown): ErrorInfo {
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
