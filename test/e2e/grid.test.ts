/**
 * The auditor's working grid (issue 15), in web mode, in Chromium at
 * 1280×720 with a British locale and a Tokyo clock — the small screen and
 * the non-US date order are where the grid used to fail. Screenshots go to
 * VAULTPROOF_E2E_SHOTS (or test/artifacts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromiumAvailable } from './support/browser.ts';
import { rpc } from './support/server.ts';
import { openSession, type Session } from './support/session.ts';
import { ItemsPage } from './pages/items.ts';

const day = (offsetDays: number): Date => new Date(Date.now() + offsetDays * 86400000);
const iso = (d: Date): string => d.toISOString().slice(0, 10);
const british = (d: Date): string => `${iso(d).slice(8, 10)}/${iso(d).slice(5, 7)}/${iso(d).slice(0, 4)}`;

describe('the working grid at 1280×720, en-GB, Asia/Tokyo', { skip: chromiumAvailable() ? false : 'no /usr/bin/chromium' }, () => {
  let s: Session;

  before(async () => {
    s = await openSession({ width: 1280, height: 720, locale: 'en-GB', timezoneId: 'Asia/Tokyo' });
  });

  after(async () => {
    await s?.close();
  });

  it('an exception from the item drawer waives one rule by default; "all rules" must be chosen and confirmed; the expiry takes 31/12-style and ISO days', async () => {
    const { app } = s;
    const items = new ItemsPage(app);
    await app.go('items');
    await items.waitForCount(13);
    await items.openItem('hiagaNewVm1');
    await items.drawerTab('annotations');
    await app.byTestId('exception-open').click();
    const form = app.byTestId('exception-form');
    await form.waitFor();
    // hiaganewvm1 in the current fixture: ProtectionStopped, ActionRequired, last backup Failed — it has open findings.
    const run = await rpc<{ findings: Array<{ key: string; rule: string; excepted: boolean }> }>(s.server, 'findings.run', { snapshot: 'latest' });
    const open = run.findings.filter((f) => f.key.toLowerCase().endsWith('vm;iaasvmcontainerv2;hiagarg;hiaganewvm1') && !f.excepted).map((f) => f.rule);
    assert.ok(open.includes('protection-stopped'), `open rules: ${open.join(', ')}`);
    const rule = app.byTestId('exception-rule');
    await rule.filter({ hasText: /\([a-z-]+\)$/ }).waitFor();
    const chosen = /\(([a-z-]+)\)$/.exec((await rule.textContent()) ?? '')?.[1];
    assert.ok(chosen && open.includes(chosen), `default rule ${chosen} is one of the item's open findings`);
    assert.doesNotMatch((await rule.textContent()) ?? '', /all rules/i);
    // The expiry starts at the profile's longest exception (365 days in assets/profiles/default.json).
    const expires = app.byTestId('exception-expires');
    await expires.and(app.page.locator(`[value="${iso(day(365))}"]`)).waitFor();
    const save = app.byTestId('exception-save');
    assert.equal(await save.isDisabled(), true, 'no justification or approver yet');
    await app.byTestId('exception-justification').fill('Decommissioning; kept for legal hold.');
    await app.byTestId('exception-approver').fill('Grace Hopper (CISO)');
    assert.equal(await save.isDisabled(), false);
    // No such day: refused in words that say how to write one, and Save waits.
    await expires.fill('31/02/2027');
    await form.getByText(/Not a day: write it as 31\/12\/2026 or 2026-12-31/).waitFor();
    assert.equal(await save.isDisabled(), true);
    // The British order (day first) is accepted, and read back in words.
    const target = day(30);
    await expires.fill(british(target));
    const words = new Intl.DateTimeFormat('en-GB', { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(target);
    await form.getByText(words, { exact: false }).first().waitFor();
    assert.equal(await save.isDisabled(), false);
    // A blanket waiver needs its own confirmation, which names what it waives.
    await app.choose('exception-rule', /All rules \(blanket waiver\)/);
    await app.byTestId('exception-all-warning').waitFor();
    assert.match((await app.byTestId('exception-all-warning').textContent()) ?? '', /Waive every rule \(\d+: rpo-breach.*protection-stopped/);
    assert.equal(await save.isDisabled(), true, 'all rules without the confirmation');
    await app.byTestId('exception-all-confirm').click();
    assert.equal(await save.isDisabled(), false);
    // Back to the one rule, and record it.
    await app.choose('exception-rule', /\(protection-stopped\)/);
    assert.equal(await app.byTestId('exception-all-warning').count(), 0);
    await app.screenshot('grid-exception-720');
    await save.click();
    await app.byTestId('ann-exception').filter({ hasText: `protection-stopped until ${iso(target)}` }).waitFor();
    const log = await rpc<Array<{ field: string; newValue: unknown }>>(s.server, 'annotations.log', {});
    const entry = log.find((e) => e.field.startsWith('exception:'));
    assert.match(JSON.stringify(entry?.newValue) ?? "", new RegExp(`"rule":"protection-stopped".*"expires":"${iso(target)}"`));
    await items.closeDrawer();
  });

  it('speaks the portal\'s words, tells ages in words, shows local time with its zone, and switches to UTC', async () => {
    const { app, page } = s;
    const items = new ItemsPage(app);
    await app.go('items');
    await items.waitForCount(13);
    const row = app.byTestId('item-row').filter({ has: page.getByRole('gridcell').getByText('hiagaNewVm1', { exact: true }) });
    const cells = await row.getByRole('gridcell').allTextContents();
    // Raw: VM, ProtectionStopped, ActionRequired, Failed (test/fixtures/e2e/current/arm-items-iaasvm.json).
    assert.deepEqual(cells.slice(2, 6), ['Azure Virtual Machine', 'Protection stopped', 'Action required', 'Failed']);
    // afs1hrtestfs2 is IRPending: the state filter offers the portal's words, with the count.
    await app.byTestId('filter-protectionState').click();
    await page.getByRole('menuitemcheckbox', { name: 'Initial backup pending (1)' }).waitFor();
    await page.keyboard.press('Escape');
    // hiaga-adhoc-vm: last backup 2025-11-26T23:08:44Z, as-of 2025-11-27T08:00Z → 8 h 51 min before: "8 hours ago";
    // in Tokyo (UTC+9) that backup was at 2025-11-27 08:08.
    const adhoc = app.byTestId('item-row').filter({ has: page.getByRole('gridcell').getByText('hiaga-adhoc-vm', { exact: true }) });
    const last = adhoc.getByRole('gridcell').nth(6);
    assert.equal(await last.textContent(), '8 hours ago');
    assert.match((await last.locator('span').getAttribute('title')) ?? '', /^2025-11-27 08:08 GMT\+9 /);
    assert.equal(await app.byTestId('time-mode').textContent(), 'Times: GMT+9');
    await app.screenshot('grid-portal-words-720');
    await app.byTestId('time-mode').click();
    await app.byTestId('time-mode').filter({ hasText: 'Times: UTC' }).waitFor();
    await items.waitForCount(13);
    const lastUtc = app.byTestId('item-row').filter({ has: page.getByRole('gridcell').getByText('hiaga-adhoc-vm', { exact: true }) }).getByRole('gridcell').nth(6);
    assert.match((await lastUtc.locator('span').getAttribute('title')) ?? '', /^2025-11-26 23:08 UTC /);
    // The raw value stays in the drawer.
    await items.openItem('hiagaNewVm1');
    await app.byTestId('item-drawer').getByText('ProtectionStopped', { exact: true }).first().waitFor();
    await items.closeDrawer();
    await app.byTestId('time-mode').click();
    await app.byTestId('time-mode').filter({ hasText: 'Times: GMT+9' }).waitFor();
  });

  it('caused no console error, page error or CSP violation', () => {
    assert.deepEqual(s.app.problems, []);
  });
});
