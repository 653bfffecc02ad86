import type { AppPage } from './app.ts';

export class ComparePage {
  constructor(private readonly app: AppPage) {}

  async counts(): Promise<{ added: number; removed: number; changed: number }> {
    await this.app.byTestId('compare-summary').waitFor();
    const n = async (id: string) => Number(((await this.app.byTestId(id).textContent()) ?? '').replace(/,/g, ''));
    return { added: await n('compare-added-count'), removed: await n('compare-removed-count'), changed: await n('compare-changed-count') };
  }

  async changedRows(): Promise<string[]> {
    await this.app.byTestId('compare-tab-changed').click();
    return this.app.byTestId('compare-changed-row').allTextContents();
  }

  async removedRows(): Promise<string[]> {
    await this.app.byTestId('compare-tab-removed').click();
    return this.app.byTestId('compare-removed-row').allTextContents();
  }
}
