/**
 * The reviewer's questions in the grid (issue 15 item 1), in web mode in
 * Chromium: "which VMs have no successful backup in 48 h?", facets as
 * alternatives (A or B) with "(none)" / "(no owner)", and a filter state
 * copied as a link or text and pasted back. Expected values are worked out by
 * hand from test/fixtures/e2e/current (as-of 2025-11-27T08:00Z, 13 items).
 * Screenshots at 1440×900 and 1280×720 go to VAULTPROOF_E2E_SHOTS.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromiumAvailable } from './support/browser.ts';
import { rpc } from './support/server.ts';
import { filesOf, openSession, type Session } from './support/session.ts';
import { ItemsPage } from './pages/items.ts';

describe('the grid answers a reviewer\'s questions', { skip: chromiumAvailable() ? false : 'no /usr/bin/chromium' }, () => {
  let s: Session;
  let items: ItemsPage;

  before(async () => {
    s = await openSession({ width: 1440, height: 900, locale: 'en-GB', timezoneId: 'UTC' });
    items = new ItemsPage(s.app);
  });

  after(async () => {
    await s?.close();
  });

  it('"no successful backup in 48 h": the later of a succeeded backup and the latest point, shown in its own column', async () => {
    const { app, page } = s;
    await app.go('items');
    await items.waitForCount(13);
    // Cut-off 2025-11-25T08:00Z. Only three items had a success since: hiaga-adhoc-vm (point 2025-11-26T23:08:47Z) and the
    // two file shares whose last backup Completed on 2026-07-26 (stated after the as-of time). hiagaNewVm1 failed in January
    // 2025 and its last point is 2024-02-25; afs1hrtestfs2 failed with no point; mig-db1 is Unhealthy; the SQL databases'
    // Healthy backups are all older.
    await items.lastSuccessOlderThan('48h');
    await items.waitForCount(10);
    assert.deepEqual((await items.rowNames()).filter((n) => /hiaga|afs/.test(n)).sort(), ['afs1hrtestfs2', 'hiagaNewVm1']);
    // The question as asked: VMs only.
    await items.filter('workloadType', /^Azure Virtual Machine/);
    await items.waitForCount(1);
    assert.deepEqual(await items.rowNames(), ['hiagaNewVm1']);
    const row = app.byTestId('item-row').filter({ has: page.getByRole('gridcell').getByText('hiagaNewVm1', { exact: true }) });
    const lastSuccess = row.locator('[role=gridcell]').nth(7);
    assert.match((await lastSuccess.locator('span').getAttribute('title')) ?? '', /^Last successful backup 2024-02-25 23:09/);
    await app.screenshot('b15b-no-success-48h-1440');
    // Typed in hours: 30 h before the as-of is 2025-11-26T02:00Z — hiaga-adhoc-vm's point is later, so still just one VM.
    await items.lastSuccessOlderThan('30h');
    await items.waitForCount(1);
    // 6 h: hiaga-adhoc-vm's point (8 h 51 min before) is now too old as well.
    await items.lastSuccessOlderThan('6 hours');
    await items.waitForCount(2);
    await items.clearFilters();
    await items.waitForCount(13);
  });

  it('facets take several values (A or B) with counts, and "(no owner)" comes first', async () => {
    const { app, page } = s;
    await items.filterAny('protectionState', [/^Protected \(4\)/, /^Initial backup pending \(1\)/]);
    await items.waitForCount(5);
    assert.match((await app.byTestId('filter-protectionState').textContent()) ?? '', /State: Protected or Initial backup pending/);
    await items.clearFilters();
    await items.waitForCount(13);

    const found = await rpc<{ items: Array<{ key: string; name: string }> }>(s.server, 'items.query', { snapshot: 'latest', search: 'hiagaNewVm1' });
    await rpc(s.server, 'annotations.set', { target: `item:${found.items[0]!.key}`, owner: 'Ana Auditor', reason: 'CMDB' });
    // The view reloads its facets on its next data change; a view switch asks again.
    await app.go('snapshots');
    await app.go('items');
    await items.waitForCount(13);
    await app.byTestId('filter-owner').click();
    const options = await items.facetOptions().allTextContents();
    assert.deepEqual(options.slice(0, 3), ['Any', '(no owner) (12)', 'Ana Auditor (1)']);
    await page.keyboard.press('Escape');
    await items.filter('owner', '(no owner) (12)');
    await items.waitForCount(12);
    // Unowned with no success in 48 h: the ten above less hiagaNewVm1.
    await items.lastSuccessOlderThan('48h');
    await items.waitForCount(9);
    await app.screenshot('b15b-no-owner-1440');
    await page.setViewportSize({ width: 1280, height: 720 });
    await app.screenshot('b15b-no-owner-1280');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('a filter is shared as a link or text and pasted back, snapshot and all', async () => {
    const { app, page } = s;
    // State from the test before: owner "(no owner)", no success in 48 hours.
    await app.byTestId('items-share').click();
    // The dialog fades in: judge and photograph it once it is fully drawn.
    await page.waitForFunction((sel) => {
      // Runs in the page; typed loosely here because the tests compile without the DOM library.
      const g = globalThis as unknown as { document: { querySelector(s: string): object | null }; getComputedStyle(e: object): { opacity: string } };
      const d = g.document.querySelector(sel);
      return d !== null && g.getComputedStyle(d).opacity === '1';
    }, '[data-testid="share-dialog"]');
    await app.screenshot('b15b-share-1440');
    const text = await app.byTestId('share-text').inputValue();
    const snapshots = await rpc<Array<{ id: string; label: string | null }>>(s.server, 'snapshots.list', {});
    const current = snapshots.find((x) => x.label === 'Current November')!.id;
    assert.equal(text, `items?snapshot=${current}&owner=&noSuccess=48h`);
    const link = await app.byTestId('share-link').inputValue();
    assert.ok(link.endsWith(`#${text}`), link);
    await page.setViewportSize({ width: 1280, height: 720 });
    await app.screenshot('b15b-share-1280');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.keyboard.press('Escape');
    await items.clearFilters();
    await items.waitForCount(13);

    // Pasted as text, with a state and a workload added by hand (a comma inside a value would be %2C).
    await app.byTestId('items-share').click();
    await app.byTestId('share-paste').fill('items?workloadType=VM,AzureFileShare&noSuccess=48h');
    await app.byTestId('share-apply').click();
    await app.byTestId('share-dialog').waitFor({ state: 'detached' });
    // VMs and file shares with no success in 48 h: hiagaNewVm1 and afs1hrtestfs2.
    await items.waitForCount(2);
    assert.deepEqual((await items.rowNames()).sort(), ['afs1hrtestfs2', 'hiagaNewVm1']);

    // A broken paste says what is wrong and changes nothing.
    await app.byTestId('items-share').click();
    await app.byTestId('share-paste').fill('items?colour=blue');
    await app.byTestId('share-apply').click();
    await page.getByText('The filter names a field Vaultproof does not have: "colour".').waitFor();
    await page.keyboard.press('Escape');
    await items.waitForCount(2);

    // The link opens the app on the Items view with the state it carries.
    await page.goto(link);
    await page.reload();
    await app.byTestId('items-view').waitFor();
    await items.waitForCount(12 - 3);
    assert.match((await app.byTestId('filter-owner').textContent()) ?? '', /Owner: \(no owner\)/);
    assert.equal(await app.byTestId('filter-lastSuccess').inputValue(), 'older than 48 hours');
    assert.deepEqual(app.problems, []);
  });

  it('lists unprotected workloads beside the items, with an Owner column and "(no owner)"', async () => {
    const { app, page } = s;
    // The current export plus a Resource Graph listing of four VMs (test/fixtures/import/arg-cli-inventory-vms.json):
    // hiaga-adhoc-vm and hiagaNewVm1 have backup items; pstest-ccy-vm3 and unprotected-vm have none.
    const inventory = path.join(s.tmp, 'store', 'inventory-vms.json');
    fs.copyFileSync(path.resolve(import.meta.dirname, '../fixtures/import/arg-cli-inventory-vms.json'), inventory);
    await rpc(s.server, 'import.files', { paths: [...filesOf('current'), inventory], label: 'With inventory' });
    const list = await rpc<{ resources: Array<{ key: string; name: string }> }>(s.server, 'items.unprotected', { snapshot: 'latest' });
    await rpc(s.server, 'annotations.set', { target: `resource:${list.resources.find((r) => r.name === 'unprotected-vm')!.key}`, owner: 'Web team', reason: 'CMDB' });
    await page.reload();
    await app.go('items');
    await app.choose('items-snapshot', /With inventory/);
    await items.waitForCount(13);
    await app.byTestId('items-tab-unprotected').filter({ hasText: 'Unprotected workloads: 2' }).click();
    await app.byTestId('unprotected-count').filter({ hasText: '2 of 2 unprotected' }).waitFor();
    const rows = app.byTestId('unprotected-row');
    assert.deepEqual(await rows.locator('td:first-child').allTextContents(), ['pstest-ccy-vm3', 'unprotected-vm']);
    assert.deepEqual(await rows.nth(1).locator('td').allTextContents(), ['unprotected-vm', 'Virtual machine', 'hiagarg', '38304e13-357e-405e-9e9a-220351dcce8c', 'Web team']);
    await app.byTestId('unprotected-filter-owner').click();
    await page.getByRole('menuitemcheckbox', { name: '(no owner) (1)' }).click();
    await page.keyboard.press('Escape');
    await app.byTestId('unprotected-count').filter({ hasText: '1 of 2 unprotected' }).waitFor();
    assert.deepEqual(await rows.locator('td:first-child').allTextContents(), ['pstest-ccy-vm3']);
    await app.screenshot('b15b-unprotected-1440');
    await page.setViewportSize({ width: 1280, height: 720 });
    await app.screenshot('b15b-unprotected-1280');
    await page.setViewportSize({ width: 1440, height: 900 });
    // Back to the items, as they were.
    await app.byTestId('items-tab-unprotected').click();
    await items.waitForCount(13);
    assert.deepEqual(app.problems, []);
  });

  it('the snapshot\'s backup-state counts are the PDF\'s and the CLI\'s', async () => {
    const { app } = s;
    await app.go('snapshots');
    await app.byTestId('snapshot-details').filter({ hasText: 'Snapshot With inventory' }).waitFor();
    // By hand from test/fixtures/e2e/current: afs1hrtestfs2 (Initial backup pending, last backup Failed) is the one failure
    // that counts — hiagaNewVm1 (Failed) and mig-db1 (Unhealthy) are stopped; afs1hrtestfs is soft-deleted; every item
    // states a last backup time, so none is "never".
    await app.byTestId('snapshot-backup-states').filter({ hasText: '1 last backup failed · 0 never backed up · 1 soft-deleted (of 13 items)' }).waitFor();
    const counts = await rpc<{ lastBackupFailed: number; neverBackedUp: number; softDeleted: number }>(s.server, 'items.backupStates', { snapshot: 'latest' });
    assert.deepEqual(counts, { lastBackupFailed: 1, neverBackedUp: 0, softDeleted: 1, total: 13 });
    await app.screenshot('b15b-backup-states-1440');
  });
});
