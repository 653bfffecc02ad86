/**
 * SIGKILL in the middle of a pack build: the pack is built in a hidden
 * staging folder (or zip) beside --out and renamed into place only when
 * complete, so a kill leaves no pack at --out, a staging leftover that
 * `vaultproof verify` never reports valid, and a sound store.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { writeEstateFile } from '../harness/estate.ts';
import { runChild, type KillPlan } from './crash-kit.ts';
import { assertStoreSound, cli, env, seededStore } from './helpers.ts';

const ITEMS = 2000;
const PASS = 'crash-test pack passphrase';

function partials(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.includes('.partial-')).map((f) => path.join(dir, f));
}

describe('SIGKILL in the middle of a pack build', () => {
  it('at 20 %, 50 % and 80 % of a measured build, and while signing a zip: no pack appears, a half-written one never verifies', async () => {
    const s = await seededStore('vp-crash-pack-');
    const estate = path.join(s.dir, 'estate.json');
    await writeEstateFile(estate, { items: ITEMS });
    const imp = await cli(['import', estate, '--store', s.store, '--json', '--as-of', '2026-11-20T00:00:00Z'], env);
    assert.equal(imp.code, 0, imp.stderr);
    const snapshot = (JSON.parse(imp.stdout) as { snapshotId: string }).snapshotId;
    const childEnv = { ...env, VP_PASS: PASS };
    const pack = (out: string, extra: string[] = []) => ['pack', snapshot, '--out', out, '--sign-self-signed', '--signer-name', 'Crash Tester', '--passphrase-env', 'VP_PASS', '--store', s.store, ...extra];

    // The signing identity first (key generation would otherwise make the measured run the slowest).
    const id = await cli(['identities', 'create', 'local', '--signer-name', 'Crash Tester', '--passphrase-env', 'VP_PASS', '--store', s.store, '--json'], childEnv);
    assert.equal(id.code, 0, id.stderr);
    const measured = await runChild(pack(path.join(s.dir, 'measured')), { env: childEnv });
    assert.equal(measured.code, 0, measured.stderr);
    assert.equal((await cli(['verify', path.join(s.dir, 'measured')], env)).code, 0);
    const heads = await cli(['log', 'verify', '--store', s.store, '--json'], env);
    const headsBefore = (JSON.parse(heads.stdout) as { headsChecked: number }).headsChecked;
    const phases = measured.lines.filter((l) => /^\w+ \d\/5 /.test(l)).map((l) => l.split(' ')[0]);
    assert.deepEqual(phases, ['analyse', 'data', 'workbook', 'report', 'sign']);
    const report = [`full build: ${ITEMS} items in ${(measured.workMs / 1000).toFixed(1)} s of work`];

    const outDir = path.join(s.dir, 'out');
    fs.mkdirSync(outDir);
    let unfinishedSeen = 0;
    let finished = 0;
  let killed = 0;
    // Fractions are of the latest complete build; a build that outruns its kill becomes the new reference and the kill is tried again.
    let reference = measured.workMs;
    const runs: Array<[string, string[], number | KillPlan['when']]> = [
      ['20 %', [], 0.2],
      ['50 %', [], 0.5],
      ['80 %', [], 0.8],
      // While the manifest is signed and the zip written: the most complete a half-written pack gets.
      ['signing, zipped', ['--zip'], (l) => l.startsWith('sign ')],
    ];
    for (const [name, extra, at] of runs) {
      let run: Awaited<ReturnType<typeof runChild>> | null = null;
      let final = '';
      for (let attempt = 1; attempt <= 3; attempt++) {
        const out = path.join(outDir, `pack-${name.replace(/\W+/g, '-')}-${attempt}`);
        final = extra.includes('--zip') ? `${out}.zip` : out;
        const kill: KillPlan = typeof at === 'number' ? { afterWorkMs: reference * at } : { when: at };
        run = await runChild(pack(out, extra), { env: childEnv, kill });
        if (run.signal === 'SIGKILL') killed++;
        // A kill that lands once the pack is in place (while the process closes the store and exits) found a finished build.
        if (run.signal === 'SIGKILL' && !fs.existsSync(final)) break;
        if (run.signal !== 'SIGKILL') assert.equal(run.code, 0, run.stderr);
        report.push(`${name}: finished in ${(run.workMs / 1000).toFixed(1)} s before the kill${run.signal ? ' (killed while exiting)' : ''}; again`);
        finished++;
        assert.equal((await cli(['verify', final], env)).code, 0, 'a finished pack verifies');
        reference = run.workMs;
      }
      assert.equal(run!.signal, 'SIGKILL', `the kill at ${name} landed mid-build`);
      report.push(`${name}: killed in "${run!.lines.at(-1)?.split(' ')[0] ?? 'start-up'}"`);
      assert.equal(fs.existsSync(final), false, `${name}: nothing at --out`);
      for (const p of partials(outDir)) {
        const v = await cli(['verify', p, '--json'], env);
        assert.equal(v.code, 3, `${name}: the leftover ${path.basename(p)} must not verify: ${v.stdout}`);
        const first = (JSON.parse(v.stdout) as { firstFailure: { file: string; reason: string } }).firstFailure;
        report.push(`  leftover ${path.basename(p).replace(/-[^-.]+(\.zip)?$/, '-*$1')}: verify says ${first.file}: ${first.reason.slice(0, 80)}`);
        unfinishedSeen++;
        fs.rmSync(p, { recursive: true, force: true });
      }
      await assertStoreSound(s.store, { logEntries: 1 });
    }
    assert.ok(unfinishedSeen >= 2, `half-written packs were left and checked (${unfinishedSeen})`);
    const after = JSON.parse((await cli(['log', 'verify', '--store', s.store, '--json'], env)).stdout) as { ok: boolean; headsChecked: number };
    assert.equal(after.ok, true);
    // Every pack that appeared pinned its head before it appeared; a build killed in the moment between its pin and
    // its rename leaves a pin of a true head (at most one per kill).
    assert.ok(after.headsChecked >= headsBefore + finished, `every finished pack pinned its annotation-log head (${after.headsChecked} of ${headsBefore} + ${finished})`);
    assert.ok(after.headsChecked <= headsBefore + finished + killed, `a killed build pinned at most its own head (${after.headsChecked})`);
    process.stderr.write(`# crash-pack: ${report.join('; ')}\n`);
  });
});
