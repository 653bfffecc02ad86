/**
 * The engine worker: runs the core (SQLite, PDF, xlsx — synchronous work)
 * on its own thread, so the thread that started it (Electron main, the web
 * server) keeps answering. Every call goes through the one entrance
 * (dispatch: zod-validated, Result out, never throws); jobs and their
 * cancellation live here, beside the store that runs them.
 *
 * When the app shows a non-empty snapshot list, the views' evaluation workers
 * are started warm (browse/evaluations.ts warmViews), so opening a snapshot
 * pays no thread start-up (issue 17). Loaded on first use: the engine's own
 * start-up does not load the analysis code.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Result } from '../../../shared/contract/result.ts';
import { dispatch } from '../api/dispatch.ts';
import { cancelAllJobs } from '../api/running-jobs.ts';
import { STORE_UPGRADE_JOB } from '../../../shared/contract/events.ts';
import { createCoreContext, type CoreContext } from '../context.ts';
import { upgradeText, upgradedText } from '../store/upgrade-text.ts';
import { toErrorInfo } from '../errors.ts';
import type { EngineWorkerData, FromEngine, ToEngine } from './protocol.ts';

const port = parentPort!;
/** A core whose store, if an upgrade runs as it opens, tells the host each step and the end (STORE_UPGRADE_JOB). */
function coreFor(storePath: string): CoreContext {
  const notice = (phase: string, message: string, done = 0, total: number | null = null): void => post({ type: 'notice', event: { job: STORE_UPGRADE_JOB, phase, done, total, message } });
  return createCoreContext({
    storePath,
    onUpgrade: (e) => notice('upgrade', upgradeText(e), e.step === 'migration' ? e.done : 0, e.step === 'migration' ? e.total : null),
    onStoreOpened: (store) => {
      const done = upgradedText(store.migration);
      if (done) notice('upgraded', done, 1, 1);
    },
  });
}

let core = coreFor((workerData as EngineWorkerData).storePath);
const inFlight = new Map<number, { controller: AbortController; done: Promise<void> }>();

function post(m: FromEngine): void {
  try {
    port.postMessage(m);
  } catch (e) {
    // A value that cannot cross threads (a function, a class instance with native state) is a bug in its handler: say which.
    if (m.type === 'result') port.postMessage({ type: 'result', id: m.id, result: { ok: false, error: { code: 'INTERNAL', message: `internal error: the answer could not be sent to the app (${(e as Error).message})` } } } satisfies FromEngine);
  }
}

function answer(id: number, result: Result<unknown>): void {
  post({ type: 'result', id, result });
}

async function call(m: Extract<ToEngine, { type: 'call' }>): Promise<void> {
  const controller = new AbortController();
  let finish!: () => void;
  inFlight.set(m.id, { controller, done: new Promise((resolve) => (finish = resolve)) });
  try {
    const result = await dispatch(core, { method: m.method, input: m.input, job: m.job }, {
      onEvent: (event) => post({ type: 'event', id: m.id, event }),
      signal: controller.signal,
    });
    answer(m.id, result);
    if (m.method === 'snapshots.list' && result.ok && Array.isArray(result.value) && result.value.length > 0) warm();
  } finally {
    inFlight.delete(m.id);
    finish();
  }
}

/** Starts the evaluation workers of the open store (once per store: warmViews keeps one pair per store file). */
function warm(): void {
  const at = core;
  void import('../browse/evaluations.ts')
    .then(({ warmViews }) => {
      // A store switched meanwhile is warmed by its own list.
      if (at === core) void warmViews(core.store());
    })
    .catch(() => {
      // Only a head start: a view starts its worker when it asks.
    });
}

function openStore(id: number, storePath: string): void {
  try {
    const next = coreFor(storePath);
    next.store(); // opens (or refuses) the new store before letting go of the old one
    cancelAllJobs(core);
    core.close();
    core = next;
    answer(id, { ok: true, value: { storePath: core.storePath } });
  } catch (e) {
    answer(id, { ok: false, error: toErrorInfo(e) });
  }
}

async function close(id: number): Promise<void> {
  cancelAllJobs(core);
  for (const f of inFlight.values()) f.controller.abort();
  // Cancelled work stops at its next check; the store closes only after it has let go.
  await Promise.all([...inFlight.values()].map((f) => f.done));
  core.close();
  answer(id, { ok: true, value: { closed: true } });
}

port.on('message', (m: ToEngine) => {
  switch (m.type) {
    case 'call':
      void call(m);
      return;
    case 'abort':
      inFlight.get(m.id)?.controller.abort();
      return;
    case 'cancelAll':
      cancelAllJobs(core);
      return;
    case 'openStore':
      openStore(m.id, m.path);
      return;
    case 'ping':
      answer(m.id, { ok: true, value: { pong: true } });
      return;
    case 'close':
      void close(m.id);
      return;
  }
});
post({ type: 'ready' });
