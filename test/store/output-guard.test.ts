/**
 * Issue 16 item 1: no command overwrites what it must not. Every path that
 * names the store, its journal files, identities/ or backups/ is refused
 * whatever the flags; any other existing file only with --force; an output
 * folder only when new or empty; a pack never over another.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cli, env, errorOf, seededStore, snapshotIds, storeState } from '../hardening/helpers.ts';

type Run = { code: number; stdout: string; stderr: string };

function refused(r: Run, message: RegExp): void {
  assert.equal(r.code, 1, `exit code; ${r.stdout}${r.stderr}`);
  const err = errorOf(r.stderr);
  assert.equal(err.code, 'CONFLICT', err.message);
  assert.match(err.message, message);
}

describe('annotations export never replaces the store or an existing file it was not told to', () => {
  it('`annotations export STORE.db --store STORE.db` exits 1 naming the store, and the store keeps its snapshot (was: exit 0, the db replaced by JSON)', async () => {
    const s = await seededStore('vp-guard-');
    const before = storeState(s.store);
    const r = await cli(['annotations', 'export', s.store, '--store', s.store, '--json'], env);
    refused(r, /is the store itself .*never writes an output there, with or without --force/);
    assert.equal(storeState(s.store), before);
    assert.deepEqual(snapshotIds(s.store), [s.snapshotId]);
    // --force changes nothing for the store.
    const forced = await cli(['annotations', 'export', s.store, '--force', '--store', s.store, '--json'], env);
    refused(forced, /is the store itself/);
    assert.equal(storeState(s.store), before);
  });

  it('the store reached another way (relative with .., a symlink, a hard link) or its -wal / -shm / -journal, identities/ or backups/ are refused with --force', async () => {
    const s = await seededStore('vp-guard-');
    const before = storeState(s.store);
    fs.symlinkSync(s.store, path.join(s.dir, 'link.json'));
    fs.linkSync(s.store, path.join(s.dir, 'hard.json'));
    fs.mkdirSync(path.join(s.dir, 'identities'), { recursive: true });
    fs.mkdirSync(path.join(s.dir, 'backups'), { recursive: true });
    fs.writeFileSync(path.join(s.dir, 'backups', 'old.db'), 'backup');
    const cases: Array<[string, RegExp]> = [
      [path.join(s.dir, 'sub', '..', 'store.db'), /is the store itself/],
      [path.join(s.dir, 'link.json'), /is the store itself/],
      [path.join(s.dir, 'hard.json'), /is the store itself/],
      [`${s.store}-wal`, /is the store's wal file/],
      [`${s.store}-shm`, /is the store's shm file/],
      [`${s.store}-journal`, /is the store's journal file/],
      [path.join(s.dir, 'identities', 'local.p12'), /is the store's identities\/ folder/],
      [path.join(s.dir, 'backups', 'old.db'), /is the store's backups\/ folder/],
    ];
    for (const [target, message] of cases) {
      const r = await cli(['annotations', 'export', target, '--force', '--store', s.store, '--json'], env);
      refused(r, message);
    }
    assert.equal(storeState(s.store), before);
    assert.equal(fs.readFileSync(path.join(s.dir, 'backups', 'old.db'), 'utf8'), 'backup');
    assert.ok(!fs.existsSync(`${s.store}-journal`), 'nothing was created at the journal path');
  });

  it('an existing file is refused without --force and replaced with it; a new file is written 0600', async () => {
    const s = await seededStore('vp-guard-');
    const target = path.join(s.dir, 'notes.txt');
    fs.writeFileSync(target, 'my notes\n');
    const r = await cli(['annotations', 'export', target, '--store', s.store, '--json'], env);
    refused(r, /notes\.txt already exists; nothing was written — choose a new file, or confirm replacing it \(--force\)/);
    assert.equal(fs.readFileSync(target, 'utf8'), 'my notes\n');
    const forced = await cli(['annotations', 'export', target, '--force', '--store', s.store, '--json'], env);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal((JSON.parse(fs.readFileSync(target, 'utf8')) as { format: string }).format, 'vaultproof.annotations');
    const fresh = path.join(s.dir, 'exports', 'fresh.json');
    const ok = await cli(['annotations', 'export', fresh, '--store', s.store, '--json'], env);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(fs.statSync(fresh).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.dirname(fresh)).mode & 0o777, 0o700, 'the folder it made for the export (the UI suggests exports/ beside the store)');
    assert.deepEqual([...fs.readdirSync(s.dir), ...fs.readdirSync(path.dirname(fresh))].filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
  });

  it('a folder is never an export target, even with --force', async () => {
    const s = await seededStore('vp-guard-');
    const dir = path.join(s.dir, 'out');
    fs.mkdirSync(dir);
    refused(await cli(['annotations', 'export', dir, '--force', '--store', s.store, '--json'], env), /out is a folder; give a file name to write/);
  });
});

describe('pack and demo output folders', () => {
  it('pack --out the store, its folder, or a non-empty folder is refused; a zip never over another', async () => {
    const s = await seededStore('vp-guard-');
    const before = storeState(s.store);
    const pack = (out: string, ...more: string[]): Promise<Run> =>
      cli(['pack', 'latest', '--out', out, ...more, '--sign-self-signed', '--passphrase-env', 'VP_PASS', '--store', s.store, '--json'], { ...env, VP_PASS: 'correct horse battery staple' });
    refused(await pack(s.store), /store\.db is the store itself/);
    refused(await pack(s.dir), / is the store's own folder/);
    refused(await pack(path.join(s.dir, 'identities')), /is the store's identities\/ folder/);
    const full = path.join(s.dir, 'full');
    fs.mkdirSync(full);
    fs.writeFileSync(path.join(full, 'keep.txt'), 'keep');
    refused(await pack(full), /full already exists and is not empty; choose a new or empty folder/);
    assert.equal(fs.readFileSync(path.join(full, 'keep.txt'), 'utf8'), 'keep');
    const zip = path.join(s.dir, 'other.zip');
    fs.writeFileSync(zip, 'an earlier pack');
    refused(await pack(zip, '--zip'), /other\.zip already exists/);
    assert.equal(fs.readFileSync(zip, 'utf8'), 'an earlier pack');
    assert.equal(storeState(s.store), before);
  });

  it('pack --out under folders that do not exist yet makes them private (0700), like the pack itself', async () => {
    const s = await seededStore('vp-guard-');
    const out = path.join(s.dir, 'handover', '2026', 'pack');
    const r = await cli(['pack', 'latest', '--out', out, '--sign-self-signed', '--passphrase-env', 'VP_PASS', '--store', s.store, '--json'], { ...env, VP_PASS: 'correct horse battery staple' });
    assert.equal(r.code, 0, r.stderr);
    for (const dir of [path.join(s.dir, 'handover'), path.join(s.dir, 'handover', '2026'), out]) assert.equal(fs.statSync(dir).mode & 0o777, 0o700, dir);
  });

  it('demo --out a non-empty folder or the store is refused', async () => {
    const s = await seededStore('vp-guard-');
    const full = path.join(s.dir, 'full');
    fs.mkdirSync(full);
    fs.writeFileSync(path.join(full, 'keep.txt'), 'keep');
    refused(await cli(['demo', '--out', full, '--json'], { ...env, VAULTPROOF_STORE: s.store }), /full already exists and is not empty; choose a new or empty folder/);
    refused(await cli(['demo', '--out', s.dir, '--json'], { ...env, VAULTPROOF_STORE: s.store }), /is the store's own folder/);
    assert.deepEqual(fs.readdirSync(full), ['keep.txt']);
  });
});
