/**
 * The `vaultproof` command. Every command calls the same core as the desktop
 * app and web mode. With --json exactly one JSON value goes to stdout;
 * progress and logs go to stderr. Exit codes: 0 ok, 1 user error,
 * 2 internal error, 3 verification failed, 4 collection incomplete, 130 cancelled.
 */
import { parseArgs } from 'node:util';
import { exitCodeFor, type ErrorInfo } from '../shared/contract/result.ts';
import { commands } from './cli/commands.ts';
import { setCliNotice } from './cli/notice.ts';
import type { CliIo, CommandSpec } from './cli/types.ts';
import { hintedChoices, hintedOption, toErrorInfo, UserError } from './core/errors.ts';
import { terminalSafe, terminalSafeIo } from './core/terminal-text.ts';
import { toolVersion } from './core/version.ts';

const commonOptions = {
  store: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `vaultproof ${toolVersion} — Azure Backup state as signed, verifiable audit evidence`,
    '',
    'Usage: vaultproof <command> [options]   (every command takes --store PATH and --json)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `vaultproof <command> --help` for the options of one command.',
    'Store: --store PATH, else $VAULTPROOF_STORE, else the user-data folder.',
  ].join('\n');
}

function findCommand(argv: string[]): { cmd: CommandSpec; rest: string[] } | null {
  const two = argv.length >= 2 ? `${argv[0]} ${argv[1]}` : null;
  const byTwo = two ? commands.find((c) => c.name === two) : undefined;
  if (byTwo) return { cmd: byTwo, rest: argv.slice(2) };
  const byOne = commands.find((c) => c.name === argv[0]);
  if (byOne) return { cmd: byOne, rest: argv.slice(1) };
  return null;
}

/** Input fields whose flag is not their kebab-case name. */
const flagOfField: Record<string, string> = { tenantId: 'tenant', snapshots: 'snapshot', ownerEmail: 'email', tags: 'tag', columns: 'column' };

function flagOf(field: string): string {
  return `--${flagOfField[field] ?? field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The core names the option(s) an error is about by input field (in details); here they are flags. */
function withFlag(info: ErrorInfo): string {
  const option = hintedOption(info.details);
  if (option) return `${flagOf(option)}: ${info.message}`;
  const choices = hintedChoices(info.details);
  return choices.length > 0 ? `${info.message} (${choices.map(flagOf).join(', ')})` : info.message;
}

export async function runCli(argv: string[], rawIo: CliIo): Promise<number> {
  // Every byte any command prints passes here: data (item names, labels, file and zip entry names, messages quoting them) never reaches a terminal raw.
  const io = terminalSafeIo(rawIo);
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout(`${helpText()}\n`);
    return 0;
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    io.stdout(`${toolVersion}\n`);
    return 0;
  }
  const wantsJson = argv.includes('--json');
  const found = findCommand(argv);
  if (!found) {
    const msg = `unknown command "${argv.slice(0, 2).join(' ')}"; run \`vaultproof --help\``;
    io.stderr(wantsJson ? `${JSON.stringify({ error: { code: 'BAD_INPUT', message: msg } })}\n` : `vaultproof: ${msg}\n`);
    return 1;
  }
  const { cmd, rest } = found;
  setCliNotice(io.stderr);
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: { ...commonOptions, ...cmd.options }, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UserError('BAD_INPUT', `${cmd.name}: ${(e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, '')}\nusage: vaultproof ${cmd.usage}`);
    }
    if (parsed.values.help) {
      io.stdout(`usage: vaultproof ${cmd.usage}\n\n${cmd.summary}\n`);
      return 0;
    }
    const { runs } = await cmd.load();
    const run = runs[cmd.name];
    if (!run) throw new Error(`command "${cmd.name}" has no run() in its module`);
    return await run.call(cmd, parsed, io);
  } catch (e) {
    const info = toErrorInfo(e);
    if (wantsJson) io.stderr(`${JSON.stringify({ error: info })}\n`);
    else io.stderr(`vaultproof: ${withFlag(info)}\n`);
    if (info.code === 'INTERNAL' && process.env.VAULTPROOF_DEBUG) io.stderr(`${(e as Error).stack ?? ''}\n`);
    return exitCodeFor[info.code];
  }
}

/**
 * The process's stdout and stderr as the CLI writes them (bin/vaultproof.mjs
 * and this file's own entry): stdout reports back-pressure, and drain() waits
 * until a slow reader has caught up (or stdout is gone), so big --json output
 * never piles up in memory.
 */
export function processIo(): CliIo {
  const drain = (): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        process.stdout.off('drain', done).off('close', done).off('error', done);
        resolve();
      };
      process.stdout.once('drain', done).once('close', done).once('error', done);
    });
  return { stdout: (t) => process.stdout.write(t), stdoutBytes: (b) => process.stdout.write(b), stderr: (t) => process.stderr.write(t), drain };
}

const isMain = process.argv[1] !== undefined && /cli\.ts$/.test(process.argv[1]);
if (isMain) {
  const io = processIo();
  process.on('SIGINT', () => process.exit(130));
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(terminalSafe(`vaultproof: internal error: ${(e as Error).message}\n`));
      process.exitCode = 2;
    },
  );
}
