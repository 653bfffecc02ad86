/**
 * Issue 15, the last two grid behaviours, in web mode in Chromium:
 * - item 5: the grid's default name sort is natural (db_2 before db_10,
 *   vm-9 < vm-10 < VM-11), read from the store's name_key index;
 * - item 1: a filter link copied in one tab opens the same filtered view in a
 *   fresh tab of the same browser. The link carries no token (it goes into
 *   working papers); the fresh tab gets it from an open tab of the same
 *   server (renderer/src/transport.ts). A call without the token is still
 *   refused.
 * Names worked by hand: the store holds one snapshot of nine items named
 * below, in this order of creation (not sorted).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromiumAvailable, launchBrowser } from './support/browser.ts';
import { openSession, type Session } from './support/session.ts';
import { ItemsPage } from './pages/items.ts';
import { AppPage } from './pages/app.ts';
import { openStore } from '../../electron/core/store/store.ts';
import { normaliseResource } from '../../shared/domain/normalise/index.ts';
import { estateItems } from '../harness/estate.ts';

const names = ['db_10', 'VM-11', 'db_2', 'vm-10', '財務サーバー-東京', 'db_1', 'vm-9', 'a10b', 'a2b'];
// By hand: a < d < v < 財 (code points); numbers by value; VM-11 with vm-9/vm-10 (case ignored first).
const natural = ['a2b', 'a10b', 'db_1', 'db_2', 'db_10', 'vm-9', 'vm-10', 'VM-11', '財務サーバー-東京'];

function writeNamedStore(storePath: string): void {
  const store = openStore(storePath);
  try {
    const w = store.snapshots.begin(Date.parse('2026-11-21T00:00:00Z'));
    let i = 0;
    for (const raw of estateItems({ items: names.length, subscriptions: 1, vaultsPerSubscription: 1 })) {
      (raw.properties as Record<string, unknown>).friendlyName = names[i];
      // Keys that hold none of the names, so a search for "db_" finds names only.
      raw.id = String(raw.id).replace(/[^/]+$/, `item${i}`);
      raw.name = `item${i}`;
      i++;
      const rec = normaliseResource(raw);
      if (rec) w.add(rec);
    }
    w.commit({
      label: 'Named', createdAt: '2026-11-21T00:00:00.000Z', asOf: '2026-11-20T08:00:00.000Z', source: 'import', complete: true,
      provenance: { toolVersion: 'test', source: 'import', user: 't', createdAt: '2026-11-21T00:00:00.000Z', asOfSource: 'option', tenants: [], subscriptions: [] },
      coverage: [],
    });
  } finally {
    store.close();
  }
}

describe('natural name sort and a shared link in a fresh tab', { skip: chromiumAvailable() ? false : 'no /usr/bin/chromium' }, () => {
  let s: Session;
  let items: ItemsPage;

  before(async () => {
    s = await openSession({ width: 1440, height: 900, locale: 'en-GB', timezoneId: 'UTC', importFixtures: false, prepare: writeNamedStore });
    items = new ItemsPage(s.app);
  });

  after(async () => {
    await s?.close();
  });

  it('the grid lists names naturally by default: db_2 before db_10, vm-9 < vm-10 < VM-11', async () => {
    await s.app.go('items');
    await items.waitForCount(names.length);
    assert.deepEqual(await items.rowNames(), natural);
    await s.app.screenshot('b15-natural-sort-1440');
    assert.deepEqual(s.app.problems, []);
  });

  it('a copied filter link opens the filtered grid in a fresh tab; the link holds no token; a call without the token is refused', async () => {
    const { app, page, server, browser } = s;
    await items.search('db_');
    await items.waitForCount(3);
    assert.deepEqual(await items.rowNames(), ['db_1', 'db_2', 'db_10']);
    await app.byTestId('items-share').click();
    const link = await app.byTestId('share-link').inputValue();
    await page.keyboard.press('Escape');
    assert.ok(link.startsWith(`${server.origin}/#items?`), link);
    assert.ok(!link.includes(server.token), 'the link does not carry the token');
    assert.match(link, /q=db_/);

    // A fresh tab of the same browser: its own, empty sessionStorage; the address pasted, as a user does.
    const fresh = await browser.context.newPage();
    try {
      fresh.setDefaultTimeout(30_000);
      const freshApp = new AppPage(fresh);
      const freshItems = new ItemsPage(freshApp);
      let authorised = 0;
      fresh.on('request', (r) => {
        if (r.url().endsWith('/rpc') && r.headers().authorization === `Bearer ${server.token}`) authorised++;
      });
      await fresh.goto(link);
      await freshApp.byTestId('items-view').waitFor();
      await freshItems.waitForCount(3);
      assert.deepEqual(await freshItems.rowNames(), ['db_1', 'db_2', 'db_10']);
      assert.equal(await freshApp.byTestId('items-search').inputValue(), 'db_');
      assert.ok(authorised > 0, 'the fresh tab calls the engine with the token');
      assert.ok(!fresh.url().includes(server.token), 'the token is not in the fresh tab\'s address');
      await freshApp.screenshot('b15-shared-link-fresh-tab-1440');
      // A reload of the fresh tab keeps working (its sessionStorage has the token now).
      await fresh.reload();
      await freshApp.byTestId('nav').waitFor();
      assert.equal(await fresh.getByTestId('no-token').count(), 0);
      assert.deepEqual(freshApp.problems, []);
    } finally {
      await fresh.close();
    }

    // The server still requires the token: none, or a wrong one, is refused.
    const call = (headers: Record<string, string>) =>
      fetch(`${server.origin}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ method: 'snapshots.list', input: {} }) });
    assert.equal((await call({})).status, 401);
    assert.equal((await call({ authorization: 'Bearer wrongwrongwrongwrongwrong' })).status, 401);
    assert.equal((await call({ authorization: `Bearer ${server.token}` })).status, 200);
    // Nor did the server print the token anywhere but its first line (the URL it hands the user).
    assert.ok(!server.stderr().includes(server.token));
    assert.deepEqual(app.problems, []);
  });

  it('with no open tab of this server, a fresh tab opened on the link says how to get in instead', async () => {
    const { server } = s;
    // A second, separate browser profile: no tab of it holds the token.
    const other = await launchBrowser();
    try {
      const p = other.context.pages()[0] ?? (await other.context.newPage());
      await p.goto(`${server.origin}/#items?q=db_`);
      const msg = (await p.getByTestId('no-token').textContent({ timeout: 30_000 })) ?? '';
      assert.match(msg, /without its access token/);
    } finally {
      await other.close();
    }
  });
});
