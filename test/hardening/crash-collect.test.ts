/**
 * SIGKILL in the middle of a live collection against the ARM emulator (the
 * real `vaultproof collect`, service principal secret from an environment
 * variable): during the network phase and while the snapshot is written.
 * The store stays sound with no partial snapshot; the spool of records
 * collected so far may be left in the temp folder, and holds no secret.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startArmEmulator, type ArmEmulator } from '../harness/arm-emulator/index.ts';
import { runChild, type KillPlan } from './crash-kit.ts';
import { assertStoreSound, env, seededStore, snapshotIds, storeState } from './helpers.ts';

const SECRET = 'crash-collect-secret-5b1d';

function spools(): string[] {
  return fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('vaultproof-collect-'));
}

describe('SIGKILL in the middle of a collection', () => {
  let emu: ArmEmulator;
  before(async () => {
    emu = await startArmEmulator({ subscriptions: 2, vaultsPerSubscription: 6, itemsPerVault: 150, servicePrincipals: [{ clientId: 'app-crash', secret: SECRET }] });
    // Every answer takes a little while, as Azure's do: the network phase is long enough to land in.
    emu.setLatency(30);
  });
  after(async () => {
    await emu.close();
  });

  it('at 20 %, 50 % and 80 % of a measured collection, and while writing the snapshot: the store opens sound, with no partial snapshot', async () => {
    const s = await seededStore('vp-crash-collect-');
    const caFile = path.join(s.dir, 'emulator-ca.pem');
    fs.writeFileSync(caFile, emu.ca);
    const childEnv = { ...env, VP_SECRET: SECRET };
    const args = (store: string) => [
      'collect', '--cloud', 'custom', '--arm-endpoint', emu.url, '--authority-host', emu.url, '--ca-file', caFile,
      '--auth', 'sp', '--tenant', emu.estate.tenantId, '--client-id', 'app-crash', '--client-secret-env', 'VP_SECRET',
      // One request at a time: the network phase is as long as the requests, run after run.
      '--concurrency', '1', ...emu.estate.subscriptions.flatMap((x) => ['--subscription', x.subscriptionId]), '--store', store,
    ];
    const spoolsBefore = new Set(spools());

    const copy = path.join(s.dir, 'measure.db');
    fs.copyFileSync(s.store, copy);
    const measured = await runChild(args(copy), { env: childEnv });
    assert.equal(measured.code, 0, measured.stderr);
    assert.ok(measured.lines.some((l) => l.startsWith('writing ')), measured.stderr);
    const items = snapshotIds(copy).length;
    assert.equal(items, 2);
    const report = [`full collection: ${(measured.workMs / 1000).toFixed(1)} s of work, ${emu.requests.length} requests`];

    const before = storeState(s.store);
    // Fractions are of the latest complete run; one that outruns its kill becomes the new reference and the kill is tried again.
    let reference = measured.workMs;
    const plans: Array<[string, number | KillPlan['when']]> = [
      ['20 %', 0.2],
      ['50 %', 0.5],
      ['80 %', 0.8],
      ['writing the snapshot', (l) => l.startsWith('writing ')],
    ];
    for (const [name, at] of plans) {
      let store = '';
      let run: Awaited<ReturnType<typeof runChild>> | null = null;
      for (let attempt = 1; attempt <= 3; attempt++) {
        // A fresh copy of the seeded store each time, so a run that finishes changes nothing for the next.
        store = path.join(s.dir, `kill-${name.replace(/\W+/g, '-')}-${attempt}.db`);
        fs.copyFileSync(s.store, store);
        run = await runChild(args(store), { env: childEnv, kill: typeof at === 'number' ? { afterWorkMs: reference * at } : { when: at } });
        // A SIGKILL that arrives after the commit (the write of this small estate is quick) did not land
        // mid-collection: the snapshot must then be whole and sound, and the kill is tried again.
        if (run.signal === 'SIGKILL' && snapshotIds(store).length === 2) {
          await assertStoreSound(store, { logEntries: 1 });
          report.push(`${name}: killed only after the commit; again`);
          reference = run.workMs;
          continue;
        }
        if (run.signal === 'SIGKILL') break;
        assert.equal(run.code, 0, run.stderr);
        await assertStoreSound(store, { logEntries: 1 });
        report.push(`${name}: finished in ${(run.workMs / 1000).toFixed(1)} s before the kill; again`);
        reference = run.workMs;
      }
      assert.equal(run!.signal, 'SIGKILL', `the kill at ${name} landed mid-collection`);
      report.push(`${name}: killed after "${run!.lines.at(-1) ?? 'start-up'}"`);
      assert.deepEqual(snapshotIds(store), [s.snapshotId]);
      assert.equal(storeState(store), before, 'the store is exactly as it was');
      await assertStoreSound(store, { snapshots: [s.snapshotId], logEntries: 1 });
    }
    // A killed process cannot remove its spool; what it leaves holds backup metadata, never the secret or a token.
    const left = spools().filter((f) => !spoolsBefore.has(f));
    for (const d of left) {
      const dir = path.join(os.tmpdir(), d);
      assert.equal(fs.statSync(dir).mode & 0o777, 0o700, 'readable by its owner only');
      for (const f of fs.readdirSync(dir)) {
        const bytes = fs.readFileSync(path.join(dir, f));
        assert.ok(!bytes.includes(SECRET), `${d}/${f} holds the secret`);
        for (const t of emu.authority.issued.keys()) assert.ok(!bytes.includes(t), `${d}/${f} holds an access token`);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
    report.push(`${left.length} spool folder(s) left in ${os.tmpdir()} by the killed runs`);
    process.stderr.write(`# crash-collect: ${report.join('; ')}\n`);
  });
});
