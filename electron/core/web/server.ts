/**
 * Web mode: the loopback HTTP bridge. Serves the built renderer and the same
 * handler table as Electron's IPC, for a browser on this machine only.
 *
 * Who may talk to it: requests must name us in the Host header
 * (127.0.0.1:PORT or localhost:PORT — defeats DNS rebinding), and every API
 * call must carry the per-launch token as `Authorization: Bearer` (handed to
 * the page in the URL fragment, which browsers never send to servers). No
 * CORS headers are ever sent, and a cross-site Origin / Sec-Fetch-Site is
 * refused, so other web pages can neither read answers nor post calls.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { AppEvent } from '../../../shared/contract/transport.ts';
import type { ProgressEvent } from '../../../shared/contract/events.ts';
import type { Result } from '../../../shared/contract/result.ts';
import { toolVersion } from '../version.ts';
import { toErrorInfo } from '../errors.ts';
import type { ShellHandlers } from '../api/types.ts';
import { createAppRelay, openStoreOn } from '../host/app-relay.ts';
import { startEngineHost, type EngineHost } from '../host/engine-host.ts';
import { pruneStaging, stageStream } from '../staging.ts';
import { contentSecurityPolicy, contentTypeFor, resolveStaticPath } from './static-files.ts';
import { defaultRendererDir } from './renderer-build.ts';
import { checkWebPaths } from './paths.ts';

export type WebServerOptions = {
  /** 0 (default) picks a free port. */
  port?: number;
  storePath?: string;
  rendererDir?: string;
  /** Tests may fix the token; normally a fresh random one per launch. */
  token?: string;
  maxBodyBytes?: number;
  /** Folders (besides the store's own) whose files web-mode calls may read and write. */
  allowedRoots?: string[];
  /** Told the engine's own events too (the store's upgrade as it opens): `vaultproof serve` prints them. */
  onEngineEvent?: (e: ProgressEvent) => void;
};

export type WebServer = {
  /** `http://127.0.0.1:PORT/#token=...` — what `vaultproof serve` prints. */
  url: string;
  origin: string;
  port: number;
  token: string;
  /** The store the engine works on (app.openStore may change it). */
  storePath(): string;
  /** The engine worker this server relays core methods to. */
  engine: EngineHost;
  close(): Promise<void>;
};

const securityHeaders: Record<string, string> = {
  'content-security-policy': contentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
};

function sha256(text: string): Buffer {
  return crypto.createHash('sha256').update(text).digest();
}

/** The Host header must name this server on loopback, with its port. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const h = host.toLowerCase();
  return h === `127.0.0.1:${port}` || h === `localhost:${port}`;
}

/** Browsers add Origin / Sec-Fetch-Site to cross-site requests: refuse those. */
export function originAllowed(origin: string | undefined, fetchSite: string | undefined, port: number): boolean {
  if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none') return false;
  if (origin === undefined) return true;
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

export function bearerMatches(header: string | undefined, tokenHash: Buffer): boolean {
  const m = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header ?? '');
  if (!m?.[1]) return false;
  return crypto.timingSafeEqual(sha256(m[1]), tokenHash);
}

function send(res: http.ServerResponse, status: number, body: string, type: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...securityHeaders, 'content-type': type, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body), ...extra });
  res.end(body);
}

function sendResult(res: http.ServerResponse, status: number, result: Result<unknown>): void {
  send(res, status, JSON.stringify(result), 'application/json; charset=utf-8');
}

function refuse(res: http.ServerResponse, status: number, code: 'UNAUTHORIZED' | 'BAD_INPUT', message: string): void {
  sendResult(res, status, { ok: false, error: { code, message } });
}

class BodyTooLarge extends Error {}

/** Past this, an oversized body is cut off rather than read to its end (the caller then sees a reset, not a 413). */
const drainCapBytes = 1024 ** 3;

/**
 * The body, up to `limit` bytes. A bigger one is not kept: it is read to its
 * end and dropped (up to a cap), so the caller — who is still sending — gets
 * the 413 answer instead of a reset connection.
 */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = Number(req.headers['content-length']) > limit;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      if (over) {
        chunks.length = 0;
        if (size > drainCapBytes) {
          reject(new BodyTooLarge(`request body larger than ${limit} bytes`));
          req.destroy();
        }
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => (over ? reject(new BodyTooLarge(`request body larger than ${limit} bytes`)) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

const notBuiltPage = `<!doctype html><meta charset="utf-8"><title>Vaultproof</title>
<p>The Vaultproof UI is not built. Run <code>npm run build:renderer</code> (or start with <code>npm start</code>, which builds it), then reload.</p>`;

export async function startWebServer(options: WebServerOptions = {}): Promise<WebServer> {
  const token = options.token ?? crypto.randomBytes(32).toString('base64url');
  const tokenHash = sha256(token);
  const rendererDir = options.rendererDir ?? defaultRendererDir();
  const maxBody = options.maxBodyBytes ?? 16 * 1024 * 1024;
  // The core runs on the engine's thread: a pack build never holds up static files, uploads or events here.
  const streams = new Set<http.ServerResponse>();
  // The last word of a store upgrade, told again to a page that connects later (the upgrade runs on the first call, often before the page listens).
  let upgradeNotice: AppEvent | null = null;
  const engine = startEngineHost({
    ...(options.storePath !== undefined ? { storePath: options.storePath } : {}),
    onEvent: (e) => {
      const event: AppEvent = { type: 'progress', ...e };
      upgradeNotice = event;
      broadcast(event);
      options.onEngineEvent?.(e);
    },
  });
  let port = 0;

  pruneStaging(engine.storePath(), Date.now());
  // Fixed at start: opening another store (app.openStore) moves the store, not what the page may touch.
  const roots = [path.dirname(engine.storePath()), ...(options.allowedRoots ?? []).map((r) => path.resolve(r))];

  function broadcast(event: AppEvent): void {
    const line = `${JSON.stringify(event)}\n`;
    for (const s of streams) s.write(line);
  }

  const webHost = 'web mode (use the desktop app, or the file picker and drag-and-drop)';
  const shell: ShellHandlers = {
    'app.info': () => ({ kind: 'web', version: toolVersion, storePath: engine.storePath(), platform: process.platform, nativeDialogs: false }),
    'app.openStore': ({ path: storePath }) => openStoreOn(engine, storePath),
    'passphrase.status': () => ({ backend: 'unavailable', canStore: false, stored: false }),
    'passphrase.get': () => ({ passphrase: null }),
    'passphrase.save': () => ({ stored: false }),
    'passphrase.forget': () => ({ forgotten: false }),
  };

  const relay = createAppRelay({ engine: () => engine, shell: { name: webHost, handlers: shell } });

  async function handleRpc(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      refuse(res, 415, 'BAD_INPUT', 'POST /rpc takes Content-Type: application/json');
      return;
    }
    let call: { method?: unknown; input?: unknown; job?: unknown };
    let body: Buffer;
    try {
      body = await readBody(req, maxBody);
    } catch (err) {
      if (!(err instanceof BodyTooLarge)) throw err;
      if (!res.destroyed) refuse(res, 413, 'BAD_INPUT', `the request body is larger than ${maxBody} bytes, the most one call takes; send files with POST /upload (the page's file picker and drag-and-drop do)`);
      return;
    }
    try {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('expected an object {method, input, job?}');
      call = parsed as typeof call;
    } catch (err) {
      refuse(res, 400, 'BAD_INPUT', `bad request body: ${(err as Error).message}`);
      return;
    }
    if (call.method === 'files.stage') {
      refuse(res, 400, 'BAD_INPUT', 'in web mode, files are staged with POST /upload?name=<file name> and the raw bytes as the body');
      return;
    }
    try {
      // A path the page sent is not one a person picked in a dialog: only paths under the allowed roots.
      if (typeof call.method === 'string') checkWebPaths(call.method, call.input, roots);
    } catch (err) {
      sendResult(res, 200, { ok: false, error: toErrorInfo(err) });
      return;
    }
    const controller = new AbortController();
    // A closed connection means nobody waits for the answer: cancel the work.
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const result = await relay({ method: call.method, input: call.input, job: call.job }, (e) => broadcast({ type: 'progress', ...e }), controller.signal);
    if (!res.destroyed) sendResult(res, 200, result);
  }

  function handleEvents(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, { ...securityHeaders, 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' });
    res.write('{"type":"ready"}\n');
    if (upgradeNotice) res.write(`${JSON.stringify(upgradeNotice)}\n`);
    streams.add(res);
    // Keeps proxies and idle timers from closing a quiet stream; the client skips empty lines.
    const ping = setInterval(() => res.write('\n'), 20_000);
    ping.unref();
    req.on('close', () => {
      clearInterval(ping);
      streams.delete(res);
    });
  }

  async function handleUpload(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const name = url.searchParams.get('name');
    if (!name || name.length > 255) {
      refuse(res, 400, 'BAD_INPUT', 'POST /upload needs ?name=<file name> (at most 255 characters)');
      return;
    }
    try {
      const staged = await stageStream(engine.storePath(), name, req);
      sendResult(res, 200, { ok: true, value: { path: staged } });
    } catch (err) {
      sendResult(res, 400, { ok: false, error: toErrorInfo(err) });
    }
  }

  function handleStatic(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    if (!fs.existsSync(rendererDir) && (url.pathname === '/' || url.pathname === '/index.html')) {
      send(res, 503, notBuiltPage, 'text/html; charset=utf-8');
      return;
    }
    const file = resolveStaticPath(rendererDir, url.pathname);
    if (!file) {
      send(res, 404, 'not found\n', 'text/plain; charset=utf-8');
      return;
    }
    const type = contentTypeFor(file);
    const body = fs.readFileSync(file);
    res.writeHead(200, {
      ...securityHeaders,
      'content-type': type,
      'content-length': body.length,
      'cache-control': type.startsWith('text/html') ? 'no-cache' : 'public, max-age=3600',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  const server = http.createServer((req, res) => {
    if (!hostAllowed(req.headers.host, port)) {
      send(res, 403, 'this server answers only to 127.0.0.1 and localhost\n', 'text/plain; charset=utf-8');
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    } catch {
      send(res, 400, 'bad request\n', 'text/plain; charset=utf-8');
      return;
    }
    const isApi = url.pathname === '/rpc' || url.pathname === '/events' || url.pathname === '/upload';
    if (!isApi) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(res, 405, 'method not allowed\n', 'text/plain; charset=utf-8', { allow: 'GET, HEAD' });
        return;
      }
      handleStatic(req, res, url);
      return;
    }
    if (!originAllowed(req.headers.origin, req.headers['sec-fetch-site'] as string | undefined, port)) {
      refuse(res, 403, 'UNAUTHORIZED', 'cross-site requests are refused');
      return;
    }
    if (!bearerMatches(req.headers.authorization, tokenHash)) {
      refuse(res, 401, 'UNAUTHORIZED', 'missing or wrong token: open the URL that `vaultproof serve` printed');
      return;
    }
    const allowed = url.pathname === '/events' ? ['POST', 'GET'] : ['POST'];
    if (!allowed.includes(req.method ?? '')) {
      send(res, 405, 'method not allowed\n', 'text/plain; charset=utf-8', { allow: allowed.join(', ') });
      return;
    }
    if (url.pathname === '/events') {
      handleEvents(req, res);
      return;
    }
    const work = url.pathname === '/rpc' ? handleRpc(req, res) : handleUpload(req, res, url);
    work.catch((err: unknown) => {
      if (!res.headersSent) sendResult(res, 500, { ok: false, error: toErrorInfo(err) });
      else res.destroy();
    });
  });
  server.headersTimeout = 30_000;
  server.requestTimeout = 0; // uploads of big exports may take a while; the body size is capped instead

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port: options.port ?? 0, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await engine.close();
    throw err;
  }
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    storePath: () => engine.storePath(),
    engine,
    async close() {
      for (const s of streams) s.end();
      streams.clear();
      engine.cancelAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await engine.close();
    },
  };
}
