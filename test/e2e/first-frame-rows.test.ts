/**
 * Issue 17: the Findings and Cost views paint a new answer's first rows in
 * their first frame and render the rest right after it
 * (renderer/src/first-frame.ts). In the end they show the same rows, in the
 * same order, as the engine's page: checked here on an estate whose lists
 * are longer than a first frame.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FindingsPage } from '../../shared/contract/methods/findings.ts';
import type { CostSummary } from '../../shared/contract/methods/cost.ts';
import { chromiumAvailable } from './support/browser.ts';
import { rpc } from './support/server.ts';
import { openSession, type Session } from './support/session.ts';

describe('long lists after their first frame', { skip: chromiumAvailable() ? false : 'no /usr/bin/chromium' }, () => {
  let s: Session;
  before(async () => {
    s = await openSession({ width: 1280, height: 720, importFixtures: false, bigStoreItems: 1500 });
  });
  after(async () => {
    await s?.close();
  });

  it('the Findings view shows every row of its first page, in the engine order', async () => {
    const { app, page, server } = s;
    const want = await rpc<FindingsPage>(server, 'findings.page', { snapshot: 'latest', view: { groupBy: 'severity', group: 'all', search: '' }, offset: 0, limit: 300 });
    assert.equal(want.findings.length, 300, `a list longer than the first frame (${want.total} findings)`);
    await app.go('findings');
    await app.byTestId('finding-row').nth(299).waitFor({ timeout: 60_000 });
    const got = await page.$$eval('[data-testid=finding-row]', (rows) => rows.map((r) => `${r.getAttribute('data-rule')} ${r.getAttribute('data-target')}`));
    assert.deepEqual(
      got,
      want.findings.map((f) => `${f.rule} ${f.target}`),
    );
  });

  it('the Cost view shows every group and every listed unknown item, in order', async () => {
    const { app, page, server } = s;
    const want = await rpc<CostSummary>(server, 'cost.summary', { snapshot: 'latest', unknownLimit: 300 });
    const groups = [...want.byVault].sort((x, y) => (y.total ?? 0) - (x.total ?? 0)).map((g) => g.group);
    assert.ok(groups.length > 30 && want.unknown.items.length > 20, `lists longer than the first frame (${groups.length} vaults, ${want.unknown.items.length} unknown)`);
    await app.go('cost');
    await app.byTestId('cost-group-row').nth(groups.length - 1).waitFor({ timeout: 60_000 });
    await app.byTestId('cost-unknown-row').nth(want.unknown.items.length - 1).waitFor();
    assert.deepEqual(await page.$$eval('[data-testid=cost-group-row] td:first-child', (cells) => cells.map((c) => c.getAttribute('title'))), groups);
    assert.deepEqual(await page.$$eval('[data-testid=cost-unknown-row] [title]', (els) => els.map((e) => e.getAttribute('title'))), want.unknown.items.map((i) => i.key));
  });
});
