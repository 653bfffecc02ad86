/**
 * The views' evaluations off the engine's thread (issue 17). Working out a
 * snapshot's findings or pricing takes seconds at 100k items, and
 * better-sqlite3 runs on the thread that asks: on the engine's thread it held
 * up every grid page and keystroke behind it, so the views could not start
 * it early. Here each runs on a worker thread of its own
 * (evaluation-worker.ts: findings on one, pricing on another) with a
 * read-only connection; the worker keeps what it worked out (finding-keys.ts,
 * findings-pages.ts, cost-summary.ts key it by snapshot, annotation-log head,
 * profile and rate-card hash), so the app starts it as soon as a snapshot is
 * opened (findings.prepare) and the view finds it ready.
 *
 * The engine's own connection is used instead when the worker cannot answer:
 * inside a transaction (an import still writing: the worker would not see
 * it), a store that is not a file, or a worker that failed to start or died.
 */
import fs from 'node:fs';
import type { Worker } from 'node:worker_threads';
import type { FindingCount } from '../../../shared/contract/methods/ui.ts';
import type { CostSummary } from '../../../shared/contract/methods/cost.ts';
import type { FindingsPage, FindingsSummary } from '../../../shared/contract/methods/findings.ts';
import type { FindingsViewFilter } from '../../../shared/domain/findings-view.ts';
import type { ErrorCode } from '../../../shared/contract/result.ts';
import { UserError } from '../errors.ts';
import { startWorker } from '../host/threads.ts';
import type { Store } from '../store/store.ts';
import { costSummaryOf } from './cost-summary.ts';
import { adoptFindingCounts, adoptRuleKeys, findingCounts, hasRuleKeys, keptFindingCounts, type FindingCountsAt } from './finding-keys.ts';
import { findingsPage, findingsSummary } from './findings-pages.ts';

export type EvalRequest = { id: number } & (
  | { op: 'prepareFindings'; snapshotId: string }
  | { op: 'findingsSummary'; snapshotId: string }
  | { op: 'findingsPage'; snapshotId: string; view: FindingsViewFilter; offset: number; limit: number }
  | { op: 'findingCounts'; snapshotId: string }
  | { op: 'ruleKeys'; snapshotId: string; rule: string }
  | { op: 'costSummary'; snapshotId: string; opts: { compare?: string; sizes?: string }; unknownLimit: number }
  | { op: 'evaluated' }
  | { op: 'warm' }
);
type Req = EvalRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;
export type EvalReply = { id: number; value?: unknown; error?: { message: string; code?: ErrorCode; details?: unknown; file?: string | undefined } };

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };
/** A failure of the worker itself (not of the question): the caller answers on its own connection. */
class WorkerDown extends Error {}

class EvalWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private next = 1;
  broken: Error | null = null;

  constructor(storePath: string) {
    this.worker = startWorker('browse-evaluate', { workerData: { path: storePath } });
    this.worker.on('message', (m: EvalReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) this.worker.unref();
      if (m.error === undefined) p.resolve(m.value);
      else if (m.error.code) p.reject(new UserError(m.error.code, m.error.message, { details: m.error.details, ...(m.error.file ? { file: m.error.file } : {}) }));
      else p.reject(new WorkerDown(m.error.message));
    });
    const fail = (e: Error): void => {
      this.broken = e;
      for (const p of this.pending.values()) p.reject(new WorkerDown(e.message));
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`evaluation worker exited (${code})`)));
    // An idle worker never keeps the process alive (the CLI and tests exit normally); a question in flight does.
    this.worker.unref();
  }

  run(req: Req): Promise<unknown> {
    if (this.broken) return Promise.reject(new WorkerDown(this.broken.message));
    const id = this.next++;
    return new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ ...req, id } as EvalRequest);
    });
  }

  terminate(): Promise<void> {
    return this.worker.terminate().then(
      () => undefined,
      () => undefined,
    );
  }
}

type Role = 'findings' | 'cost';
const workers = new Map<Role, { path: string; worker: EvalWorker }>();

function workerFor(store: Store, role: Role): EvalWorker | null {
  if (store.db.inTransaction) return null;
  const file = store.workingCopy ?? store.path;
  let w = workers.get(role);
  if (w && (w.worker.broken || w.path !== file)) {
    // One store at a time in practice (the app switches stores as a whole): let go of the other one.
    void w.worker.terminate();
    workers.delete(role);
    w = undefined;
  }
  if (!w) {
    if (!fs.existsSync(file)) return null;
    try {
      w = { path: file, worker: new EvalWorker(file) };
    } catch {
      return null;
    }
    workers.set(role, w);
    // It lets go when the store closes (the app opens another store, the engine or serve stops), not on the
    // next view of another store: until then it held the file and its kept evaluation.
    const mine = w;
    store.onClose(() => {
      if (workers.get(role) === mine) workers.delete(role);
      return mine.worker.terminate();
    });
  }
  return w.worker;
}

/** The worker's answer, or (when it cannot give one) the same question answered on the engine's connection. */
async function ask<T>(store: Store, role: Role, req: Req, here: () => T): Promise<T> {
  const w = workerFor(store, role);
  if (!w) return here();
  try {
    return (await w.run(req)) as T;
  } catch (e) {
    if (e instanceof WorkerDown) return here();
    throw e;
  }
}

/**
 * Starts both workers warm (thread up, modules loaded, their read-only connection open, the default profile and
 * rate card read), with nothing of any snapshot: the app calls it when it shows the snapshot list, so opening a
 * snapshot pays no thread start-up (75-110 ms to come online, ~165 ms of modules at 100k on a quiet machine, more
 * under load). The pricing worker starts only once the findings worker is up, so a start-up never takes both
 * cores from the window. Never fails (its promise says when both are up, for tests); a worker that cannot start
 * is started again when a view asks.
 */
export function warmViews(store: Store): Promise<void> {
  const none = () => null;
  if (!workerFor(store, 'findings')) return Promise.resolve();
  return ask(store, 'findings', { op: 'warm' }, none)
    .catch(none)
    .then(() => (workerFor(store, 'cost') ? ask(store, 'cost', { op: 'warm' }, none) : null))
    .then(
      () => undefined,
      () => undefined,
    );
}

/**
 * Starts working out the snapshot's findings and its pricing (the Cost view's: against the baseline and the
 * baseline's own when one is given, else alone) on the workers, answering at once. Nothing is done on this
 * thread: without a worker the views work it out when they ask.
 */
export function prepareViews(store: Store, snapshotId: string, baselineId: string | null): void {
  const none = () => null;
  if (!workerFor(store, 'findings')) return;
  const findings = ask(store, 'findings', { op: 'prepareFindings', snapshotId }, none).catch(none);
  const costs: Array<[string, { compare?: string }]> = baselineId ? [[snapshotId, { compare: baselineId }], [baselineId, {}]] : [[snapshotId, {}]];
  // One after the other, the pricing worker not even started before: a head start uses one core, leaving the
  // other to the grid and the window (2-core machines). A view that asks meanwhile is answered by its worker at once.
  void findings.then(async () => {
    if (!workerFor(store, 'cost')) return;
    for (const [id, opts] of costs) await ask(store, 'cost', { op: 'costSummary', snapshotId: id, opts, unknownLimit: 0 }, none).catch(none);
  });
}

export function findingsSummaryAsync(store: Store, snapshotId: string): Promise<FindingsSummary> {
  return ask(store, 'findings', { op: 'findingsSummary', snapshotId }, () => findingsSummary(store, snapshotId));
}

export function findingsPageAsync(store: Store, snapshotId: string, view: FindingsViewFilter, offset: number, limit: number): Promise<FindingsPage> {
  return ask(store, 'findings', { op: 'findingsPage', snapshotId, view, offset, limit }, () => findingsPage(store, snapshotId, view, offset, limit));
}

export function costSummaryAsync(store: Store, snapshotId: string, opts: { compare?: string; sizes?: string }, unknownLimit: number): Promise<CostSummary> {
  return ask(store, 'cost', { op: 'costSummary', snapshotId, opts, unknownLimit }, () => costSummaryOf(store, snapshotId, opts, unknownLimit));
}

/** items.findingCounts: from the worker's evaluation; kept here (without keys) when they hold for this connection. */
export async function findingCountsAsync(store: Store, snapshotId: string): Promise<FindingCount[]> {
  const kept = keptFindingCounts(store, snapshotId);
  if (kept) return kept;
  const at = await ask<FindingCountsAt | null>(store, 'findings', { op: 'findingCounts', snapshotId }, () => null);
  if (!at) return findingCounts(store, snapshotId);
  adoptFindingCounts(store, snapshotId, at);
  return at.counts;
}

/**
 * Before a grid query filtered on a rule: fetch that rule's item keys from the worker unless this connection
 * holds them (findingKeySet then writes them to its TEMP table). When they cannot be adopted (a newer
 * annotation), findingKeySet evaluates on this connection, as before.
 */
export async function ensureRuleKeys(store: Store, snapshotId: string, rule: string): Promise<void> {
  if (hasRuleKeys(store, snapshotId, rule)) return;
  const got = await ask<{ counts: FindingCountsAt; keys: { head: string; profileHash: string; keys: string[] } } | null>(store, 'findings', { op: 'ruleKeys', snapshotId, rule }, () => null);
  if (!got) return;
  adoptFindingCounts(store, snapshotId, got.counts);
  adoptRuleKeys(store, snapshotId, rule, got.keys);
}

/** How many evaluations (findings worker) and pricings (cost worker) were worked out rather than answered from what was kept; null without workers. Tests read it. */
export async function evaluatedCounts(store: Store): Promise<{ findings: number; pricings: number } | null> {
  const none = () => null;
  const f = await ask<{ findings: number; pricings: number } | null>(store, 'findings', { op: 'evaluated' }, none);
  const c = await ask<{ findings: number; pricings: number } | null>(store, 'cost', { op: 'evaluated' }, none);
  return f && c ? { findings: f.findings, pricings: c.pricings } : null;
}
