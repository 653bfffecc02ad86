/**
 * Worker thread of ParallelSnapshotWriter: owns one connection and one write
 * transaction; receives prepared rows, commits on request.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { finishSnapshot, insertRows, placeStagedItems, rowStatements, type NewSnapshot, type PreparedRow } from './rows.ts';
import { applyTestPageLimit, wholeFileCheck } from './store.ts';

const { dbPath, id } = workerData as { dbPath: string; id: string };
/**
 * The writer connection's page cache (KiB), which also bounds the memory SQLite's sorter takes before it
 * spills to temporary files. 256 MiB (before migration 011, for six scattered indexes) let the commit of a
 * 100k import hold its placed pages and the whole sort in memory: peak RSS 708-802 MB, the highest of the
 * import. 32 MiB holds the items_ui pages the scattered inserts touch; the rest goes to the WAL as it would
 * at commit (100k items: 466 MB peak at 64 MiB, 354 MB at 16 MiB, no more CPU).
 */
const WRITER_CACHE_KIB = Number(process.env.VAULTPROOF_WRITER_CACHE_KIB ?? 32 * 1024);
const port = parentPort!;
/** Tells ParallelSnapshotWriter that the message is already the store's own error. */
const DAMAGED = 'VAULTPROOF_STORE_DAMAGED';
let db: Database.Database | null = null;
try {
  db = new Database(dbPath, { timeout: 5000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Before migration 011 each item went into the table and six indexes: six insertion points scattered
  // over a big snapshot's index pages, which SQLite's default 2 MB cache re-read and re-wrote through the
  // WAL (100k items: 37 s of inserts; 11.5 s with the pages in cache). Since 011 the rows are placed in key
  // order at commit and only items_ui takes scattered inserts.
  db.pragma(`cache_size = -${WRITER_CACHE_KIB}`);
  applyTestPageLimit(db);
  db.exec('BEGIN IMMEDIATE');
  const st = rowStatements(db);
  // After the first failure the transaction is gone: later rows would be written outside it and a
  // commit would store a snapshot row without its items. Everything after a failure is refused.
  let failed: { message: string; code: unknown } | null = null;
  port.on('message', (m: { type: 'rows'; rows: PreparedRow[]; texts?: ArrayBuffer } | { type: 'place' } | { type: 'commit'; meta: NewSnapshot; itemCount: number; contentHash: string | null } | { type: 'abort' }) => {
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
        insertRows(st, m.rows, m.texts ? new Uint8Array(m.texts) : undefined);
        port.postMessage({ type: 'ack' });
      } else if (m.type === 'place') {
        // Every row has arrived: placed in key order while the parsing thread works out the content hash.
        placeStagedItems(db!);
      } else if (m.type === 'commit') {
        const summary = finishSnapshot(db!, id, m.itemCount, m.meta, m.contentHash);
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
  // The whole-file check before the first row is written (Store.checkBeforeWrite), run here so it
  // overlaps the parser, which is already reading the file; rows queue meanwhile, nothing is written.
  try {
    wholeFileCheck(db, dbPath);
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    failed = { message: (e as Error).message, code: DAMAGED };
    port.postMessage({ type: 'error', ...failed });
  }
} catch (e) {
  port.postMessage({ type: 'error', message: (e as Error).message, code: (e as { code?: unknown }).code });
}
