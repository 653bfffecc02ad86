/**
 * Worker thread of evaluations.ts: one read-only store connection that works
 * out a snapshot's findings and pricing for the views (seconds at 100k items)
 * and keeps them, so the engine's thread stays free for the grid. No
 * request runs in an explicit transaction (what is kept is not kept inside
 * one): each reads the annotation-log head it is keyed by before the rows it
 * judges, so a kept answer is never older than its key, and an annotation
 * written meanwhile changes the head the next request sees.
 *
 * findings.prepare works in two steps: first the evaluation, the Findings
 * view's summary and its first list (what the view asks for first), then,
 * after any question that came meanwhile has been answered, the Finding
 * filter's counts (findingsByRule's keys per rule: about half a second more
 * at 100k items, which the view used to wait for behind it).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadProfile, loadRatecard } from '../analysis/assets.ts';
import { UserError } from '../errors.ts';
import { openStore, type Store } from '../store/store.ts';
import { costSummaryOf } from './cost-summary.ts';
import { evaluated, findingCountsAt, ruleKeysAt } from './finding-keys.ts';
import { findingsPage, findingsSummary } from './findings-pages.ts';
import type { EvalReply, EvalRequest } from './evaluations.ts';

const { path: storePath } = workerData as { path: string };
const port = parentPort!;
let store: Store | null = null;

/** The Findings view's default list (FindingsView's first findings.page). */
const firstList = { groupBy: 'severity', group: 'all', search: '' } as const;

function answer(m: EvalRequest, s: Store): unknown {
  switch (m.op) {
    case 'prepareFindings':
      findingsSummary(s, m.snapshotId);
      findingsPage(s, m.snapshotId, firstList, 0, 0);
      return later;
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
    case 'warm':
      // The connection is open (above); the defaults every evaluation is keyed by are read once per thread.
      loadProfile();
      loadRatecard();
      return null;
  }
}

/** answer()'s value for prepareFindings: its second step (the counts) runs once the questions already queued are answered. */
const later = Symbol('later');

function replyOf(id: number, f: () => unknown): EvalReply {
  try {
    return { id, value: f() };
  } catch (e) {
    return e instanceof UserError
      ? { id, error: { message: e.message, code: e.code, details: e.details, file: e.file } }
      : { id, error: { message: e instanceof Error ? e.message : String(e) } };
  }
}

port.on('message', (m: EvalRequest) => {
  const reply = replyOf(m.id, () => {
    store ??= openStore(storePath, { readonly: true });
    return answer(m, store);
  });
  if (reply.value !== later) return port.postMessage(reply);
  // setImmediate runs after the port has delivered every message already received (a view's findings.summary
  // or findings.page sent while the evaluation ran), so those are answered first.
  const { snapshotId } = m as Extract<EvalRequest, { op: 'prepareFindings' }>;
  setImmediate(() =>
    port.postMessage(
      replyOf(m.id, () => {
        findingCountsAt(store!, snapshotId);
        return null;
      }),
    ),
  );
});
