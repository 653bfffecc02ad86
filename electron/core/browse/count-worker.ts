/**
 * Counting the items that match a filter, or the values of every filter,
 * reads every matching index entry (50–1000 ms at 100k items), and
 * better-sqlite3 runs on the thread that asks. Such reads therefore run on a
 * worker thread with its own read-only connection (WAL lets it read beside
 * the main connection), so they never hold up the rows of the next
 * keystroke. Anything the worker cannot do (it is not started, the store
 * cannot be opened read-only, a TEMP table is involved) falls back to the
 * caller's connection.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../host/threads.ts';
import type { ReadReply, ReadRequest } from './read-worker.ts';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

class CountWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private next = 1;
  broken: Error | null = null;

  constructor(storePath: string) {
    this.worker = startWorker('browse-read', { workerData: { path: storePath } });
    this.worker.on('message', (m: ReadReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) this.worker.unref();
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.value);
    });
    const fail = (e: Error): void => {
      this.broken = e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`count worker exited (${code})`)));
    // An idle worker never keeps the process alive (the CLI and tests exit normally); a count in flight does.
    this.worker.unref();
  }

  run(sql: string, params: Record<string, unknown>, mode: 'get' | 'all'): Promise<unknown> {
    if (this.broken) return Promise.reject(this.broken);
    const id = this.next++;
    return new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      const request: ReadRequest = { id, sql, params, mode };
      this.worker.postMessage(request);
    });
  }

  terminate(): void {
    void this.worker.terminate();
  }
}

const workers = new Map<string, CountWorker>();

function workerFor(storePath: string): CountWorker | null {
  let w = workers.get(storePath);
  if (w?.broken) {
    workers.delete(storePath);
    w = undefined;
  }
  if (!w) {
    // One store at a time in practice (the app switches stores as a whole): let go of the others.
    for (const [p, other] of workers) {
      other.terminate();
      workers.delete(p);
    }
    try {
      w = new CountWorker(storePath);
    } catch {
      return null;
    }
    workers.set(storePath, w);
  }
  return w;
}

/** Runs a COUNT statement on the store's read worker; null when the worker cannot (the caller counts itself). */
export async function countOnWorker(storePath: string, sql: string, params: Record<string, unknown>): Promise<number | null> {
  try {
    const v = await workerFor(storePath)?.run(sql, params, 'get');
    return typeof v === 'number' ? v : null;
  } catch {
    return null;
  }
}

/** Runs a SELECT on the store's read worker and returns its rows as arrays; null when the worker cannot. */
export async function rowsOnWorker(storePath: string, sql: string, params: Record<string, unknown>): Promise<unknown[][] | null> {
  try {
    const v = await workerFor(storePath)?.run(sql, params, 'all');
    return Array.isArray(v) ? (v as unknown[][]) : null;
  } catch {
    return null;
  }
}
