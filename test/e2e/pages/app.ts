/**
 * Page model of the Vaultproof window: navigation, dropdowns, screenshots,
 * and a record of console errors and CSP violations (the UI must cause none).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';

// VAULTPROOF_E2E_SHOTS lets a reviewer collect screenshots outside the tree.
export const artifactsDir = process.env.VAULTPROOF_E2E_SHOTS ? path.resolve(process.env.VAULTPROOF_E2E_SHOTS) : path.resolve(import.meta.dirname, '../../artifacts');

export type View = 'start' | 'snapshots' | 'items' | 'compare' | 'findings' | 'cost' | 'packs' | 'access';

export class AppPage {
  readonly page: Page;
  readonly problems: string[] = [];

  constructor(page: Page) {
    this.page = page;
    page.on('pageerror', (e) => this.problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') this.problems.push(`console error: ${m.text()}`);
    });
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.getByTestId('nav').waitFor();
  }

  byTestId(id: string): Locator {
    return this.page.getByTestId(id);
  }

  async go(view: View): Promise<void> {
    await this.explained(`going to ${view}`, async () => {
      await this.byTestId(`nav-${view}`).click();
      await this.byTestId(`${view}-view`).waitFor();
    });
  }

  /** Opens a Fluent Dropdown and picks the option whose text matches. */
  async choose(testId: string, option: string | RegExp): Promise<void> {
    await this.explained(`choosing ${String(option)} in ${testId}`, async () => {
      await this.byTestId(testId).click();
      await this.page.getByRole('option', { name: option }).first().click();
    });
  }

  /**
   * Runs a step; when it fails, the error also says what the window showed
   * (the main area's text, the address) and what the page logged, so a failure
   * seen only under CI load can be told apart from a slow machine.
   */
  async explained(step: string, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (e) {
      const shown = await this.page
        .locator('main')
        .innerText({ timeout: 2000 })
        .catch((err: unknown) => `(unreadable: ${(err as Error).message})`);
      const err = e as Error;
      err.message = `${err.message}\n-- while ${step}; the page at ${this.page.url()} showed:\n${shown.slice(0, 2000)}\n-- page problems: ${this.problems.join(' | ') || 'none'}`;
      throw err;
    }
  }

  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(artifactsDir, { recursive: true });
    const file = path.join(artifactsDir, `ui-${name}.png`);
    await this.page.screenshot({ path: file, fullPage: false });
    return file;
  }
}
