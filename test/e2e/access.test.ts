/**
 * The Access view (issue 18 item 5: the UI carries the access evidence), in
 * Chromium on the demo estate loaded as a user loads it (Start → Load the
 * demo). Expected from assets/demo/2025-10-30/role-assignments.json by hand:
 * in rsv-prod-weu (resource group rg-backup) three people can delete backup
 * data — j.keller (Owner at the subscription), m.osei (Backup Contributor at
 * rg-backup), a.lindqvist (Backup Contributor on the vault) — while Backup
 * Auditors (Backup Reader) and Finance Readers (Reader) cannot, and the vault
 * has no Resource Guard (multiUserAuthorization Disabled). Against the
 * 2025-09-30 baseline a.lindqvist is the one added.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromiumAvailable } from './support/browser.ts';
import { openSession, type Session } from './support/session.ts';
import { runAxe, seriousLines } from './support/axe.ts';

const shots = process.env.VAULTPROOF_E2E_SHOTS ? path.resolve(process.env.VAULTPROOF_E2E_SHOTS) : path.resolve(import.meta.dirname, '../../artifacts');

type El = { tagName: string; getAttribute: (name: string) => string | null };
declare const document: { activeElement: El | null; querySelector: (sel: string) => El | null; querySelectorAll: (sel: string) => { length: number } };

describe('the Access view', { skip: chromiumAvailable() ? false : 'no /usr/bin/chromium' }, () => {
  let s: Session;

  before(async () => {
    s = await openSession({ width: 1440, height: 900, importFixtures: false });
    await s.app.byTestId('demo-load').click();
    await s.app.byTestId('demo-result').waitFor({ timeout: 120_000 });
  });

  after(async () => {
    await s?.close();
  });

  it('lists, per vault, the three principals who can delete backups in rsv-prod-weu and says there is no MUA; the finding and the change since the baseline are there', async () => {
    const { app, page } = s;
    await app.go('access');
    const prod = app.byTestId('access-vault').filter({ hasText: 'rsv-prod-weu' });
    await prod.waitFor();
    assert.deepEqual(await page.locator('h1').allTextContents(), ['Access']);

    const rows = prod.getByTestId('access-grant');
    const grants: Array<{ who: string; cells: string[] }> = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const r = rows.nth(i);
      grants.push({ who: (await r.getAttribute('data-principal')) ?? '', cells: await r.locator('td').allTextContents() });
    }
    // Columns: principal, type, role, scope, then delete, stop, soft delete/immutability, restore, grant.
    const deleters = grants.filter((g) => g.cells[4] === 'yes').map((g) => g.who).sort();
    assert.deepEqual(deleters, ['a.lindqvist@contoso.com', 'j.keller@contoso.com', 'm.osei@contoso.com']);
    const keller = grants.find((g) => g.who === 'j.keller@contoso.com')!;
    assert.match(keller.cells[2]!, /^Owner/);
    assert.match(keller.cells[3]!, /^inherited from subscription/);
    const lindqvist = grants.find((g) => g.who === 'a.lindqvist@contoso.com')!;
    assert.match(lindqvist.cells[3]!, /^this vault/);
    assert.ok(!deleters.includes('Backup Auditors') && !deleters.includes('Finance Readers'));

    assert.match((await prod.getByTestId('access-no-mua').textContent()) ?? '', /No Resource Guard \(MUA\): each of the 3 principals who can delete backup data can do it alone/);
    assert.match((await prod.getByTestId('access-counts').textContent()) ?? '', /Can delete backup data3 principal\(s\)/);
    assert.match((await prod.getByTestId('access-findings').textContent()) ?? '', /\S/);
    assert.match((await prod.getByTestId('access-changes').textContent()) ?? '', /1 more principal can delete backup data in rsv-prod-weu \(2 → 3\).*a\.lindqvist@contoso\.com/);
    assert.equal(await app.byTestId('access-vault').count(), 2, 'both demo vaults');

    const problems = seriousLines(await runAxe(page));
    assert.deepEqual(problems, []);

    fs.mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, 'access-1440x900.png') });
    await prod.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'access-1440x900-prod.png') });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.screenshot({ path: path.join(shots, 'access-1280x720.png') });
    await prod.getByTestId('access-grants').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'access-1280x720-grants.png') });
  });

  it('is reachable from the keyboard: Alt+8 puts focus on its heading, and each rights table is a focusable region', async () => {
    const { app, page } = s;
    await app.go('start');
    await page.keyboard.press('Alt+8');
    await app.byTestId('access-view').waitFor();
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
    const regions = page.getByRole('region', { name: /^Rights over / });
    // The rights tables fill in once the access evidence has been read: wait for the second, then count.
    await regions.nth(1).waitFor();
    assert.equal(await regions.count(), 2);
    await regions.first().focus();
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role') ?? null), 'region');
  });

  it('caused no console error, page error or CSP violation', () => {
    assert.deepEqual(s.app.problems, []);
  });
});
