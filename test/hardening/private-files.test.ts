/**
 * Issue 16 item 6: private by default. Run as an unprivileged user with umask
 * 000 (the most permissive a user can have): the store, its folder, its
 * journal files, annotation exports and packs are still created 0600 / 0700
 * (was: 0644 / 0755 under the usual umask 022, 0666 / 0777 under 000).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { openStore } from '../../electron/core/store/store.ts';
import { binPath, ensureBuiltCli, repoRoot } from '../harness/cli.ts';
import { canDropPrivileges, dropPrivileges, env, goodExport, sharedTempDir, tempDir } from './helpers.ts';

type Run = { code: number; stdout: string; stderr: string };

/** The real bin as nobody, under umask 000. */
function asNobodyUmask0(args: string[], home: string): Promise<Run> {
  ensureBuiltCli();
  return new Promise((resolve) => {
    const c = spawn(dropPrivileges[0]!, [...dropPrivileges.slice(1), '/bin/sh', '-c', 'umask 000 && exec "$0" "$@"', process.execPath, binPath, ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env, HOME: home, TMPDIR: home, VP_PASS: 'correct horse battery staple' },
    });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('close', (code) => resolve({ code: code ?? 2, stdout, stderr }));
  });
}

const mode = (p: string): string => (fs.statSync(p).mode & 0o777).toString(8);

describe('files Vaultproof creates are private whatever the umask (as an unprivileged user)', { skip: !canDropPrivileges() && 'needs root and setpriv to drop privileges' }, () => {
  it('a new store and its folder, an annotations export, a pack folder and a zipped pack', async () => {
    const home = sharedTempDir('vp-priv-');
    const store = path.join(home, 'new-folder', 'store.db');
    const imp = await asNobodyUmask0(['import', goodExport, '--store', store, '--as-of', '2026-11-01T00:00:00Z', '--json'], home);
    assert.equal(imp.code, 0, imp.stderr);
    assert.equal(mode(store), '600', 'store file');
    assert.equal(mode(path.dirname(store)), '700', 'store folder it created');
    const exp = path.join(home, 'annotations.json');
    const e = await asNobodyUmask0(['annotations', 'export', exp, '--store', store, '--json'], home);
    assert.equal(e.code, 0, e.stderr);
    assert.equal(mode(exp), '600', 'annotations export');
    const pack = path.join(home, 'pack');
    const p = await asNobodyUmask0(['pack', 'latest', '--out', pack, '--sign-self-signed', '--passphrase-env', 'VP_PASS', '--store', store, '--json'], home);
    assert.equal(p.code, 0, p.stderr);
    assert.equal(mode(pack), '700', 'pack folder');
    // Every file in it too (was: 0666 under umask 000, the workbook and data files among them), every folder 0700.
    const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [`${path.join(d, e.name)}/ ${mode(path.join(d, e.name))}`, ...walk(path.join(d, e.name))] : [`${path.join(d, e.name)} ${mode(path.join(d, e.name))}`]));
    const entries = walk(pack);
    assert.ok(entries.some((e) => e.includes('workbook.xlsx')) && entries.some((e) => e.includes('/data/')), entries.join('\n'));
    assert.deepEqual(entries.filter((e) => !(e.endsWith('/ 700') || (!/\/ \d+$/.test(e) && e.endsWith(' 600')))), [], 'pack entries not private');
    assert.equal(mode(path.join(path.dirname(store), 'identities')), '700', 'identities folder');
    const zip = path.join(home, 'pack2.zip');
    const z = await asNobodyUmask0(['pack', 'latest', '--out', zip, '--zip', '--sign-self-signed', '--passphrase-env', 'VP_PASS', '--store', store, '--json'], home);
    assert.equal(z.code, 0, z.stderr);
    assert.equal(mode(zip), '600', 'zipped pack');
    assert.deepEqual(
      fs.readdirSync(home).filter((f) => f.includes('.partial-')),
      [],
      'no working folder left behind',
    );
  });
});

describe('the store\'s -wal and -shm files take the store\'s private mode', () => {
  it('under umask 000 in this process', () => {
    const old = process.umask(0);
    try {
      const p = path.join(tempDir('vp-priv-'), 'sub', 'store.db');
      const s = openStore(p);
      try {
        s.db.exec('CREATE TABLE IF NOT EXISTS probe (x); INSERT INTO probe VALUES (1)');
        assert.equal(mode(p), '600');
        assert.equal(mode(`${p}-wal`), '600');
        assert.equal(mode(`${p}-shm`), '600');
        assert.equal(mode(path.dirname(p)), '700');
      } finally {
        s.close();
      }
    } finally {
      process.umask(old);
    }
  });
});
