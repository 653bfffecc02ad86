/**
 * Completeness says what is known: a live collection against the emulator is
 * `verified`, the same after a 403 is `incomplete`, an import is `asStated`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cli, tempDir } from '../harness/cli.ts';
import { startArmEmulator, type ArmEmulator } from '../harness/arm-emulator/index.ts';
import { TRUTH_DIR } from './truth.ts';

type Listed = { id: string; source: string; complete: boolean; completeness: string };

describe('snapshot completeness', () => {
  let emu: ArmEmulator;
  let caFile: string;
  let env: Record<string, string>;
  before(async () => {
    emu = await startArmEmulator({ servicePrincipals: [{ clientId: 'app-vaultproof', secret: 'not-a-real-secret-7f' }] });
    caFile = path.join(tempDir('vp-evidence-ca-'), 'emulator-ca.pem');
    fs.writeFileSync(caFile, emu.ca);
    env = { VAULTPROOF_NOW: new Date(emu.estate.baseTimeMs).toISOString(), VAULTPROOF_USER: 'auditor1', VP_TEST_SECRET: 'not-a-real-secret-7f' };
  });
  after(async () => {
    await emu.close();
  });
  const collect = (store: string) =>
    cli(
      ['collect', '--cloud', 'custom', '--arm-endpoint', emu.url, '--authority-host', emu.url, '--ca-file', caFile, '--auth', 'sp', '--tenant', emu.estate.tenantId, '--client-id', 'app-vaultproof', '--client-secret-env', 'VP_TEST_SECRET',
        '--subscription', emu.estate.subscriptions[0]!.subscriptionId, '--subscription', emu.estate.subscriptions[1]!.subscriptionId, '--store', store, '--json'],
      env,
    );
  const listed = async (store: string): Promise<Listed[]> => JSON.parse((await cli(['snapshots', '--store', store, '--json'], env)).stdout) as Listed[];

  it('live: verified when every scope is collected, incomplete after a 403; an import is asStated; snapshot --json says the same', async () => {
    const store = path.join(tempDir('vp-evidence-complete-'), 's.db');
    const ok = await collect(store);
    assert.equal(ok.code, 0, ok.stderr);
    emu.forbidVault('rsv-s2-v003');
    const bad = await collect(store);
    assert.equal(bad.code, 4, bad.stderr);
    const imp = await cli(['import', path.join(TRUTH_DIR, 'vm.rest.json'), '--as-of', '2025-10-28T12:00:00Z', '--store', store, '--json'], env);
    assert.equal(imp.code, 0, imp.stderr);
    const byId = new Map((await listed(store)).map((s) => [s.id, s]));
    const id = (r: { stdout: string }) => (JSON.parse(r.stdout) as { snapshotId: string }).snapshotId;
    assert.deepEqual([byId.get(id(ok))!.complete, byId.get(id(ok))!.completeness], [true, 'verified']);
    assert.deepEqual([byId.get(id(bad))!.complete, byId.get(id(bad))!.completeness], [false, 'incomplete']);
    // `complete` stays as it was (an import records no failure); completeness says it is only as stated.
    assert.deepEqual([byId.get(id(imp))!.complete, byId.get(id(imp))!.completeness], [true, 'asStated']);
    const one = JSON.parse((await cli(['snapshot', id(imp), '--store', store, '--json'], env)).stdout) as Listed;
    assert.equal(one.completeness, 'asStated');
    const text = await cli(['snapshot', id(imp), '--store', store], env);
    assert.match(text.stdout, /coverage is as the files state it, not verified/);
    assert.doesNotMatch(text.stdout, /\bok +subscription:/);
  });
});
