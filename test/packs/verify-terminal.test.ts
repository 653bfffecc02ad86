/**
 * Untrusted text never reaches a terminal raw (issue 14, item 2): commands run
 * over data holding ESC sequences, C1 controls and bidi overrides, and their
 * stdout and stderr — text and --json — hold none of those characters raw.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { execFileSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import { HIDDEN_CHARACTERS_FLAG } from '../../electron/core/terminal-text.ts';
import { cli, fixtures, tempDir } from '../harness/cli.ts';
import { rawZip, v1ZipEntries } from './verify-forge.ts';

/** Clear screen, home, a window title, a colour, an 8-bit CSI, and a right-to-left override. */
const HOSTILE = 'vm1\u001b[2J\u001b[H\u001b]0;owned\u0007\u001b[32mOK\u009b31m\u202egnp.exe';
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const env = { VAULTPROOF_NOW: '2026-11-24T10:00:00Z', VAULTPROOF_USER: 'auditor1' };

function assertClean(what: string, r: { stdout: string; stderr: string }): void {
  for (const [stream, text] of [['stdout', r.stdout], ['stderr', r.stderr]] as const) {
    const m = RAW.exec(text);
    assert.equal(m, null, `${what}: ${stream} holds U+${m?.[0].charCodeAt(0).toString(16).padStart(4, '0')} raw: ${JSON.stringify(text.slice(Math.max(0, (m?.index ?? 0) - 40), (m?.index ?? 0) + 40))}`);
  }
}

describe('CLI output escapes control and bidi characters that come from data', () => {
  let dir: string;
  let store: string;
  let snapshot: string;
  let key: string;

  before(async () => {
    dir = tempDir('vp-terminal-');
    store = path.join(dir, 'store.db');
    const src = fs.readFileSync(path.join(fixtures, 'bad', 'import', 'good-one-item.json'), 'utf8');
    const f = path.join(dir, 'hostile.json');
    fs.writeFileSync(f, src.replace('"friendlyName": "vm1"', `"friendlyName": ${JSON.stringify(HOSTILE)}`));
    const r = await cli(['import', f, '--label', `label ${HOSTILE}`, '--as-of', '2026-11-01T00:00:00Z', '--store', store, '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    snapshot = (JSON.parse(r.stdout) as { snapshotId: string }).snapshotId;
    const items = JSON.parse((await cli(['items', snapshot, '--store', store, '--json'], env)).stdout) as Array<{ key: string; name: string }>;
    assert.equal(items[0]!.name, HOSTILE, '--json keeps the value itself');
    key = items[0]!.key;
    const a = await cli(['annotate', key, '--owner', `Mallory ${HOSTILE}`, '--reason', HOSTILE, '--store', store, '--json'], env);
    assert.equal(a.code, 0, a.stderr);
  });

  test('items, show, snapshots, snapshot and log print the names escaped, in text and in JSON', async () => {
    const runs: Array<[string, string[]]> = [
      ['items', ['items', snapshot, '--store', store]],
      ['items --json', ['items', snapshot, '--store', store, '--json']],
      ['show', ['show', snapshot, key, '--store', store]],
      ['snapshots', ['snapshots', '--store', store]],
      ['snapshot', ['snapshot', snapshot, '--store', store]],
      ['log', ['log', '--store', store]],
      ['log --json', ['log', '--store', store, '--json']],
    ];
    for (const [what, args] of runs) {
      const r = await cli(args, env);
      assert.equal(r.code, 0, `${what}: ${r.stderr}`);
      assertClean(what, r);
    }
    const text = (await cli(['items', snapshot, '--store', store], env)).stdout;
    assert.ok(text.includes('vm1\\u001b[2J\\u001b[H'), text);
    assert.ok(text.includes('\\u202egnp.exe'), text);
    // In JSON the escape is JSON's own: a reader gets the value back unchanged.
    const json = (await cli(['items', snapshot, '--store', store, '--json'], env)).stdout;
    assert.equal((JSON.parse(json) as Array<{ name: string }>)[0]!.name, HOSTILE);
  });

  test('an error message quoting a file name is escaped', async () => {
    const r = await cli(['import', path.join(dir, `missing${HOSTILE}.json`), '--store', store], env);
    assert.equal(r.code, 1);
    assert.ok(r.stderr.includes('missing'), r.stderr);
    assertClean('import error', r);
  });

  test('a zip entry named ESC[H ESC[2J plus a copy of a clean report cannot make a failing verify look intact', async () => {
    const clean = (await cli(['verify', path.join(fixtures, 'packs-v1', 'demo')], env)).stdout;
    const zip = path.join(dir, 'spoof.zip');
    fs.writeFileSync(zip, rawZip(v1ZipEntries([{ name: `\u001b[H\u001b[2J${clean}`, data: Buffer.from('x') }])));
    const r = await cli(['verify', zip], env);
    assert.equal(r.code, 3);
    assertClean('verify', r);
    assert.match(r.stdout, /^FAILED: \\u001b\[H\\u001b\[2Jpack /m);
    const j = await cli(['verify', zip, '--json'], env);
    assert.equal(j.code, 3);
    assertClean('verify --json', j);
  });

  test('report.pdf and workbook.xlsx show such a name escaped and flagged; data/ keeps the value', async () => {
    const out = path.join(dir, 'pack');
    const r = await cli(['pack', snapshot, '--out', out, '--sign-self-signed', '--signer-name', 'Terminal Tester', '--passphrase-env', 'VP_PASS', '--store', store, '--json'], { ...env, VP_PASS: 'terminal test passphrase' });
    assert.equal(r.code, 0, r.stderr);
    const escaped = 'vm1\\u001b[2J\\u001b[H\\u001b]0;owned\\u0007\\u001b[32mOK\\u009b31m\\u202egnp.exe';
    const text = execFileSync('pdftotext', ['-layout', path.join(out, 'report.pdf'), '-'], { encoding: 'utf8' });
    assert.ok(!/[\u202a-\u202e\u2066-\u2069]/.test(text), 'no bidi control in the PDF text');
    assert.ok(text.replace(/\s+/g, '').includes('\\u202egnp.exe'), 'the override is shown escaped in the PDF');
    assert.ok(text.replace(/\s+/g, ' ').includes('[hidden control characters'), 'and flagged');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(out, 'workbook.xlsx'));
    const names: string[] = [];
    wb.getWorksheet('Items')!.eachRow((row) => row.eachCell((c) => void (typeof c.value === 'string' && c.value.startsWith('vm1') && names.push(c.value))));
    assert.deepEqual(names, [`${escaped}${HIDDEN_CHARACTERS_FLAG}`]);
    const data = fs.readFileSync(path.join(out, 'data', `snapshot-${snapshot}.json`), 'utf8');
    assert.ok(data.includes(JSON.stringify(HOSTILE).slice(1, -1)) || data.includes(HOSTILE), 'data/ keeps the name itself');
  });
});
