/**
 * Issue 17: the Compare view reads its counts and its lists from the engine
 * a page at a time (diff.summary, diff.page). What it shows must be what the
 * CLI's `diff` reports: checked on a pair worked out by hand
 * (support/compare-pair.ts), against those hand-worked values and against
 * `vaultproof diff --json` run on the same store.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { openSession, type Session } from './support/session.ts';
import { pairExpected, writeComparePair } from './support/compare-pair.ts';

const root = path.resolve(import.meta.dirname, '../..');

type CliDiff = {
  added: string[];
  removed: Array<{ key: string; reason: string }>;
  changed: Array<{ key: string; fields: Record<string, { before: unknown; after: unknown }> }>;
  unchanged: number;
};

async function rowsOf(page: Page, testId: string): Promise<Array<{ key: string; text: string }>> {
  return page.$$eval(`[data-testid=${testId}]`, (rows) => rows.map((r) => ({ key: r.getAttribute('data-key') ?? '', text: r.textContent ?? '' })));
}

describe('the Compare view shows what `diff` reports', { skip: chromiumAvailable() ? false : 'no /usr/bin/chromium' }, () => {
  let s: Session;
  let cli: CliDiff;

  before(async () => {
    s = await openSession({
      width: 1280,
      height: 800,
      importFixtures: false,
      prepare: (storePath) => {
        const { baseline, current } = writeComparePair(storePath);
        const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'electron/cli.ts'), 'diff', baseline, current, '--json', '--store', storePath], { cwd: root, encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
        cli = JSON.parse(r.stdout) as CliDiff;
      },
    });
  });
  after(async () => {
    await s?.close();
  });

  it('the CLI diff of the pair is the one worked out by hand', () => {
    assert.deepEqual(cli.added, pairExpected.added.map((r) => r.key));
    assert.deepEqual(cli.removed, [...pairExpected.removed, ...pairExpected.notCollected].map((r) => ({ key: r.key, reason: r.reason })).sort((a, b) => (a.key < b.key ? -1 : 1)));
    assert.deepEqual(cli.changed, pairExpected.changed.map((r) => ({ key: r.key, fields: r.fields })));
    assert.equal(cli.unchanged, pairExpected.counts.unchanged);
  });

  it('the tiles, the tabs and every list: the same counts and rows', async () => {
    const { app, page } = s;
    await app.go('compare');
    await app.byTestId('compare-summary').waitFor();
    const text = async (id: string) => ((await app.byTestId(id).textContent()) ?? '').trim();
    const c = pairExpected.counts;
    assert.equal(await text('compare-added-count'), String(cli.added.length));
    assert.equal(await text('compare-added-count'), String(c.added));
    assert.equal(await text('compare-removed-count'), String(cli.removed.filter((r) => r.reason !== 'notCollected').length));
    assert.equal(await text('compare-removed-count'), String(c.removed));
    assert.equal(await text('compare-removed-reasons'), `${c.gone} gone · ${c.softDeleted} soft-deleted`);
    assert.equal(await text('compare-notCollected-count'), String(c.notCollected));
    assert.equal(await text('compare-changed-count'), String(cli.changed.length));
    assert.equal(await text('compare-unchanged-count'), String(cli.unchanged));
    // (Fluent's tab writes its label twice, once hidden to reserve the selected width.)
    assert.match(await text('compare-tab-changed'), new RegExp(`^Changed \\(${c.changed}\\)`));
    assert.match(await text('compare-tab-added'), new RegExp(`^Added \\(${c.added}\\)`));
    assert.match(await text('compare-tab-removed'), new RegExp(`^Removed \\(${c.removed}\\)`));
    assert.match(await text('compare-tab-notCollected'), new RegExp(`^Not collected \\(${c.notCollected}\\)`));

    // Changed (the first tab): each item by name, each field before → after, in the diff's order.
    await app.byTestId('compare-changed-row').nth(pairExpected.changed.length - 1).waitFor();
    assert.deepEqual(await rowsOf(page, 'compare-changed-row'), [
      { key: pairExpected.changed[0].key, text: 'app-02protectionState: Protected → ProtectionStoppedpolicy: DefaultPolicy → —' },
      { key: pairExpected.changed[1].key, text: 'app-03protectionStatus: Healthy → UnhealthylastBackupStatus: Completed → Failed' },
    ]);
    assert.deepEqual(
      (await rowsOf(page, 'compare-changed-row')).map((r) => r.key),
      cli.changed.map((x) => x.key),
    );

    await app.byTestId('compare-tab-added').click();
    await app.byTestId('compare-added-row').nth(pairExpected.added.length - 1).waitFor();
    assert.deepEqual(await rowsOf(page, 'compare-added-row'), pairExpected.added.map((r) => ({ key: r.key, text: `${r.name}${r.key}` })));
    assert.deepEqual(
      (await rowsOf(page, 'compare-added-row')).map((r) => r.key),
      cli.added,
    );

    await app.byTestId('compare-tab-removed').click();
    await app.byTestId('compare-removed-row').filter({ hasText: 'app-05' }).waitFor();
    assert.deepEqual(await rowsOf(page, 'compare-removed-row'), [
      { key: pairExpected.removed[0].key, text: `app-04gone${pairExpected.removed[0].key}` },
      { key: pairExpected.removed[1].key, text: `app-05soft-deleted${pairExpected.removed[1].key}` },
    ]);

    await app.byTestId('compare-tab-notCollected').click();
    await app.byTestId('compare-removed-row').filter({ hasText: 'app-07' }).waitFor();
    assert.deepEqual(
      await rowsOf(page, 'compare-removed-row'),
      pairExpected.notCollected.map((r) => ({ key: r.key, text: `${r.name}not collected (its vault failed in the newer snapshot)${r.key}` })),
    );
    assert.deepEqual(
      [...(await rowsOf(page, 'compare-removed-row')).map((r) => r.key)],
      cli.removed.filter((r) => r.reason === 'notCollected').map((r) => r.key),
    );

    // The roll-ups, by vault: vault-a 2 added, 2 removed, 2 changed, 2 unchanged; vault-b 2 not collected.
    await app.byTestId('compare-tab-rollups').click();
    await app.byTestId('compare-rollup-vault').nth(1).waitFor();
    const vaults = await page.$$eval('[data-testid=compare-rollup-vault]', (cells) => cells.map((c) => [...c.parentElement!.children].map((x) => x.textContent)));
    assert.deepEqual(vaults, [
      ['vault-a', '2', '2', '2', '2'],
      ['vault-b', '0', '0 (+2 not collected)', '0', '0'],
    ]);
    await app.screenshot('compare-pages');
  });
});
