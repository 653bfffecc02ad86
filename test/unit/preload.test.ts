import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { build } from 'esbuild';
import { ipcChannel } from '../../shared/contract/transport.ts';

const root = path.resolve(import.meta.dirname, '../..');

type Exposed = { key: string; api: Record<string, unknown> };

/**
 * Bundles the preload the way scripts/build-main.mjs does (CommonJS, electron
 * external) and runs it against a fake `electron` module that records what it
 * exposes and which channels it touches.
 */
async function loadPreload() {
  const result = await build({
    entryPoints: [path.join(root, 'electron', 'preload', 'index.ts')],
    bundle: true,
    external: ['electron'],
    format: 'cjs',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  const exposed: Exposed[] = [];
  const invoked: Array<{ channel: string; payload: unknown }> = [];
  const onChannels: string[] = [];
  let emit: ((event: unknown, payload: unknown) => void) | null = null;
  const ipcRenderer = new Proxy(
    {
      invoke: (channel: string, payload: unknown) => {
        invoked.push({ channel, payload });
        return Promise.resolve({ ok: true, value: 'answer' });
      },
      on: (channel: string, fn: (event: unknown, payload: unknown) => void) => {
        onChannels.push(channel);
        emit = fn;
      },
    },
    {
      get(target, prop) {
        if (prop in target) return target[prop as keyof typeof target];
        throw new Error(`preload used ipcRenderer.${String(prop)}`);
      },
    },
  );
  const fakeElectron = {
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.push({ key, api }) },
    ipcRenderer,
  };
  const required: string[] = [];
  const fakeRequire = (id: string): unknown => {
    required.push(id);
    if (id === 'electron') return fakeElectron;
    throw new Error(`preload required ${id}`);
  };
  const module = { exports: {} };
  new Function('require', 'module', 'exports', code)(fakeRequire, module, module.exports);
  return { exposed, invoked, onChannels, required, emit: (event: unknown, payload: unknown) => emit!(event, payload), size: code.length };
}

describe('preload', () => {
  it('exposes window.vaultproof with invoke and subscribe, and nothing else', async () => {
    const p = await loadPreload();
    assert.equal(p.exposed.length, 1);
    assert.equal(p.exposed[0]!.key, 'vaultproof');
    assert.deepEqual(Object.keys(p.exposed[0]!.api).sort(), ['invoke', 'subscribe']);
    assert.deepEqual(p.required, ['electron']);
    assert.ok(p.size < 4000, `the preload bundle stays small (${p.size} bytes)`);
  });

  it('invoke sends {method, input, job} on the one channel and returns the answer', async () => {
    const p = await loadPreload();
    const api = p.exposed[0]!.api as { invoke: (m: string, i: unknown, o?: { job?: string }) => Promise<unknown> };
    assert.deepEqual(await api.invoke('snapshots.list', {}), { ok: true, value: 'answer' });
    await api.invoke('import.files', { paths: ['/x.json'] }, { job: 'job-1' });
    assert.deepEqual(p.invoked, [
      { channel: ipcChannel, payload: { method: 'snapshots.list', input: {} } },
      { channel: ipcChannel, payload: { method: 'import.files', input: { paths: ['/x.json'] }, job: 'job-1' } },
    ]);
    assert.deepEqual(p.onChannels, [ipcChannel]);
  });

  it('subscribe delivers event payloads, never the IPC event, until unsubscribed', async () => {
    const p = await loadPreload();
    const api = p.exposed[0]!.api as { subscribe: (l: (e: unknown) => void) => () => void };
    const got: unknown[][] = [];
    const off = api.subscribe((...args: unknown[]) => got.push(args));
    const ipcEvent = { sender: { send: () => {} }, ports: [] };
    p.emit(ipcEvent, { type: 'progress', job: 'j', phase: 'import', done: 1, total: null });
    off();
    p.emit(ipcEvent, { type: 'menu', action: 'import' });
    assert.deepEqual(got, [[{ type: 'progress', job: 'j', phase: 'import', done: 1, total: null }]]);
    assert.throws(() => api.subscribe('not a function' as never), /takes a function/);
  });
});
