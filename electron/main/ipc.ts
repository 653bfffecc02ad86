/**
 * The one IPC channel. Renderer -> main: invoke({method, input, job}) ->
 * Result. Main -> renderer: AppEvent (progress, menu). The checks and the
 * routing live in ipc-handler.ts (tested without Electron).
 */
import { ipcMain, type BrowserWindow } from 'electron';
import { ipcChannel } from '../../shared/contract/transport.ts';
import type { ShellHandlers } from '../core/api/app-call.ts';
import type { CoreContext } from '../core/context.ts';
import { createIpcHandler } from './ipc-handler.ts';

export { sendEvent } from './ipc-handler.ts';

export function registerIpc(opts: { window: () => BrowserWindow | null; core: () => CoreContext; shell: ShellHandlers }): () => void {
  ipcMain.handle(ipcChannel, createIpcHandler(opts));
  return () => ipcMain.removeHandler(ipcChannel);
}
