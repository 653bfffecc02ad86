/**
 * What main does with one IPC call, without electron at run time (types
 * only) so the sender check and routing are tested with fake events:
 * refuse anything but our window's main frame showing our page, then route
 * through the app relay: shell methods answered here in main, core methods
 * on the engine worker (zod-validated, never throws). ipc.ts registers it.
 */
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import type { Result } from '../../shared/contract/result.ts';
import { ipcChannel, type AppEvent } from '../../shared/contract/transport.ts';
import type { ShellHandlers } from '../core/api/types.ts';
import { createAppRelay } from '../core/host/app-relay.ts';
import type { EngineHost } from '../core/host/engine-host.ts';
import { isTrustedSender } from './security.ts';

/** The parts of an invoke event and a window the check reads (fakes in tests). */
export type FrameLike = { url: string; processId: number; routingId: number };
export type InvokeEventLike = { sender: unknown; senderFrame: FrameLike | null };
export type WindowLike = {
  isDestroyed(): boolean;
  webContents: { mainFrame: FrameLike; isDestroyed(): boolean; send(channel: string, event: AppEvent): void };
};

export function sendEvent(win: WindowLike | null, event: AppEvent): void {
  if (win && !win.isDestroyed() && !win.webContents.isDestroyed()) win.webContents.send(ipcChannel, event);
}

export function describeSender(event: InvokeEventLike, win: WindowLike | null): Parameters<typeof isTrustedSender>[0] {
  const frame = event.senderFrame;
  const ours = !!win && !win.isDestroyed() && event.sender === win.webContents;
  const main = ours ? win.webContents.mainFrame : null;
  return {
    frameUrl: frame?.url ?? null,
    isOurWindow: ours,
    isMainFrame: !!frame && !!main && frame.processId === main.processId && frame.routingId === main.routingId,
  };
}

export function createIpcHandler<W extends WindowLike = BrowserWindow, E extends InvokeEventLike = IpcMainInvokeEvent>(opts: {
  window: () => W | null;
  engine: () => EngineHost;
  shell: ShellHandlers;
}): (event: E, message: unknown) => Promise<Result<unknown>> {
  const relay = createAppRelay({ engine: opts.engine, shell: { name: 'the desktop app', handlers: opts.shell } });
  return async (event, message) => {
    const win = opts.window();
    if (!isTrustedSender(describeSender(event, win))) {
      return { ok: false, error: { code: 'UNAUTHORIZED', message: 'refused: the call did not come from the Vaultproof window' } };
    }
    if (!message || typeof message !== 'object' || Array.isArray(message)) {
      return { ok: false, error: { code: 'BAD_INPUT', message: 'expected {method, input, job?}' } };
    }
    const call = message as { method?: unknown; input?: unknown; job?: unknown };
    return relay({ method: call.method, input: call.input, job: call.job }, (e) => sendEvent(win, { type: 'progress', ...e }));
  };
}
