/**
 * A full disk and a read-only store: a clear STORE error, and nothing lost.
 * CI runs as root (which ignores file modes) and cannot mount a tmpfs, so the
 * full disk is SQLite's max_page_count (VAULTPROOF_TEST_MAX_PAGES) and the
 * read-only cases run as nobody through setpriv.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { binPath, fixtures, repoRoot } from '../harness/cli.ts';
import { writeEstateFile } from '../harness/estate.ts';
import { assertStoreSound, canDropPrivileges, cli, dropPrivileges, env, errorOf, goodExport, query, seededStore, sharedTempDir, storeState, tempDir, type Seeded } from './helpers.ts';

const FULL = 'the store cannot grow: the disk is full or the store reached its size limit (database or disk is full); nothing was written — free some space and try again';

function pageCount(store: string): number {
  return query<{ page_count: number }>(store, 'PRAGMA page_count')[0]!.page_count;
}

describe('a full disk (SQLite max_page_count)', () => {
  let s: Seeded;
  let estate: string;
  before(async () => {
    s = await seededStore('vp-full-');
    estate = path.join(s.dir, 'estate.json');
    await writeEstateFile(estate, { items: 2000 }); // ~3.4 MB: needs far more than the pages left
  });

  for (const [name, threshold] of [
    ['an import through the in-process writer', '1000000000'],
    ['an import through the worker-thread writer', '0'],
  ] as const) {
    it(`${name} fails with a STORE error and leaves every earlier snapshot intact`, async () => {
      const before = storeState(s.store);
      const limit = String(pageCount(s.store) + 4);
      const r = await cli(['import', estate, '--store', s.store, '--json', '--as-of', '2026-11-02T00:00:00Z'], { ...env, VAULTPROOF_TEST_MAX_PAGES: limit, VAULTPROOF_PARALLEL_THRESHOLD: threshold });
      assert.equal(r.code, 1, r.stdout);
      const err = errorOf(r.stderr);
      assert.equal(err.code, 'STORE');
      // The worker used to report the second failure, "FOREIGN KEY constraint failed", of rows sent after the first.
      assert.equal(err.message, FULL);
      assert.equal(storeState(s.store), before);
      await assertStoreSound(s.store, { snapshots: [s.snapshotId], logEntries: 1 });
    });
  }

  it('an annotation fails the same way and the log still verifies; once there is room, both work', async () => {
    // No page to spare, and a note (10,000 characters) that needs one. A fresh store has free pages since
    // migration 006 dropped two indexes: VACUUM gives them back first, so the note must grow the file.
    const db = new Database(s.store);
    db.exec('VACUUM');
    db.close();
    const before = storeState(s.store);
    const limit = String(pageCount(s.store));
    const ann = await cli(['annotate', s.itemKey, '--note', 'n'.repeat(10_000), '--reason', 'full disk', '--store', s.store, '--json'], { ...env, VAULTPROOF_TEST_MAX_PAGES: limit });
    assert.equal(ann.code, 1, ann.stdout);
    assert.deepEqual(errorOf(ann.stderr), { code: 'STORE', message: FULL });
    assert.equal(storeState(s.store), before);
    await assertStoreSound(s.store, { snapshots: [s.snapshotId], logEntries: 1 });
    const imp = await cli(['import', estate, '--store', s.store, '--json', '--as-of', '2026-11-02T00:00:00Z'], env);
    assert.equal(imp.code, 0, imp.stderr);
    const again = await cli(['annotate', s.itemKey, '--note', 'n'.repeat(10_000), '--reason', 'room again', '--store', s.store, '--json'], env);
    assert.equal(again.code, 0, again.stderr);
    const id = (JSON.parse(imp.stdout) as { snapshotId: string }).snapshotId;
    await assertStoreSound(s.store, { snapshots: [s.snapshotId, id], logEntries: 2 });
  });
});

type Run = { code: number; stdout: string; stderr: string };

/** The real bin as nobody (uid 65534), so file modes apply. */
function asNobody(args: string[], home: string): Promise<Run> {
  return new Promise((resolve) => {
    const c = spawn(dropPrivileges[0]!, [...dropPrivileges.slice(1), process.execPath, binPath, ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env, HOME: home, TSX_TSCONFIG_PATH: '' },
    });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('close', (code) => resolve({ code: code ?? 2, stdout, stderr }));
  });
}

describe('a read-only store (as an unprivileged user: root ignores file modes)', { skip: !canDropPrivileges() && 'needs root and setpriv to drop privileges' }, () => {
  it('in a read-only folder: reading works from a private copy, importing fails clearly, and not a byte changes', async () => {
    const home = sharedTempDir('vp-ro-home-');
    const dir = sharedTempDir('vp-ro-');
    const store = path.join(dir, 'store.db');
    const seed = await cli(['import', goodExport, '--store', store, '--as-of', '2026-11-01T00:00:00Z'], env);
    assert.equal(seed.code, 0, seed.stderr);
    fs.chmodSync(store, 0o644);
    fs.chmodSync(dir, 0o555);
    const bytes = fs.readFileSync(store);
    try {
      const [list, imp] = await Promise.all([asNobody(['snapshots', '--store', store, '--json'], home), asNobody(['import', goodExport, '--store', store, '--json', '--as-of', '2026-11-02T00:00:00Z'], home)]);
      // Issue 16 item 5 (was: both exit 1, "Vaultproof writes beside the store even to read it").
      assert.equal(list.code, 0, list.stdout + list.stderr);
      assert.equal((JSON.parse(list.stdout) as unknown[]).length, 1);
      assert.equal(imp.code, 1, imp.stdout + imp.stderr);
      assert.deepEqual(errorOf(imp.stderr), {
        code: 'STORE',
        message: 'the store is read-only (attempt to write a readonly database): Vaultproof cannot write to the store file or its folder; nothing was written',
      });
      assert.deepEqual(fs.readFileSync(store), bytes);
      assert.deepEqual(fs.readdirSync(dir), ['store.db']);
    } finally {
      fs.chmodSync(dir, 0o755);
    }
  });

  it('a read-only store file in a writable folder: reading works, an import is refused as read-only and changes nothing', async () => {
    const home = sharedTempDir('vp-ro-home-');
    const dir = sharedTempDir('vp-ro-');
    const store = path.join(dir, 'store.db');
    const seed = await cli(['import', goodExport, '--store', store, '--as-of', '2026-11-01T00:00:00Z'], env);
    assert.equal(seed.code, 0, seed.stderr);
    fs.chmodSync(store, 0o444);
    const before = storeState(store);
    const [list, imp] = await Promise.all([asNobody(['snapshots', '--store', store, '--json'], home), asNobody(['import', path.join(fixtures, 'import', 'arm-items-sql.json'), '--store', store, '--json', '--as-of', '2026-11-02T00:00:00Z'], home)]);
    assert.equal(list.code, 0, list.stderr);
    assert.equal((JSON.parse(list.stdout) as unknown[]).length, 1);
    assert.equal(imp.code, 1, imp.stdout + imp.stderr);
    const err = errorOf(imp.stderr);
    assert.equal(err.code, 'STORE');
    assert.equal(err.message, 'the store is read-only (attempt to write a readonly database): Vaultproof cannot write to the store file or its folder; nothing was written');
    assert.equal(storeState(store), before);
    fs.chmodSync(store, 0o644);
    await assertStoreSound(store, { logEntries: 0 });
  });
});

describe('an import into a store on a path that cannot exist', () => {
  it('names the folder it cannot create', async () => {
    const file = path.join(tempDir('vp-ro-'), 'a-file');
    fs.writeFileSync(file, 'x');
    const r = await cli(['import', goodExport, '--store', path.join(file, 'sub', 'store.db'), '--json'], env);
    assert.equal(r.code, 1);
    const err = errorOf(r.stderr);
    assert.equal(err.code, 'STORE');
    const target = path.join(file, 'sub', 'store.db');
    assert.equal(err.message, `cannot open store ${target}: ENOTDIR: not a directory, stat '${target}'`);
  });
});
