/**
 * The host side of the engine worker: what Electron main and the web server
 * hold instead of a CoreContext. It relays `{ method, input, job }` calls to
 * the worker and hands back the same Result; progress events reach the
 * caller that started the job; an abort signal (connection dropped) and
 * `jobs.cancel` reach the worker. If the worker dies, every call it held
 * gets an INTERNAL error saying so (never a hang), and the next call starts
 * a fresh worker on the same store.
 */
import type { ResourceLimits, Worker } from 'node:worker_threads';
import type { ProgressEvent } from '../../../shared/contract/events.ts';
import type { Result } from '../../../shared/contract/result.ts';
import { resolveStorePath } from '../context.ts';
import type { EngineCall, EngineWorkerData, FromEngine, ToEngine } from './protocol.ts';
import { startWorker } from './threads.ts';

export type EngineHostOptions = {
  storePath?: string;
  /** Caps the engine's heap, so a runaway call ends the worker, not the app. */
  resourceLimits?: ResourceLimits;
  /** Told when the worker died under calls (to log it); the calls themselves get an error Result. */
  onCrash?: (message: string) => void;
  /** How long close() lets cancelled work wind down before stopping the thread (default 10 s). */
  closeGraceMs?: number;
  /** Told the engine's own events, not a call's (the store's upgrade as it opens: STORE_UPGRADE_JOB). */
  onEvent?: (e: ProgressEvent) => void;
};

export type CallOptions = { onEvent?: (e: ProgressEvent) => void; signal?: AbortSignal };

export type EngineHost = {
  /** The store the engine works on (changes with openStore). */
  storePath(): string;
  call(call: EngineCall, opts?: CallOptions): Promise<Result<unknown>>;
  /** Opens (or refuses) another store in the engine; the old one is let go only once the new one is open. */
  openStore(storePath: string): Promise<Result<{ storePath: string }>>;
  /** Answered by the engine thread itself: how quickly it can take a message. */
  ping(): Promise<Result<unknown>>;
  /** Cancels every running job (a window closed). */
  cancelAll(): void;
  /** Cancels every job, closes the store and stops the worker. Calls after close are refused. */
  close(): Promise<void>;
};

type Pending = { what: string; resolve: (r: Result<unknown>) => void; onEvent?: ((e: ProgressEvent) => void) | undefined; detach?: () => void };

function internal(message: string): Result<never> {
  return { ok: false, error: { code: 'INTERNAL', message } };
}

export function startEngineHost(options: EngineHostOptions = {}): EngineHost {
  let storePath = resolveStorePath(options.storePath);
  let worker: Worker | null = null;
  let closing = false;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  function settle(id: number, result: Result<unknown>): void {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    p.detach?.();
    if (pending.size === 0) worker?.unref();
    p.resolve(result);
  }

  function spawn(): Worker {
    const data: EngineWorkerData = { storePath };
    const w = startWorker('engine', { workerData: data, ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}) });
    let failure: Error | null = null;
    w.on('message', (m: FromEngine) => {
      if (m.type === 'result') settle(m.id, m.result);
      else if (m.type === 'event') pending.get(m.id)?.onEvent?.(m.event);
      else if (m.type === 'notice') options.onEvent?.(m.event);
    });
    w.on('error', (e) => {
      failure = e;
    });
    w.on('exit', (code) => {
      if (worker === w) worker = null;
      if (closing || pending.size === 0) return;
      const reason = failure ? failure.message : `exit code ${code}`;
      const what = [...new Set([...pending.values()].map((p) => p.what))].join(', ');
      const message = `the engine stopped unexpectedly (${reason}) while running ${what}; that work did not finish (the store keeps only what was committed) and the engine restarts with the next request`;
      options.onCrash?.(message);
      for (const id of [...pending.keys()]) settle(id, internal(message));
    });
    // An idle engine never keeps a process alive on its own (tests, a CLI that forgot close); work in flight does.
    w.unref();
    return w;
  }

  function send(what: string, message: (id: number) => ToEngine, opts: CallOptions = {}): Promise<Result<unknown>> {
    if (closing) return Promise.resolve(internal(`the engine is closed; ${what} was not run`));
    try {
      worker ??= spawn();
    } catch (e) {
      return Promise.resolve(internal(`the engine could not start: ${(e as Error).message}`));
    }
    const w = worker;
    const id = nextId++;
    return new Promise((resolve) => {
      const p: Pending = { what, resolve, onEvent: opts.onEvent };
      const signal = opts.signal;
      if (signal) {
        const onAbort = (): void => post(w, { type: 'abort', id });
        signal.addEventListener('abort', onAbort, { once: true });
        p.detach = () => signal.removeEventListener('abort', onAbort);
      }
      pending.set(id, p);
      w.ref();
      post(w, message(id));
      if (signal?.aborted) post(w, { type: 'abort', id });
    });
  }

  function post(w: Worker, m: ToEngine): void {
    try {
      w.postMessage(m);
    } catch (e) {
      // Only a call's input can fail to cross (e.g. a function in it); the call answers for it.
      if ('id' in m && m.type === 'call') settle(m.id, { ok: false, error: { code: 'BAD_INPUT', message: `the input of ${m.method} cannot be sent to the engine: ${(e as Error).message}` } });
    }
  }

  return {
    storePath: () => storePath,
    call(c, opts) {
      const method = typeof c.method === 'string' ? c.method : 'a call';
      return send(method, (id) => ({ type: 'call', id, method: c.method, input: c.input, job: c.job }), opts);
    },
    async openStore(next) {
      const result = await send('app.openStore', (id) => ({ type: 'openStore', id, path: next }));
      if (result.ok) storePath = (result.value as { storePath: string }).storePath;
      return result as Result<{ storePath: string }>;
    },
    ping: () => send('ping', (id) => ({ type: 'ping', id })),
    cancelAll() {
      if (worker) post(worker, { type: 'cancelAll' });
    },
    async close() {
      if (closing) return;
      const w = worker;
      if (!w) {
        closing = true;
        return;
      }
      const closed = send('close', (id) => ({ type: 'close', id }));
      closing = true;
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, options.closeGraceMs ?? 10_000);
      });
      await Promise.race([closed, grace]);
      clearTimeout(timer);
      await w.terminate();
      worker = null;
      for (const id of [...pending.keys()]) settle(id, internal('the engine was closed before this call finished'));
    },
  };
}
