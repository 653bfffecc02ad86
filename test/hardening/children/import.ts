// Child process for the crash tests: imports the files on the command line into VAULTPROOF_STORE
// with the same importFiles the CLI calls, printing each progress event on stderr ("progress PHASE
// DONE") so the parent can kill it at a chosen fraction. Loads only the store and the importer, not
// the whole CLI, so it starts fast.
import { toErrorInfo } from '../../../electron/core/errors.ts';
import { importFiles } from '../../../electron/core/import/index.ts';
import { openStore } from '../../../electron/core/store/store.ts';

const store = openStore(process.env.VAULTPROOF_STORE!);
try {
  const res = await importFiles(store, process.argv.slice(2), {
    now: new Date('2026-11-24T00:00:00Z'),
    user: 'crash-test',
    asOf: '2026-11-20T08:00:00Z',
    onProgress: (e) => process.stderr.write(`progress ${e.phase} ${e.done}\n`),
  });
  process.stdout.write(JSON.stringify({ snapshotId: res.snapshotId, itemCount: res.itemCount, contentHash: res.contentHash }));
} catch (e) {
  process.stdout.write(JSON.stringify({ error: toErrorInfo(e) }));
  process.exitCode = 1;
} finally {
  store.close();
}
