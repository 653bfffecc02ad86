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

  async filter(field: string, option: string | RegExp): Promise<void> {
    await this.app.choose(`filter-${field}`, option);
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

  async drawerTab(tab: 'details' | 'raw' | 'points' | 'history' | 'annotations'): Promise<void> {
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
