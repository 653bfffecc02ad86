import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { cli, cliProcess, fixtures, storeState, tempDir } from '../harness/cli.ts';

const env = { VAULTPROOF_NOW: '2026-11-24T10:00:00Z', VAULTPROOF_USER: 'auditor1' };
const good = path.join(fixtures, 'import', 'arm-items-iaasvm.json');

type ErrJson = { error: { code: string; message: string; file?: string; line?: number; column?: number } };

/** A store that already holds one snapshot, so "unchanged" is a real claim. */
async function seededStore(): Promise<{ store: string; dir: string }> {
  const dir = tempDir();
  const store = path.join(dir, 's.db');
  const r = await cli(['import', good, '--store', store, '--as-of', '2026-11-01T00:00:00Z'], env);
  assert.equal(r.code, 0, r.stderr);
  return { store, dir };
}

async function expectRefused(files: string[], message: RegExp, where: { line?: number; column?: number } = {}): Promise<ErrJson['error']> {
  const { store } = await seededStore();
  const beforeState = storeState(store);
  const r = await cli(['import', ...files, '--store', store, '--json'], env);
  assert.equal(r.code, 1, `exit code; stderr: ${r.stderr}`);
  assert.equal(r.stdout, '', 'nothing on stdout when the import fails');
  const err = (JSON.parse(r.stderr.trim().split('\n').pop()!) as ErrJson).error;
  assert.equal(err.code, 'BAD_INPUT');
  assert.match(err.message, message);
  if (where.line !== undefined) assert.equal(err.line, where.line);
  if (where.column !== undefined) assert.equal(err.column, where.column);
  assert.equal(storeState(store), beforeState, 'the store is exactly as it was');
  const list = JSON.parse((await cli(['snapshots', '--store', store, '--json'], env)).stdout) as unknown[];
  assert.equal(list.length, 1);
  return err;
}

function write(name: string, content: string | Buffer): string {
  const p = path.join(tempDir('vp-bad-'), name);
  fs.writeFileSync(p, content);
  return p;
}

describe('bad input leaves the store exactly as it was', () => {
  it('truncated JSON names the file, line and column', async () => {
    const text = fs.readFileSync(good, 'utf8');
    const cut = text.slice(0, 1000);
    const lines = cut.split('\n');
    const p = write('truncated.json', cut);
    const err = await expectRefused([good, p], /truncated\.json:\d+:\d+: invalid JSON: the JSON ends early/, { line: lines.length, column: lines[lines.length - 1]!.length + 1 });
    assert.equal(err.file, p);
  });

  it('a syntax error in the middle is located', async () => {
    const p = write('broken.json', '{\n  "value": [\n    {"id": "x",, "type": "y"}\n  ]\n}\n');
    await expectRefused([p], /broken\.json:3:16: invalid JSON: Expected double-quoted property name/, { line: 3, column: 16 });
  });

  it('an empty file', async () => {
    await expectRefused([write('empty.json', '')], /empty\.json: empty file/);
  });

  it('JSON that is not backup data says what was found and what is expected', async () => {
    await expectRefused([path.join(fixtures, 'import', 'not-backup-nics.json')], /found 3 × Microsoft\.Network\/networkInterfaces\); expected Azure Backup data/);
  });

  it('an item without an id is named by its position', async () => {
    const doc = JSON.parse(fs.readFileSync(good, 'utf8')) as { value: Array<Record<string, unknown>> };
    delete doc.value[1]!.id;
    await expectRefused([write('noid.json', JSON.stringify(doc))], /noid\.json: item 2: no id/);
  });

  it('a directory', async () => {
    const d = tempDir();
    await expectRefused([d], /is a directory/);
  });

  it('a missing file', async () => {
    await expectRefused([path.join(tempDir(), 'nope.json')], /no such file/);
  });

  it('a file of random bytes', async () => {
    const bytes = randomBytes(4096);
    bytes[0] = 0xc3; // make sure it is not accidentally ASCII or a BOM
    bytes[1] = 0x28;
    await expectRefused([write('random.bin', bytes)], /random\.bin: (binary data|not valid UTF-8)/);
  });

  it('UTF-16 without a BOM is refused rather than guessed', async () => {
    const text = fs.readFileSync(good, 'utf8');
    await expectRefused([write('utf16-nobom.json', Buffer.from(text, 'utf16le'))], /UTF-16 text without a byte-order mark/);
  });

  it('a file that is neither JSON nor CSV', async () => {
    await expectRefused([write('notes.txt', 'hello auditors\nthis is not an export\n')], /notes\.txt:1:1: neither JSON nor CSV/);
  });

  it('--as-of that is not a time', async () => {
    const { store } = await seededStore();
    const r = await cli(['import', good, '--store', store, '--as-of', 'yesterday'], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--as-of: the "as of" time "yesterday" is not an ISO-8601 time/);
  });

  it('a Backup Reports export points to `sizes import`', async () => {
    await expectRefused([write('report.csv', 'BackupItemId,BackupItemName,BackupItemFrontEndSize\na,b,10\n')], /Backup Reports export \(sizes\).*`vaultproof sizes import report\.csv`/);
  });
});

describe('input that is odd but valid', () => {
  it('the same item twice in one import is stored once, with a warning', async () => {
    const { store } = await seededStore();
    const r = await cli(['import', good, good, '--store', store, '--json', '--as-of', '2026-11-01T00:00:00Z'], env);
    assert.equal(r.code, 0, r.stderr);
    const res = JSON.parse(r.stdout) as { itemCount: number; warnings: string[] };
    assert.equal(res.itemCount, 3);
    assert.equal(res.warnings.filter((w) => /appears more than once in this import; kept the first/.test(w)).length, 3);
  });

  it('__proto__ and constructor keys are data, not prototype pollution', async () => {
    const doc = JSON.parse(fs.readFileSync(good, 'utf8')) as { value: Array<Record<string, unknown>> };
    const text = JSON.stringify(doc).replace('"properties":{', '"tags":{"__proto__":"owner-x","constructor":"c"},"properties":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},');
    const p = write('proto.json', text);
    const { store } = await seededStore();
    const r = await cli(['import', p, '--store', store, '--json', '--as-of', '2026-11-01T00:00:00Z'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
    const id = (JSON.parse(r.stdout) as { snapshotId: string }).snapshotId;
    const list = JSON.parse((await cli(['items', id, '--store', store, '--json'], env)).stdout) as Array<{ key: string; tags: Record<string, string> }>;
    const tagged = list.find((i) => Object.prototype.hasOwnProperty.call(i.tags, '__proto__'))!;
    assert.equal(tagged.tags['__proto__' as keyof typeof tagged.tags], 'owner-x');
    const shown = JSON.parse((await cli(['show', id, tagged.key, '--store', store, '--json'], env)).stdout) as { raw: { properties: Record<string, unknown> } };
    assert.ok(Object.prototype.hasOwnProperty.call(shown.raw.properties, '__proto__'), 'raw JSON kept verbatim, __proto__ included');
  });
});

describe('an unreadable file (as an unprivileged user: root ignores file modes)', () => {
  let canDrop = false;
  before(() => {
    canDrop = process.getuid?.() === 0 && fs.existsSync('/usr/bin/setpriv');
  });
  it('is refused with "permission denied" and the store is unchanged', async (t) => {
    if (!canDrop) return t.skip('needs root and setpriv to drop privileges');
    const dir = fs.mkdtempSync('/tmp/vp-perm-');
    fs.chmodSync(dir, 0o777);
    const store = path.join(dir, 's.db');
    const secret = path.join(dir, 'secret.json');
    fs.copyFileSync(good, secret);
    fs.chmodSync(secret, 0o000);
    const drop = ['/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
    const seed = cliProcess(['import', good, '--store', store, '--as-of', '2026-11-01T00:00:00Z'], { prefix: drop, env: { ...env, HOME: dir, TSX_TSCONFIG_PATH: '' } });
    assert.equal(seed.code, 0, seed.stderr);
    const beforeState = storeState(store);
    const r = cliProcess(['import', secret, '--store', store, '--json'], { prefix: drop, env: { ...env, HOME: dir } });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /secret\.json: permission denied/);
    assert.equal(storeState(store), beforeState);
  });
});
