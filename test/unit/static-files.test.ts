import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, contentTypeFor, resolveStaticPath } from '../../electron/core/web/static-files.ts';

function fixture(): { root: string; outside: string } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-static-'));
  const root = path.join(base, 'renderer');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
  fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(root, '.env'), 'SECRET=1');
  fs.writeFileSync(path.join(base, 'secret.txt'), 'outside');
  fs.mkdirSync(path.join(base, 'renderer-other'));
  fs.writeFileSync(path.join(base, 'renderer-other', 'x.js'), 'sibling');
  fs.symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
  return { root, outside: base };
}

describe('static file resolution', () => {
  it('maps / to index.html and finds files under the root', () => {
    const { root } = fixture();
    assert.equal(resolveStaticPath(root, '/'), fs.realpathSync(path.join(root, 'index.html')));
    assert.equal(resolveStaticPath(root, '/assets/app.js?v=1'), fs.realpathSync(path.join(root, 'assets', 'app.js')));
    assert.equal(resolveStaticPath(root, '/assets/%61pp.js'), fs.realpathSync(path.join(root, 'assets', 'app.js')));
  });

  it('refuses every way out of the root', () => {
    const { root } = fixture();
    for (const p of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%5csecret.txt',
      '/assets\\..\\..\\secret.txt',
      '/../renderer-other/x.js',
      '/assets/link.txt',
      '/.env',
      '/%2eenv',
      '/assets/app.js%00.html',
      '/assets',
      '/C:/Windows/win.ini',
      '/%E0%A4%A',
      'assets/app.js',
      '/missing.js',
    ]) {
      assert.equal(resolveStaticPath(root, p), null, p);
    }
  });

  it('names content types and keeps the policy strict', () => {
    assert.equal(contentTypeFor('a/index.html'), 'text/html; charset=utf-8');
    assert.equal(contentTypeFor('a/x.JS'), 'text/javascript; charset=utf-8');
    assert.equal(contentTypeFor('a/x.unknown'), 'application/octet-stream');
    assert.doesNotMatch(contentSecurityPolicy, /unsafe-eval|https?:|\*|wasm-unsafe-eval/);
    assert.match(contentSecurityPolicy, /frame-ancestors 'none'/);
    assert.match(contentSecurityPolicy, /object-src 'none'/);
  });
});
