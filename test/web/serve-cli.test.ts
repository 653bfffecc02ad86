import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createHttpTransport, tokenFromHash } from '../../shared/contract/http-transport.ts';

const root = path.resolve(import.meta.dirname, '../..');

/** Starts `vaultproof serve` and resolves with its first stdout line; the caller stops it. */
function startServe(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'electron', 'cli.ts'), 'serve', '--no-build', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      const nl = stdout.indexOf('\n');
      if (nl >= 0) resolve(stdout.slice(0, nl));
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code} before printing its URL; stderr: ${stderr}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, firstLine, exited, output: () => ({ stdout, stderr }) };
}

describe('vaultproof serve', () => {
  it('prints its URL as the first line of stdout, answers with that token, and stops on SIGTERM', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-serve-'));
    const store = path.join(dir, 'audit.db');
    const s = startServe(['--port', '0', '--store', store]);
    try {
      const line = await s.firstLine;
      assert.match(line, /^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
      const url = new URL(line);
      const token = tokenFromHash(url.hash);
      assert.ok(token);
      const t = createHttpTransport({ baseUrl: url.origin, token });
      const info = await t.invoke('app.info', {});
      assert.ok(info.ok);
      assert.equal(info.value.storePath, store);
      const anonymous = await fetch(`${url.origin}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"method":"snapshots.list","input":{}}' });
      assert.equal(anonymous.status, 401);
    } finally {
      s.child.kill('SIGTERM');
    }
    await s.exited;
    assert.equal(s.output().stdout.trim().split('\n').length, 1, 'nothing but the URL on stdout');
  });

  it('refuses a bad port with exit code 1 and a message on stderr', async () => {
    const { runCli } = await import('../../electron/cli.ts');
    let out = '';
    let err = '';
    const code = await runCli(['serve', '--no-build', '--port', '70000'], { stdout: (t) => (out += t), stderr: (t) => (err += t) });
    assert.equal(code, 1);
    assert.equal(out, '');
    assert.match(err, /--port must be a number from 0 to 65535/);
  });
});
