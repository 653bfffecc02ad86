/**
 * The web-mode Transport: HTTP to the loopback server (electron/core/web).
 * Uses only fetch / streams / TextDecoder, which browsers and Node both have,
 * so the renderer and the tests share it.
 *
 * Protocol (every request carries `Authorization: Bearer <token>`):
 *   POST /rpc     {method, input, job?}        -> Result JSON
 *   POST /events  (no body)                    -> newline-delimited JSON, one AppEvent per line;
 *                                                 the first line is {"type":"ready"}
 *   POST /upload?name=<file name>  raw bytes   -> Result<{path}> (what files.stage does in Electron)
 */
import type { Result } from './result.ts';
import type { AppEvent, AppInputOf, AppMethodName, AppOutputOf, InvokeOptions, Transport } from './transport.ts';

export type HttpTransportOptions = {
  /** '' for same origin (the served renderer), or 'http://127.0.0.1:PORT'. */
  baseUrl: string;
  token: string;
  /** Delay before reopening a dropped event stream. */
  reconnectMs?: number;
};

/** Reads the token the server put in the URL fragment (`#token=...`). */
export function tokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const token = params.get('token');
  return token && /^[A-Za-z0-9_-]{16,200}$/.test(token) ? token : null;
}

function transportError(message: string, code: 'INTERNAL' | 'UNAUTHORIZED' = 'INTERNAL'): Result<never> {
  return { ok: false, error: { code, message } };
}

export function createHttpTransport(options: HttpTransportOptions): Transport {
  const { baseUrl, token } = options;
  const reconnectMs = options.reconnectMs ?? 1000;
  const auth = { authorization: `Bearer ${token}` };
  const listeners = new Set<(event: AppEvent) => void>();
  let stream: AbortController | null = null;
  let ready: Promise<void> = Promise.resolve();

  async function readStream(controller: AbortController, markReady: () => void): Promise<void> {
    try {
      const res = await fetch(`${baseUrl}/events`, { method: 'POST', headers: auth, signal: controller.signal });
      if (!res.ok || !res.body) {
        markReady();
        if (res.status === 401 || res.status === 403) return; // a wrong token never gets better
        throw new Error(`event stream: HTTP ${res.status}`);
      }
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buffered = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffered += decoder.decode(value, { stream: true });
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl).trim();
          buffered = buffered.slice(nl + 1);
          if (!line) continue;
          const event = JSON.parse(line) as AppEvent | { type: 'ready' };
          if (event.type === 'ready') {
            markReady();
            continue;
          }
          for (const l of [...listeners]) l(event);
        }
      }
      throw new Error('event stream closed');
    } catch {
      markReady();
      if (controller.signal.aborted || listeners.size === 0) return;
      setTimeout(() => {
        if (stream === controller && listeners.size > 0) open();
      }, reconnectMs);
    }
  }

  function open(): void {
    const controller = new AbortController();
    stream = controller;
    ready = new Promise<void>((resolve) => {
      void readStream(controller, resolve);
    });
  }

  async function post(pathAndQuery: string, body: unknown, contentType: string): Promise<Result<unknown>> {
    try {
      const res = await fetch(`${baseUrl}${pathAndQuery}`, {
        method: 'POST',
        headers: { ...auth, 'content-type': contentType },
        body: body as string,
      });
      const text = await res.text();
      if (res.status === 401 || res.status === 403) return transportError(`the server refused the request (HTTP ${res.status}): reopen the URL that \`vaultproof serve\` printed`, 'UNAUTHORIZED');
      try {
        return JSON.parse(text) as Result<unknown>;
      } catch {
        return transportError(`the server answered HTTP ${res.status} without a result`);
      }
    } catch (err) {
      return transportError(`cannot reach the Vaultproof server: ${err instanceof Error ? err.message : String(err)}. Is \`vaultproof serve\` still running?`);
    }
  }

  return {
    kind: 'web',
    async invoke<M extends AppMethodName>(method: M, input: AppInputOf<M>, opts?: InvokeOptions): Promise<Result<AppOutputOf<M>>> {
      if (method === 'files.stage') {
        const { name, bytes } = input as AppInputOf<'files.stage'>;
        return (await post(`/upload?name=${encodeURIComponent(name)}`, bytes, 'application/octet-stream')) as Result<AppOutputOf<M>>;
      }
      // Progress sent before the stream is attached would be lost: wait for it.
      if (opts?.job !== undefined && listeners.size > 0) await ready;
      const body = JSON.stringify({ method, input, ...(opts?.job !== undefined ? { job: opts.job } : {}) });
      return (await post('/rpc', body, 'application/json')) as Result<AppOutputOf<M>>;
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!stream) open();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && stream) {
          stream.abort();
          stream = null;
        }
      };
    },
  };
}
