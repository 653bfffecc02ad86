/**
 * How the renderer talks to the backend, whatever carries it: the Electron
 * preload bridge (window.vaultproof over one IPC channel) or web mode (HTTP
 * to the loopback server). The renderer codes against `Transport` only.
 *
 * Wire rules shared by both carriers:
 * - invoke(method, input, { job }) -> Result. Long work (import.files,
 *   collect.start, packs.build) takes a caller-chosen `job` id; its progress
 *   events arrive through subscribe() with that `job`. Cancel with
 *   invoke('jobs.cancel', { job }). Nothing throws: transport failures come
 *   back as { ok: false, error: { code: 'INTERNAL' | 'UNAUTHORIZED', ... } }.
 * - subscribe(listener) -> unsubscribe. Events: job progress and menu
 *   actions (Electron's native menu; never sent in web mode).
 *
 * Implementations: createBridgeTransport(window.vaultproof) below (Electron),
 * createHttpTransport({ baseUrl: '', token: tokenFromHash(location.hash) })
 * in ./http-transport.ts (web mode). Shell-only methods (dialogs, keychain,
 * files.stage, app.info) are declared in ./shell.ts.
 */
import type { InputOf, MethodName, OutputOf } from './index.ts';
import type { ProgressEvent } from './events.ts';
import type { Result } from './result.ts';
import type { MenuAction, ShellInputOf, ShellMethodName, ShellOutputs } from './shell.ts';

export type AppMethodName = MethodName | ShellMethodName;
export type AppInputOf<M extends AppMethodName> = M extends MethodName ? InputOf<M> : M extends ShellMethodName ? ShellInputOf<M> : never;
export type AppOutputOf<M extends AppMethodName> = M extends MethodName
  ? OutputOf<M>
  : M extends ShellMethodName
    ? ShellOutputs[M]
    : never;

export type InvokeOptions = {
  /** Names the job so its progress events can be told apart and it can be cancelled. */
  job?: string;
};

export type AppEvent = ({ type: 'progress' } & ProgressEvent) | { type: 'menu'; action: MenuAction };

export type Transport = {
  readonly kind: 'electron' | 'web';
  invoke<M extends AppMethodName>(method: M, input: AppInputOf<M>, options?: InvokeOptions): Promise<Result<AppOutputOf<M>>>;
  subscribe(listener: (event: AppEvent) => void): () => void;
};

/** The untyped object preload puts on window.vaultproof (and nothing else). */
export type Bridge = {
  invoke(method: string, input: unknown, options?: InvokeOptions): Promise<Result<unknown>>;
  subscribe(listener: (event: AppEvent) => void): () => void;
};

/** The one IPC channel name (renderer <-> main). */
export const ipcChannel = 'vaultproof:rpc';

/** The Electron Transport: types the preload bridge. */
export function createBridgeTransport(bridge: Bridge): Transport {
  return {
    kind: 'electron',
    invoke: (method, input, options) => bridge.invoke(method, input, options) as never,
    subscribe: (listener) => bridge.subscribe(listener),
  };
}
