/**
 * `vaultproof-desktop --cli ARGS`: the installed app's `vaultproof` command
 * (the deb/AppImage launcher script build/linux/vaultproof calls it). The main process
 * runs the same compiled CLI as `npx vaultproof` (the bundle staged at
 * <app>/cli, scripts/build-cli.mjs) in-process, writes to its own stdout and
 * stderr, and exits with the CLI's code, before any window or app-ready work.
 * No ELECTRON_RUN_AS_NODE, so that fuse can stay off.
 *
 * No `electron` import here: index.ts passes app.exit, so this file also
 * runs under plain Node (test/packaging/compiled-cli.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

type CliIo = { stdout: (t: string) => unknown; stderr: (t: string) => void; drain?: () => Promise<void> };
type CliModule = { runCli: (argv: string[], io: CliIo) => Promise<number>; processIo: () => CliIo };

/** The CLI's arguments when the app was started with --cli (everything after it), else null. */
export function cliModeArgs(argv: readonly string[]): string[] | null {
  const at = argv.indexOf('--cli', 1);
  return at < 0 ? null : argv.slice(at + 1);
}

/** Main runs from <app>/electron/main: the bundle is <app>/cli (build/out/stage/cli when staged). */
export function cliBundleEntry(appRoot: string = path.resolve(import.meta.dirname, '..', '..')): string {
  return path.join(appRoot, 'cli', 'electron', 'cli.js');
}

function flush(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) resolve();
    else stream.write('', () => resolve());
  });
}

/** Runs the CLI, then calls `exit` with its code once stdout and stderr are written. Never resolves. */
export async function runCliMode(args: string[], opts: { exit: (code: number) => void; appRoot?: string }): Promise<never> {
  const out = process.stdout;
  const err = process.stderr;
  // A closed pipe (`vaultproof-desktop --cli items ... | head`) is not an error.
  for (const s of [out, err]) s.on('error', (e: NodeJS.ErrnoException) => opts.exit(e.code === 'EPIPE' ? 0 : 2));
  process.on('SIGINT', () => opts.exit(130));
  let code = 2;
  const entry = cliBundleEntry(opts.appRoot);
  try {
    if (!fs.existsSync(entry)) {
      err.write(`vaultproof: this build of the app has no CLI (${entry} is missing); it is staged by scripts/stage-app.mjs\n`);
    } else {
      const { runCli, processIo } = (await import(pathToFileURL(entry).href)) as CliModule;
      // processIo: stdout with back-pressure, as the bin launcher runs it (big --json output waits for a slow reader).
      code = await runCli(args, processIo());
    }
  } catch (e) {
    err.write(`vaultproof: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    code = 2;
  }
  await flush(out);
  await flush(err);
  opts.exit(code);
  return new Promise<never>(() => {});
}
