/**
 * Opening a store left by an older Vaultproof in the app (web mode, real
 * Chromium): the engine upgrades it on the first call and the window says so,
 * in the words the CLI prints, with where the backup is; the notice stays
 * until dismissed, and the snapshots are there; the notice and the snapshots'
 * coverage badges keep their text inside their boxes; `vaultproof serve` prints
 * the upgrade in its terminal. The store: migrations up to
 * 010, two snapshots (test/migrations/support.ts writeStore010).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeStore010 } from '../migrations/support.ts';
import { chromiumAvailable } from './support/browser.ts';
import { openSession, type Session } from './support/session.ts';

describe('a store upgrade in the app', { skip: chromiumAvailable() ? false : 'no /usr/bin/chromium' }, () => {
  let s: Session;
  let storePath = '';
  before(async () => {
    s = await openSession({ width: 1280, height: 800, importFixtures: false, prepare: (p) => writeStore010((storePath = p)) });
  });
  after(async () => {
    await s?.close();
  });

  it('says the store was upgraded and where its backup is, until dismissed; the snapshots are listed', async () => {
    const { app } = s;
    const notice = app.byTestId('store-upgrade');
    await notice.and(app.page.locator('[data-phase="upgraded"]')).waitFor();
    const backups = fs.readdirSync(path.join(path.dirname(storePath), 'backups'));
    assert.equal(backups.length, 1);
    assert.equal(
      (await notice.textContent())?.trim(),
      `Upgraded the store's schema (migration 011); the store as it was before is backed up at ${path.join(path.dirname(storePath), 'backups', backups[0]!)}`,
    );
    assert.equal(await app.byTestId('snapshot-id').count(), 2);
    // The long notice and the two-line coverage badges hold their text inside their own box (both once spilled below it).
    const spills = await app.page.$$eval('[data-testid="store-upgrade"], [data-testid="snapshot-completeness"]', (els) =>
      els.map((e) => ({ id: e.getAttribute('data-testid'), spill: e.scrollHeight - e.clientHeight })).filter((x) => x.spill > 1),
    );
    assert.deepEqual(spills, []);
    await app.screenshot('store-upgraded-1280');
    // `vaultproof serve` prints the upgrade in its terminal as the other commands do.
    const printed = s.server.stderr();
    assert.match(printed, /^vaultproof: upgrading the store's schema \(migration 011\); it needs about [\d,]+ MB free beside the store/m);
    assert.match(printed, /^vaultproof: migration 011 compact-items: 2,500 of 2,500 item rows$/m);
    assert.ok(printed.includes(`vaultproof: upgraded the store's schema (migration 011); the store as it was before is backed up at ${path.join(path.dirname(storePath), 'backups', backups[0]!)}`), printed);
    await app.byTestId('store-upgrade-dismiss').click();
    await notice.waitFor({ state: 'detached' });
  });
});
