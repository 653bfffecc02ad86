import type { Worker } from 'node:worker_threads';
import { startWorker } from '../host/threads.ts';
import type { NormalisedRecord, SnapshotSummary } from '../../../shared/domain/types.ts';
import { storeErrorFromSqlite, UserError } from '../errors.ts';
import { BODY_AT, prepareRow, type NewSnapshot, type PreparedRow, type TextAt } from './rows.ts';
import { itemTextBytesAtMost, writeItemText } from './item-body.ts';
import { KeyDeduper, uuidv7, type SnapshotSink } from './snapshots.ts';
import { HashSpool } from './hash-spool.ts';

const BATCH = 512;
const MAX_IN_FLIGHT = Number(process.env.VAULTPROOF_WRITER_QUEUE ?? 48);
/** A batch is sent once it holds this much text, and the parser waits while this much is queued (see MAX_ELEMENT_CHARS in import/split.ts). */
const BATCH_BYTES = 4 * 1024 * 1024;
const MAX_IN_FLIGHT_BYTES = 32 * 1024 * 1024;
/** Batches queued for the writer thread above which this thread packs item bodies itself (see add); read per writer. */
function packHereWhenQueued(): number {
  const n = Number(process.env.VAULTPROOF_PACK_HERE_QUEUED ?? 8);
  return Number.isFinite(n) ? n : 8;
}

function rowChars(row: PreparedRow): number {
  let n = 0;
  for (const v of row.values) {
    if (typeof v === 'string') n += v.length;
    else if (v instanceof Uint8Array) n += v.length;
    else if (v !== null && typeof v === 'object' && 'len' in v) n += (v as TextAt).len;
  }
  return n;
}

type Reply = { type: 'ack' } | { type: 'ready' } | { type: 'committed'; summary: SnapshotSummary } | { type: 'aborted' } | { type: 'error'; message: string; code?: unknown };

/**
 * A snapshot writer for big imports: this thread parses, normalises and
 * hashes; a worker thread with its own connection runs the one write
 * transaction. The two overlap on a 2-core machine. Same rows, same hash,
 * same all-or-nothing guarantee as SnapshotWriter (a crash of either thread
 * leaves the transaction uncommitted).
 */
export class ParallelSnapshotWriter implements SnapshotSink {
  readonly id: string;
  private readonly worker: Worker;
  private readonly dedupe = new KeyDeduper();
  private batch: PreparedRow[] = [];
  /**
   * The UTF-8 body texts of the batch's items the writer thread packs, one after the other: handed over with
   * the batch (transferred, not copied), where a structured clone of the two strings copied 4 kB per item into
   * the writer thread's heap, which then wrote them out as UTF-8 again to pack them.
   */
  private texts: Buffer = Buffer.allocUnsafeSlow(0);
  private textsUsed = 0;
  private failure: Error | null = null;
  private waiting: ((r: Reply) => void) | null = null;
  private finished = false;
  private inFlight = 0;
  /** Characters of text in each batch the worker has not acknowledged yet. */
  private inFlightBytes: number[] = [];
  private batchBytes = 0;
  private drains: Array<() => void> = [];
  itemCount = 0;
  recordCount = 0;
  private readonly packHereWhenQueued = packHereWhenQueued();
  /** The content hash worked out here from the texts sent (hash-spool.ts); null when it could not be set up. */
  private hashSpool: HashSpool | null = null;

  private constructor(worker: Worker, id: string) {
    this.worker = worker;
    this.id = id;
    worker.on('message', (r: Reply) => {
      if (r.type === 'ack') {
        this.inFlight--;
        this.inFlightBytes.shift();
        if (!this.behind) for (const d of this.drains.splice(0)) d();
        return;
      }
      if (r.type === 'error') {
        this.failure =
          r.code === 'VAULTPROOF_STORE_DAMAGED' ? new UserError('STORE', r.message) : (storeErrorFromSqlite(r.code, r.message) ?? new UserError('STORE', `writing the snapshot failed: ${r.message}`));
        for (const d of this.drains.splice(0)) d();
      }
      const w = this.waiting;
      this.waiting = null;
      w?.(r);
    });
    worker.on('error', (e) => {
      this.failure = e;
      for (const d of this.drains.splice(0)) d();
      const w = this.waiting;
      this.waiting = null;
      w?.({ type: 'error', message: e.message });
    });
  }

  static async open(dbPath: string, nowMs?: number): Promise<ParallelSnapshotWriter> {
    const id = uuidv7(nowMs);
    let worker: Worker;
    try {
      worker = startWorker('store-writer', { workerData: { dbPath, id } });
    } catch (e) {
      throw new UserError('STORE', `the snapshot writer could not start: ${(e as Error).message}`);
    }
    const w = new ParallelSnapshotWriter(worker, id);
    try {
      w.hashSpool = new HashSpool();
    } catch {
      // No private temporary file: the writer thread hashes the stored rows, as before.
    }
    const first = await w.next();
    if (first.type !== 'ready') {
      await worker.terminate();
      throw w.failure ?? new UserError('STORE', 'the snapshot writer did not start');
    }
    return w;
  }

  get duplicates(): number {
    return this.dedupe.duplicates;
  }

  private next(): Promise<Reply> {
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  add(rec: NormalisedRecord): boolean {
    if (this.failure) throw this.failure;
    if (!this.dedupe.first(rec.type, rec.key)) return false;
    // Packing an item's texts (about 45 us) is done here only while the writer thread is the busier one
    // (batches waiting for it); otherwise that thread packs them, so both cores share the work.
    const row = prepareRow(this.id, rec, this.inFlight > this.packHereWhenQueued, this.hashSpool ?? undefined);
    if (row.item && !(row.values[BODY_AT] instanceof Uint8Array)) row.values[BODY_AT] = this.writeText(row.values[BODY_AT] as { data: string; raw: string });
    this.batch.push(row);
    this.batchBytes += rowChars(row);
    if (row.item) this.itemCount++;
    this.recordCount++;
    if (this.batch.length >= BATCH || this.batchBytes >= BATCH_BYTES) this.flush();
    return true;
  }

  /** Appends an item's body text to the batch's text buffer (grown as needed). */
  private writeText(t: { data: string; raw: string }): TextAt {
    const most = itemTextBytesAtMost(t.data, t.raw);
    if (this.textsUsed + most > this.texts.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(this.textsUsed + most, Math.min(2 * this.texts.length, BATCH_BYTES * 3), 1 << 20));
      this.texts.copy(grown, 0, 0, this.textsUsed);
      this.texts = grown;
    }
    const at = this.textsUsed;
    const len = writeItemText(this.texts, at, t.data, t.raw);
    this.textsUsed += len;
    return { at, len };
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    if (this.textsUsed > 0) {
      // The buffer is handed over: this thread starts the next batch with a new one of the size this one reached.
      const texts = this.texts;
      const buffer = texts.buffer as ArrayBuffer; // allocUnsafeSlow: an ArrayBuffer of its own, never a pool's or shared
      this.worker.postMessage({ type: 'rows', rows: this.batch, texts: buffer }, [buffer]);
      this.texts = Buffer.allocUnsafeSlow(texts.length);
      this.textsUsed = 0;
    } else this.worker.postMessage({ type: 'rows', rows: this.batch });
    this.inFlight++;
    this.inFlightBytes.push(this.batchBytes);
    this.batch = [];
    this.batchBytes = 0;
  }

  /** Queued bytes count as much as queued batches: a few records of megabytes each must not pile up by the hundred. */
  private get behind(): boolean {
    return this.inFlight > MAX_IN_FLIGHT || this.inFlightBytes.reduce((a, b) => a + b, 0) > MAX_IN_FLIGHT_BYTES;
  }

  /**
   * Back-pressure: resolves once the worker has caught up to a few batches,
   * so a fast parser does not queue the whole file in memory.
   */
  drain(): Promise<void> {
    if (!this.behind || this.failure) return Promise.resolve();
    return new Promise((resolve) => this.drains.push(resolve));
  }

  async commitAsync(meta: NewSnapshot): Promise<SnapshotSummary> {
    if (this.finished) throw new Error('snapshot writer already finished');
    this.flush();
    // The writer thread places the staged rows while this one works out the content hash.
    this.worker.postMessage({ type: 'place' });
    let contentHash: string | null = null;
    try {
      contentHash = this.hashSpool?.digest() ?? null;
    } catch {
      contentHash = null; // the writer thread hashes the stored rows instead
    }
    const reply = this.next();
    this.worker.postMessage({ type: 'commit', meta, itemCount: this.itemCount, contentHash });
    const r = await reply;
    this.finished = true;
    await this.worker.terminate();
    if (r.type !== 'committed') throw this.failure ?? new UserError('STORE', 'the snapshot was not written');
    return r.summary;
  }

  abort(): void {
    if (this.finished) return;
    this.finished = true;
    this.hashSpool?.discard();
    // Terminating the worker closes its connection; the open transaction is rolled back.
    this.worker.postMessage({ type: 'abort' });
    void this.worker.terminate();
  }
}
