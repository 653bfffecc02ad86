import type { Locator } from 'playwright-core';
import type { AppPage } from './app.ts';

/** The Items view: filters, search, the virtualised grid, the item drawer. */
export class ItemsPage {
  constructor(private readonly app: AppPage) {}

  /** "12 of 14 items" → 12, once the count is in. */
  async matching(): Promise<number> {
    const count = this.app.byTestId('items-count');
    await count.filter({ hasNotText: /counting|Loading/ }).waitFor();
    const text = (await count.textContent()) ?? '';
    return Number(/^([\d,]+) of/.exec(text)?.[1]?.replace(/,/g, '') ?? NaN);
  }

  async waitForCount(n: number): Promise<void> {
    await this.app.byTestId('items-count').filter({ hasText: new RegExp(`^${n.toLocaleString('en-US')} of`) }).waitFor();
  }

  async rowNames(): Promise<string[]> {
    const rows = this.app.byTestId('item-row');
    const n = await rows.count();
    const names: string[] = [];
    for (let i = 0; i < n; i++) names.push(((await rows.nth(i).locator('[role=gridcell]').first().textContent()) ?? '').trim());
    return names;
  }

  /** Picks a filter value; a filter folded under "More filters" is unfolded first, as a user does. */
  async filter(field: string, option: string | RegExp): Promise<void> {
    await this.filterAny(field, [option]);
  }

  /**
   * The values a facet offers, as its open list shows them. A facet takes several values, and Fluent's
   * multi-select Dropdown lists them as menuitemcheckbox (the finding filter, one value, as option).
   */
  facetOptions(): Locator {
    return this.app.page.getByRole('menuitemcheckbox').or(this.app.page.getByRole('option'));
  }

  /** Picks one or several values of a facet (A or B), then closes its list, as a user does. */
  async filterAny(field: string, options: Array<string | RegExp>): Promise<void> {
    if ((await this.app.byTestId(`filter-${field}`).count()) === 0) {
      await this.app.byTestId('items-more-filters').click();
      await this.app.byTestId(`filter-${field}`).waitFor();
    }
    await this.app.byTestId(`filter-${field}`).click();
    for (const o of options) {
      const byName = (role: 'menuitemcheckbox' | 'option') => this.app.page.getByRole(role, { name: o });
      await byName('menuitemcheckbox').or(byName('option')).first().click();
    }
    // A single-choice list closes on its own; a multi-choice one stays open.
    if (await this.app.page.getByRole('menu').isVisible()) await this.app.page.keyboard.press('Escape');
  }

  /** "No successful backup in": a preset or typed text such as "36h". */
  async lastSuccessOlderThan(text: string): Promise<void> {
    const box = this.app.byTestId('filter-lastSuccess');
    await box.fill(text);
    await box.press('Enter');
  }

  /** How many grid rows are fully inside the grid's visible area. */
  async visibleRows(): Promise<number> {
    const grid = await this.app.byTestId('items-grid').boundingBox();
    if (!grid) return 0;
    const boxes = await this.app.byTestId('item-row').evaluateAll((rows) => rows.map((r) => { const b = r.getBoundingClientRect(); return { top: b.top, bottom: b.bottom }; }));
    return boxes.filter((b) => b.top >= grid.y && b.bottom <= grid.y + grid.height).length;
  }

  async clearFilters(): Promise<void> {
    await this.app.byTestId('items-clear').click();
  }

  async search(text: string): Promise<void> {
    await this.app.byTestId('items-search').fill(text);
  }

  async openItem(name: string): Promise<void> {
    // The row whose Name cell is exactly `name` (afs1hrtestfs must not pick afs1hrtestfs2).
    await this.app.byTestId('item-row').filter({ has: this.app.page.getByRole('gridcell').getByText(name, { exact: true }) }).first().click();
    await this.app.byTestId('item-drawer').waitFor();
  }

  async drawerTab(tab: 'details' | 'raw' | 'points' | 'restore' | 'history' | 'annotations'): Promise<void> {
    await this.app.byTestId(`drawer-tab-${tab}`).click();
  }

  async setOwner(owner: string, reason: string): Promise<string> {
    await this.drawerTab('annotations');
    await this.app.byTestId('ann-owner').fill(owner);
    await this.app.byTestId('ann-reason').fill(reason);
    await this.app.byTestId('ann-save').click();
    await this.app.byTestId('ann-saved').waitFor();
    await this.app.byTestId('ann-log-row').first().waitFor();
    return (await this.app.byTestId('ann-saved').textContent()) ?? '';
  }

  async setSizes(frontEndGb: number, storageGb: number): Promise<string> {
    await this.app.byTestId('ann-frontend-gb').fill(String(frontEndGb));
    await this.app.byTestId('ann-storage-gb').fill(String(storageGb));
    await this.app.byTestId('ann-save').click();
    await this.app.byTestId('ann-saved').filter({ hasText: '2 changes logged' }).waitFor();
    return (await this.app.byTestId('ann-saved').textContent()) ?? '';
  }

  async closeDrawer(): Promise<void> {
    await this.app.byTestId('item-drawer-close').click();
    await this.app.byTestId('item-drawer').waitFor({ state: 'detached' });
  }
}
