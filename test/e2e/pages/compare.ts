import type { AppPage } from './app.ts';

export class ComparePage {
  constructor(private readonly app: AppPage) {}

  async counts(): Promise<{ added: number; removed: number; changed: number }> {
    await this.app.byTestId('compare-summary').waitFor();
    const n = async (id: string) => Number(((await this.app.byTestId(id).textContent()) ?? '').replace(/,/g, ''));
    return { added: await n('compare-added-count'), removed: await n('compare-removed-count'), changed: await n('compare-changed-count') };
  }

  async changedRows(): Promise<string[]> {
    return this.rowsOf('changed');
  }

  async removedRows(): Promise<string[]> {
    return this.rowsOf('removed');
  }

  /**
   * A tab's rows once its page has come: the view asks for a tab's page when the tab opens (diff.page), so reading the
   * rows straight after the click can find none yet. Waits for a first row or the tab's empty state.
   */
  private async rowsOf(tab: 'changed' | 'removed'): Promise<string[]> {
    await this.app.byTestId(`compare-tab-${tab}`).click();
    const rows = this.app.byTestId(`compare-${tab}-row`);
    await rows.first().or(this.app.byTestId('compare-empty')).waitFor();
    return rows.allTextContents();
  }
}
