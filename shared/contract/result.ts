/** Stable error codes. They cross process boundaries, so never rename one. */
export const errorCodes = [
  'BAD_INPUT', // a file or argument the user gave is wrong (exit 1)
  'NOT_FOUND', // unknown snapshot, item, pack (exit 1)
  'CONFLICT', // ambiguous prefix, duplicate, state conflict (exit 1)
  'STORE', // the store cannot be opened or written (exit 1)
  'VERIFY_FAILED', // a verification found a mismatch (exit 3)
  'INCOMPLETE', // a collection finished with failures (exit 4)
  'CANCELLED', // the user cancelled (exit 130)
  'UNAUTHORIZED', // web mode: missing or wrong token
  'INTERNAL', // a bug (exit 2)
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export type ErrorInfo = {
  code: ErrorCode;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  details?: unknown;
};

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(error: ErrorInfo): Result<T> {
  return { ok: false, error };
}

export const exitCodeFor: Record<ErrorCode, number> = {
  BAD_INPUT: 1,
  NOT_FOUND: 1,
  CONFLICT: 1,
  STORE: 1,
  VERIFY_FAILED: 3,
  INCOMPLETE: 4,
  CANCELLED: 130,
  UNAUTHORIZED: 1,
  INTERNAL: 2,
};
