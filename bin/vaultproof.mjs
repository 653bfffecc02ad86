#!/usr/bin/env node
// The `vaultproof` command in a checkout: runs the TypeScript CLI through tsx,
// so `npx vaultproof --help` works after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
// A closed pipe (`vaultproof items ... | head`) is not an error.
for (const s of [process.stdout, process.stderr]) s.on('error', (e) => { if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0); else throw e; });
const { runCli } = await import('../electron/cli.ts');
process.on('SIGINT', () => process.exit(130));
const code = await runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
});
process.exitCode = code;
