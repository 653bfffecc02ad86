/**
 * Worker thread of count-worker.ts: one read-only connection to the store,
 * running the COUNT and facet SELECTs it is sent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

export type ReadRequest = { id: number; sql: string; params: Record<string, unknown>; mode: 'get' | 'all' };
export type ReadReply = { id: number; value?: unknown; error?: string };

const { path: storePath } = workerData as { path: string };
const port = parentPort!;
let db: Database.Database | null = null;

port.on('message', (m: ReadRequest) => {
  let reply: ReadReply;
  try {
    db ??= new Database(storePath, { readonly: true, fileMustExist: true, timeout: 5000 });
    const stmt = db.prepare(m.sql);
    reply = { id: m.id, value: m.mode === 'all' ? stmt.raw(true).all(m.params) : stmt.pluck(true).get(m.params) };
  } catch (e) {
    reply = { id: m.id, error: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply);
});
