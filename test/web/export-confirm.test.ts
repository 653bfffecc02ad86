/**
 * Issue 16 item 1 in the UI: exporting annotations over an existing file
 * asks first (an explicit confirm); declining leaves the file as it was,
 * accepting replaces it. Was: the file was replaced without a word.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startWebServer, type WebServer } from '../../electron/core/web/server.ts';
import { chromiumAvailable, launchBrowser, type LaunchedBrowser } from '../e2e/support/browser.ts';
import { ensureFreshRenderer } from '../e2e/support/renderer.ts';

describe('annotations export over an existing file in the UI', { skip: !chromiumAvailable() && 'needs chromium' }, () => {
  let server: WebServer;
  let browser: LaunchedBrowser;
  let storeDir: string;

  before(async () => {
    const { dir } = await ensureFreshRenderer();
    storeDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vp-web-confirm-')), 'store');
    server = await startWebServer({ storePath: path.join(storeDir, 'vaultproof.db'), rendererDir: dir });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('asks before replacing: declined, the file is unchanged; accepted, it holds the export', async () => {
    fs.mkdirSync(storeDir, { recursive: true });
    const target = path.join(storeDir, 'notes.json');
    fs.writeFileSync(target, 'my own notes\n');
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(server.url);
    await page.getByTestId('nav-snapshots').click();
    await page.getByTestId('snapshots-tab-exchange').click();
    const panel = page.getByTestId('exchange-panel');
    await panel.locator('input').first().fill(target);

    // The confirm is answered from the dialog handler itself: a page showing a dialog does not finish the
    // click that opened it, so awaiting the click before answering would wait for ever when the dialog
    // opens during the click (it did, once, in CI).
    const answer = (accept: boolean) =>
      new Promise<string>((resolve, reject) => {
        page.once('dialog', (d) => {
          const message = d.message();
          (accept ? d.accept() : d.dismiss()).then(() => resolve(message), reject);
        });
      });
    const declined = answer(false);
    await page.getByTestId('annotations-export').click();
    assert.equal(await declined, `${target} already exists. Replace it with this export?`);
    assert.equal(fs.readFileSync(target, 'utf8'), 'my own notes\n');

    const accepted = answer(true);
    await page.getByTestId('annotations-export').click();
    assert.equal(await accepted, `${target} already exists. Replace it with this export?`);
    await panel.getByText(`to ${target} (SHA-256`).waitFor();
    assert.equal((JSON.parse(fs.readFileSync(target, 'utf8')) as { format: string }).format, 'vaultproof.annotations');
    assert.equal(fs.statSync(target).mode & 0o777, 0o600);
  });
});
