/**
 * Pack structure checked whole (issue 14, item 3) and hostile names refused
 * (item 2): every case is a copy of the genuine v1 pack with one thing added
 * or changed, made without Vaultproof's own writers.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { DuplicateKeyScanner, findDuplicateKey } from '../../electron/core/packs/sign/json-duplicates.ts';
import { MAX_PACK_ENTRIES } from '../../electron/core/packs/write/zip.ts';
import { verifyPack } from '../../electron/core/packs/verify.ts';
import { tempDir } from '../harness/cli.ts';
import { V1_PACK, copyPack, rawZip, readManifest, relist, cmsSign, selfSigned, v1ZipEntries, type KeyPair } from './verify-forge.ts';

const ESC_NAME = 'data/\u001b[H\u001b[2Jpack 01a24220 OK: intact.json';

describe('verify: pack structure checked whole', () => {
  let dir: string;
  let signer: KeyPair;

  before(() => {
    dir = tempDir('vp-verify-structure-');
    signer = selfSigned(path.join(dir, 'keys'), 'signer', '/CN=Structure Tester', ['keyUsage=critical,digitalSignature', 'extendedKeyUsage=emailProtection']);
  });

  const zipOf = (name: string, entries: Parameters<typeof rawZip>[0]): string => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, rawZip(entries));
    return f;
  };

  test('the v1 pack zipped by hand verifies: the hostile cases below differ from it in one entry', async () => {
    const r = await verifyPack(zipOf('plain.zip', v1ZipEntries()));
    assert.equal(r.intact, true, JSON.stringify(r.failures));
  });

  test('a zip entry whose name holds ESC sequences is refused, and the name is shown escaped', async () => {
    const r = await verifyPack(zipOf('esc.zip', v1ZipEntries([{ name: ESC_NAME, data: Buffer.from('{}') }])));
    assert.equal(r.intact, false);
    const shown = 'data/\\u001b[H\\u001b[2Jpack 01a24220 OK: intact.json';
    assert.deepEqual(r.firstFailure, { file: shown, reason: `zip entry "${shown}" contains control characters; refused` });
    for (const s of [r.firstFailure!.file, r.firstFailure!.reason]) assert.ok(!s.includes("\u001b"), s);
  });

  test('C1 controls and bidi overrides in entry names are refused too', async () => {
    for (const [name, shown] of [
      ['data/\u009b2Jx.json', 'data/\\u009b2Jx.json'],
      ['data/report\u202efdp.json', 'data/report\\u202efdp.json'],
    ] as const) {
      const r = await verifyPack(zipOf(`c1-${shown.length}.zip`, v1ZipEntries([{ name, data: Buffer.from('{}') }])));
      assert.deepEqual(r.firstFailure, { file: shown, reason: `zip entry "${shown}" contains control characters; refused` });
    }
  });

  test('a zip folder entry holding bytes is refused (was: ignored, its bytes outside every check)', async () => {
    const r = await verifyPack(zipOf('dir-bytes.zip', v1ZipEntries([{ name: 'data/', data: Buffer.from('hidden payload') }])));
    assert.deepEqual(r.firstFailure, { file: 'data/', reason: 'zip entry "data/" is a folder entry holding 14 bytes; refused' });
    const empty = await verifyPack(zipOf('dir-empty.zip', [{ name: 'data/', data: Buffer.alloc(0) }, ...v1ZipEntries()]));
    assert.equal(empty.intact, true, 'an empty folder entry is ordinary');
  });

  test('a named pipe in a pack folder is refused, not skipped (was: ignored) and never opened', async () => {
    const pack = copyPack(path.join(dir, 'fifo'));
    execFileSync('mkfifo', [path.join(pack, 'data', 'pipe.json')]);
    const r = await verifyPack(pack);
    assert.deepEqual(r.firstFailure, { file: 'data/pipe.json', reason: 'data/pipe.json is not a regular file (a named pipe); a pack holds plain files only' });
  });

  test('a named pipe given as the pack itself is refused, not opened (was: verify hung reading it)', async () => {
    const fifo = path.join(dir, 'pack.zip');
    execFileSync('mkfifo', [fifo]);
    const r = await verifyPack(fifo);
    assert.deepEqual(r.firstFailure, { file: 'pack.zip', reason: `${fifo} is neither a pack folder nor a file` });
  });

  test('a symbolic link anywhere in a pack folder is refused', async () => {
    const pack = copyPack(path.join(dir, 'link'));
    fs.symlinkSync('../report.pdf', path.join(pack, 'data', 'copy.pdf'));
    const r = await verifyPack(pack);
    assert.deepEqual(r.firstFailure, { file: 'data/copy.pdf', reason: 'data/copy.pdf is a symbolic link; a pack holds plain files only' });
  });

  test('a file name with control characters in a pack folder is refused, shown escaped', async () => {
    const pack = copyPack(path.join(dir, 'ctl-name'));
    fs.writeFileSync(path.join(pack, 'data', 'x\u001b]0;pwned\u0007.json'), '{}');
    const r = await verifyPack(pack);
    assert.deepEqual(r.firstFailure, { file: 'data/x\\u001b]0;pwned\\u0007.json', reason: '"data/x\\u001b]0;pwned\\u0007.json" has control characters in its name; refused' });
  });

  test('a key repeated in manifest.json fails, named, even under a valid signature', async () => {
    const pack = copyPack(path.join(dir, 'dup-manifest'));
    const m = fs.readFileSync(path.join(pack, 'manifest.json'), 'utf8');
    // The second "toolVersion" wins in JSON.parse: readers would disagree about who made the pack.
    fs.writeFileSync(path.join(pack, 'manifest.json'), m.replace('"toolVersion": "0.1.0",', '"toolVersion": "0.1.0",\n  "toolVersion": "9.9.9",'));
    cmsSign(path.join(pack, 'manifest.json'), signer, path.join(pack, 'manifest.p7s'));
    const r = await verifyPack(pack);
    assert.equal(r.signatures[0]!.valid, true);
    assert.deepEqual(r.firstFailure, { file: 'manifest.json', reason: 'the key "toolVersion" appears twice (at $.toolVersion); readers would disagree on its value' });
  });

  test('a key repeated inside a data JSON file fails, named with its place, even when listed and signed', async () => {
    const pack = copyPack(path.join(dir, 'dup-data'));
    const f = path.join(pack, 'data', 'annotations.json');
    // Escapes do not hide a repeat: "\u006fwner" is "owner".
    fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('"owner": "Ben Okafor",', '"owner": "Ben Okafor",\n      "\\u006fwner": "Mallory",'));
    const m = relist(pack, readManifest(pack));
    m.signing.signerFingerprint = signer.fingerprint;
    fs.writeFileSync(path.join(pack, 'manifest.json'), `${JSON.stringify(m, null, 2)}\n`);
    cmsSign(path.join(pack, 'manifest.json'), signer, path.join(pack, 'manifest.p7s'));
    const r = await verifyPack(pack);
    assert.deepEqual(
      r.failures.filter((x) => x.file === 'data/annotations.json'),
      [{ file: 'data/annotations.json', reason: 'the key "owner" appears twice (at $.annotations[0].owner); readers would disagree on its value' }],
    );
  });

  test(`a zip of 100,000 entries is refused from its directory count, before any entry is read (cap ${MAX_PACK_ENTRIES})`, async () => {
    const extra = Array.from({ length: 100_000 }, (_, i) => ({ name: `data/f${i}.json`, data: Buffer.alloc(0) }));
    const f = zipOf('100k.zip', v1ZipEntries(extra));
    const rss = process.memoryUsage().rss;
    const r = await verifyPack(f);
    assert.deepEqual(r.firstFailure, { file: '100k.zip', reason: `100k.zip holds 100014 entries, more than any evidence pack (${MAX_PACK_ENTRIES}); refused without reading them` });
    assert.ok(process.memoryUsage().rss - rss < 64 * 1024 * 1024, 'the entries were not loaded');
  });

  test('a zip just under the cap is checked, and every unlisted entry named', async () => {
    const extra = Array.from({ length: 9_000 }, (_, i) => ({ name: `data/f${i}.json`, data: Buffer.alloc(0) }));
    const r = await verifyPack(zipOf('9k.zip', v1ZipEntries(extra)));
    assert.equal(r.failures.length, 9_000);
    assert.deepEqual(r.failures[0], { file: 'data/f0.json', reason: 'not listed in the signed manifest (added after signing)' });
    assert.equal(r.files.matching, 12, 'the listed files still match');
  });

  test('the duplicate-key scanner gives the same answer however the bytes are split', () => {
    const cases: Array<[string, { key: string; at: string } | null]> = [
      ['{"a":1,"b":{"a":2},"c":[{"a":1},{"a":2}]}', null],
      ['{"a":"x\\"y","b":1,"\\u0062":2}', { key: 'b', at: '$.b' }],
      ['{"list":[{"k":1},{"k":1,"s":"}\\\\","k":2}]}', { key: 'k', at: '$.list[1].k' }],
      ['{"v":"{\\"a\\":1,\\"a\\":2}"}\n{"x":1}\n{"x":1,"x":2}', { key: 'x', at: '$.x' }],
    ];
    for (const [text, want] of cases) {
      const bytes = Buffer.from(text);
      assert.deepEqual(findDuplicateKey(bytes), want, text);
      for (let size = 1; size <= 3; size++) {
        const s = new DuplicateKeyScanner();
        for (let i = 0; i < bytes.length; i += size) s.push(bytes.subarray(i, i + size));
        assert.deepEqual(s.duplicate, want, `${text} in ${size}-byte chunks`);
      }
    }
  });

  test('v1 pack folder itself is untouched by these tests', () => {
    assert.equal(fs.readdirSync(V1_PACK).sort().join(','), 'data,manifest.json,manifest.p7s,report.pdf,signer.pem,workbook.xlsx');
  });
});
