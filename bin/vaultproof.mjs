#!/usr/bin/env node
// The `vaultproof` command: runs the compiled CLI in build/cli (plain
// JavaScript: no tsx, no .ts file), which `npm ci` / `npm install` build
// through the `prepare` script. After editing the sources, `npm run build:cli`
// rebuilds it (`npm test` does too); `npm run cli -- ARGS` runs the sources
// through tsx without building.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../build/cli/electron/cli.js', import.meta.url);
if (!fs.existsSync(entry)) {
  process.stderr.write(
    `vaultproof: the compiled CLI is missing (${fileURLToPath(entry)}).\n` +
      'vaultproof: build it with `npm run build:cli` (`npm ci` does it through its prepare step; `npm ci --ignore-scripts` or `--omit=dev` skips it).\n',
  );
  process.exit(2);
}
// A closed pipe (`vaultproof items ... | head`) is not an error.
for (const s of [process.stdout, process.stderr]) s.on('error', (e) => { if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0); else throw e; });
const { runCli, processIo } = await import(entry.href);
process.on('SIGINT', () => process.exit(130));
// processIo: stdout with back-pressure (big --json output waits for a slow reader instead of piling up).
const code = await runCli(process.argv.slice(2), processIo());
process.exitCode = code;
