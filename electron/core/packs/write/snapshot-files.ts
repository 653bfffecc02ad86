/**
 * The pack's snapshot files (data/snapshot-<id>.json: at 100k items about
 * 445 MB each, with every record's canonical data and raw text, hashed as
 * written) on a thread of their own. They depend on nothing the rest of the
 * pack works out, only on the store's immutable snapshots, and writing the two
 * of a comparison pack took 9-10 s of the data phase on the pack's one thread.
 * Started when the build starts, they are written beside the analysis, the
 * other data files, the PDF and the workbook (issue 17: a 100k pack comparing
 * two snapshots). The worker (snapshot-files-worker.ts) opens the store
 * read-only and runs the same writeSnapshotFile, which checks each snapshot
 * against its recorded content hash on the way.
 *
 * Written on the build's own thread instead, as before: a redacted pack (its
 * redactor is a keyed pseudonymiser held here), a store read inside an open
 * transaction (a worker would not see what it has not committed), or a worker
 * that cannot start.
 */
import type { Worker } from 'node:worker_threads';
import type { ErrorCode } from '../../../../shared/contract/result.ts';
import type { CoverageEntry, Provenance, SnapshotSummary } from '../../../../shared/domain/types.ts';
import { UserError } from '../../errors.ts';
import { startWorker } from '../../host/threads.ts';
import type { Store } from '../../store/store.ts';
import type { RedactedCounts } from './snapshot-data.ts';

export type SnapshotFileJob = { file: string; snap: { summary: SnapshotSummary; provenance: Provenance; coverage: CoverageEntry[] } };
export type SnapshotFileWritten = { sha256: string; size: number; redacted: RedactedCounts };

/** Worker → build: one file written (in job order), all written, or the error that stopped it. */
export type SnapshotFilesMessage =
  | { type: 'file'; index: number; written: SnapshotFileWritten }
  | { type: 'done' }
  | { type: 'error'; error: { message: string; code?: ErrorCode; file?: string } };

export type SnapshotFilesWorkerData = { storePath: string; jobs: SnapshotFileJob[] };

/** The snapshot files being written on their worker. */
export class SnapshotFiles {
  private readonly worker: Worker;
  private readonly done: Promise<SnapshotFileWritten[]>;
  private failed: Error | null = null;

  private constructor(storePath: string, jobs: SnapshotFileJob[]) {
    this.worker = startWorker('pack-snapshot-files', { workerData: { storePath, jobs } satisfies SnapshotFilesWorkerData });
    const written: SnapshotFileWritten[] = [];
    let settled = false;
    this.done = new Promise<SnapshotFileWritten[]>((resolve, reject) => {
      // The first word counts: a worker that said it is done then exits, which is no failure.
      const fail = (e: Error): void => {
        if (settled) return;
        settled = true;
        this.failed = e;
        reject(e);
      };
      this.worker.on('message', (m: SnapshotFilesMessage) => {
        if (m.type === 'file') written[m.index] = m.written;
        else if (m.type === 'done') {
          settled = true;
          resolve(written);
        } else fail(m.error.code ? new UserError(m.error.code, m.error.message, m.error.file ? { file: m.error.file } : {}) : new Error(`writing the snapshot files: ${m.error.message}`));
      });
      this.worker.on('error', (e) => fail(new Error(`writing the snapshot files: ${e.message}`)));
      this.worker.on('exit', (code) => fail(new Error(`the snapshot files' worker stopped (exit ${code}) before it was done`)));
    });
    // Seen by results() or stop(); never an unhandled rejection in between.
    this.done.catch(() => {});
  }

  /** Starts the worker for these files; null where they must be written on the build's thread (see the top of this file). */
  static start(store: Store, jobs: SnapshotFileJob[]): SnapshotFiles | null {
    if (jobs.length === 0 || store.db.inTransaction) return null;
    try {
      return new SnapshotFiles(store.workingCopy ?? store.path, jobs);
    } catch {
      return null;
    }
  }

  /** Throws what stopped the worker, if anything has (the build checks between its phases, so a refused snapshot stops it early). */
  throwIfFailed(): void {
    if (this.failed) throw this.failed;
  }

  /** What each file came to, in job order, once all are written. */
  results(): Promise<SnapshotFileWritten[]> {
    return this.done;
  }

  /** Ends the worker and waits until it has stopped writing (before the staging folder is removed). */
  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}
