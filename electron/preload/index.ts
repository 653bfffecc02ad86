/**
 * The preload: window.vaultproof = { invoke, subscribe } over one IPC
 * channel, and nothing else. It runs sandboxed (bundled to CommonJS by
 * scripts/build-main.mjs). The IPC event object never reaches the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { ipcChannel, type AppEvent, type Bridge, type InvokeOptions } from '../../shared/contract/transport.ts';

const listeners = new Set<(event: AppEvent) => void>();

ipcRenderer.on(ipcChannel, (_event, payload: AppEvent) => {
  for (const listener of [...listeners]) {
    try {
      listener(payload);
    } catch (err) {
      console.error('vaultproof: an event listener failed', err);
    }
  }
});

const bridge: Bridge = {
  invoke: (method: string, input: unknown, options?: InvokeOptions) =>
    ipcRenderer.invoke(ipcChannel, { method, input, ...(options?.job !== undefined ? { job: options.job } : {}) }),
  subscribe: (listener: (event: AppEvent) => void) => {
    if (typeof listener !== 'function') throw new TypeError('subscribe(listener) takes a function');
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
};

contextBridge.exposeInMainWorld('vaultproof', bridge);
