import type { AppPage } from './app.ts';

export class FindingsPage {
  constructor(private readonly app: AppPage) {}

  async groupByRule(): Promise<void> {
    await this.app.byTestId('findings-summary').waitFor({ timeout: 60_000 });
    await this.app.byTestId('findings-by-rule').click();
  }

  async openRule(rule: string): Promise<void> {
    await this.app.page.locator(`[data-testid=findings-group][data-group="${rule}"]`).click();
  }

  /** Adds an exception to the first finding of `rule` whose text matches `item`; returns the row's status text. */
  async addException(rule: string, item: string, e: { justification: string; approver: string; ticket: string }): Promise<string> {
    const row = this.app.page.locator(`[data-testid=finding-row][data-rule="${rule}"]`).filter({ hasText: item }).first();
    await row.getByTestId('finding-add-exception').click();
    await this.app.byTestId('exception-form').waitFor();
    await this.app.byTestId('exception-justification').fill(e.justification);
    await this.app.byTestId('exception-approver').fill(e.approver);
    await this.app.byTestId('exception-ticket').fill(e.ticket);
    await this.app.byTestId('exception-save').click();
    await this.app.byTestId('exception-form').waitFor({ state: 'detached' });
    await this.app.page.locator('.fui-DialogSurface').waitFor({ state: 'detached' });
    const excepted = this.app.page.locator(`[data-testid=finding-row][data-rule="${rule}"]`).filter({ hasText: item }).filter({ hasText: 'excepted until' }).first();
    await excepted.waitFor();
    return (await excepted.textContent()) ?? '';
  }
}
