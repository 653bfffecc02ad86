/**
 * The `vaultproof` bin runs the compiled bundle (build/cli, scripts/build-cli.mjs):
 * no tsx and no .ts file is ever resolved, a missing bundle is a clear
 * error, and the app's --cli mode (electron/main/cli-mode.ts) takes exactly
 * the arguments after --cli.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { workerEntries } from '../../electron/core/host/threads.ts';
import { binPath, ensureBuiltCli, fixtures, repoRoot, tempDir } from '../harness/cli.ts';

/** A module hook that makes resolving any .ts/.tsx file or the tsx package throw. */
const refuseTs = `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`export async function resolve(s, c, next) {
  const r = await next(s, c);
  if (/\\\\.(ts|tsx|mts|cts)$/.test(new URL(r.url).pathname) || /\\\\/node_modules\\\\/tsx\\\\//.test(r.url)) throw new Error('refused to load ' + r.url);
  return r;
}\`));
`;

/**
 * electron/main is Electron's side (test/ may not import it): cli-mode.ts has
 * no electron import, so a child process loads it through tsx.
 */
function withCliMode(body: string): { status: number | null; stdout: string; stderr: string } {
  const url = new URL('../../electron/main/cli-mode.ts', import.meta.url).href;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `const m = await import(${JSON.stringify(url)});\n${body}`], { cwd: repoRoot, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('compiled CLI', () => {
  let tmp: string;
  let probe: string;
  const run = (args: string[], opts: { bin?: string; cwd?: string } = {}) => {
    const r = spawnSync(process.execPath, ['--import', probe, opts.bin ?? binPath, ...args], { cwd: opts.cwd ?? repoRoot, encoding: 'utf8', env: { ...process.env, VAULTPROOF_STORE: path.join(tmp, 'default.db') } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  before(() => {
    ensureBuiltCli();
    tmp = tempDir('vp-compiled-');
    probe = path.join(tmp, 'refuse-ts.mjs');
    fs.writeFileSync(probe, refuseTs);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('the probe does refuse a TypeScript file', () => {
    fs.writeFileSync(path.join(tmp, 'x.ts'), 'export const x = 1;\n');
    const r = spawnSync(process.execPath, ['--import', probe, '--input-type=module', '-e', "await import('./x.ts')"], { cwd: tmp, encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /refused to load file:.*\/x\.ts/);
  });

  it('answers --version, --help and store commands without resolving tsx or a .ts file', () => {
    const version = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
    const v = run(['--version']);
    assert.equal(v.stderr, '');
    assert.equal(v.code, 0);
    assert.equal(v.stdout, `${version}\n`);

    const h = run(['--help']);
    assert.equal(h.code, 0, h.stderr);
    assert.match(h.stdout, /^Usage: vaultproof <command> \[options\]/m);

    const store = path.join(tmp, 's.db');
    const empty = run(['snapshots', '--json', '--store', store]);
    assert.equal(empty.code, 0, empty.stderr);
    assert.deepEqual(JSON.parse(empty.stdout), []);

    // Import goes through the snapshot writer's worker thread: its own entry file in the bundle.
    const imp = run(['import', path.join(fixtures, 'import', 'arm-items-iaasvm.json'), '--store', store, '--json']);
    assert.equal(imp.code, 0, imp.stderr);
    // The export holds three IaaS VM protected items (properties.friendlyName).
    assert.equal((JSON.parse(imp.stdout) as { itemCount: number }).itemCount, 3);
    const items = run(['items', 'latest', '--json', '--store', store]);
    assert.equal(items.code, 0, items.stderr);
    assert.deepEqual((JSON.parse(items.stdout) as Array<{ name: string }>).map((i) => i.name).sort(), ['hiaga-adhoc-vm', 'hiagaNewVm1', 'pstest-ccy-vm3']);
  });

  it('holds an entry file for every worker thread the core starts, where the core looks for it', () => {
    // The findings worker, for one: `findings --json` of a big snapshot judges half its items on it (findings-split.ts).
    for (const rel of Object.values(workerEntries)) assert.ok(fs.existsSync(path.join(repoRoot, 'build', 'cli', 'electron', 'core', `${rel}.js`)), `${rel}.js is missing from build/cli`);
  });

  it('says how to build the bundle when it is missing (exit 2)', () => {
    const copy = path.join(tmp, 'checkout', 'bin', 'vaultproof.mjs');
    fs.mkdirSync(path.dirname(copy), { recursive: true });
    fs.copyFileSync(binPath, copy);
    const r = run(['--version'], { bin: copy, cwd: tmp });
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /the compiled CLI is missing \(.*checkout\/build\/cli\/electron\/cli\.js\)/);
    assert.match(r.stderr, /npm run build:cli/);
  });

  it('--cli mode takes the arguments after --cli, packaged or in development', () => {
    const argvs = [
      ['/opt/Vaultproof/vaultproof-desktop', '--cli', 'verify', 'pack.zip'],
      ['/x/electron', '.', '--cli', '--version'],
      ['/opt/Vaultproof/vaultproof-desktop', '--cli'],
      ['/opt/Vaultproof/vaultproof-desktop', '--store', '/tmp/s.db'],
      ['--cli'], // argv[0] is the executable, never the flag
    ];
    const r = withCliMode(`process.stdout.write(JSON.stringify(${JSON.stringify(argvs)}.map((a) => m.cliModeArgs(a))));`);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [['verify', 'pack.zip'], ['--version'], [], null, null]);
  });

  it('--cli mode without a staged bundle exits 2 naming the missing file', () => {
    const r = withCliMode(`await m.runCliMode(['--version'], { exit: (c) => process.exit(c), appRoot: ${JSON.stringify(tmp)} });`);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.ok(r.stderr.includes(`has no CLI (${path.join(tmp, 'cli', 'electron', 'cli.js')} is missing)`), r.stderr);
  });
});
