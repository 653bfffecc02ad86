/**
 * Worker thread of evaluations.ts: one read-only store connection that works
 * out a snapshot's findings and pricing for the views (seconds at 100k items)
 * and keeps them, so the engine's thread stays free for the grid. No
 * request runs in an explicit transaction (what is kept is not kept inside
 * one): each reads the annotation-log head it is keyed by before the rows it
 * judges, so a kept answer is never older than its key, and an annotation
 * written meanwhile changes the head the next request sees.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../errors.ts';
import { openStore, type Store } from '../store/store.ts';
import { costSummaryOf } from './cost-summary.ts';
import { evaluated, findingCountsAt, ruleKeysAt } from './finding-keys.ts';
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
    case 'evaluated':
      return { ...evaluated };
  }
}

port.on('message', (m: EvalRequest) => {
  let reply: EvalReply;
  try {
    store ??= openStore(storePath, { readonly: true });
    reply = { id: m.id, value: answer(m, store) };
  } catch (e) {
    reply =
      e instanceof UserError
        ? { id: m.id, error: { message: e.message, code: e.code, details: e.details, file: e.file } }
        : { id: m.id, error: { message: e instanceof Error ? e.message : String(e) } };
  }
  port.postMessage(reply);
});
