/**
 * Issue 16 item 4: web mode leaks nothing. An oversized body gets a 413 with
 * a message (was: a reset connection); path-taking RPCs touch only files
 * under the store's folder or an --allow folder (was: import.files read
 * /etc/shadow and printed its first line, owners.import /etc/passwd its
 * header, annotations.export wrote anywhere); no error echoes file content.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { methods } from '../../shared/contract/index.ts';
import { shellMethods } from '../../shared/contract/shell.ts';
import { startWebServer, type WebServer } from '../../electron/core/web/server.ts';
import { webPathFields } from '../../electron/core/web/paths.ts';

const fixture = path.resolve(import.meta.dirname, '../fixtures/web/arm-items-iaasvm.json');
const SECRET = 'root:$6$saltsalt$hashhashhashSECRET:19000:0:99999:7:::';

type Raw = { status: number; body: string; error?: string };

function post(server: WebServer, urlPath: string, body: Buffer | string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port: server.port, method: 'POST', path: urlPath, headers: { host: `127.0.0.1:${server.port}`, authorization: `Bearer ${server.token}`, 'content-type': 'application/json', ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', (e) => resolve({ status: 0, body: '', error: (e as NodeJS.ErrnoException).code ?? e.message }));
    req.end(body);
  });
}

async function rpc(server: WebServer, method: string, input: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  const r = await post(server, '/rpc', JSON.stringify({ method, input }));
  assert.equal(r.status, 200, r.body);
  return JSON.parse(r.body) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
}

describe('web mode hygiene', () => {
  let server: WebServer;
  let dir: string;
  let outside: string;
  let storeDir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-web-hyg-'));
    storeDir = path.join(dir, 'store');
    outside = path.join(dir, 'elsewhere');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'shadow'), `${SECRET}\n`);
    fs.writeFileSync(path.join(outside, 'passwd'), `${SECRET}\n`);
    fs.writeFileSync(path.join(outside, 'victim.txt'), 'do not replace\n');
    server = await startWebServer({ storePath: path.join(storeDir, 'vaultproof.db'), rendererDir: path.join(dir, 'no-renderer'), maxBodyBytes: 64 * 1024 });
  });

  after(async () => {
    await server.close();
  });

  it('an oversized body gets 413 with a message, not a reset (was: ECONNRESET)', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 0x20);
    const r = await post(server, '/rpc', big);
    assert.equal(r.error, undefined, 'the connection was not reset');
    assert.equal(r.status, 413);
    const body = JSON.parse(r.body) as { ok: boolean; error: { code: string; message: string } };
    assert.equal(body.ok, false);
    assert.match(body.error.message, /larger than 65536 bytes.*POST \/upload/);
    // The server still answers on a new connection.
    assert.equal((await rpc(server, 'snapshots.list', {})).ok, true);
  });

  it('import.files and owners.import outside the allowed folders are refused, and the refusal echoes nothing of the file', async () => {
    const imp = await rpc(server, 'import.files', { paths: [path.join(outside, 'shadow')] });
    assert.equal(imp.ok, false);
    assert.equal(imp.error!.code, 'BAD_INPUT');
    assert.match(imp.error!.message, /paths\[0\] is outside the folders web mode may read/);
    assert.ok(!imp.error!.message.includes('SECRET') && !imp.error!.message.includes('root:'), imp.error!.message);
    const owners = await rpc(server, 'owners.import', { path: path.join(outside, 'passwd'), match: { column: 'Server', by: 'name' }, columns: { owner: 'Owner' } });
    assert.equal(owners.ok, false);
    assert.match(owners.error!.message, /outside the folders web mode may read/);
    assert.ok(!owners.error!.message.includes('root:'), owners.error!.message);
  });

  it('a symlink inside the store folder pointing outside, and a relative path, are refused', async () => {
    fs.mkdirSync(storeDir, { recursive: true });
    fs.symlinkSync(path.join(outside, 'shadow'), path.join(storeDir, 'looks-local.json'));
    const viaLink = await rpc(server, 'import.files', { paths: [path.join(storeDir, 'looks-local.json')] });
    assert.match(viaLink.error?.message ?? '', /outside the folders web mode may read/);
    const relative = await rpc(server, 'import.files', { paths: ['../elsewhere/shadow'] });
    assert.match(relative.error?.message ?? '', /outside the folders web mode may read/);
  });

  it('annotations.export and packs.build cannot write outside; inside the store folder they can', async () => {
    const out = await rpc(server, 'annotations.export', { path: path.join(outside, 'victim.txt'), force: true });
    assert.equal(out.ok, false);
    assert.match(out.error!.message, /path is outside the folders web mode may write/);
    assert.equal(fs.readFileSync(path.join(outside, 'victim.txt'), 'utf8'), 'do not replace\n');
    const pack = await rpc(server, 'packs.build', { snapshot: 'latest', out: path.join(outside, 'pack'), signer: { kind: 'local' }, passphrase: 'x'.repeat(12) });
    assert.match(pack.error?.message ?? '', /out is outside the folders web mode may write/);
    assert.ok(!fs.existsSync(path.join(outside, 'pack')));
    const inside = await rpc(server, 'annotations.export', { path: path.join(storeDir, 'exports-annotations.json') });
    assert.equal(inside.ok, true, JSON.stringify(inside.error));
  });

  it('an uploaded file (staged in the store folder) imports; an uploaded non-export is refused without echoing it', async () => {
    const up = await post(server, '/upload?name=items.json', fs.readFileSync(fixture), { 'content-type': 'application/octet-stream' });
    const staged = (JSON.parse(up.body) as { value: { path: string } }).value.path;
    const ok = await rpc(server, 'import.files', { paths: [staged] });
    assert.equal(ok.ok, true, JSON.stringify(ok.error));
    const up2 = await post(server, '/upload?name=shadow', `${SECRET}\n`, { 'content-type': 'application/octet-stream' });
    const staged2 = (JSON.parse(up2.body) as { value: { path: string } }).value.path;
    const bad = await rpc(server, 'import.files', { paths: [staged2] });
    assert.equal(bad.ok, false);
    assert.match(bad.error!.message, /neither JSON nor CSV/);
    assert.ok(!bad.error!.message.includes('root:') && !bad.error!.message.includes('SECRET'), bad.error!.message);
  });
});

describe('every path a method takes is in the web-mode path table', () => {
  it('each string input field of at most 4096 characters is listed (or is an item key or target)', () => {
    const notPaths = new Set([
      'items.get key',
      'items.related key',
      // Paging cursors: the key of the last row shown, never opened as a file.
      'items.query after.key',
      'items.unprotected after.key',
      'annotations.get target',
      'annotations.set target',
      'annotations.log target',
      'annotations.targetNames targets',
      'annotations.restoreTest target',
      'annotations.restoreTest restoreTarget',
      'shell.openExternal url',
    ]);
    const missing: string[] = [];
    const walk = (method: string, schema: unknown, where: string[]): void => {
      const s = schema as { type?: string; maxLength?: number; properties?: Record<string, unknown>; items?: unknown; anyOf?: unknown[]; oneOf?: unknown[] };
      if (s.type === 'string' && s.maxLength === 4096) {
        const name = `${method} ${where.filter((w) => w !== '*').join('.')}`;
        const listed = (webPathFields[method] ?? []).some(([f]) => f.join('.') === where.join('.'));
        if (!listed && !notPaths.has(name)) missing.push(`${method}: ${where.join('.')}`);
      }
      for (const [k, v] of Object.entries(s.properties ?? {})) walk(method, v, [...where, k]);
      if (s.items) walk(method, s.items, [...where, '*']);
      for (const alt of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) walk(method, alt, where);
    };
    const tables = { ...(methods as Record<string, { input: z.ZodType }>), ...(shellMethods as Record<string, { input: z.ZodType }>) };
    for (const [name, m] of Object.entries(tables)) walk(name, z.toJSONSchema(m.input, { unrepresentable: 'any', io: 'input' }), []);
    assert.deepEqual(missing, []);
  });
});
