/**
 * Packaging smoke test: electron-builder --dir with build/electron-builder.yml,
 * a stand-in Electron (a fake folder: the real binary cannot be downloaded
 * here) and npmRebuild false, then a look inside app.asar. It checks the
 * files / asar configuration, not that the app runs. The CLI bundle and the
 * compiled --cli entry (electron/main/cli-mode.js) are taken back out of the
 * archive and run under plain Node: what Electron itself does with them
 * cannot be run here.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { extractFile, listPackage } from '@electron/asar';

const root = path.resolve(import.meta.dirname, '../..');
/** @electron/fuses: the marker before an Electron binary's fuse wire. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

async function script(name: string): Promise<Record<string, (opts: Record<string, unknown>) => unknown>> {
  const file = path.join(root, 'scripts', name);
  return (await import(file)) as Record<string, (opts: Record<string, unknown>) => unknown>;
}

describe('packaging', () => {
  it('packs compiled main, preload, renderer and assets into app.asar without rebuilding native modules', { timeout: 120_000 }, async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-pack-'));
    const compiled = path.join(tmp, 'out');
    await (await script('build-main.mjs')).buildMain!({ outDir: compiled, quiet: true });
    const cliBundle = path.join(tmp, 'cli');
    await (await script('build-cli.mjs')).buildCli!({ outDir: cliBundle, quiet: true, links: false, clean: true });
    const renderer = path.join(tmp, 'renderer');
    fs.mkdirSync(path.join(renderer, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><script type="module" src="./assets/app.js"></script>');
    fs.writeFileSync(path.join(renderer, 'assets', 'app.js'), 'export {};');
    const stage = path.join(tmp, 'stage');
    (await script('stage-app.mjs')).stageApp!({ stageDir: stage, compiledDir: compiled, rendererDir: renderer, cliDir: cliBundle, dependencies: false });
    // A stand-in better-sqlite3 with the files a real build leaves (npm ci cannot run here):
    // the binary must end up unpacked, the sources and build leftovers not at all.
    const stagedPkg = JSON.parse(fs.readFileSync(path.join(stage, 'package.json'), 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify({ ...stagedPkg, dependencies: { 'better-sqlite3': '12.9.0' } }));
    const sqlite = path.join(stage, 'node_modules', 'better-sqlite3');
    const fakeFiles: Record<string, string> = {
      'package.json': JSON.stringify({ name: 'better-sqlite3', version: '12.9.0', main: 'lib/index.js' }),
      'lib/index.js': "module.exports = require('bindings')('better_sqlite3.node');",
      'build/Release/better_sqlite3.node': 'stand-in binary',
      'build/Release/test_extension.node': 'test only',
      'build/Release/obj/gen/sqlite3/sqlite3.c': '/* 9 MB in real life */',
      'build/Release/obj.target/better_sqlite3.o': '',
      'build/Makefile': '',
      'deps/sqlite3/sqlite3.c': '',
      'src/better_sqlite3.cpp': '',
    };
    for (const [rel, text] of Object.entries(fakeFiles)) {
      fs.mkdirSync(path.dirname(path.join(sqlite, rel)), { recursive: true });
      fs.writeFileSync(path.join(sqlite, rel), text);
    }

    // The stand-in Electron: what electron-builder copies and renames.
    const fakeDist = path.join(tmp, 'electron-dist');
    fs.mkdirSync(path.join(fakeDist, 'resources'), { recursive: true });
    // It carries Electron's fuse wire (sentinel, version 1, 8 fuses at Electron 45's defaults) so electron-builder can flip the fuses the config asks for.
    fs.writeFileSync(path.join(fakeDist, 'electron'), Buffer.concat([Buffer.from(`#!/bin/sh\n#${FUSE_SENTINEL}`), Buffer.from([1, 8]), Buffer.from('10110001\necho stand-in\n')]), { mode: 0o755 });
    fs.writeFileSync(path.join(fakeDist, 'version'), 'v45.4.1');

    const output = path.join(tmp, 'dist');
    const r = spawnSync(
      process.execPath,
      [
        path.join(root, 'node_modules', 'electron-builder', 'cli.js'),
        '--config',
        'build/electron-builder.yml',
        '--projectDir',
        root,
        '--linux',
        '--dir',
        '--publish',
        'never',
        `-c.directories.app=${stage}`,
        `-c.directories.output=${output}`,
        `-c.electronDist=${fakeDist}`,
      ],
      { cwd: root, encoding: 'utf8', env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' } },
    );
    const log = `${r.stdout}\n${r.stderr}`;
    assert.equal(r.status, 0, log.slice(-3000));
    assert.match(log, /skipped dependencies rebuild\s+reason=npmRebuild is set to false/);

    const unpacked = path.join(output, 'linux-unpacked');
    assert.ok(fs.existsSync(path.join(unpacked, 'vaultproof-desktop')), 'the executable is renamed to vaultproof-desktop');
    // The fuses flipped in the packaged binary, in wire order: RunAsNode, cookie encryption, NODE_OPTIONS, --inspect, asar integrity, only app.asar, browser V8 snapshot, file:// privileges.
    const exe = fs.readFileSync(path.join(unpacked, 'vaultproof-desktop'));
    const wireAt = exe.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length;
    assert.equal(exe.subarray(wireAt + 2, wireAt + 10).toString('latin1'), '01001100');
    // The `vaultproof` command beside it: a launcher that starts the app in CLI mode.
    const launcher = path.join(unpacked, 'vaultproof');
    assert.ok((fs.statSync(launcher).mode & 0o111) !== 0, 'the vaultproof launcher is executable');
    assert.match(fs.readFileSync(launcher, 'utf8'), /^exec "\$here\/vaultproof-desktop" --cli "\$@"$/m);
    assert.doesNotMatch(fs.readFileSync(launcher, 'utf8'), /^[^#]*ELECTRON_RUN_AS_NODE/m);
    const asarPath = path.join(unpacked, 'resources', 'app.asar');
    const files = listPackage(asarPath, { isPack: false });
    const has = (p: string) => files.includes(p);
    for (const need of [
      '/package.json',
      '/icon.png',
      '/electron/main/index.js',
      '/electron/main/security.js',
      '/electron/preload/index.cjs',
      '/electron/core/context.js',
      '/electron/core/web/static-files.js',
      '/shared/contract/index.js',
      '/renderer/index.html',
      '/renderer/assets/app.js',
      '/electron/main/cli-mode.js',
      '/cli/package.json',
      '/cli/electron/cli.js',
      '/cli/assets/profiles/default.json',
      '/cli/renderer/index.html',
    ]) {
      assert.ok(has(need), `${need} is packed`);
    }
    const leaked = files.filter((f) => /\.(ts|tsx|map)$/.test(f) || /^\/(test|scripts|build|renderer\/src)\//.test(f) || /^\/node_modules\/(electron|electron-builder|vite|typescript|tsx|esbuild|@esbuild)\//.test(f));
    assert.deepEqual(leaked, []);

    const pkg = JSON.parse(extractFile(asarPath, 'package.json').toString('utf8')) as { main: string; type: string; devDependencies?: unknown };
    assert.equal(pkg.main, 'electron/main/index.js');
    assert.equal(pkg.type, 'module');

    // Every relative import of the packed JavaScript points at a packed file.
    const missing: string[] = [];
    for (const f of files.filter((x) => /^\/(electron|shared|cli)\/.*\.js$/.test(x))) {
      const code = extractFile(asarPath, f.slice(1)).toString('utf8');
      for (const m of code.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
        const target = path.posix.join(path.posix.dirname(f), m[1]!);
        if (!has(target)) missing.push(`${f} -> ${m[1]}`);
      }
    }
    assert.deepEqual(missing, []);

    // The CLI inside the archive answers under plain Node, through the packed --cli entry:
    // cli/ and electron/main/cli-mode.js taken out of app.asar, with the repository's
    // node_modules standing in for the app's production ones.
    const extracted = path.join(tmp, 'extracted');
    for (const f of files.filter((x) => x.startsWith('/cli/') || x === '/electron/main/cli-mode.js' || x === '/package.json')) {
      const target = path.join(extracted, f.slice(1));
      if (files.some((g) => g.startsWith(`${f}/`))) continue; // a folder
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, extractFile(asarPath, f.slice(1)));
    }
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(extracted, 'node_modules'), 'dir');
    const cliMode = (args: string[]) =>
      spawnSync(
        process.execPath,
        ['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(path.join(extracted, 'electron', 'main', 'cli-mode.js')).href)}); await m.runCliMode(${JSON.stringify(args)}, { exit: (c) => process.exit(c) });`],
        { cwd: tmp, encoding: 'utf8', env: { ...process.env, VAULTPROOF_STORE: path.join(tmp, 'cli-store.db') } },
      );
    const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
    const v = cliMode(['--version']);
    assert.equal(v.stderr, '');
    assert.equal(v.status, 0);
    assert.equal(v.stdout, `${version}\n`);
    // A store command: the packed bundle opens (creates) a store with the real SQLite and lists no snapshots.
    const list = cliMode(['snapshots', '--json']);
    assert.equal(list.status, 0, list.stderr);
    assert.deepEqual(JSON.parse(list.stdout), []);
    const bad = cliMode(['no-such-command']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /unknown command "no-such-command"/);

    // Native modules must be loadable: unpacked beside the archive; sources and build leftovers dropped.
    const release = path.join(unpacked, 'resources', 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release');
    assert.equal(fs.readFileSync(path.join(release, 'better_sqlite3.node'), 'utf8'), 'stand-in binary');
    assert.ok(has('/node_modules/better-sqlite3/lib/index.js'));
    const sqliteFiles = files.filter((f) => f.startsWith('/node_modules/better-sqlite3/'));
    assert.deepEqual(
      sqliteFiles.filter((f) => /test_extension|\/obj|\/deps\/|\/src\/|Makefile/.test(f)),
      [],
    );
  });

  it('keeps the configuration that protects better-sqlite3 and the asar', () => {
    const yml = fs.readFileSync(path.join(root, 'build', 'electron-builder.yml'), 'utf8');
    assert.match(yml, /^npmRebuild: false$/m);
    assert.match(yml, /^asar: true$/m);
    assert.match(yml, /^asarUnpack:\n {2}- "\*\*\/\*\.node"$/m);
    const electronVersion = (JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
    assert.match(yml, new RegExp(`^electronVersion: ${electronVersion.replace(/\./g, '\\.')}$`, 'm'));
    for (const target of ['AppImage', 'deb', 'nsis', 'dmg']) assert.match(yml, new RegExp(`\\b${target}\\b`));
    for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) {
      const png = fs.readFileSync(path.join(root, 'build', 'icons', `${size}x${size}.png`));
      assert.equal(png.readUInt32BE(16), size, `${size}x${size}.png width`);
      assert.equal(png.readUInt32BE(20), size, `${size}x${size}.png height`);
    }
  });
});
