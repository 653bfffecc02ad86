/**
 * The compiled app starts its workers from .js entries with no TypeScript
 * loader: scripts/build-main.mjs must emit every entry named in
 * electron/core/host/threads.ts, and the compiled engine host must run a
 * real call on its compiled worker under plain Node. (Started from inside
 * app.asar by Electron is the one step this cannot show.)
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { workerEntries } from '../../electron/core/host/threads.ts';
import type * as EngineHostModule from '../../electron/core/host/engine-host.ts';
import type * as ThreadsModule from '../../electron/core/host/threads.ts';

const root = path.resolve(import.meta.dirname, '../..');
const fixture = path.join(root, 'test', 'fixtures', 'web', 'arm-items-iaasvm.json');

describe('compiled workers', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-host-built-'));
  const out = path.join(tmp, 'out');
  before(async () => {
    const { buildMain } = (await import(pathToFileURL(path.join(root, 'scripts', 'build-main.mjs')).href)) as { buildMain: (o: { outDir: string; quiet: boolean }) => Promise<unknown> };
    await buildMain({ outDir: out, quiet: true });
    // Packages resolve from the compiled tree as they do beside the app's node_modules.
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(out, 'node_modules'), 'dir');
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('emits a .js entry for every worker, and the compiled bootstrap picks it with no loader', async () => {
    for (const rel of Object.values(workerEntries)) {
      assert.ok(fs.existsSync(path.join(out, 'electron', 'core', `${rel}.js`)), `${rel}.js is missing from the build`);
    }
    const threads = (await import(pathToFileURL(path.join(out, 'electron', 'core', 'host', 'threads.js')).href)) as typeof ThreadsModule;
    assert.equal(threads.workerEntryFile('engine'), path.join(out, 'electron', 'core', 'host', 'engine-worker.js'));
    assert.deepEqual(threads.workerExecArgv(), []);
  });

  it('the compiled engine host imports a file on its compiled worker', async () => {
    const { startEngineHost } = (await import(pathToFileURL(path.join(out, 'electron', 'core', 'host', 'engine-host.js')).href)) as typeof EngineHostModule;
    const engine = startEngineHost({ storePath: path.join(tmp, 'store', 'vaultproof.db') });
    try {
      const imported = await engine.call({ method: 'import.files', input: { paths: [fixture] } });
      assert.equal(imported.ok, true, JSON.stringify(imported));
      const list = await engine.call({ method: 'snapshots.list', input: {} });
      assert.equal(list.ok && (list.value as Array<{ itemCount: number }>)[0]?.itemCount, 3);
    } finally {
      await engine.close();
    }
  });
});
