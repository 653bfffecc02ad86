/**
 * Issue 16 item 5: a store archived on write-once media (here: a read-only
 * file in a read-only folder, read by an unprivileged user, since root
 * ignores file modes) can be verified and read; nothing is written beside it;
 * a store from an older Vaultproof is read without migrating it; and a
 * command that would write says the store is read-only.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { binPath, ensureBuiltCli, fixtures, repoRoot } from '../harness/cli.ts';
import { canDropPrivileges, cli, dropPrivileges, env, errorOf, goodExport, query, sharedTempDir, storeState } from './helpers.ts';

type Run = { code: number; stdout: string; stderr: string };

function asNobody(args: string[], home: string): Promise<Run> {
  ensureBuiltCli();
  return new Promise((resolve) => {
    const c = spawn(dropPrivileges[0]!, [...dropPrivileges.slice(1), process.execPath, binPath, ...args], { cwd: repoRoot, env: { ...process.env, ...env, HOME: home, TMPDIR: home } });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('close', (code) => resolve({ code: code ?? 2, stdout, stderr }));
  });
}

/** A store with a snapshot, an annotation and a pack built from it, then sealed: file 0444, folder 0555. */
async function archivedStore(): Promise<{ dir: string; store: string; pack: string; home: string; snapshotId: string }> {
  const home = sharedTempDir('vp-ro-home-');
  const dir = sharedTempDir('vp-ro-');
  const store = path.join(dir, 'store.db');
  const imp = await cli(['import', goodExport, '--store', store, '--as-of', '2026-11-01T00:00:00Z', '--json'], env);
  assert.equal(imp.code, 0, imp.stderr);
  const snapshotId = (JSON.parse(imp.stdout) as { snapshotId: string }).snapshotId;
  const key = (JSON.parse((await cli(['items', snapshotId, '--store', store, '--json'], env)).stdout) as Array<{ key: string }>)[0]!.key;
  assert.equal((await cli(['annotate', key, '--owner', 'Bob', '--reason', 'seed', '--store', store, '--json'], env)).code, 0);
  const pack = path.join(home, 'pack');
  const p = await cli(['pack', 'latest', '--out', pack, '--sign-self-signed', '--passphrase-env', 'VP_PASS', '--store', store, '--json'], { ...env, VP_PASS: 'correct horse battery staple' });
  assert.equal(p.code, 0, p.stderr);
  fs.chmodSync(pack, 0o755);
  for (const f of fs.readdirSync(pack, { recursive: true }) as string[]) {
    const full = path.join(pack, f);
    fs.chmodSync(full, fs.statSync(full).isDirectory() ? 0o755 : 0o644);
  }
  return { dir, store, pack, home, snapshotId };
}

function seal(dir: string): void {
  for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const full = path.join(dir, f);
    fs.chmodSync(full, fs.statSync(full).isDirectory() ? 0o555 : 0o444);
  }
  fs.chmodSync(dir, 0o555);
}

function unseal(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) fs.chmodSync(path.join(dir, f), 0o755);
}

/** Every file's bytes and the folder listing: nothing written, nothing added. */
function folderBytes(dir: string): string {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .sort()
    .map((f) => {
      const full = path.join(dir, f);
      return fs.statSync(full).isDirectory() ? `${f}/` : `${f}:${fs.readFileSync(full).toString('base64')}`;
    })
    .join('\n');
}

describe('a read-only archived store (as an unprivileged user)', { skip: !canDropPrivileges() && 'needs root and setpriv to drop privileges' }, () => {
  it('store verify, log verify, verify and read commands work; not a byte is written beside the store (was: exit 1, "writes beside the store even to read it")', async () => {
    const a = await archivedStore();
    seal(a.dir);
    const before = folderBytes(a.dir);
    try {
      const sv = await asNobody(['store', 'verify', '--store', a.store, '--json'], a.home);
      assert.equal(sv.code, 0, sv.stdout + sv.stderr);
      assert.equal((JSON.parse(sv.stdout) as { ok: boolean }).ok, true);
      const lv = await asNobody(['log', 'verify', '--store', a.store, '--json'], a.home);
      assert.equal(lv.code, 0, lv.stdout + lv.stderr);
      assert.equal((JSON.parse(lv.stdout) as { count: number }).count, 1);
      const against = await asNobody(['log', 'verify', '--against', a.pack, '--store', a.store, '--json'], a.home);
      assert.equal(against.code, 0, against.stdout + against.stderr);
      const snaps = await asNobody(['snapshots', '--store', a.store, '--json'], a.home);
      assert.equal(snaps.code, 0, snaps.stderr);
      assert.deepEqual((JSON.parse(snaps.stdout) as Array<{ id: string }>).map((s) => s.id), [a.snapshotId]);
      const items = await asNobody(['items', a.snapshotId, '--store', a.store, '--json'], a.home);
      assert.equal(items.code, 0, items.stderr);
      assert.equal((JSON.parse(items.stdout) as unknown[]).length, 3);
      const findings = await asNobody(['findings', 'latest', '--store', a.store, '--json'], a.home);
      assert.equal(findings.code === 0 || findings.code === 2, true, findings.stderr);
      const v = await asNobody(['verify', a.pack, '--json'], a.home);
      assert.equal(v.code, 0, v.stdout + v.stderr);
      assert.equal(folderBytes(a.dir), before, 'no -wal, -shm or other file appeared, no byte changed');
    } finally {
      unseal(a.dir);
    }
  });

  it('a write (import, annotate) is refused as read-only, naming the store, and changes nothing', async () => {
    const a = await archivedStore();
    const state = storeState(a.store);
    seal(a.dir);
    const before = folderBytes(a.dir);
    try {
      const imp = await asNobody(['import', path.join(fixtures, 'import', 'arm-items-sql.json'), '--store', a.store, '--json', '--as-of', '2026-11-02T00:00:00Z'], a.home);
      assert.equal(imp.code, 1, imp.stdout + imp.stderr);
      assert.match(errorOf(imp.stderr).message, /the store is read-only/);
      const items = JSON.parse((await asNobody(['items', 'latest', '--store', a.store, '--json'], a.home)).stdout) as Array<{ key: string }>;
      const ann = await asNobody(['annotate', items[0]!.key, '--owner', 'Eve', '--reason', 'x', '--store', a.store, '--json'], a.home);
      assert.equal(ann.code, 1, ann.stdout + ann.stderr);
      assert.match(errorOf(ann.stderr).message, /the store is read-only/);
      assert.equal(folderBytes(a.dir), before);
    } finally {
      unseal(a.dir);
    }
    assert.equal(storeState(a.store), state);
  });

  it('a store from an older Vaultproof (before migration 5) is read without migrating it', async () => {
    const a = await archivedStore();
    // Make it exactly what a version before migration 005 left: no index, no record of it.
    query(a.store, 'SELECT 1'); // checkpoint the WAL through a normal open first
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(a.store);
    db.exec('DROP INDEX items_ui; DELETE FROM schema_migrations WHERE id = 5;');
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const left = query<{ id: number }>(a.store, 'SELECT id FROM schema_migrations ORDER BY id').map((r) => r.id);
    assert.ok(!left.includes(5));
    seal(a.dir);
    const before = folderBytes(a.dir);
    try {
      const sv = await asNobody(['store', 'verify', '--store', a.store, '--json'], a.home);
      assert.equal(sv.code, 0, sv.stdout + sv.stderr);
      const items = await asNobody(['items', a.snapshotId, '--store', a.store, '--json'], a.home);
      assert.equal(items.code, 0, items.stderr);
      assert.equal(folderBytes(a.dir), before, 'no backups/ folder, no migration written');
    } finally {
      unseal(a.dir);
    }
    assert.deepEqual(query<{ id: number }>(a.store, 'SELECT id FROM schema_migrations ORDER BY id').map((r) => r.id), left, 'the archive still lacks migration 5');
  });
});
