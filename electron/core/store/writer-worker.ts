/**
 * Worker thread of ParallelSnapshotWriter: owns one connection and one write
 * transaction; receives prepared rows, commits on request.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { finishSnapshot, insertRows, rowStatements, type NewSnapshot, type PreparedRow } from './rows.ts';
import { applyTestPageLimit } from './store.ts';

const { dbPath, id } = workerData as { dbPath: string; id: string };
const port = parentPort!;
let db: Database.Database | null = null;
try {
  db = new Database(dbPath, { timeout: 5000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  applyTestPageLimit(db);
  db.exec('BEGIN IMMEDIATE');
  const st = rowStatements(db);
  // After the first failure the transaction is gone: later rows would be written outside it and a
  // commit would store a snapshot row without its items. Everything after a failure is refused.
  let failed: { message: string; code: unknown } | null = null;
  port.on('message', (m: { type: 'rows'; rows: PreparedRow[] } | { type: 'commit'; meta: NewSnapshot; itemCount: number } | { type: 'abort' }) => {
    if (failed) {
      if (m.type === 'commit') port.postMessage({ type: 'error', ...failed });
      else if (m.type === 'abort') {
        db!.close();
        port.postMessage({ type: 'aborted' });
      }
      return;
    }
    try {
      if (m.type === 'rows') {
        insertRows(st, m.rows);
        port.postMessage({ type: 'ack' });
      }
      else if (m.type === 'commit') {
        const summary = finishSnapshot(db!, id, m.itemCount, m.meta);
        db!.close();
        port.postMessage({ type: 'committed', summary });
      } else {
        if (db!.inTransaction) db!.exec('ROLLBACK');
        db!.close();
        port.postMessage({ type: 'aborted' });
      }
    } catch (e) {
      try {
        if (db?.inTransaction) db.exec('ROLLBACK');
      } catch {}
      failed = { message: (e as Error).message, code: (e as { code?: unknown }).code };
      port.postMessage({ type: 'error', ...failed });
    }
  });
  port.postMessage({ type: 'ready' });
} catch (e) {
  port.postMessage({ type: 'error', message: (e as Error).message, code: (e as { code?: unknown }).code });
}
