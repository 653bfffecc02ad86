/**
 * Import details (issue 15 item 8): a refused file is named by the name the
 * user picked, not the server's staging copy; after a successful import the
 * label field is empty and the message names the label and the snapshot id.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromiumAvailable } from './support/browser.ts';
import { filesOf, openSession, type Session } from './support/session.ts';

describe('import from the Start view', { skip: chromiumAvailable() ? false : 'no /usr/bin/chromium' }, () => {
  let s: Session;
  before(async () => {
    s = await openSession({ width: 1280, height: 720, importFixtures: false });
  });
  after(async () => {
    await s?.close();
  });

  it('names a refused file by the name the user picked', async () => {
    const { app, tmp } = s;
    const bad = path.join(tmp, 'my-broken-export.json');
    fs.writeFileSync(bad, '{"value": [ {"id": 1,, } ]');
    await app.byTestId('import-drop-input').setInputFiles(bad);
    const err = app.byTestId('import-error');
    await err.waitFor({ timeout: 60_000 });
    const text = (await err.textContent()) ?? '';
    assert.match(text, /my-broken-export\.json/);
    assert.doesNotMatch(text, /staging|\/tmp\/vp-e2e-grid-[^ ]*\/store\//, text);
  });

  it('clears the label after a successful import and names label and id', async () => {
    const { app } = s;
    await app.byTestId('import-label').fill('Baseline October');
    await app.byTestId('import-drop-input').setInputFiles(filesOf('baseline'));
    const result = app.byTestId('import-result');
    await result.waitFor({ timeout: 60_000 });
    const title = (await result.locator('.fui-MessageBarTitle').textContent()) ?? '';
    assert.match(title, /^Imported 14 items into snapshot “Baseline October” [0-9a-f]{8}/);
    assert.equal(await app.byTestId('import-label').inputValue(), '');
    await app.screenshot('import-720');
  });
});
