/**
 * Issue 16 item 3: memory bounded for any input. No element (one resource)
 * may exceed 12 Mi characters; a bigger one is refused, naming its line,
 * before it is held whole. Was: a 104 MB export whose one element held a
 * 100 MB string used 3.6 GB. The bound (README: under 1.5 GB for any file; 1.2 GB before migration 008 stored each name again as its natural-sort key) is
 * checked on the real bin, reading its peak resident size.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { binPath, ensureBuiltCli, repoRoot } from '../harness/cli.ts';
import { env, errorOf, tempDir } from '../hardening/helpers.ts';

const MI = 1024 * 1024;

type Run = { code: number; stdout: string; stderr: string; maxRssMb: number };

/** The bin in a child that reports its peak resident set size on exit. */
function importMeasured(args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  ensureBuiltCli();
  const wrapper = `process.on('exit', () => process.stderr.write('\\nMAXRSS_KB ' + process.resourceUsage().maxRSS + '\\n')); const [bin, ...rest] = process.argv.slice(1); process.argv = [process.argv[0], bin, ...rest]; await import(bin);`;
  return new Promise((resolve) => {
    const c = spawn(process.execPath, ['--input-type=module', '-e', wrapper, binPath, 'import', ...args], { cwd: repoRoot, env: { ...process.env, ...env, ...extraEnv } });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('close', (code) => {
      const m = /MAXRSS_KB (\d+)/.exec(stderr);
      resolve({ code: code ?? 2, stdout, stderr: stderr.replace(/\nMAXRSS_KB \d+\n/, ''), maxRssMb: m ? Number(m[1]) / 1024 : Number.NaN });
    });
  });
}

const ID = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-app/providers/Microsoft.RecoveryServices/vaults/vault1/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;rg-app;VM/protectedItems/VM;iaasvmcontainerv2;rg-app;VM';

/** One protected item whose friendlyName is `chars` characters of `fill`. */
function item(vm: string, fill: string, chars: number): string {
  return `{"id":"${ID.replaceAll('VM', vm)}","name":"VM;iaasvmcontainerv2;rg-app;${vm}","type":"Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems","properties":{"friendlyName":"${fill.repeat(chars)}","protectionState":"Protected","workloadType":"VM","backupManagementType":"AzureIaasVM"}}`;
}

describe('an element past the limit is refused before it is held whole', () => {
  it('a 104 MB export whose one element holds a 100 MB string: exit 1 naming its line, under 400 MB of memory (was: 3.6 GB)', async () => {
    const dir = tempDir('vp-mem-');
    const file = path.join(dir, 'huge.json');
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, '{"value":[\n');
    fs.writeSync(fd, item('vm1', 'x'.repeat(MI), 100));
    fs.writeSync(fd, '\n]}\n');
    fs.closeSync(fd);
    assert.ok(fs.statSync(file).size > 104 * 1000 * 1000);
    const r = await importMeasured([file, '--store', path.join(dir, 'store.db'), '--json']);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(
      errorOf(r.stderr).message,
      `${file}:2: item 1 (starting on line 2) is larger than 12 Mi characters, the most Vaultproof reads for one resource; split the export (e.g. one file per vault) or remove the oversized value`,
    );
    assert.ok(r.maxRssMb < 400, `peak ${Math.round(r.maxRssMb)} MB`);
    assert.ok(!fs.existsSync(path.join(dir, 'store.db')) || fs.statSync(path.join(dir, 'store.db')).size < 1024 * 1024);
  });

  it('a file that is one resource over the limit is refused too, read whole or streamed', async () => {
    const dir = tempDir('vp-mem-');
    const file = path.join(dir, 'one.json');
    fs.writeFileSync(file, item('vm1', 'y', 12 * MI + 1));
    for (const threshold of ['67108864', '1048576']) {
      const r = await importMeasured([file, '--store', path.join(dir, 'store.db'), '--json'], { VAULTPROOF_STREAM_THRESHOLD: threshold });
      assert.equal(r.code, 1, r.stderr);
      assert.match(errorOf(r.stderr).message, /one\.json:1: item 1 \(starting on line 1\) is larger than 12 Mi characters/);
    }
  });
});

describe('elements up to the limit import, and memory stays under the README bound', () => {
  it('six elements of just under 12 Mi characters, streamed: imported, peak under 1.5 GB', async () => {
    const dir = tempDir('vp-mem-');
    const file = path.join(dir, 'big-items.json');
    const n = 12 * MI - 2048;
    fs.writeFileSync(file, `{"value":[\n${['a', 'b', 'c', 'd', 'e', 'f'].map((c, i) => item(`vm${i}`, c, n)).join(',\n')}\n]}\n`);
    const r = await importMeasured([file, '--store', path.join(dir, 'store.db'), '--json', '--as-of', '2026-11-02T00:00:00Z'], { VAULTPROOF_STREAM_THRESHOLD: '1048576' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { itemCount: number }).itemCount, 6);
    assert.ok(r.maxRssMb < 1.5 * 1024, `peak ${Math.round(r.maxRssMb)} MB`);
  });
});
