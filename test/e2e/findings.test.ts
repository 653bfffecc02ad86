/**
 * Findings for 100k (issue 15 item 10): one list with every severity by
 * default, groups with counts, a search, and the current view exported to
 * CSV that a spreadsheet cannot run as formulas.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type ExcelJSTypes from 'exceljs';
import { after, before, describe, it } from 'node:test';
import { chromiumAvailable } from './support/browser.ts';
import { rpc } from './support/server.ts';
import { openSession, type Session } from './support/session.ts';

const ExcelJS = createRequire(import.meta.url)('exceljs') as typeof ExcelJSTypes;

describe('the findings list', { skip: chromiumAvailable() ? false : 'no /usr/bin/chromium' }, () => {
  let s: Session;
  before(async () => {
    s = await openSession({ width: 1280, height: 720 });
  });
  after(async () => {
    await s?.close();
  });

  it('lists every finding at once, narrows by search, and exports the view formula-safe', async () => {
    const { app, page, server } = s;
    const run = await rpc<{ findings: Array<{ key: string; rule: string; severity: string }> }>(server, 'findings.run', { snapshot: 'latest' });
    const total = run.findings.length;
    assert.ok(total > 1 && total <= 300, `${total} findings`);
    await app.go('findings');
    await app.byTestId('findings-summary').waitFor({ timeout: 60_000 });
    // One list with all severities: every finding is a row, severest first.
    await app.byTestId('finding-row').nth(total - 1).waitFor();
    assert.equal(await app.byTestId('finding-row').count(), total);
    assert.equal(new Set(run.findings.map((f) => f.severity)).size > 1, true);
    // An exception whose justification looks like a formula.
    const row = page.locator('[data-testid=finding-row][data-rule="protection-stopped"]').filter({ hasText: 'hiaganewvm1' }).first();
    // The finding reads by its title; the rule id is the tooltip.
    assert.equal(await row.getByTestId('finding-title').getAttribute('title'), 'Rule protection-stopped');
    assert.equal(await row.getByTestId('finding-title').textContent(), '— Protection stopped; retained data is still billed');
    await row.getByTestId('finding-add-exception').click();
    await app.byTestId('exception-justification').fill('=HYPERLINK("http://evil.example","ok")');
    await app.byTestId('exception-approver').fill('@approver');
    await app.byTestId('exception-save').click();
    await page.locator('[data-testid=finding-row][data-rule="protection-stopped"]').filter({ hasText: 'hiaganewvm1' }).filter({ hasText: 'excepted until' }).first().waitFor();
    // Search narrows the list to one item's findings.
    const mine = run.findings.filter((f) => f.key.endsWith('hiaganewvm1')).length;
    await app.byTestId('findings-search').fill('hiaganewvm1');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=finding-row]').length === n, mine);
    const [dl] = await Promise.all([page.waitForEvent('download'), app.byTestId('findings-export-csv').click()]);
    const text = fs.readFileSync((await dl.path())!, 'utf8').replace(/^\ufeff/, '');
    const lines = text.trimEnd().split('\r\n');
    assert.equal(lines[0], 'Severity,Rule,Rule title,Item,Key,Status,Approver,Justification,Controls');
    assert.equal(lines.length, 1 + mine);
    const stopped = lines.find((l) => l.includes(',protection-stopped,'))!;
    assert.match(stopped, /,"'@approver","'=HYPERLINK\(""http:\/\/evil\.example"",""ok""\)",/);
    assert.doesNotMatch(text, /(^|,)=HYPERLINK/);
    await app.screenshot('findings-720');

    // The same view as an .xlsx the engine writes (web mode: into the store folder's exports/).
    await app.byTestId('findings-export-xlsx').click();
    const where = (await app.byTestId('findings-export-xlsx-path').textContent())!;
    assert.match(where, /exports[/\\]findings-all-filtered-[0-9-]+\.xlsx$/);
    await app.screenshot('findings-xlsx-720');
    await page.setViewportSize({ width: 1440, height: 900 });
    await app.screenshot('findings-xlsx-1440');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(where);
    const ws = wb.getWorksheet('Findings')!;
    const cells = (r: number) => (ws.getRow(r).values as unknown[]).slice(1);
    assert.deepEqual(cells(1), ['Severity', 'Rule', 'Rule title', 'Item', 'Key', 'Status', 'Approver', 'Justification', 'Controls']);
    assert.equal(ws.actualRowCount, 1 + mine);
    let stoppedRow = 0;
    ws.eachRow((row, n) => {
      if (row.getCell(2).value === 'protection-stopped') stoppedRow = n;
    });
    assert.ok(stoppedRow > 1, 'protection-stopped row in the xlsx');
    const just = ws.getRow(stoppedRow).getCell(8);
    // A string that looks like a formula stays text: no formula cell, the text intact.
    assert.equal(just.formula, undefined);
    assert.equal(just.type, ExcelJS.ValueType.RichText);
    assert.equal(just.text, '=HYPERLINK("http://evil.example","ok")');
    assert.equal(ws.getRow(stoppedRow).getCell(7).text, '@approver');
    assert.equal(ws.getRow(stoppedRow).getCell(4).text, 'hiagaNewVm1');
  });
});

declare const document: { querySelectorAll: (sel: string) => { length: number } };
