/**
 * Two things the window used to get wrong, in Chromium on web mode:
 * - the item drawer's Raw JSON tab showed `raw` parsed and re-serialised, so a
 *   20-digit number came out as JavaScript's approximation (issue 16: the
 *   store keeps the text byte-exact; the drawer must show that text);
 * - the pack form had no way to ask for a redacted pack (issue 18: packs.build
 *   takes redactPrincipals; the signed manifest then carries a `redaction` block).
 * The store holds the demo's 2025-10-30 files plus one protected item written
 * here, a copy of the demo's first VM with a field holding 12345678901234567891.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cliProcess, repoRoot } from '../harness/cli.ts';
import { chromiumAvailable } from './support/browser.ts';
import { rpc } from './support/server.ts';
import { openSession, type Session } from './support/session.ts';
import { ItemsPage } from './pages/items.ts';

const BIG = '12345678901234567891';
const demoDir = path.join(repoRoot, 'assets', 'demo', '2025-10-30');

describe('raw text in the drawer and a redacted pack from the form', { skip: chromiumAvailable() ? false : 'no /usr/bin/chromium' }, () => {
  let s: Session;
  let storeDir = '';

  before(async () => {
    s = await openSession({
      width: 1440,
      height: 900,
      importFixtures: false,
      prepare: (storePath) => {
        storeDir = path.dirname(storePath);
        const vm = (JSON.parse(fs.readFileSync(path.join(demoDir, 'protected-items-rsv-prod-weu.json'), 'utf8')) as { value: Array<Record<string, unknown>> }).value[0]!;
        const text = JSON.stringify(vm, null, 2)
          .replaceAll('vm-web-01', 'vm-bignum-01')
          .replace('"properties": {', `"properties": {\n    "vpTestCounter": "__BIG__",`)
          .replace('"__BIG__"', BIG);
        const file = path.join(storeDir, 'bignum-item.json');
        fs.writeFileSync(file, `{"value": [${text}]}`);
        const demo = fs.readdirSync(demoDir).filter((f) => f.endsWith('.json')).map((f) => path.join(demoDir, f));
        const r = cliProcess(['import', ...demo, file, '--as-of', '2025-10-30T06:00:00Z', '--store', storePath]);
        assert.equal(r.code, 0, r.stderr);
      },
    });
  });

  after(async () => {
    await s?.close();
  });

  it(`shows the raw JSON exactly as the store keeps it (${BIG}, not 12345678901234567000); "Formatted" re-indents it and says so`, async () => {
    const { app, server } = s;
    const page = await rpc<{ items: Array<{ key: string; name: string }> }>(server, 'items.query', { snapshot: 'latest', search: 'vm-bignum-01' });
    const key = page.items.find((i) => i.name === 'vm-bignum-01')!.key;
    const detail = await rpc<{ rawText: string }>(server, 'items.get', { snapshot: 'latest', key });
    assert.ok(detail.rawText.includes(`"vpTestCounter": ${BIG},`), 'the store kept the digits');

    await app.go('items');
    const items = new ItemsPage(app);
    await items.search('vm-bignum-01');
    await items.waitForCount(1);
    await items.openItem('vm-bignum-01');
    await items.drawerTab('raw');
    const raw = app.byTestId('item-raw');
    await raw.waitFor();
    assert.equal(await raw.textContent(), detail.rawText, 'the stored text, character for character');
    assert.ok(((await raw.textContent()) ?? '').includes(BIG));
    assert.doesNotMatch((await raw.textContent()) ?? '', /12345678901234567000/);
    assert.match((await app.byTestId('item-raw-mode').textContent()) ?? '', /exact text kept in the store/);
    await app.screenshot('item-raw-exact');

    await app.byTestId('item-raw-formatted').click();
    assert.match((await app.byTestId('item-raw-mode').textContent()) ?? '', /re-rendering/);
    const formatted = (await raw.textContent()) ?? '';
    assert.match(formatted, new RegExp(`\\n {4}"vpTestCounter": ${BIG},\\n`));
    // Only whitespace differs from the stored text.
    assert.equal(formatted.replace(/\s+/g, ''), detail.rawText.replace(/\s+/g, ''));
    await app.byTestId('item-raw-formatted').click();
    assert.equal(await raw.textContent(), detail.rawText);
    await items.closeDrawer();
  });

  it('"Redact principals" in the pack form reaches the built pack: its signed manifest has the redaction block and the data names nobody', async () => {
    const { app } = s;
    await app.go('packs');
    const out = path.join(storeDir, 'redacted-pack');
    if ((await app.byTestId('pack-common-name').count()) > 0) await app.byTestId('pack-common-name').fill('E2E Auditor');
    await app.byTestId('pack-passphrase').fill('e2e pass phrase');
    await app.byTestId('pack-out').fill(out);
    await app.byTestId('pack-redact').click();
    await app.screenshot('pack-redact');
    await app.byTestId('pack-build-button').click();
    await app.byTestId('pack-result').waitFor({ timeout: 150_000 });
    assert.equal(((await app.byTestId('pack-result-path').textContent()) ?? '').trim(), out);

    const m = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as {
      redaction?: { what: string; files: string[] };
      snapshots: Array<{ file: string; redactedRecords?: Record<string, number> }>;
    };
    assert.equal(m.redaction?.what, 'principals');
    assert.ok(m.redaction.files.includes(m.snapshots[0]!.file));
    // By hand: each of the six role assignments in role-assignments.json names its principal.
    assert.equal(m.snapshots[0]!.redactedRecords?.roleAssignment, 6);
    for (const f of ['data/findings.json', m.snapshots[0]!.file]) {
      assert.doesNotMatch(fs.readFileSync(path.join(out, f), 'utf8'), /a\.lindqvist@contoso\.com|j\.keller@contoso\.com/, f);
    }
  });
});
