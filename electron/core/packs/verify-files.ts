/**
 * Reading a pack's files for verify: the SHA-256, size and first repeated
 * JSON key of a file (hashFile), and the big snapshot files read and checked
 * on worker threads of their own (SnapshotFileWork). A 100k-item comparison
 * pack holds two snapshot files of about 445 MB, and verify reads each twice
 * on one thread: once for its hash with the rest of the files, once to
 * recompute its content hash (2.7 s each). Each big one now goes to a worker
 * (verify-snapshot-worker.ts) that opens the pack itself and does both reads,
 * while verify hashes the other files; verify takes what the worker found at
 * the same place in its checks, so the report (failures in the same order) is
 * the same. Anything the worker could not do (it failed, could not start) is
 * done on verify's own thread, as before; small files always are (a thread
 * costs more than they take).
 */
import { createHash } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../host/threads.ts';
import { DuplicateKeyScanner, type findDuplicateKey } from './sign/json-duplicates.ts';
import type { SnapshotFileCheck } from './write/snapshot-data.ts';
import type { PackSource } from './write/zip.ts';

export type FileHash = { sha256: string; size: number; duplicate: ReturnType<typeof findDuplicateKey> };

/** A file's SHA-256 and size as read, and the first key a JSON file repeats (readers would disagree on its value). */
export async function hashFile(src: PackSource, p: string): Promise<FileHash> {
  const h = createHash('sha256');
  const keys = p.endsWith('.json') ? new DuplicateKeyScanner() : null;
  let size = 0;
  for await (const c of await src.stream(p)) {
    h.update(c as Buffer);
    keys?.push(c as Buffer);
    size += (c as Buffer).length;
  }
  return { sha256: h.digest('hex'), size, duplicate: keys?.duplicate ?? null };
}

/** Files at least this big (as the pack states them) are read on a worker; tests only: VAULTPROOF_TEST_VERIFY_OFFLOAD_BYTES. */
function offloadBytes(): number {
  const n = Number(process.env.VAULTPROOF_TEST_VERIFY_OFFLOAD_BYTES);
  return process.env.VAULTPROOF_TEST_VERIFY_OFFLOAD_BYTES !== undefined && Number.isInteger(n) && n >= 0 ? n : 16 * 1024 * 1024;
}
/** At most this many workers (a pack compares two snapshots; a manifest naming many more gets no more threads). */
const MAX_WORKERS = 2;

export type VerifySnapshotWorkerData = { location: string; file: string };
/** Worker → verify: the file's hash, then its snapshot check; or that it could not go on. */
export type VerifySnapshotMessage = { type: 'hash'; value: FileHash } | { type: 'check'; value: SnapshotFileCheck } | { type: 'failed' };

type Answers = { hash: Promise<FileHash | null>; check: Promise<SnapshotFileCheck | null>; worker: Worker };

export class SnapshotFileWork {
  private readonly byFile = new Map<string, Answers>();

  /** Starts a worker for each of these files that is big (`size` as the pack states it), up to MAX_WORKERS; the others stay with the caller. */
  constructor(location: string, files: readonly string[], size: (p: string) => number) {
    const least = offloadBytes();
    for (const file of new Set(files)) {
      if (this.byFile.size >= MAX_WORKERS) break;
      if (size(file) < least) continue;
      let worker: Worker;
      try {
        worker = startWorker('pack-verify-snapshot', { workerData: { location, file } satisfies VerifySnapshotWorkerData });
      } catch {
        continue;
      }
      let hash!: (v: FileHash | null) => void;
      let check!: (v: SnapshotFileCheck | null) => void;
      const answers: Answers = { hash: new Promise((r) => (hash = r)), check: new Promise((r) => (check = r)), worker };
      // Whatever has not come when the worker fails or ends is null: the caller reads that file itself.
      const fail = (): void => {
        hash(null);
        check(null);
      };
      worker.on('message', (m: VerifySnapshotMessage) => {
        if (m.type === 'hash') hash(m.value);
        else if (m.type === 'check') check(m.value);
        else fail();
      });
      worker.on('error', fail);
      worker.on('exit', fail);
      this.byFile.set(file, answers);
    }
  }

  /** The file's hash from its worker; null when it has none or the worker failed. */
  hash(file: string): Promise<FileHash | null> {
    return this.byFile.get(file)?.hash ?? Promise.resolve(null);
  }

  /** The file's snapshot check from its worker; null when it has none or the worker failed. */
  check(file: string): Promise<SnapshotFileCheck | null> {
    return this.byFile.get(file)?.check ?? Promise.resolve(null);
  }

  /** Ends every worker (verify has what it needs, or stopped early). */
  async close(): Promise<void> {
    await Promise.all([...this.byFile.values()].map((a) => a.worker.terminate()));
  }
}
