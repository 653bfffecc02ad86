import type { ParseArgsConfig } from 'node:util';

export type CliIo = {
  stdout(text: string): void;
  stderr(text: string): void;
};

export type ParsedArgs = {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
};

/**
 * One CLI command. `name` may have two words ("store verify"). `run` returns
 * the exit code; it throws UserError for user mistakes (the runner prints
 * them and maps the code), anything else is an internal error (exit 2).
 */
export type CliCommand = {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(args: ParsedArgs, io: CliIo): Promise<number>;
};
