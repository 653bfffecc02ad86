#!/usr/bin/env node
// Compiles the Electron side to JavaScript in build/out, mirroring the source
// tree (build/out/electron/**, build/out/shared/**) so every path the core
// computes from its own location (package.json, assets/) stays right:
//   - main + core + shared: one .js per .ts (ESM), relative `.ts` imports
//     rewritten to `.js`, packages left as imports (node_modules at run time);
//   - preload: one CommonJS bundle (sandboxed preloads cannot load ESM or
//     other files), electron/preload/index.cjs;
//   - build/out/package.json ("type": "module", version), build/out/icon.png
//     (the window icon) and, for `electron .`
//     in a checkout, build/out/assets -> ../../assets.
// No type checking here (npm run typecheck does it); takes about a second.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const defaultOut = path.join(root, 'build', 'out');

function listTs(dir, skip = () => false) {
  const found = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (skip(p)) continue;
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) found.push(p);
    }
  };
  walk(dir);
  return found;
}

/** Keeps every import external; relative `.ts` specifiers become `.js`. */
const keepImports = {
  name: 'keep-imports',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      if (args.path.startsWith('.')) return { path: args.path.replace(/\.ts$/, '.js'), external: true };
      return { path: args.path, external: true };
    });
  },
};

/** `outDir` other than build/out (tests) gets the code only: no assets link, no icon. */
export async function buildMain({ quiet = false, outDir = defaultOut } = {}) {
  const out = outDir;
  const started = Date.now();
  const preloadDir = path.join(root, 'electron', 'preload');
  const cliDir = path.join(root, 'electron', 'cli');
  // The CLI is not compiled here: scripts/build-cli.mjs bundles it (build/cli), and
  // scripts/stage-app.mjs puts that bundle in the app (cli/) for `--cli` mode.
  const entries = [
    ...listTs(path.join(root, 'electron'), (p) => p === preloadDir || p === cliDir || p === path.join(root, 'electron', 'cli.ts')),
    ...listTs(path.join(root, 'shared')),
  ];
  fs.rmSync(path.join(out, 'electron'), { recursive: true, force: true });
  fs.rmSync(path.join(out, 'shared'), { recursive: true, force: true });
  await build({
    entryPoints: entries,
    outbase: root,
    outdir: out,
    bundle: true,
    plugins: [keepImports],
    format: 'esm',
    platform: 'node',
    target: 'node22',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  await build({
    entryPoints: [path.join(preloadDir, 'index.ts')],
    outfile: path.join(out, 'electron', 'preload', 'index.cjs'),
    bundle: true,
    external: ['electron'],
    format: 'cjs',
    platform: 'browser',
    target: 'chrome120',
    logLevel: 'warning',
  });
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  fs.writeFileSync(
    path.join(out, 'package.json'),
    `${JSON.stringify({ name: pkg.name, version: pkg.version, description: pkg.description, private: true, type: 'module', main: 'electron/main/index.js' }, null, 2)}\n`,
  );
  if (out !== defaultOut) return { files: entries.length + 1 };
  fs.copyFileSync(path.join(root, 'build', 'icons', '512x512.png'), path.join(out, 'icon.png'));
  const assetsLink = path.join(out, 'assets');
  if (!fs.existsSync(assetsLink)) {
    try {
      fs.symlinkSync(path.relative(out, path.join(root, 'assets')), assetsLink, 'dir');
    } catch {
      fs.symlinkSync(path.join(root, 'assets'), assetsLink, 'junction'); // Windows without symlink rights
    }
  }
  if (!quiet) process.stderr.write(`build-main: ${entries.length + 1} files into ${path.relative(root, out)} in ${Date.now() - started} ms\n`);
  return { files: entries.length + 1 };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  await buildMain();
}
