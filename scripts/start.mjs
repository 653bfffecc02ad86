#!/usr/bin/env node
// `npm start`: the desktop app when Electron's runtime is installed, else web
// mode (`vaultproof serve`) with its URL as the first line of stdout.
//   npm start -- [--store PATH] [--port N] [--web]
// Electron 45's package downloads its binary on the first require('electron');
// this script never requires it (no surprise download): it only looks for
// the binary, and says how to get it when it is missing.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);

/** The Electron executable if it is on disk (same lookup as node_modules/electron/index.js, minus the download). */
export function electronBinary(env = process.env) {
  const pkgDir = path.join(root, 'node_modules', 'electron');
  let exe = '';
  try {
    exe = fs.readFileSync(path.join(pkgDir, 'path.txt'), 'utf8').trim();
  } catch {
    // no path.txt: the binary was never fetched
  }
  const candidate = env.ELECTRON_OVERRIDE_DIST_PATH
    ? path.join(env.ELECTRON_OVERRIDE_DIST_PATH, exe || 'electron')
    : exe
      ? path.join(pkgDir, 'dist', exe)
      : null;
  return candidate && fs.existsSync(candidate) ? candidate : null;
}

function run(command, argv, options = {}) {
  const child = spawn(command, argv, { cwd: root, stdio: 'inherit', ...options });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('close', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
  return child;
}

/**
 * The repository's better-sqlite3 is built for Node (the CLI and tests use
 * it). Electron needs its own build: a copy in build/out/node_modules, which
 * the compiled core (build/out/electron/...) finds before the repository's,
 * rebuilt once per Electron version with @electron/rebuild (needs the
 * network for Electron's headers, like the Electron download itself).
 */
async function ensureElectronSqlite() {
  const electronVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  const out = path.join(root, 'build', 'out');
  const target = path.join(out, 'node_modules', 'better-sqlite3');
  const stamp = path.join(target, '.vaultproof-electron-abi');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === electronVersion) return true;
  process.stderr.write(`start: building better-sqlite3 for Electron ${electronVersion} into build/out/node_modules (once)...\n`);
  const source = path.join(root, 'node_modules', 'better-sqlite3');
  fs.rmSync(target, { recursive: true, force: true });
  fs.cpSync(source, target, { recursive: true, filter: (p) => path.relative(source, p).split(path.sep)[0] !== 'build' });
  const outPkg = JSON.parse(fs.readFileSync(path.join(out, 'package.json'), 'utf8'));
  const version = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8')).version;
  fs.writeFileSync(path.join(out, 'package.json'), `${JSON.stringify({ ...outPkg, dependencies: { 'better-sqlite3': version } }, null, 2)}\n`);
  const code = await new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(root, 'node_modules', '@electron', 'rebuild', 'lib', 'cli.js'), '--version', electronVersion, '--module-dir', out, '--only', 'better-sqlite3', '--force'],
      { cwd: root, stdio: ['ignore', 2, 2] },
    );
    child.on('error', () => resolve(1));
    child.on('close', resolve);
  });
  if (code !== 0 || !fs.existsSync(path.join(target, 'build', 'Release', 'better_sqlite3.node'))) {
    fs.rmSync(target, { recursive: true, force: true });
    return false;
  }
  fs.writeFileSync(stamp, electronVersion);
  return true;
}

function startWeb(extra) {
  // The CLI entry itself (not bin/): `serve` prints the URL first on stdout.
  run(process.execPath, ['--import', 'tsx', path.join(root, 'electron', 'cli.ts'), 'serve', ...extra]);
}

async function startElectron(bin, extra) {
  if (!fs.existsSync(path.join(root, 'build', 'out', 'renderer', 'index.html'))) {
    process.stderr.write('start: building the UI (first start)...\n');
    const viteBin = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
    const code = await new Promise((resolve) => {
      const child = spawn(process.execPath, [viteBin, 'build', '--config', 'renderer/vite.config.ts'], { cwd: root, stdio: ['ignore', 2, 2] });
      child.on('close', resolve);
    });
    if (code !== 0) {
      process.stderr.write('start: building the UI failed; run `npm run build:renderer` to see why\n');
      process.exit(1);
    }
  }
  const { buildMain } = await import('./build-main.mjs');
  await buildMain({ quiet: true });
  if (!(await ensureElectronSqlite())) {
    process.stderr.write('start: better-sqlite3 could not be built for Electron here; starting web mode instead.\n');
    startWeb(extra);
    return;
  }
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const storeArgs = [];
  for (let i = 0; i < extra.length; i++) {
    if (extra[i] === '--store' && extra[i + 1]) storeArgs.push('--store', path.resolve(extra[++i]));
    else if (extra[i].startsWith('--store=')) storeArgs.push(`--store=${path.resolve(extra[i].slice(8))}`);
  }
  run(bin, [root, ...storeArgs], { env });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const wantWeb = args.includes('--web') || process.env.VAULTPROOF_WEB === '1';
  const rest = args.filter((a) => a !== '--web');
  const bin = wantWeb ? null : electronBinary();
  if (bin) {
    await startElectron(bin, rest);
  } else {
    if (!wantWeb) {
      process.stderr.write(
        [
          "start: Electron's runtime is not installed here (node_modules/electron/dist is missing; it is not downloaded by npm ci).",
          'start: starting web mode instead: open the URL below in a browser on this machine.',
          `start: for the desktop app, on a networked machine run \`npx install-electron\` once, then \`npm start\`.`,
          '',
        ].join('\n'),
      );
    }
    startWeb(rest);
  }
}
