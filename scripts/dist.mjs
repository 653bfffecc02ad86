#!/usr/bin/env node
// `npm run dist [-- --linux|--win|--mac] [--dir]`: release builds of the
// desktop app, on a NETWORKED machine (it downloads Electron, its headers and
// the production dependencies). Steps:
//   1. vite build of the renderer -> build/out/renderer
//   2. scripts/build-main.mjs      -> build/out/electron, build/out/shared (JS)
//      scripts/build-cli.mjs       -> build/out/cli-release (the CLI bundle, fresh)
//   3. stage the app in build/out/stage (scripts/stage-app.mjs), the CLI in stage/cli
//   4. npm ci --omit=dev --ignore-scripts in build/out/stage (its own node_modules)
//   5. @electron/rebuild better-sqlite3 for Electron IN THE STAGE only — the
//      repository's node_modules stay on Node's ABI for the CLI and tests
//   6. electron-builder with build/electron-builder.yml (npmRebuild: false)
// Installers land in dist/. Cross-building: Windows NSIS from Linux needs
// wine; a dmg needs macOS. Build each platform on its own OS.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildCli } from './build-cli.mjs';
import { buildMain } from './build-main.mjs';
import { stageApp } from './stage-app.mjs';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function step(title, command, argv, options = {}) {
  process.stderr.write(`\ndist: ${title}\n`);
  const r = spawnSync(command, argv, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' && command.endsWith('.cmd'), ...options });
  if (r.status !== 0) {
    process.stderr.write(`dist: "${title}" failed (exit ${r.status ?? r.signal})\n`);
    process.exit(1);
  }
}

const sha = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

const electronVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
const builderConfig = fs.readFileSync(path.join(root, 'build', 'electron-builder.yml'), 'utf8');
if (!builderConfig.includes(`electronVersion: ${electronVersion}`)) {
  process.stderr.write(`dist: build/electron-builder.yml electronVersion differs from node_modules/electron (${electronVersion}); update it\n`);
  process.exit(1);
}

step('building the renderer', process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts']);
process.stderr.write('\ndist: compiling main and preload\n');
await buildMain();
process.stderr.write('\ndist: bundling the CLI\n');
const { outDir: cliDir } = await buildCli({ outDir: path.join(root, 'build', 'out', 'cli-release'), links: false, clean: true });
const stage = stageApp({ cliDir });
step('installing production dependencies into build/out/stage', npm, ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: stage });
step(`rebuilding better-sqlite3 for Electron ${electronVersion} in build/out/stage`, process.execPath, [
  path.join(root, 'node_modules', '@electron', 'rebuild', 'lib', 'cli.js'),
  '--version',
  electronVersion,
  '--module-dir',
  stage,
  '--only',
  'better-sqlite3',
  '--force',
]);
const stagedBinary = path.join(stage, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
const repoBinary = path.join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
if (!fs.existsSync(stagedBinary)) {
  process.stderr.write(`dist: ${stagedBinary} is missing after the rebuild\n`);
  process.exit(1);
}
if (fs.existsSync(repoBinary) && sha(stagedBinary) === sha(repoBinary)) {
  process.stderr.write('dist: the staged better-sqlite3 is byte-identical to the repository one (built for Node, not Electron): refusing to package it\n');
  process.exit(1);
}
const platformFlags = args.filter((a) => ['--linux', '--win', '--mac', '--dir', '--x64', '--arm64'].includes(a));
step('packaging with electron-builder', process.execPath, [
  path.join(root, 'node_modules', 'electron-builder', 'cli.js'),
  '--config',
  'build/electron-builder.yml',
  '--projectDir',
  root,
  '--publish',
  'never',
  ...platformFlags,
]);
process.stderr.write(`\ndist: done; see ${path.join(root, 'dist')}\n`);
