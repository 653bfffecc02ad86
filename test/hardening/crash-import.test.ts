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
      let killedMidWork = 0;
      for (const fraction of [0.2, 0.5, 0.8]) {
        const run = await runChild([file], { bin: importer, env: { VAULTPROOF_STORE: s.store }, kill: { afterWorkMs: full.workMs * fraction } });
        const read = run.lines.filter((l) => l.startsWith('progress import ')).pop() ?? 'none';
        if (run.signal !== 'SIGKILL') {
          // This run outran the measured one and finished first: then the snapshot must be there whole.
          assert.equal(run.code, 0, run.stdout);
          report.push(`at ${fraction * 100} %: finished before the kill`);
          await assertStoreSound(s.store, { logEntries: 1 });
          break;
        }
        killedMidWork++;
        report.push(`at ${fraction * 100} %: killed after ${(run.workMs / 1000).toFixed(1)} s, last progress "${read}"`);
        assert.ok(fs.existsSync(`${s.store}-wal`), 'the killed writer left its write-ahead log behind (a real crash, not a clean close)');
        assert.equal(integrity(s.store), 'ok');
        // Nothing of the killed import is visible: not a row, not a snapshot.
        assert.deepEqual(snapshotIds(s.store), [s.snapshotId]);
        assert.equal(storeState(s.store), before, 'the store is exactly as it was before the killed import');
        await assertStoreSound(s.store, { snapshots: [s.snapshotId], logEntries: 1 });
      }
      assert.ok(killedMidWork >= 2, 'the kills at 20 % and 50 % landed mid-import');
      process.stderr.write(`# crash-import: ${report.join('; ')}\n`);
    } finally {
      fs.rmSync(s.dir, { recursive: true, force: true });
    }
  });
});
