#!/usr/bin/env node
// Compiles the `vaultproof` CLI to JavaScript in build/cli, so the bin never
// loads tsx or a .ts file. Run by `npm ci` / `npm install` (the `prepare`
// script), by `npm test` and `npm run bench` before they use the bin, by
// `npm run dist` for the app, and by hand with `npm run build:cli`.
//
// Layout (esbuild, ESM, platform node, packages external: node_modules are
// resolved at run time, native better-sqlite3 included; zod alone is bundled,
// see BUNDLED_PACKAGES):
//   build/cli/electron/cli.js                entry (exports runCli)
//   build/cli/electron/core/**/x-worker.js   worker-thread entries, at the path of
//                                            their source (see workerFiles below)
//   build/cli/chunks/*.js                    code split at every dynamic import()
//   build/cli/package.json                   "type": "module" and the version
//   build/cli/assets -> ../../assets         (copies when staged in the app)
//   build/cli/renderer -> ../out/renderer     the UI for `vaultproof serve` (vite builds it there)
//
// A bundle moves code away from its source file, and the core finds
// package.json, assets/ and its workers from import.meta.url
// ('../../../assets/...'). So every import.meta.url / dirname / filename in
// our sources is rewritten to the place the module would have in a
// one-file-per-module tree rooted at build/cli (build/cli/electron/core/x.js),
// computed at run time from the chunk's own URL: the relative paths of the
// sources stay right wherever the folder is copied, without editing them.
// The bundle is a compiled layout: `vaultproof serve` from it serves the
// built UI but does not run vite itself (`npm start` / `npm run cli serve` do).
// No type checking here (npm run typecheck does it); well under a second.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
export const defaultCliDir = path.join(root, 'build', 'cli');
const PLACEHOLDER = '__VAULTPROOF_BUNDLE_ROOT__/';

/**
 * Modules started as worker threads from their own file are not imports:
 * find them in the sources the CLI reaches, to give each its own entry at
 * its source's place. Two spellings: `new URL('./x-worker.js', import.meta.url)`
 * beside the caller, and a name such as 'store/writer-worker' in a table of
 * entries relative to electron/core (electron/core/host/threads.ts).
 */
function workerFiles(inputs) {
  const found = new Set();
  const coreDir = path.join(root, 'electron', 'core');
  for (const rel of inputs) {
    if (!rel.endsWith('.ts') || rel.includes('node_modules')) continue;
    const file = path.join(root, rel);
    const text = fs.readFileSync(file, 'utf8');
    const candidates = [];
    for (const m of text.matchAll(/new URL\(\s*[`'"]\.\/([\w.-]+?)\.(?:\$\{[^}]*\}|js|ts)[`'"]\s*,\s*import\.meta\.url/g)) candidates.push(path.join(path.dirname(file), m[1]));
    for (const m of text.matchAll(/['"`]((?:\.\/)?[\w/-]*worker)['"`]/g)) candidates.push(path.join(coreDir, m[1]), path.join(path.dirname(file), m[1]));
    for (const c of candidates) if (fs.existsSync(`${c}.ts`) && path.resolve(`${c}.ts`) !== file) found.add(path.resolve(`${c}.ts`));
  }
  return [...found];
}

const BUNDLED_PACKAGES = new Set(['zod']);

/** Bare imports stay imports (node_modules at run time), except BUNDLED_PACKAGES. */
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind === 'entry-point' || path.isAbsolute(args.path)) return undefined;
      const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
      return BUNDLED_PACKAGES.has(name) ? undefined : { path: args.path, external: true };
    });
  },
};

/** Rewrites import.meta.{url,dirname,filename} of our own modules to their one-file-per-module place. */
const sourcePlaces = {
  name: 'source-places',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const rel = path.relative(root, args.path);
      if (rel.startsWith('..') || rel.split(path.sep).includes('node_modules')) return undefined;
      let text = await fs.promises.readFile(args.path, 'utf8');
      if (!text.includes('import.meta')) return { contents: text, loader: 'ts' };
      const place = JSON.stringify(PLACEHOLDER + rel.split(path.sep).join('/').replace(/\.ts$/, '.js'));
      const url = `new URL(${place}, import.meta.url)`;
      let helpers = false;
      text = text.replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_m, what) => {
        if (what === 'url') return `${url}.href`;
        helpers = true;
        return what === 'filename' ? `__vpFileURLToPath(${url})` : `__vpDirname(__vpFileURLToPath(${url}))`;
      });
      if (helpers) text = `import { fileURLToPath as __vpFileURLToPath } from 'node:url';\nimport { dirname as __vpDirname } from 'node:path';\n${text}`;
      return { contents: text, loader: 'ts' };
    });
  },
};

/**
 * Builds the CLI into `outDir` (default build/cli). `links`: symlinks to the
 * checkout's assets/ and built UI (build/out/renderer), for a bundle run in
 * place; a staged copy gets real folders instead (scripts/stage-app.mjs).
 * `clean`: empty `outDir` first (release builds: no chunks of older builds).
 */
export async function buildCli({ outDir = defaultCliDir, quiet = false, links = true, clean = false } = {}) {
  const started = Date.now();
  const { build } = await import('esbuild');
  const options = {
    outbase: root,
    outdir: outDir,
    entryNames: '[dir]/[name]',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // node_modules stay external (resolved at run time; better-sqlite3 is native), except
    // the pure-JS packages every store command loads, whose many small files would
    // otherwise cost more to load than the command itself (zod 4: ~230 modules, ~50 ms).
    plugins: [sourcePlaces, externalPackages],
    metafile: true,
    write: false,
    logLevel: 'warning',
  };
  // Worker entries are found in what the entries reach, until no new one appears.
  let entries = [path.join(root, 'electron', 'cli.ts')];
  let result;
  for (;;) {
    result = await build({ ...options, entryPoints: entries });
    const more = workerFiles(Object.keys(result.metafile.inputs)).filter((w) => !entries.includes(w));
    if (more.length === 0) break;
    entries = [...entries, ...more];
  }
  // The bin must never load tsx or TypeScript: no output may import either.
  const banned = [];
  for (const [file, meta] of Object.entries(result.metafile.outputs)) {
    for (const imp of meta.imports) {
      if (imp.external && (/^tsx(\/|$)/.test(imp.path) || /\.tsx?$/.test(imp.path) || imp.path === 'electron')) banned.push(`${file} imports ${imp.path}`);
    }
  }
  if (banned.length > 0) throw new Error(`build-cli: the bundle must not load tsx, TypeScript or electron:\n  ${banned.join('\n  ')}`);

  // Written in place, each file through a rename, so a `vaultproof` running
  // meanwhile (tests of other files, another build) never reads half a file:
  // chunk names carry a hash, so the old chunks stay until they are stale.
  if (clean) fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const writeAtomic = (target, text) => {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const tmp = `${target}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, target);
  };
  const written = new Set();
  for (const f of result.outputFiles) {
    const relDir = path.relative(path.dirname(f.path), outDir).split(path.sep).join('/');
    writeAtomic(f.path, f.text.split(PLACEHOLDER).join(relDir === '' ? './' : `${relDir}/`));
    written.add(f.path);
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  writeAtomic(path.join(outDir, 'package.json'), `${JSON.stringify({ name: pkg.name, version: pkg.version, private: true, type: 'module' }, null, 2)}\n`);
  if (links) {
    for (const [name, target] of [['assets', path.join(root, 'assets')], ['renderer', path.join(root, 'build', 'out', 'renderer')]]) {
      const link = path.join(outDir, name);
      if (fs.existsSync(link) || fs.lstatSync(link, { throwIfNoEntry: false })) continue;
      try {
        fs.symlinkSync(path.relative(outDir, target), link, 'dir');
      } catch (e) {
        if (e.code !== 'EEXIST') fs.symlinkSync(target, link, 'junction'); // Windows without symlink rights
      }
    }
  }
  const chunkDir = path.join(outDir, 'chunks');
  for (const name of fs.existsSync(chunkDir) ? fs.readdirSync(chunkDir) : []) {
    const p = path.join(chunkDir, name);
    if (!written.has(p) && Date.now() - fs.statSync(p).mtimeMs > 10 * 60_000) fs.rmSync(p, { force: true });
  }
  // When the sources were read: a source newer than this needs a rebuild (test/harness/cli.ts checks).
  writeAtomic(path.join(outDir, '.built'), `${started}\n`);
  if (!quiet) process.stderr.write(`build-cli: ${result.outputFiles.length} files into ${path.relative(root, outDir) || outDir} in ${Date.now() - started} ms\n`);
  return { outDir, files: result.outputFiles.length };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  try {
    await import('esbuild');
  } catch {
    // `npm ci --omit=dev` has no esbuild: the install must not fail for it; the bin says how to build.
    process.stderr.write('build-cli: esbuild is not installed (a production-only install?): the CLI was not built; `npm ci` with dev dependencies builds it\n');
    process.exit(0);
  }
  try {
    await buildCli();
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
