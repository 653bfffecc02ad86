/**
 * One name per thing in every view (issue 15 item 4) and the drawer's
 * Restore tab at 1280×720, in Chromium on the demo estate loaded as a user
 * loads it. Expected by hand from assets/demo: the Tokyo VM's friendlyName
 * is 財務サーバー-東京 (its key ends in the lower-case vm-fin-tokyo), the
 * vaults are named rsv-prod-weu and rsv-dev-weu (vault-*.json "name"), the
 * demo's exception is for rule protection-stopped, whose title is "Protection
 * stopped; retained data is still billed"; vm-web-01 has no restore test.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromiumAvailable } from './support/browser.ts';
import { openSession, type Session } from './support/session.ts';
import { runAxe, seriousLines } from './support/axe.ts';
import { ItemsPage } from './pages/items.ts';

type El = { getBoundingClientRect: () => { left: number; right: number; top: number; bottom: number }; textContent: string | null };
declare const document: { querySelectorAll: (sel: string) => ArrayLike<El> };

describe('names in every view, and the Restore tab', { skip: chromiumAvailable() ? false : 'no /usr/bin/chromium' }, () => {
  let s: Session;

  before(async () => {
    s = await openSession({ width: 1280, height: 720, importFixtures: false });
    await s.app.byTestId('demo-load').click();
    await s.app.byTestId('demo-result').waitFor({ timeout: 120_000 });
  });

  after(async () => {
    await s?.close();
  });

  it('the annotation log names items as the grid does', async () => {
    const { app, page } = s;
    // The UI's demo load brings snapshots, not annotations: record one from the drawer, as a user would.
    const items = new ItemsPage(app);
    await app.go('items');
    await items.openItem('財務サーバー-東京');
    await items.setOwner('佐藤 花子', 'CMDB owner');
    await items.closeDrawer();
    await app.go('snapshots');
    await app.byTestId('snapshots-tab-log').click();
    await app.byTestId('ann-log-row').first().waitFor();
    const tokyo = page.locator('[data-testid=ann-log-target][title*="vm-fin-tokyo"]');
    await tokyo.first().waitFor({ state: 'attached' });
    await page.waitForFunction(() => [...(document.querySelectorAll('[data-testid=ann-log-target]') as unknown as El[])].some((e) => e.textContent === '財務サーバー-東京'));
    for (const t of await tokyo.allTextContents()) assert.equal(t, '財務サーバー-東京');
    assert.ok((await app.byTestId('ann-log-row').allTextContents()).some((r) => r.includes('佐藤 花子')));
    await app.screenshot('names-log-720');
  });

  it("Compare's by-vault roll-up names vaults, with the id on hover", async () => {
    const { app } = s;
    await app.go('compare');
    await app.byTestId('compare-tab-rollups').click();
    const cells = app.byTestId('compare-rollup-vault');
    await cells.first().waitFor();
    assert.deepEqual((await cells.allTextContents()).sort(), ['rsv-dev-weu', 'rsv-prod-weu']);
    for (const t of await cells.evaluateAll((els) => els.map((e) => (e as unknown as { getAttribute: (n: string) => string | null }).getAttribute('title') ?? ''))) {
      assert.match(t, /^\/subscriptions\/.+\/vaults\/rsv-(dev|prod)-weu$/i);
    }
    await app.screenshot('names-compare-rollups-720');
  });

  it("the Items 'finding' filter lists rule titles, the id as the option's tooltip", async () => {
    const { app, page } = s;
    await app.go('items');
    const more = app.byTestId('items-more-filters');
    if ((await more.count()) > 0 && (await app.byTestId('filter-finding').count()) === 0) await more.click();
    await app.byTestId('filter-finding').click();
    const option = page.locator('[data-testid=filter-finding-option][title="protection-stopped"]');
    await option.waitFor({ timeout: 60_000 });
    assert.match((await option.textContent()) ?? '', /^Protection stopped; retained data is still billed \(medium\) \(\d+\)$/);
    await app.screenshot('names-finding-filter-720');
    await page.keyboard.press('Escape');
  });

  for (const [width, height] of [
    [1280, 720],
    [1440, 900],
  ] as const) {
    it(`the Restore tab of vm-web-01 at ${width}×${height}: no drill recorded, axe clean, one h1, no overlapping text, reachable by keyboard`, async () => {
      const { app, page } = s;
      await page.setViewportSize({ width, height });
      const items = new ItemsPage(app);
      await app.go('items');
      await items.openItem('vm-web-01');
      const tab = app.byTestId('drawer-tab-restore');
      // Keyboard: the tab list is reached and the Restore tab chosen without the mouse.
      await tab.focus();
      await page.keyboard.press('Enter');
      await app.byTestId('item-restore').waitFor({ timeout: 60_000 });
      assert.equal(await tab.getAttribute('aria-selected'), 'true');
      assert.match((await app.byTestId('item-restore-drill').textContent()) ?? '', /^Last drill: none recorded$/);
      assert.deepEqual(seriousLines(await runAxe(page)), []);
      assert.equal(await page.locator('h1').count(), 1, 'the drawer adds no h1');
      // No two text lines of the tab overlap (a cut or stacked layout at this size would).
      const overlaps = await page.evaluate(() => {
        const boxes = [...(document.querySelectorAll('[data-testid=item-restore] > *') as unknown as El[])].map((e) => e.getBoundingClientRect()).filter((r) => r.bottom > r.top);
        let n = 0;
        for (let i = 1; i < boxes.length; i++) if (boxes[i]!.top < boxes[i - 1]!.bottom - 1) n++;
        return n;
      });
      assert.equal(overlaps, 0);
      await app.screenshot(`restore-tab-${width}`);
      await items.closeDrawer();
    });
  }

  it('the Access view at 1280×720: one h1, axe clean, no overlapping text', async () => {
    const { app, page } = s;
    await page.setViewportSize({ width: 1280, height: 720 });
    await app.go('access');
    await app.byTestId('access-vault').first().waitFor({ timeout: 60_000 });
    assert.deepEqual(await page.locator('h1').allTextContents(), ['Access']);
    assert.deepEqual(seriousLines(await runAxe(page)), []);
    const overlaps = await page.evaluate(() => {
      // Text leaves only (headings, cells, labels): two that share pixels are drawn over each other.
      const leaves = [...(document.querySelectorAll('[data-testid=access-view] h1, [data-testid=access-view] h2, [data-testid=access-view] h3, [data-testid=access-view] td, [data-testid=access-view] th, [data-testid=access-view] label') as unknown as El[])]
        .map((e) => e.getBoundingClientRect())
        .filter((r) => r.bottom > r.top && r.right > r.left);
      let n = 0;
      for (let i = 0; i < leaves.length; i++)
        for (let j = i + 1; j < leaves.length; j++) {
          const a = leaves[i]!;
          const b = leaves[j]!;
          if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) n++;
        }
      return n;
    });
    assert.equal(overlaps, 0);
    await app.screenshot('access-1280');
  });

  it('caused no console error, page error or CSP violation', () => {
    assert.deepEqual(s.app.problems, []);
  });
});
