/**
 * One web-mode session for the grid tests: a temp store holding the two
 * e2e fixture snapshots (imported through /rpc, as the Start view's import
 * does), `vaultproof serve` on it, and a Chromium page at a given size,
 * locale and time zone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ensureFreshRenderer } from './renderer.ts';
import { startServe, rpc, type ServeProcess } from './server.ts';
import { launchBrowser, type LaunchedBrowser } from './browser.ts';
import { AppPage } from '../pages/app.ts';
import { writeBigStore } from './big-store.ts';

export const fixtures = path.resolve(import.meta.dirname, '../../fixtures/e2e');
export const filesOf = (dir: string): string[] =>
  fs
    .readdirSync(path.join(fixtures, dir))
    .filter((f) => !f.startsWith('.'))
    .sort()
    .map((f) => path.join(fixtures, dir, f));

export type Session = { tmp: string; server: ServeProcess; browser: LaunchedBrowser; page: Page; app: AppPage; close: () => Promise<void> };

export async function openSession(opts: { width?: number; height?: number; locale?: string; timezoneId?: string; importFixtures?: boolean; bigStoreItems?: number; prepare?: (storePath: string) => void } = {}): Promise<Session> {
  await ensureFreshRenderer((l) => process.stderr.write(`${l}\n`));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-e2e-grid-'));
  const storePath = path.join(tmp, 'store', 'vaultproof.db');
  if (opts.bigStoreItems) {
    fs.mkdirSync(path.dirname(storePath), { recursive: true });
    writeBigStore(storePath, opts.bigStoreItems);
  }
  // --allow: the page may read the fixture exports (path-taking calls stay inside the store's folder otherwise).
  if (opts.prepare) {
    fs.mkdirSync(path.dirname(storePath), { recursive: true });
    opts.prepare(storePath);
  }
  const server = await startServe(storePath, { VAULTPROOF_USER: 'e2e-auditor' }, [fixtures]);
  if (opts.importFixtures !== false) {
    await rpc(server, 'import.files', { paths: filesOf('baseline'), label: 'Baseline October' });
    await rpc(server, 'import.files', { paths: filesOf('current'), label: 'Current November' });
  }
  const browser = await launchBrowser(opts);
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.setDefaultTimeout(30_000);
  const app = new AppPage(page);
  await app.open(server.url);
  // The app picks its first view once the snapshot list is in (Snapshots when the store has any); a test that
  // navigates before that would be sent back.
  await app.byTestId(opts.importFixtures !== false || opts.bigStoreItems || opts.prepare ? 'snapshots-view' : 'start-view').waitFor();
  return {
    tmp,
    server,
    browser,
    page,
    app,
    close: async () => {
      await browser.close();
      await server.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
