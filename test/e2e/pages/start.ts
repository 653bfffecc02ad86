import type { AppPage } from './app.ts';

/** The Start view: import files (as a user drops or picks them), the kit, the demo. */
export class StartPage {
  constructor(private readonly app: AppPage) {}

  async importFiles(files: string[], label: string): Promise<{ items: number }> {
    const p = this.app.page;
    await this.app.byTestId('import-label').fill(label);
    // The hidden <input type=file> behind "Choose files…" (and the drop zone).
    await this.app.byTestId('import-drop-input').setInputFiles(files);
    const result = this.app.byTestId('import-result');
    await result.waitFor({ timeout: 60_000 });
    const title = (await result.locator('.fui-MessageBarTitle').textContent()) ?? '';
    const m = /Imported ([\d,]+) items/.exec(title);
    await p.waitForTimeout(0);
    return { items: m ? Number(m[1]!.replace(/,/g, '')) : NaN };
  }

  async kitStepCount(): Promise<number> {
    await this.app.byTestId('kit-steps').waitFor();
    return this.app.byTestId('kit-steps').locator('li').count();
  }
}
