/**
 * Worker thread of evaluations.ts: one read-only store connection that works
 * out a snapshot's findings and pricing for the views (seconds at 100k items)
 * and keeps them, so the engine's thread stays free for the grid. Each
 * request runs in one read transaction: the log head it is keyed by and the
 * rows it reads are the same state of the store.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../errors.ts';
import { openStore, type Store } from '../store/store.ts';
import { costSummaryOf } from './cost-summary.ts';
import { findingCountsAt, ruleKeysAt } from './finding-keys.ts';
import { findingsPage, findingsSummary } from './findings-pages.ts';
import type { EvalReply, EvalRequest } from './evaluations.ts';

const { path: storePath } = workerData as { path: string };
const port = parentPort!;
let store: Store | null = null;

function answer(m: EvalRequest, s: Store): unknown {
  switch (m.op) {
    case 'prepareFindings':
      findingCountsAt(s, m.snapshotId);
      findingsSummary(s, m.snapshotId);
      return null;
    case 'findingsSummary':
      return findingsSummary(s, m.snapshotId);
    case 'findingsPage':
      return findingsPage(s, m.snapshotId, m.view, m.offset, m.limit);
    case 'findingCounts':
      return findingCountsAt(s, m.snapshotId);
    case 'ruleKeys':
      return { counts: findingCountsAt(s, m.snapshotId), keys: ruleKeysAt(s, m.snapshotId, m.rule) };
    case 'costSummary':
      return costSummaryOf(s, m.snapshotId, m.opts, m.unknownLimit);
  }
}

port.on('message', (m: EvalRequest) => {
  let reply: EvalReply;
  try {
    store ??= openStore(storePath, { readonly: true });
    const db = store.db;
    db.exec('BEGIN');
    try {
      reply = { id: m.id, value: answer(m, store) };
    } finally {
      db.exec('COMMIT');
    }
  } catch (e) {
    reply =
      e instanceof UserError
        ? { id: m.id, error: { message: e.message, code: e.code, details: e.details, file: e.file } }
        : { id: m.id, error: { message: e instanceof Error ? e.message : String(e) } };
  }
  port.postMessage(reply);
});
