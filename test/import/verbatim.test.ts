/**
 * Issue 16 item 2: verbatim means verbatim. The raw JSON of each record is
 * the input element's text, byte for byte (was: 12345678901234567891 came
 * back as 12345678901234567000, 1e-400 as 0, and of two equal keys the last
 * silently won); the content hash covers those bytes (canonical form 2);
 * version 1 snapshots keep verifying under theirs; a repeated key is a
 * warning naming the key and the record; an unpaired surrogate escape is
 * refused at import, naming file and place (was: exit 0, then `store verify`
 * failed forever on an immutable snapshot).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { scanElement } from '../../electron/core/import/verbatim.ts';
import zlib from 'node:zlib';
import { BODY_DICTIONARY_1_BASE64 } from '../../electron/core/store/body-dictionary.ts';
import { badFixtures, cli, env, errorOf, expectUnchanged, query, tempDir } from '../hardening/helpers.ts';

const F = (name: string): string => path.join(badFixtures, 'import', name);
const sha = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** The one element of a `{"value": [ … ]}` fixture, cut from the file by hand: from its `{` to its `}`. */
function elementOf(file: string): string {
  const text = fs.readFileSync(file, 'utf8');
  const start = text.indexOf('{', text.indexOf('['));
  const end = text.lastIndexOf('}', text.lastIndexOf(']'));
  return text.slice(start, end + 1);
}

type Detail = { item: { name: string }; raw: unknown; rawText: string; rawSha256: string };

async function importOne(file: string, extraEnv: Record<string, string> = {}): Promise<{ store: string; id: string; key: string; warnings: string[]; detail: Detail }> {
  const store = path.join(tempDir('vp-verbatim-'), 'store.db');
  const r = await cli(['import', file, '--store', store, '--json', '--as-of', '2026-11-02T00:00:00Z'], { ...env, ...extraEnv });
  assert.equal(r.code, 0, r.stderr);
  const res = JSON.parse(r.stdout) as { snapshotId: string; warnings: string[] };
  const items = JSON.parse((await cli(['items', res.snapshotId, '--store', store, '--json'], env)).stdout) as Array<{ key: string }>;
  const key = items[0]!.key;
  const show = await cli(['show', res.snapshotId, key, '--store', store, '--json'], env);
  assert.equal(show.code, 0, show.stderr);
  return { store, id: res.snapshotId, key, warnings: res.warnings, detail: JSON.parse(show.stdout) as Detail };
}

describe('the raw JSON is the input element, byte for byte', () => {
  const file = F('verbatim-numbers.json');
  const element = elementOf(file);

  it('a 20-digit integer and 1e-400 come back as written, and the raw hash is over those bytes', async () => {
    assert.ok(element.includes('"protectedItemDataId": 12345678901234567891,') && element.includes('1e-400'), 'the fixture holds the hard numbers');
    const r = await importOne(file);
    assert.equal(r.detail.rawText, element);
    assert.equal(r.detail.rawSha256, sha(element));
    // The stored body, read as its documented format says (store/item-body.ts): format byte 1, then raw DEFLATE
    // with the frozen dictionary of "normalised JSON \n raw JSON". Read here with zlib alone, not the store's reader.
    const [row] = query<{ body: Buffer; raw_sha256: string }>(r.store, 'SELECT body, raw_sha256 FROM items WHERE snapshot_id = ?', r.id);
    assert.equal(row!.body[0], 1);
    const text = zlib.inflateRawSync(row!.body.subarray(1), { dictionary: Buffer.from(BODY_DICTIONARY_1_BASE64, 'base64') });
    assert.equal(text.subarray(text.indexOf(0x0a) + 1).toString('utf8'), element);
    assert.equal(row!.raw_sha256, sha(element));
    const [snap] = query<{ canonical_version: number }>(r.store, 'SELECT canonical_version FROM snapshots WHERE id = ?', r.id);
    assert.equal(snap!.canonical_version, 2);
    const v = await cli(['store', 'verify', '--store', r.store, '--json'], env);
    assert.equal(v.code, 0, v.stdout);
  });

  it('the streamed path (files over the stream threshold) keeps the same bytes, whichever thread packs the item bodies', async () => {
    // The parallel writer (forced by its threshold) packs a body on the parsing thread when batches queue for the writer thread, else on the writer thread: both forced here.
    for (const queued of ['-1', '1000000']) {
      const r = await importOne(file, { VAULTPROOF_STREAM_THRESHOLD: '16', VAULTPROOF_PARALLEL_THRESHOLD: '1', VAULTPROOF_PACK_HERE_QUEUED: queued });
      assert.equal(r.detail.rawText, element, `packed with VAULTPROOF_PACK_HERE_QUEUED=${queued}`);
      assert.equal(r.detail.rawSha256, sha(element));
      const v = await cli(['store', 'verify', '--store', r.store, '--json'], env);
      assert.equal(v.code, 0, v.stdout);
    }
  });

  it('a pack carries the exact text (as a JSON string) and verifies', async () => {
    const r = await importOne(file);
    const out = path.join(path.dirname(r.store), 'pack');
    const p = await cli(['pack', 'latest', '--out', out, '--sign-self-signed', '--passphrase-env', 'VP_PASS', '--store', r.store, '--json'], { ...env, VP_PASS: 'correct horse battery staple' });
    assert.equal(p.code, 0, p.stderr);
    const dataFile = fs.readdirSync(path.join(out, 'data')).find((f) => f.startsWith('snapshot-'))!;
    const data = JSON.parse(fs.readFileSync(path.join(out, 'data', dataFile), 'utf8')) as { header: { canonicalVersion: number }; records: Array<{ type: string; raw: unknown; rawSha256: string }> };
    assert.equal(data.header.canonicalVersion, 2);
    const item = data.records.find((x) => x.type === 'item')!;
    assert.equal(item.raw, element);
    assert.equal(item.rawSha256, sha(element));
    const v = await cli(['verify', out, '--json'], env);
    assert.equal(v.code, 0, v.stdout);
  });
});

describe('a key given twice in one object', () => {
  it('warns naming the key and the record; the normalised record takes the last value, the raw JSON keeps both', async () => {
    const file = F('duplicate-keys.json');
    const r = await importOne(file);
    assert.ok(
      r.warnings.includes(`${file}: item 1 (item ${r.key}): the key "friendlyName" appears more than once (at properties.friendlyName); the normalised record takes the last value, the raw JSON keeps both`),
      r.warnings.join('\n'),
    );
    assert.equal(r.detail.item.name, 'vm1');
    assert.equal(r.detail.rawText, elementOf(file));
    assert.ok(r.detail.rawText.includes('"friendlyName": "vm1-old",\n    "friendlyName": "vm1",'));
  });
});

describe('an unpaired surrogate escape is refused at import', () => {
  it('exit 1 naming the file, the item and the field; the store is unchanged (was: exit 0, then store verify failed forever)', async () => {
    const file = F('lone-surrogate.json');
    const store = path.join(tempDir('vp-verbatim-'), 'store.db');
    const seed = await cli(['import', F('good-one-item.json'), '--store', store, '--json', '--as-of', '2026-11-02T00:00:00Z'], env);
    assert.equal(seed.code, 0, seed.stderr);
    for (const threshold of ['67108864', '16']) {
      const err = await expectUnchanged(store, () => cli(['import', file, '--store', store, '--json'], { ...env, VAULTPROOF_STREAM_THRESHOLD: threshold }));
      assert.equal(
        err.message,
        `${file}: item 1: properties.friendlyName: \\ud800 is half of a UTF-16 surrogate pair without its other half, which is not text (it cannot be stored and read back the same); fix or re-export the file`,
      );
    }
  });

  it('a low half alone, and one in a key, are refused too', async () => {
    const dir = tempDir('vp-verbatim-');
    const base = fs.readFileSync(F('good-one-item.json'), 'utf8');
    const low = path.join(dir, 'low.json');
    fs.writeFileSync(low, base.replace('"workloadType": "VM"', '"workloadType": "V\\udc00M"'));
    const key = path.join(dir, 'key.json');
    fs.writeFileSync(key, base.replace('"workloadType": "VM"', '"workloadType": "VM", "x\\ud83d": 1'));
    const store = path.join(dir, 'store.db');
    const a = await cli(['import', low, '--store', store, '--json'], env);
    assert.equal(a.code, 1);
    assert.match(errorOf(a.stderr).message, /low\.json: item 1: properties\.workloadType: \\udc00 is half of a UTF-16 surrogate pair/);
    const b = await cli(['import', key, '--store', store, '--json'], env);
    assert.equal(b.code, 1);
    assert.match(errorOf(b.stderr).message, /key\.json: item 1: a key in properties: \\ud83d is half of a UTF-16 surrogate pair/);
  });
});

describe('version 1 snapshots keep verifying under version 1', () => {
  it('store verify and a pack of a canonical-form-1 snapshot pass; its pack data keeps the raw JSON inline', async () => {
    // Rows of a CSV have no source text per record: their raw JSON is the row serialised, exactly what form 1 kept for
    // every record. Recorded as version 1, the snapshot is what an older Vaultproof wrote.
    const store = path.join(tempDir('vp-verbatim-'), 'store.db');
    const imp = await cli(['import', path.join(badFixtures, '..', 'import', 'arg-explorer-items.csv'), '--store', store, '--json', '--as-of', '2026-11-02T00:00:00Z'], env);
    assert.equal(imp.code, 0, imp.stderr);
    const id = (JSON.parse(imp.stdout) as { snapshotId: string }).snapshotId;
    const db = new Database(store);
    const trigger = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'snapshots_no_update'").pluck().get() as string;
    db.exec('DROP TRIGGER snapshots_no_update');
    db.prepare('UPDATE snapshots SET canonical_version = 1 WHERE id = ?').run(id);
    db.exec(trigger);
    db.close();
    const v = await cli(['store', 'verify', '--store', store, '--json'], env);
    assert.equal(v.code, 0, v.stdout);
    const out = path.join(path.dirname(store), 'pack');
    const p = await cli(['pack', 'latest', '--out', out, '--sign-self-signed', '--passphrase-env', 'VP_PASS', '--store', store, '--json'], { ...env, VP_PASS: 'correct horse battery staple' });
    assert.equal(p.code, 0, p.stderr);
    const dataFile = fs.readdirSync(path.join(out, 'data')).find((f) => f.startsWith('snapshot-'))!;
    const data = JSON.parse(fs.readFileSync(path.join(out, 'data', dataFile), 'utf8')) as { header: { canonicalVersion: number }; records: Array<{ type: string; raw: unknown }> };
    assert.equal(data.header.canonicalVersion, 1);
    assert.equal(typeof data.records.find((x) => x.type === 'item')!.raw, 'object');
    const pv = await cli(['verify', out, '--json'], env);
    assert.equal(pv.code, 0, pv.stdout);
  });
});

describe('scanElement finds repeated keys by structure, not by text', () => {
  it('names each repeat with its path; brackets, commas, quotes and escapes inside strings are data', () => {
    const text = '{"a":"x\\",{[","b":{"c":[1,{"d":"\\\\","d":2}],"c":"}"},"a\\u0062":0,"ab":1,"e":["\\"a\\":1"]}';
    // Hand-worked: keys a, b, a\u0062 (= "ab"), ab (repeat of the escaped one), e; inside b: c, c (repeat); inside b.c[1]: d, d (repeat).
    assert.deepEqual(scanElement(text).duplicates, [
      { path: 'b.c[1].d', key: 'd' },
      { path: 'b.c', key: 'c' },
      { path: 'ab', key: 'ab' },
    ]);
    assert.deepEqual(JSON.parse(text), { a: 'x",{[', b: { c: '}' }, ab: 1, e: ['"a":1'] }, 'the text is valid JSON, as the importer sees it');
  });

  it('equal keys in different objects are not repeats', () => {
    assert.deepEqual(scanElement('{"id":"1","properties":{"id":"2"},"list":[{"id":3},{"id":4}]}').duplicates, []);
  });
});
