import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { startEngineHost } from '../../electron/core/host/engine-host.ts';
// eslint-disable-next-line vaultproof/import-runtime -- main's IPC handler is plain code over electron types, tested here with fake events
import { createIpcHandler, type FrameLike, type WindowLike } from '../../electron/main/ipc-handler.ts';
import { ipcChannel, type AppEvent } from '../../shared/contract/transport.ts';

function fakeWindow() {
  const sent: Array<{ channel: string; event: AppEvent }> = [];
  const mainFrame: FrameLike = { url: 'app://vaultproof/index.html', processId: 7, routingId: 1 };
  const win: WindowLike = {
    isDestroyed: () => false,
    webContents: { mainFrame, isDestroyed: () => false, send: (channel, event) => sent.push({ channel, event }) },
  };
  return { win, sent, mainFrame };
}

describe('main IPC handler', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-ipc-'));
  // The real engine worker, as main runs it: core methods are answered on its thread.
  const engine = startEngineHost({ storePath: path.join(dir, 'store.db') });
  after(() => engine.close());

  const chosen: string[] = [];
  const { win, sent, mainFrame } = fakeWindow();
  const handle = createIpcHandler<WindowLike, { sender: unknown; senderFrame: FrameLike | null }>({
    window: () => win,
    engine: () => engine,
    shell: {
      'dialog.openFiles': (input) => {
        chosen.push(input.title ?? '');
        return { paths: ['/picked/items.json'] };
      },
    },
  });
  const fromMain = { sender: win.webContents, senderFrame: mainFrame };

  it('answers calls from our window main frame through the contract', async () => {
    assert.deepEqual(await handle(fromMain, { method: 'snapshots.list', input: {} }), { ok: true, value: [] });
    assert.deepEqual(await handle(fromMain, { method: 'dialog.openFiles', input: { title: 'Import' } }), { ok: true, value: { paths: ['/picked/items.json'] } });
    assert.deepEqual(chosen, ['Import']);
  });

  it('refuses subframes, other windows, foreign pages and detached frames', async () => {
    const cases = [
      { sender: win.webContents, senderFrame: { ...mainFrame, routingId: 2 } },
      { sender: win.webContents, senderFrame: { ...mainFrame, processId: 8 } },
      { sender: { other: true }, senderFrame: mainFrame },
      { sender: win.webContents, senderFrame: { ...mainFrame, url: 'https://evil.example/' } },
      { sender: win.webContents, senderFrame: null },
    ];
    for (const ev of cases) {
      const res = await handle(ev, { method: 'snapshots.list', input: {} });
      assert.equal(res.ok ? 'ok' : res.error.code, 'UNAUTHORIZED', JSON.stringify(ev.senderFrame));
    }
  });

  it('validates every input and refuses what is not a call', async () => {
    const bad = await handle(fromMain, { method: 'dialog.openFiles', input: { title: 42 } });
    assert.equal(bad.ok ? 'ok' : bad.error.code, 'BAD_INPUT');
    const extra = await handle(fromMain, { method: 'snapshots.list', input: { drop: true } });
    assert.equal(extra.ok ? 'ok' : extra.error.code, 'BAD_INPUT');
    const missing = await handle(fromMain, { method: 'files.stage', input: { name: 'x.json' } });
    assert.equal(missing.ok ? 'ok' : missing.error.code, 'BAD_INPUT');
    const notHere = await handle(fromMain, { method: 'dialog.saveFile', input: {} });
    assert.match(notHere.ok ? '' : notHere.error.message, /not available in the desktop app/);
    for (const message of [null, 'snapshots.list', ['snapshots.list'], { method: 42 }]) {
      const res = await handle(fromMain, message);
      assert.equal(res.ok ? 'ok' : res.error.code, 'BAD_INPUT', JSON.stringify(message));
    }
  });

  it('sends a job progress to the window on the one channel', async () => {
    const fixture = path.resolve(import.meta.dirname, '../fixtures/web/arm-items-iaasvm.json');
    sent.length = 0;
    const res = await handle(fromMain, { method: 'import.files', input: { paths: [fixture] }, job: 'import-7' });
    assert.ok(res.ok, JSON.stringify(res));
    assert.ok(sent.length >= 1);
    for (const s of sent) {
      assert.equal(s.channel, ipcChannel);
      assert.equal(s.event.type, 'progress');
      assert.equal(s.event.type === 'progress' ? s.event.job : '', 'import-7');
    }
  });
});
