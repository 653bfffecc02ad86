/**
 * Feeds the snapshot writer from the spool while the network is still busy.
 *
 * Once the spooled records reach the parallel-write threshold, a
 * ParallelSnapshotWriter (worker thread, its own connection, ONE write
 * transaction) is opened and every group the spool releases is added to it
 * page by page, so SQLite inserts overlap the requests still in flight. The
 * transaction commits only after the network phase, with the snapshot's
 * coverage and provenance; a failed or cancelled collection aborts it and
 * nothing is stored. The content hash is computed at commit over the rows in
 * (type, key) order, so the order in which pages arrive does not change it.
 *
 * A collection that stays under the threshold is written after the network
 * phase on the store's own connection, synchronously, as before: a write
 * transaction on that connection must not stay open across awaits, or
 * other work on the connection would land inside it.
 */
import type { NormalisedRecord } from '../../../shared/domain/types.ts';
import type { Store } from '../store/store.ts';
import { ParallelSnapshotWriter } from '../store/parallel.ts';
import type { SnapshotSink } from '../store/snapshots.ts';
import type { RecordSpool } from './spool.ts';

export type FeedOptions = {
  store: Store;
  spool: RecordSpool;
  /** Spooled records from which the snapshot is written by the parallel writer, during the network phase. */
  threshold: number;
  /** Milliseconds of the snapshot id's time (UUIDv7) for a writer opened now. */
  now: () => number;
  /** Records handed to the writer so far. */
  onWritten?: (records: number) => void;
  /** The pump failed: the collection should stop at once. */
  onFailure: (e: Error) => void;
};

/** Milliseconds of writing between two looks at the network. */
const SLICE_MS = 10;

/** Yields to I/O: the pump must never hold the event loop while responses wait to be read. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class SnapshotFeed {
  private readonly o: FeedOptions;
  private writer: SnapshotSink | null = null;
  private pumping: Promise<void> | null = null;
  private stopped = false;
  failure: Error | null = null;
  readonly counts: Record<string, number> = { item: 0, vault: 0, policy: 0, recoveryPoint: 0, job: 0, inventory: 0 };
  duplicates = 0;
  written = 0;
  /** Records written before the network phase ended (the overlap). */
  writtenDuringNetwork = 0;

  constructor(o: FeedOptions) {
    this.o = o;
  }

  /** Starts writing released groups as they come (from the threshold on). */
  start(): void {
    if (this.pumping) return;
    this.pumping = this.pump().catch((e: unknown) => {
      const err = e instanceof Error ? e : new Error(String(e));
      if (!this.stopped) {
        this.failure = err;
        this.o.onFailure(err);
      }
    });
  }

  private add(recs: NormalisedRecord[]): void {
    const w = this.writer!;
    for (const rec of recs) {
      if (w.add(rec)) this.counts[rec.type] = (this.counts[rec.type] ?? 0) + 1;
      else this.duplicates++;
    }
    this.written += recs.length;
    this.o.onWritten?.(this.written);
  }

  private async pump(): Promise<void> {
    const { spool } = this.o;
    for (;;) {
      if (this.stopped) return;
      if (!this.writer) {
        if (spool.records < this.o.threshold || spool.records === 0) {
          if (spool.done) return;
          await spool.changed();
          continue;
        }
        const w = await ParallelSnapshotWriter.open(this.o.store.path, this.o.now());
        if (this.stopped) {
          w.abort();
          return;
        }
        this.writer = w;
      }
      if (spool.released === 0) {
        if (spool.done) return;
        await spool.changed();
        continue;
      }
      // A slice of work, then back to the event loop, where responses wait to be read.
      const until = performance.now() + SLICE_MS;
      do this.add(spool.takeReleased());
      while (spool.released > 0 && performance.now() < until);
      if (!spool.done) this.writtenDuringNetwork = this.written;
      await this.writer.drain?.();
      await turn();
    }
  }

  /**
   * After spool.finish(): waits for the pump to write what is left and returns
   * the writer. Under the threshold the records are written now, on the
   * store's connection, in one synchronous pass.
   */
  async drainAll(idTimeMs: number): Promise<SnapshotSink> {
    this.start();
    await this.pumping;
    if (this.failure) throw this.failure;
    if (!this.writer) {
      this.writer = this.o.store.snapshots.begin(idTimeMs);
      for (let recs = this.o.spool.takeReleased(); recs.length > 0; recs = this.o.spool.takeReleased()) this.add(recs);
    }
    return this.writer;
  }

  /** The committed writer is no longer this feed's to abort. */
  committed(): void {
    this.writer = null;
  }

  /**
   * Stops the pump and rolls back whatever was written (a failed or cancelled
   * collection). Does not wait for the pump: it may be waiting on a writer that
   * is being terminated. A writer still opening is aborted by the pump when it opens.
   */
  abort(): void {
    this.stopped = true;
    this.writer?.abort();
    this.writer = null;
  }
}
