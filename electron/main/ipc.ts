/**
 * The one IPC channel. Renderer -> main: invoke({method, input, job}) ->
 * Result. Main -> renderer: AppEvent (progress, menu). The checks and the
 * routing live in ipc-handler.ts (tested without Electron).
 */
import { ipcMain, type BrowserWindow } from 'electron';
import { ipcChannel } from '../../shared/contract/transport.ts';
import type { ShellHandlers } from '../core/api/types.ts';
import type { EngineHost } from '../core/host/engine-host.ts';
import { createIpcHandler } from './ipc-handler.ts';

export { sendEvent } from './ipc-handler.ts';

export function registerIpc(opts: { window: () => BrowserWindow | null; engine: () => EngineHost; shell: ShellHandlers }): () => void {
  ipcMain.handle(ipcChannel, createIpcHandler(opts));
  return () => ipcMain.removeHandler(ipcChannel);
}
