/**
 * The pack's snapshot-files thread (snapshot-files.ts says why): opens the
 * store read-only and writes each snapshot file with writeSnapshotFile, in
 * order, saying what each came to; the first error ends it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorInfo } from '../../errors.ts';
import { openStore } from '../../store/store.ts';
import { writeSnapshotFile } from './snapshot-data.ts';
import type { SnapshotFilesMessage, SnapshotFilesWorkerData } from './snapshot-files.ts';

const port = parentPort!;
const { storePath, jobs } = workerData as SnapshotFilesWorkerData;
const post = (m: SnapshotFilesMessage): void => port.postMessage(m);

try {
  const store = openStore(storePath, { readonly: true });
  try {
    for (const [index, job] of jobs.entries()) post({ type: 'file', index, written: writeSnapshotFile(store, job.snap, job.file) });
  } finally {
    store.close();
  }
  post({ type: 'done' });
} catch (e) {
  const info = toErrorInfo(e, storePath);
  post({ type: 'error', error: { message: info.message, ...(info.code !== 'INTERNAL' ? { code: info.code } : {}), ...(info.file ? { file: info.file } : {}) } });
}
