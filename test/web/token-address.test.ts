/**
 * Issue 16 item 4: the web-mode token leaves the address bar as soon as the
 * page loads (history.replaceState), so it is not in the history, a bookmark
 * or a screenshot of the window; a reload of the same tab still works.
 * Was: the token stayed in the address bar for the whole session.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startWebServer, type WebServer } from '../../electron/core/web/server.ts';
import { chromiumAvailable, launchBrowser, type LaunchedBrowser } from '../e2e/support/browser.ts';
import { ensureFreshRenderer } from '../e2e/support/renderer.ts';

describe('the web-mode token in the address bar', { skip: !chromiumAvailable() && 'needs chromium' }, () => {
  let server: WebServer;
  let browser: LaunchedBrowser;

  before(async () => {
    const { dir } = await ensureFreshRenderer();
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-web-token-'));
    server = await startWebServer({ storePath: path.join(tmp, 'store', 'vaultproof.db'), rendererDir: dir });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('is gone from the URL and the history after load, and the page still talks to the engine after a reload', async () => {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    let calls = 0;
    page.on('request', (r) => {
      if (r.url().endsWith('/rpc') && r.headers().authorization === `Bearer ${server.token}`) calls++;
    });
    await page.goto(server.url);
    await page.waitForFunction('window.location.hash === ""');
    assert.equal(page.url(), `${server.origin}/`);
    assert.ok(!(await page.evaluate<string>('JSON.stringify(window.history.state) + window.location.href')).includes(server.token));
    await page.waitForFunction('document.body.innerText.length > 0');
    assert.ok(!(await page.content()).includes('opened without its access token'));
    const before = calls;
    assert.ok(before > 0, 'the page called the engine with the token');
    const answered = page.waitForResponse((r) => r.url().endsWith('/rpc') && r.status() === 200);
    await page.reload();
    await answered;
    assert.ok(calls > before, 'after a reload the page calls the engine with the token again');
    assert.ok(!(await page.content()).includes('opened without its access token'), 'a reload of the same tab still has the token');
    assert.equal(page.url(), `${server.origin}/`);
  });
});
