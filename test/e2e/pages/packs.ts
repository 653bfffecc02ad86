import type { AppPage } from './app.ts';

export class PacksPage {
  constructor(private readonly app: AppPage) {}

  async build(opts: { passphrase: string; zip: boolean; out?: string; signerName?: string }): Promise<string> {
    // A new local identity needs the name it signs as.
    if (opts.signerName && (await this.app.byTestId('pack-common-name').count()) > 0) await this.app.byTestId('pack-common-name').fill(opts.signerName);
    await this.app.byTestId('pack-passphrase').fill(opts.passphrase);
    if (opts.out) await this.app.byTestId('pack-out').fill(opts.out);
    if (opts.zip) await this.app.byTestId('pack-zip').click();
    await this.app.byTestId('pack-build-button').click();
    await this.app.byTestId('pack-result').waitFor({ timeout: 150_000 });
    return ((await this.app.byTestId('pack-result-path').textContent()) ?? '').trim();
  }

  /** Drops a pack (.zip) on the verify zone, as a user does, and returns the verdict. */
  async verifyByDrop(file: string): Promise<{ verdict: string; text: string }> {
    const before = await this.runs();
    await this.app.byTestId('verify-drop-input').setInputFiles(file);
    return this.verdict(before + 1);
  }

  /** How many verifications the panel has shown so far. */
  async runs(): Promise<number> {
    const v = this.app.byTestId('verify-verdict');
    return (await v.count()) === 0 ? 0 : Number((await v.getAttribute('data-run')) ?? 0);
  }

  async verdict(run: number): Promise<{ verdict: string; text: string }> {
    const v = this.app.page.locator(`[data-testid=verify-verdict][data-run="${run}"]`);
    await v.waitFor({ timeout: 60_000 });
    return { verdict: (await v.getAttribute('data-verdict')) ?? '', text: (await v.textContent()) ?? '' };
  }
}
