/**
 * Keyboard and accessibility (issue 15 item 6), in Chromium: axe-core on
 * every view and sub-tab and on the item drawer, in the light and the dark
 * theme, finds no serious or critical violation; each view has exactly one
 * h1, its title; Enter on a grid row opens the drawer (a dialog) and Esc
 * gives focus back to that row; Alt+1…8 put focus on the view's heading.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromiumAvailable } from './support/browser.ts';
import { openSession, type Session } from './support/session.ts';
import { runAxe, seriousLines } from './support/axe.ts';
import { ItemsPage } from './pages/items.ts';
import type { View } from './pages/app.ts';

const titles: Record<View, string> = { start: 'Start', snapshots: 'Snapshots', items: 'Items', compare: 'Compare', findings: 'Findings', cost: 'Cost', packs: 'Evidence packs', access: 'Access' };
// Sub-tabs are separate screens to a user: each is judged on its own.
const subTabs: Partial<Record<View, string[]>> = {
  snapshots: ['snapshots-tab-log', 'snapshots-tab-owners', 'snapshots-tab-exchange', 'snapshots-tab-snapshots'],
  compare: ['compare-tab-added', 'compare-tab-removed', 'compare-tab-rollups', 'compare-tab-changed'],
  findings: ['findings-tab-sample', 'findings-tab-adherence', 'findings-tab-profile', 'findings-tab-findings'],
};

// The page functions below run in Chromium; this file is type-checked without the DOM library, and a
// string predicate would need eval, which the app's CSP forbids.
type El = { tagName: string; textContent: string | null; getAttribute: (name: string) => string | null };
declare const document: { activeElement: El | null; querySelector: (sel: string) => El | null; getElementById: (id: string) => El | null };
const gridFocused = (): boolean => document.activeElement?.getAttribute('data-testid') === 'items-grid';

describe('keyboard and accessibility', { skip: chromiumAvailable() ? false : 'no /usr/bin/chromium' }, () => {
  let s: Session;

  before(async () => {
    s = await openSession({ width: 1280, height: 720 });
  });

  after(async () => {
    await s?.close();
  });

  async function headings(): Promise<string[]> {
    return s.page.locator('h1').allTextContents();
  }

  async function settle(): Promise<void> {
    // Views fetch on mount; judge them once nothing is loading.
    await s.page.waitForFunction(() => !document.querySelector('.fui-Spinner') && !/Loading…|Working…/.test(document.querySelector('#main')?.textContent ?? ''), undefined, { timeout: 60_000 });
  }

  for (const theme of ['light', 'dark'] as const) {
    it(`axe finds no serious or critical violation on any view, sub-tab or the item drawer (${theme} theme); one h1 per view`, async () => {
      const { app } = s;
      if ((await app.byTestId('app-root').getAttribute('data-theme')) !== theme) await app.byTestId('theme-toggle').click();
      assert.equal(await app.byTestId('app-root').getAttribute('data-theme'), theme);
      const problems: string[] = [];
      const judge = async (where: string) => {
        await settle();
        problems.push(...seriousLines(await runAxe(s.page)).map((l) => `${theme} ${where}: ${l}`));
      };
      for (const view of Object.keys(titles) as View[]) {
        await app.go(view);
        await judge(view);
        assert.deepEqual(await headings(), [titles[view]], `${view}: exactly one h1, the view's title`);
        for (const tab of subTabs[view] ?? []) {
          await app.byTestId(tab).click();
          await judge(`${view}/${tab}`);
          assert.deepEqual(await headings(), [titles[view]], `${view}/${tab}: exactly one h1`);
        }
      }
      const items = new ItemsPage(app);
      await app.go('items');
      await items.openItem('hiaga-adhoc-vm');
      for (const tab of ['details', 'raw', 'points', 'restore', 'history', 'annotations'] as const) {
        await items.drawerTab(tab);
        await judge(`item drawer/${tab}`);
      }
      await items.closeDrawer();
      await app.screenshot(`a11y-items-${theme}-720`);
      assert.deepEqual(problems, []);
    });
  }

  it('Enter on a focused grid row opens its drawer, a dialog; Esc gives focus back to that row', async () => {
    const { app, page } = s;
    const items = new ItemsPage(app);
    await app.go('items');
    await items.waitForCount(13);
    const grid = app.byTestId('items-grid');
    await grid.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const active = await grid.getAttribute('aria-activedescendant');
    assert.equal(active, 'item-row-2');
    const key = await page.locator(`#${active}`).getAttribute('data-key');
    assert.ok(key);
    await page.keyboard.press('Enter');
    const drawer = app.byTestId('item-drawer');
    await drawer.waitFor();
    assert.equal(await page.getByRole('dialog').count(), 1, 'the drawer is a dialog');
    assert.match(await page.getByRole('dialog').locator('h2').first().textContent() ?? '', /\S/);
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    await page.waitForFunction(gridFocused);
    const back = await page.evaluate(() => document.getElementById(document.activeElement?.getAttribute('aria-activedescendant') ?? '')?.getAttribute('data-key') ?? null);
    assert.equal(back, key, 'focus is on the grid with the row that opened the drawer active');
    // A mouse click opens the same way and comes back the same way.
    await items.openItem('msdb');
    await items.closeDrawer();
    await page.waitForFunction(gridFocused);
  });

  it('Alt+1…8 switch views and put focus on the view heading, not <body>', async () => {
    const { page } = s;
    for (const [i, view] of (Object.keys(titles) as View[]).entries()) {
      await page.keyboard.press(`Alt+${i + 1}`);
      await s.app.byTestId(`${view}-view`).waitFor();
      await page.waitForFunction((t) => document.activeElement?.tagName === 'H1' && document.activeElement.textContent === t, titles[view]);
    }
  });

  it('caused no console error, page error or CSP violation', () => {
    assert.deepEqual(s.app.problems, []);
  });
});
