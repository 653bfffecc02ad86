import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { writeEstateFile } from '../harness/estate.ts';
import { runChild } from './crash-kit.ts';
import { assertStoreSound, integrity, seededStore, snapshotIds, storeState } from './helpers.ts';

const ITEMS = 50_000; // ~85 MB as the service formats it: streamed, written through the worker thread
// The importer without the rest of the CLI (starts in a fraction of the time), printing its progress.
const importer = [process.execPath, '--import', 'tsx', path.join(import.meta.dirname, 'children', 'import.ts')];

describe('SIGKILL in the middle of an import', () => {
  it('at 20 %, 50 % and 80 % of a measured full run: the store opens sound, with no partial snapshot', async () => {
    const s = await seededStore('vp-crash-');
    const file = path.join(s.dir, 'estate.json');
    try {
      const { bytes } = await writeEstateFile(file, { items: ITEMS });

      // The measured full run, on a copy of the same store.
      const copy = path.join(s.dir, 'measure.db');
      fs.copyFileSync(s.store, copy);
      const full = await runChild([file], { bin: importer, env: { VAULTPROOF_STORE: copy } });
      assert.equal(full.code, 0, full.stdout + full.stderr.slice(-2000));
      assert.equal((JSON.parse(full.stdout) as { itemCount: number }).itemCount, ITEMS);
      assert.equal(integrity(copy), 'ok');
      const report = [`full run: ${ITEMS} items, ${(bytes / 1e6).toFixed(0)} MB in ${(full.workMs / 1000).toFixed(1)} s of work`];

      const before = storeState(s.store);
      // The time of the latest complete run: the reference the fractions are taken of.
      let reference = full.workMs;
      for (const fraction of [0.2, 0.5, 0.8]) {
        // A fresh copy of the seeded store for each kill, so a run that outruns its kill changes nothing for the next.
        let store = '';
        let run: Awaited<ReturnType<typeof runChild>> | null = null;
        for (let attempt = 1; attempt <= 2; attempt++) {
          store = path.join(s.dir, `kill-${fraction}-${attempt}.db`);
          fs.copyFileSync(s.store, store);
          run = await runChild([file], { bin: importer, env: { VAULTPROOF_STORE: store }, kill: { afterWorkMs: reference * fraction } });
          if (run.signal === 'SIGKILL') break;
          // It finished first (the machine got faster): the snapshot is whole, and this run is the new reference.
          assert.equal(run.code, 0, run.stdout);
          await assertStoreSound(store, { logEntries: 1 });
          report.push(`at ${fraction * 100} %: finished in ${(run.workMs / 1000).toFixed(1)} s before the kill; again`);
          reference = run.workMs;
        }
        assert.equal(run!.signal, 'SIGKILL', `the kill at ${fraction * 100} % landed mid-import`);
        const read = run!.lines.filter((l) => l.startsWith('progress import ')).pop() ?? 'none';
        report.push(`at ${fraction * 100} %: killed after ${(run!.workMs / 1000).toFixed(1)} s, last progress "${read}"`);
        assert.ok(fs.existsSync(`${store}-wal`), 'the killed writer left its write-ahead log behind (a real crash, not a clean close)');
        assert.equal(integrity(store), 'ok');
        // Nothing of the killed import is visible: not a row, not a snapshot.
        assert.deepEqual(snapshotIds(store), [s.snapshotId]);
        assert.equal(storeState(store), before, 'the store is exactly as it was before the killed import');
        await assertStoreSound(store, { snapshots: [s.snapshotId], logEntries: 1 });
      }
      process.stderr.write(`# crash-import: ${report.join('; ')}\n`);
    } finally {
      fs.rmSync(s.dir, { recursive: true, force: true });
    }
  });
});
