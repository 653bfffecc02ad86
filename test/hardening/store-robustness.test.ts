import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openStore } from '../../electron/core/store/store.ts';
import { migrations } from '../../electron/core/store/migrations/index.ts';
import { UserError } from '../../electron/core/errors.ts';
import { recogniseResource } from '../../shared/domain/normalise/index.ts';
import { cliProcessAsync, fixtures, repoRoot } from '../harness/cli.ts';
import { assertStoreSound, cli, env, errorOf, goodExport, integrity, query, seededStore, snapshotIds, storeState, tempDir } from './helpers.ts';

const PAGE = 16384;

function spawnAsync(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('close', (code) => resolve({ code: code ?? 2, stdout, stderr }));
  });
}

/** Both a read and a write command refuse the file with a STORE error and leave every byte as it was. */
async function expectRefusedUntouched(storePath: string, message: RegExp): Promise<void> {
  const before = fs.readFileSync(storePath);
  const siblings = fs.readdirSync(path.dirname(storePath)).sort();
  for (const args of [['snapshots'], ['import', goodExport, '--as-of', '2026-11-01T00:00:00Z']]) {
    const r = await cli([...args, '--store', storePath, '--json'], env);
    assert.equal(r.code, 1, `${args[0]}: exit code; ${r.stderr}`);
    assert.equal(r.stdout, '');
    const err = errorOf(r.stderr);
    assert.equal(err.code, 'STORE', err.message);
    assert.match(err.message, message);
    assert.ok(err.message.includes(storePath), 'the message names the store file');
  }
  assert.deepEqual(fs.readFileSync(storePath), before, 'not one byte of the file changed');
  assert.deepEqual(fs.readdirSync(path.dirname(storePath)).sort(), siblings, 'no file was added or removed beside it');
}

describe('a store file that is not a sound Vaultproof store is refused and never overwritten', () => {
  it('a store cut to half its size', async () => {
    const s = await seededStore();
    const bytes = fs.readFileSync(s.store);
    fs.writeFileSync(s.store, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expectRefusedUntouched(s.store, /is not a usable SQLite store \(database disk image is malformed\); it was left untouched/);
  });

  it('a store cut inside its first page (only the header left)', async () => {
    const s = await seededStore();
    fs.writeFileSync(s.store, fs.readFileSync(s.store).subarray(0, 100));
    await expectRefusedUntouched(s.store, /is not a usable SQLite store \(database disk image is malformed\)/);
  });

  it('garbage over the first page after the magic string', async () => {
    const s = await seededStore();
    const bytes = fs.readFileSync(s.store);
    for (let i = 16; i < PAGE; i++) bytes[i] = (i * 7919) & 0xff;
    fs.writeFileSync(s.store, bytes);
    await expectRefusedUntouched(s.store, /is not a usable SQLite store \(file is not a database\)/);
  });

  it('garbage over a b-tree page is found by quick_check when the store opens', async () => {
    const s = await seededStore();
    const bytes = fs.readFileSync(s.store);
    for (let i = PAGE + 100; i < 2 * PAGE; i++) bytes[i] = (i * 31) & 0xff;
    fs.writeFileSync(s.store, bytes);
    await expectRefusedUntouched(s.store, /is damaged \(quick_check: \*\*\* in database main \*\*\*[\s\S]*Tree 2 page 2[\s\S]*\); it was left untouched/);
  });

  it('garbage over the items table: reads name the damaged store, a write is refused before it writes, store verify names the damage', async () => {
    // Opening checks the catalogue only (schema, migrations, snapshots, annotations), not the
    // per-item pages: damage there is met by the read that reaches it, and by the whole-file
    // quick_check every write runs first.
    const s = await seededStore();
    const siblings = fs.readdirSync(path.dirname(s.store)).sort();
    const [root] = query<{ rootpage: number }>(s.store, "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = 'items'").map((r) => r.rootpage);
    const bytes = fs.readFileSync(s.store);
    const at = (root! - 1) * PAGE;
    for (let i = at + 8; i < at + PAGE; i++) bytes[i] = (i * 31) & 0xff;
    fs.writeFileSync(s.store, bytes);

    const list = await cli(['snapshots', '--store', s.store, '--json'], env);
    assert.equal(list.code, 0, `the snapshot list lives in the catalogue, which is sound: ${list.stderr}`);

    const show = await cli(['show', s.snapshotId, s.itemKey, '--store', s.store, '--json'], env);
    assert.equal(show.code, 1, show.stderr);
    assert.equal(show.stdout, '');
    const readErr = errorOf(show.stderr);
    assert.equal(readErr.code, 'STORE');
    assert.match(readErr.message, /^store .+ is damaged \(database disk image is malformed\); nothing was written — run `vaultproof store verify` and restore it from a backup$/);
    assert.ok(readErr.message.includes(s.store), 'the message names the store file');

    const imp = await cli(['import', goodExport, '--as-of', '2026-11-02T00:00:00Z', '--store', s.store, '--json'], env);
    assert.equal(imp.code, 1, imp.stderr);
    const writeErr = errorOf(imp.stderr);
    assert.equal(writeErr.code, 'STORE');
    assert.match(writeErr.message, /is damaged \(quick_check: \*\*\* in database main \*\*\*[\s\S]*\); it was left untouched/);
    assert.ok(writeErr.message.includes(s.store));

    // A big import writes through the worker thread, which runs the same check while the parser reads.
    const parallel = await cli(['import', goodExport, '--as-of', '2026-11-02T00:00:00Z', '--store', s.store, '--json'], { ...env, VAULTPROOF_PARALLEL_THRESHOLD: '0' });
    assert.equal(parallel.code, 1, parallel.stderr);
    const parallelErr = errorOf(parallel.stderr);
    assert.equal(parallelErr.code, 'STORE');
    assert.match(parallelErr.message, /^store .+ is damaged \(quick_check: \*\*\* in database main \*\*\*[\s\S]*\); it was left untouched$/);

    const ann = await cli(['annotate', s.itemKey, '--owner', 'Eve', '--reason', 'after the damage', '--store', s.store, '--json'], env);
    assert.equal(ann.code, 1, ann.stderr);
    assert.match(errorOf(ann.stderr).message, /is damaged \(quick_check: /);

    assert.deepEqual(fs.readFileSync(s.store), bytes, 'not one byte of the file changed');
    assert.deepEqual(fs.readdirSync(path.dirname(s.store)).sort(), siblings, 'no file was added or removed beside it');

    const verify = await cli(['store', 'verify', '--store', s.store, '--json'], env);
    assert.notEqual(verify.code, 0, verify.stdout);
    assert.match(verify.stdout + verify.stderr, /integrity_check|is damaged/);
  });

  it('a text file, a PDF and an empty-looking binary at the store path', async () => {
    const dir = tempDir('vp-hard-');
    const cases: Array<[string, Buffer]> = [
      ['notes.db', Buffer.from('these are my notes, not a database\n')],
      ['report.db', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n')],
      ['zeros.db', Buffer.alloc(4096)],
    ];
    for (const [name, content] of cases) {
      const p = path.join(dir, name);
      fs.writeFileSync(p, content);
      await expectRefusedUntouched(p, /is not a Vaultproof store \(not a SQLite database\); it was left untouched/);
    }
  });

  it('another program\'s SQLite database is not taken over', async () => {
    const p = path.join(tempDir('vp-hard-'), 'crm.sqlite');
    const db = new Database(p);
    db.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Contoso');");
    db.close();
    await expectRefusedUntouched(p, /is an SQLite database but not a Vaultproof store \(it has tables customers and no Vaultproof schema record\); it was left untouched/);
  });

  it('a store from a newer Vaultproof', async () => {
    const s = await seededStore();
    const db = new Database(s.store);
    db.prepare("INSERT INTO schema_migrations (id, name, hash, applied_at) VALUES (999, 'from-the-future', 'x', '2030-01-01T00:00:00Z')").run();
    db.close();
    await expectRefusedUntouched(s.store, /was written by a newer Vaultproof \(schema migration 999 "from-the-future" is unknown to this version\); upgrade Vaultproof — the store was left untouched/);
  });

  it('a folder at the store path', async () => {
    const dir = tempDir('vp-hard-');
    const r = await cli(['snapshots', '--store', dir, '--json'], env);
    assert.equal(r.code, 1);
    assert.match(errorOf(r.stderr).message, /is a directory, expected a SQLite file/);
  });

  it('bit rot inside a record, which SQLite cannot see, is named by store verify', async () => {
    const s = await seededStore();
    // An item's texts are one packed body (store/item-body.ts): one byte in the middle of one item's body is changed,
    // wherever its bytes are in the file. SQLite leaves stale copies of a moved cell in a page's free space (a page
    // split when rows grow), so the first copy in the file need not be the live one: every copy is changed.
    const q = new Database(s.store, { readonly: true });
    const [key, body] = q.prepare('SELECT key, body FROM items WHERE snapshot_id = ? ORDER BY key LIMIT 1').raw().get(s.snapshotId) as [string, Buffer];
    q.close();
    const bytes = fs.readFileSync(s.store);
    let copies = 0;
    for (let at = bytes.indexOf(body); at >= 0; at = bytes.indexOf(body, at + 1), copies++) {
      const mid = at + Math.floor(body.length / 2);
      bytes[mid] = bytes[mid]! ^ 0x10;
    }
    assert.ok(copies >= 1);
    fs.writeFileSync(s.store, bytes);
    assert.equal(integrity(s.store), 'ok', 'SQLite itself sees nothing wrong');
    const r = await cli(['store', 'verify', '--store', s.store, '--json'], env);
    assert.equal(r.code, 3, r.stdout);
    const res = JSON.parse(r.stdout) as { ok: boolean; snapshots: Array<{ ok: boolean; problems: string[] }> };
    const problems = res.snapshots[0]!.problems.join('\n');
    // Named by item: the body no longer inflates, or it gives texts that do not match their hashes.
    const k = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    assert.match(problems, new RegExp(`^item ${k}: (its stored body cannot be read|raw JSON does not match its SHA-256|normalised record does not match its row hash)`, 'm'));
  });


  it('a garbage write-ahead log beside a clean store is ignored, and nothing is lost', async () => {
    const s = await seededStore();
    const before = storeState(s.store);
    fs.writeFileSync(`${s.store}-wal`, Buffer.alloc(64 * 1024, 0x5a));
    const list = await cli(['snapshots', '--store', s.store, '--json'], env);
    assert.equal(list.code, 0, list.stderr);
    assert.equal(storeState(s.store), before);
    await assertStoreSound(s.store, { snapshots: [s.snapshotId], logEntries: 1 });
  });
});

describe('schema upgrades back the store up first and say where', () => {
  /** A store written by a version that knew only migration 001, holding one snapshot. */
  function oldStore(): string {
    const p = path.join(tempDir('vp-hard-'), 'old.db');
    // The CLI would migrate it; write the snapshot through the store the old version had.
    const store = openStore(p, { migrations: [migrations[0]!] });
    const w = store.snapshots.begin(Date.parse('2026-10-01T00:00:00Z'));
    for (const raw of (JSON.parse(fs.readFileSync(goodExport, 'utf8')) as { value: unknown[] }).value) {
      const r = recogniseResource(raw, { tenantId: null });
      assert.ok(r.ok);
      w.add(r.record);
    }
    w.commit({ label: 'old', createdAt: '2026-10-01T00:00:00.000Z', asOf: '2026-10-01T00:00:00.000Z', source: 'import', complete: true, provenance: { toolVersion: '0.0.1', source: 'import', user: 'u', createdAt: '2026-10-01T00:00:00.000Z', asOfSource: 'option', tenants: [], subscriptions: [] }, coverage: [] });
    store.close();
    return p;
  }

  it('the CLI tells the backup path, the backup holds the old store, and the next run says nothing', async () => {
    const p = oldStore();
    const [oldId] = snapshotIds(p);
    const r = await cli(['snapshots', '--store', p, '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const m = /upgraded the store's schema \(migration ([\d, ]+)\); the store as it was before is backed up at (\S+)\n/.exec(r.stderr);
    assert.ok(m, `notice on stderr: ${r.stderr}`);
    assert.deepEqual(m[1]!.split(', ').map(Number), migrations.slice(1).map((x) => x.id));
    const backup = m[2]!;
    assert.equal(path.dirname(backup), path.join(path.dirname(p), 'backups'));
    const b = new Database(backup, { readonly: true });
    assert.deepEqual(b.prepare('SELECT id FROM schema_migrations').pluck().all(), [1], 'taken before the first new migration');
    assert.deepEqual(b.prepare('SELECT id FROM snapshots').pluck().all(), [oldId]);
    assert.equal(b.pragma('integrity_check', { simple: true }), 'ok');
    b.close();
    const again = await cli(['snapshots', '--store', p, '--json'], env);
    assert.equal(again.stderr, '', 'no migration, no notice');
    await assertStoreSound(p, { snapshots: [oldId!], logEntries: 0 });
  });

  it('a migration that fails is rolled back whole; the store keeps working and its backup exists', async () => {
    const s = await seededStore();
    const broken = { id: 9002, name: 'broken', sql: 'CREATE TABLE half_done (x INTEGER);\nINSERT INTO no_such_table VALUES (1);' };
    assert.throws(
      () => openStore(s.store, { migrations: [...migrations, broken] }),
      (e: unknown) => e instanceof UserError && e.code === 'STORE' && /cannot open store .*no such table: no_such_table/.test(e.message),
    );
    assert.deepEqual(query(s.store, "SELECT name FROM sqlite_master WHERE name = 'half_done'"), [], 'its first statement was rolled back too');
    const backups = fs.readdirSync(path.join(s.dir, 'backups'));
    assert.equal(backups.length, 1);
    await assertStoreSound(s.store, { snapshots: [s.snapshotId], logEntries: 1 });
  });
});

describe('two processes on one store', () => {
  it('an import waits out the busy timeout, then fails clearly while another process writes; it works once the writer is done', async () => {
    const s = await seededStore();
    const holder = new Database(s.store);
    holder.exec('BEGIN IMMEDIATE');
    holder.prepare("INSERT INTO schema_migrations (id, name, hash, applied_at) VALUES (-1, 'held', 'x', 'x')").run();
    const before = storeState(s.store);
    const second = path.join(fixtures, 'import', 'arm-items-sql.json');
    // A reader is never blocked by a writer (WAL).
    const read = await cli(['snapshots', '--store', s.store, '--json'], env);
    assert.equal(read.code, 0, read.stderr);
    assert.equal((JSON.parse(read.stdout) as unknown[]).length, 1);
    const [imp, ann] = await Promise.all([
      cliProcessAsync(['import', second, '--store', s.store, '--json', '--as-of', '2026-11-02T00:00:00Z'], { env }),
      cliProcessAsync(['annotate', s.itemKey, '--team', 'Ops', '--reason', 'busy', '--store', s.store, '--json'], { env }),
    ]);
    for (const r of [imp, ann]) {
      assert.equal(r.code, 1, r.stderr);
      const err = errorOf(r.stderr);
      assert.equal(err.code, 'STORE');
      assert.match(err.message, /^the store is busy: another Vaultproof window or command is writing to it \(database is locked\); nothing was changed — try again when it has finished$/);
    }
    holder.exec('ROLLBACK');
    holder.close();
    assert.equal(storeState(s.store), before, 'the refused writes left nothing');
    const retry = await cli(['import', second, '--store', s.store, '--json', '--as-of', '2026-11-02T00:00:00Z'], env);
    assert.equal(retry.code, 0, retry.stderr);
    const id = (JSON.parse(retry.stdout) as { snapshotId: string }).snapshotId;
    await assertStoreSound(s.store, { snapshots: [s.snapshotId, id], logEntries: 1 });
  });

  it('two imports and an annotation at once all land, each whole', async () => {
    const s = await seededStore();
    const files = ['arm-items-sql.json', 'arm-items-afs-softdeleted.json'].map((f) => path.join(fixtures, 'import', f));
    const runs = await Promise.all([
      ...files.map((f, i) => cliProcessAsync(['import', f, '--store', s.store, '--json', '--as-of', `2026-11-0${i + 2}T00:00:00Z`], { env })),
      cliProcessAsync(['annotate', s.itemKey, '--team', 'Ops', '--reason', 'concurrent', '--store', s.store, '--json'], { env }),
    ]);
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    const ids = runs.slice(0, 2).map((r) => (JSON.parse(r.stdout) as { snapshotId: string }).snapshotId);
    await assertStoreSound(s.store, { snapshots: [s.snapshotId, ...ids], logEntries: 2 });
  });

  it('three processes creating the same new store at once all succeed (each migration is applied once)', async () => {
    const p = path.join(tempDir('vp-hard-'), 'new.db');
    // Before the fix the losers failed with "table snapshots already exists".
    const child = path.join(import.meta.dirname, 'children', 'open-store.ts');
    const runs = await Promise.all([0, 1, 2].map(() => spawnAsync(process.execPath, ['--import', 'tsx', child, p])));
    for (const r of runs) assert.equal(r.stdout, 'ok\n', r.stdout + r.stderr);
    const applied = query<{ id: number }>(p, 'SELECT id FROM schema_migrations ORDER BY id').map((r) => r.id);
    assert.deepEqual(applied, migrations.map((m) => m.id));
    assert.equal(integrity(p), 'ok');
  });
});
