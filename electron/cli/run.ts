import type { InputOf, MethodName, OutputOf, ProgressEvent } from '../../shared/contract/index.ts';
import { exitCodeFor } from '../../shared/contract/result.ts';
import { createCoreContext, type CoreContext } from '../core/context.ts';
import type { UpgradeEvent } from '../core/store/store.ts';
import { upgradeText, upgradedText } from '../core/store/upgrade-text.ts';
import { dispatch } from '../core/api/dispatch.ts';
import { UserError } from '../core/errors.ts';
import { prettyJsonPieces } from '../core/packs/write/json-file.ts';
import { printPieces } from './json-out.ts';
import { cliNotice } from './notice.ts';
import type { CliIo, ParsedArgs } from './types.ts';

export { exitCodeFor };


/** One line of stderr for each step of a store upgrade (the last, after it, is onStoreOpened's). */
export function upgradeLine(e: UpgradeEvent): string {
  return `vaultproof: ${upgradeText(e)}\n`;
}

/** Opens the core for one command (store from --store / VAULTPROOF_STORE / default) and closes it after. */
export async function withCore<T>(args: ParsedArgs, fn: (core: CoreContext) => Promise<T>): Promise<T> {
  const storePath = typeof args.values.store === 'string' ? args.values.store : undefined;
  const core = createCoreContext({
    ...(storePath ? { storePath } : {}),
    onUpgrade: (e) => cliNotice(upgradeLine(e)),
    onStoreOpened: (store) => {
      const done = upgradedText(store.migration);
      if (done) cliNotice(`vaultproof: ${done}\n`);
    },
  });
  try {
    return await fn(core);
  } finally {
    core.close();
  }
}

declare const fromArgvBrand: unique symbol;
/** An input object assembled field by field from argv: dispatch's zod check is its type check. */
export type FromArgv = { readonly [fromArgvBrand]: true };

/** Marks an object built from argv as input for call(); dispatch validates it against the contract. */
export function fromArgv(input: Record<string, unknown>): FromArgv {
  return input as unknown as FromArgv;
}

/** A type guard over a contract's list of allowed values (an enum option given on the command line). */
export function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

/**
 * Calls a contract method through the one entrance and returns its value, typed
 * by the contract, or throws the error it carried as a UserError.
 */
export async function call<M extends MethodName>(
  core: CoreContext,
  method: M,
  input: InputOf<M> | FromArgv,
  progress?: CliIo | ((e: ProgressEvent) => void),
  signal?: AbortSignal,
): Promise<OutputOf<M>> {
  const onEvent =
    typeof progress === 'function'
      ? progress
      : progress
        ? (e: ProgressEvent) => progress.stderr(`${e.phase}${e.total ? ` ${e.done}/${e.total}` : e.done ? ` ${e.done}` : ''}${e.message ? ` ${e.message}` : ''}\n`)
        : undefined;
  const res = await dispatch(core, { method, input }, { ...(onEvent ? { onEvent } : {}), ...(signal ? { signal } : {}) });
  if (!res.ok) {
    const { code, message, ...where } = res.error;
    throw new UserError(code, message, where);
  }
  return res.value as OutputOf<M>;
}

/**
 * Prints `JSON.stringify(value, null, 2)` and a newline, in 64 KB pieces,
 * never as one string (a 100k-item findings or cost report is 150-250 MB of
 * JSON). It honours stdout's back-pressure: when a write says the stream is
 * full, it waits for io.drain() before the next piece, so a slow reader (a
 * pipe) never makes the whole text pile up in memory. The writing is
 * json-out.ts's printPieces, which findings and cost use for their own pieces.
 */
export async function printJson(io: CliIo, value: unknown): Promise<void> {
  await printPieces(io, jsonPieces(value));
}

/** prettyJsonPieces' text, and "undefined" where it says the value has none (as printJson always wrote). */
function* jsonPieces(value: unknown): Generator<string> {
  const pieces = prettyJsonPieces(value);
  for (let r = pieces.next(); ; r = pieces.next()) {
    if (r.done) {
      if (!r.value) yield 'undefined';
      return;
    }
    yield r.value;
  }
}

/** Plain text table for human output. */
export function table(rows: Array<Record<string, unknown>>, columns: string[]): string {
  const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  // A loop, not Math.max(...lengths): 179k findings as arguments overflow the stack.
  const widths = columns.map((c) => {
    let w = c.length;
    for (const r of rows) w = Math.max(w, cell(r[c]).length);
    return Math.min(60, w);
  });
  const line = (vals: string[]) => vals.map((v, i) => (v.length > widths[i]! ? `${v.slice(0, widths[i]! - 1)}…` : v.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n') + '\n';
}

export function strArg(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function listArg(args: ParsedArgs, name: string): string[] {
  const v = args.values[name];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

/** n strings, then any number more: lets `const [a, b] = requirePositionals(args, 2, ...)` type a and b as string. */
export type AtLeast<N extends number, T extends string[] = []> = T['length'] extends N ? [...T, ...string[]] : AtLeast<N, [...T, string]>;

export function requirePositionals<N extends 1 | 2 | 3>(args: ParsedArgs, n: N, usage: string): AtLeast<N> {
  if (args.positionals.length < n) throw new UserError('BAD_INPUT', `missing argument; usage: vaultproof ${usage}`);
  return args.positionals as AtLeast<N>;
}

/** A number option (`--name N`), or undefined when absent; anything else is a BAD_INPUT naming the flag. */
export function numArg(args: ParsedArgs, name: string, opts: { integer?: boolean } = {}): number | undefined {
  const v = strArg(args, name);
  if (v === undefined) return undefined;
  const n = Number(v.trim());
  if (v.trim() === '' || !Number.isFinite(n) || (opts.integer && !Number.isInteger(n))) {
    throw new UserError('BAD_INPUT', `--${name} ${JSON.stringify(v)}: expected ${opts.integer ? 'a whole number' : 'a number'}`);
  }
  return n;
}

/** A value in a human line: strings quoted (so spaces and empty values show), null/absent as ∅. */
export function show(v: unknown): string {
  if (v === null || v === undefined) return '∅';
  if (typeof v === 'string') return JSON.stringify(v);
  return JSON.stringify(v);
}
