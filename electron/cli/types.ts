import type { EscapedText } from '../core/terminal-text.ts';
import type { ParseArgsConfig } from 'node:util';

export type CliIo = {
  /** Returns false when the stream is full (as Writable.write does): wait for drain() before writing more; any other result is no back-pressure. */
  stdout(text: string): unknown;
  stderr(text: string): void;
  /** stdout for text already escaped for a terminal where it was made (electron/core/output/json-text.ts's EscapedPieces); absent: such text goes through stdout. */
  stdoutEscaped?(text: EscapedText): unknown;
  /** Bytes straight to stdout (the UTF-8 of such escaped text, made on another thread: findings-split.ts); absent: decoded and written as escaped text. */
  stdoutBytes?(bytes: Uint8Array): unknown;
  /** Resolves when stdout can take more (or is gone); absent where writes never push back. */
  drain?(): Promise<void>;
};

export type ParsedArgs = {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
};

/** How one command runs: returns the exit code; `this` is its spec (for `this.usage` in messages). */
export type CommandRun = (this: CommandSpec, args: ParsedArgs, io: CliIo) => Promise<number>;

/** What electron/cli/<prefix>.ts exports: the run() of each of its commands, by command name. */
export type CommandRuns = Record<string, CommandRun>;

/**
 * One CLI command as the manifest (commands.ts) lists it. `name` may have two
 * words ("store verify"). `load` imports the module holding its run(), which
 * throws UserError for user mistakes (the runner prints them and maps the
 * code); anything else is an internal error (exit 2).
 */
export type CommandSpec = {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  load(): Promise<{ runs: CommandRuns }>;
};
