/**
 * verify's thread for one big snapshot file (verify-files.ts says why): opens
 * the pack itself, reads the file once for its hash and once more to
 * recompute its content hash, and says each as it has it. Any error ends it
 * with 'failed': verify then reads the file on its own thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { hashFile, type VerifySnapshotMessage, type VerifySnapshotWorkerData } from './verify-files.ts';
import { checkSnapshotStream } from './write/snapshot-data.ts';
import { openPack } from './write/zip.ts';

const port = parentPort!;
const { location, file } = workerData as VerifySnapshotWorkerData;
const post = (m: VerifySnapshotMessage): void => port.postMessage(m);

async function main(): Promise<void> {
  const src = await openPack(location);
  try {
    post({ type: 'hash', value: await hashFile(src, file) });
    post({ type: 'check', value: await checkSnapshotStream(await src.stream(file)) });
  } finally {
    await src.close();
  }
}

main().catch(() => post({ type: 'failed' }));
