import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startWebServer, type WebServer } from '../../electron/core/web/server.ts';
import { createHttpTransport, tokenFromHash } from '../../shared/contract/http-transport.ts';
import type { AppEvent } from '../../shared/contract/transport.ts';

const fixture = path.resolve(import.meta.dirname, '../fixtures/web/arm-items-iaasvm.json');

type Raw = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** A raw request (http.request lets us send any Host header and an unnormalised path). */
function raw(port: number, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers ?? {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
        // An accepted event stream never ends by itself: the first line is enough.
        if (res.headers['content-type']?.startsWith('application/x-ndjson') && body.includes('\n')) {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
          req.destroy();
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

describe('web mode server', () => {
  let server: WebServer;
  let dir: string;
  let host: string;
  const rpc = (token: string | null, body: unknown, headers: Record<string, string> = {}) =>
    raw(server.port, {
      method: 'POST',
      path: '/rpc',
      headers: { host, 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: JSON.stringify(body),
    });

  before(async () => {
    dir = tempDir('vp-web-');
    const rendererDir = path.join(dir, 'renderer');
    fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Vaultproof</title><script type="module" src="./assets/app.js"></script>');
    fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'export {};');
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'outside the renderer');
    server = await startWebServer({ storePath: path.join(dir, 'store', 'vaultproof.db'), rendererDir });
    host = `127.0.0.1:${server.port}`;
  });

  after(async () => {
    await server.close();
  });

  it('prints a loopback URL with a long random token in the fragment', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
    assert.equal(tokenFromHash(new URL(server.url).hash), server.token);
  });

  it('listens on 127.0.0.1 only', async () => {
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    const targets = ['::1', ...(external ? [external.address] : [])];
    for (const address of targets) {
      const outcome = await new Promise<string>((resolve) => {
        const s = net.connect({ host: address, port: server.port });
        s.on('connect', () => {
          s.destroy();
          resolve('connected');
        });
        s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
      assert.notEqual(outcome, 'connected', `reachable on ${address}`);
    }
  });

  it('serves the UI with a strict CSP and nosniff, and no CORS headers', async () => {
    const res = await raw(server.port, { path: '/', headers: { host } });
    assert.equal(res.status, 200);
    assert.match(res.body, /<title>Vaultproof<\/title>/);
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /connect-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-eval|https?:|\*/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    const js = await raw(server.port, { path: '/assets/app.js', headers: { host } });
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    const preflight = await raw(server.port, {
      method: 'OPTIONS',
      path: '/rpc',
      headers: { host, origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    assert.notEqual(preflight.status, 200);
    for (const r of [res, js, preflight]) assert.equal(Object.keys(r.headers).some((h) => h.startsWith('access-control-')), false);
  });

  it('answers /rpc with the token and refuses it without, with a wrong one, or with a malformed header', async () => {
    const okRes = await rpc(server.token, { method: 'snapshots.list', input: {} });
    assert.equal(okRes.status, 200);
    assert.deepEqual(JSON.parse(okRes.body), { ok: true, value: [] });
    const wrong = `${server.token.slice(0, -1)}${server.token.endsWith('A') ? 'B' : 'A'}`;
    for (const token of [null, wrong, 'short']) {
      const res = await rpc(token, { method: 'snapshots.list', input: {} });
      assert.equal(res.status, 401, String(token));
      assert.equal(JSON.parse(res.body).error.code, 'UNAUTHORIZED');
    }
    const basic = await rpc(null, { method: 'snapshots.list', input: {} }, { authorization: `Basic ${server.token}` });
    assert.equal(basic.status, 401);
    const queryToken = await raw(server.port, { method: 'POST', path: `/rpc?token=${server.token}`, headers: { host, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(queryToken.status, 401);
  });

  it('refuses the event stream without the token or with a wrong one', async () => {
    const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }];
    for (const headers of attempts) {
      for (const method of ['POST', 'GET']) {
        const res = await raw(server.port, { method, path: '/events', headers: { host, ...headers } });
        assert.equal(res.status, 401, `${method} ${JSON.stringify(headers)}`);
        assert.doesNotMatch(res.body, /"type":"ready"/);
      }
    }
    const ok = await raw(server.port, { method: 'GET', path: '/events', headers: { host, authorization: `Bearer ${server.token}` } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body, '{"type":"ready"}\n');
  });

  it('refuses a foreign Host header everywhere, even with the token (DNS rebinding)', async () => {
    for (const badHost of ['evil.example', `evil.example:${server.port}`, '127.0.0.1', `127.0.0.1:${server.port + 1}`, `0.0.0.0:${server.port}`, `[::1]:${server.port}`]) {
      const page = await raw(server.port, { path: '/', headers: { host: badHost } });
      assert.equal(page.status, 403, badHost);
      const call = await raw(server.port, {
        method: 'POST',
        path: '/rpc',
        headers: { host: badHost, authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ method: 'snapshots.list', input: {} }),
      });
      assert.equal(call.status, 403, badHost);
      assert.doesNotMatch(call.body, /"ok":true/);
      const events = await raw(server.port, { method: 'POST', path: '/events', headers: { host: badHost, authorization: `Bearer ${server.token}` } });
      assert.equal(events.status, 403, badHost);
    }
    const localhost = await rpc(server.token, { method: 'snapshots.list', input: {} }, { host: `localhost:${server.port}` });
    assert.equal(localhost.status, 200);
  });

  it('refuses cross-site requests that carry the token', async () => {
    const foreign = await rpc(server.token, { method: 'snapshots.list', input: {} }, { origin: 'https://evil.example' });
    assert.equal(foreign.status, 403);
    const site = await rpc(server.token, { method: 'snapshots.list', input: {} }, { 'sec-fetch-site': 'cross-site' });
    assert.equal(site.status, 403);
    const same = await rpc(server.token, { method: 'snapshots.list', input: {} }, { origin: server.origin, 'sec-fetch-site': 'same-origin' });
    assert.equal(same.status, 200);
  });

  it('validates calls with the contract and rejects form posts', async () => {
    const bad = await rpc(server.token, { method: 'snapshots.get', input: { snapshot: '' } });
    assert.equal(JSON.parse(bad.body).error.code, 'BAD_INPUT');
    const unknown = await rpc(server.token, { method: 'store.dropEverything', input: {} });
    assert.match(JSON.parse(unknown.body).error.message, /unknown method/);
    const form = await raw(server.port, {
      method: 'POST',
      path: '/rpc',
      headers: { host, authorization: `Bearer ${server.token}`, 'content-type': 'text/plain' },
      body: JSON.stringify({ method: 'snapshots.list', input: {} }),
    });
    assert.equal(form.status, 415);
    const notJson = await raw(server.port, {
      method: 'POST',
      path: '/rpc',
      headers: { host, authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: '{"method":',
    });
    assert.equal(notJson.status, 400);
  });

  it('never serves files outside the renderer folder', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '//etc/passwd']) {
      const res = await raw(server.port, { path: p, headers: { host } });
      assert.equal(res.status, 404, p);
      assert.doesNotMatch(res.body, /outside the renderer|root:/);
    }
  });

  it('says which shell methods web mode lacks and answers the ones it has', async () => {
    const t = createHttpTransport({ baseUrl: server.origin, token: server.token });
    const dialogRes = await t.invoke('dialog.openFiles', {});
    assert.equal(dialogRes.ok, false);
    assert.match(dialogRes.ok ? '' : dialogRes.error.message, /not available in web mode/);
    assert.deepEqual(await t.invoke('passphrase.status', { identity: 'x' }), { ok: true, value: { backend: 'unavailable', canStore: false, stored: false } });
    const info = await t.invoke('app.info', {});
    assert.ok(info.ok);
    assert.equal(info.value.kind, 'web');
    assert.equal(info.value.storePath, path.join(dir, 'store', 'vaultproof.db'));
  });

  it('stages an uploaded file, imports it as a job, streams its progress, and cancels nothing that is not running', async () => {
    const t = createHttpTransport({ baseUrl: server.origin, token: server.token });
    const events: AppEvent[] = [];
    let sawDone!: () => void;
    const done = new Promise<void>((resolve) => {
      sawDone = resolve;
    });
    const off = t.subscribe((e) => {
      events.push(e);
      if (e.type === 'progress' && e.phase === 'done') sawDone();
    });
    try {
      const bytes = new Uint8Array(fs.readFileSync(fixture));
      const staged = await t.invoke('files.stage', { name: '../../evil/items.json', bytes });
      assert.ok(staged.ok, JSON.stringify(staged));
      const stagedPath = staged.value.path;
      assert.equal(path.basename(stagedPath), 'items.json');
      assert.ok(stagedPath.startsWith(path.join(dir, 'store', 'staging') + path.sep), stagedPath);
      assert.deepEqual(fs.readFileSync(stagedPath), fs.readFileSync(fixture));

      const imported = await t.invoke('import.files', { paths: [stagedPath] }, { job: 'import-1' });
      assert.ok(imported.ok, JSON.stringify(imported));
      assert.ok(imported.value.itemCount > 0);
      // The answer and the events travel on two connections: wait for the stream's last event.
      await done;
      const progress = events.filter((e) => e.type === 'progress');
      assert.ok(progress.length >= 2, `progress events: ${JSON.stringify(progress)}`);
      assert.ok(progress.every((e) => e.type === 'progress' && e.job === 'import-1'));
    } finally {
      off();
    }

    assert.deepEqual(await t.invoke('jobs.cancel', { job: 'import-1' }), { ok: true, value: { cancelled: false } });
    const list = await t.invoke('snapshots.list', {});
    assert.ok(list.ok);
    assert.equal(list.value.length, 1);
  });

  it('refuses an upload without the token', async () => {
    const res = await raw(server.port, { method: 'POST', path: '/upload?name=x.json', headers: { host, 'content-type': 'application/octet-stream' }, body: '{}' });
    assert.equal(res.status, 401);
    assert.equal(fs.existsSync(path.join(dir, 'store', 'staging')) && fs.readdirSync(path.join(dir, 'store', 'staging')).length, 1);
  });

  it('reports a transport failure as a Result, not a throw', async () => {
    const wrong = createHttpTransport({ baseUrl: server.origin, token: 'A'.repeat(43) });
    const res = await wrong.invoke('snapshots.list', {});
    assert.equal(res.ok, false);
    assert.equal(res.ok ? '' : res.error.code, 'UNAUTHORIZED');
    const gone = createHttpTransport({ baseUrl: 'http://127.0.0.1:1', token: server.token });
    const res2 = await gone.invoke('snapshots.list', {});
    assert.equal(res2.ok ? '' : res2.error.code, 'INTERNAL');
  });
});
