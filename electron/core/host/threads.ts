/**
 * The one way the core starts a worker thread (the engine host, the
 * snapshot writer, the browse read worker, a pack's snapshot files and their
 * checks in verify, the second half of a big findings report). Workers are real entry files
 * named in `workerEntries`, found beside this module's own tree:
 *  - in a checkout the code runs as .ts through tsx, so the worker gets
 *    `--import tsx-register.mjs` (a thread does not inherit the loader of the
 *    thread that starts it);
 *  - built (scripts/build-main.mjs mirrors electron/ into build/out as .js)
 *    the .js entry starts with no loader at all.
 * An entry that is not there is a clear error naming the file, not a thread
 * that dies on start.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/** Entry files, relative to electron/core/ and without extension. */
export const workerEntries = {
  engine: 'host/engine-worker',
  'store-writer': 'store/writer-worker',
  'browse-read': 'browse/read-worker',
  'browse-evaluate': 'browse/evaluation-worker',
  'pack-snapshot-files': 'packs/write/snapshot-files-worker',
  'pack-verify-snapshot': 'packs/verify-snapshot-worker',
  'findings-half': 'analysis/findings-half-worker',
} as const;
export type WorkerName = keyof typeof workerEntries;

const here = import.meta.url;
const runningTs = here.endsWith('.ts');
const coreDir = new URL('../', here);

/** The file a named worker starts from, in the form (.ts or .js) this code runs as. */
export function workerEntryFile(name: WorkerName): string {
  return fileURLToPath(new URL(`${workerEntries[name]}.${runningTs ? 'ts' : 'js'}`, coreDir));
}

/** What the worker needs passed on its command line: the TypeScript loader in a checkout, nothing built. */
export function workerExecArgv(): string[] {
  return runningTs ? ['--import', new URL('./tsx-register.mjs', here).href] : [];
}

export function startWorker(name: WorkerName, opts: { workerData?: unknown; resourceLimits?: ResourceLimits } = {}): Worker {
  const file = workerEntryFile(name);
  if (!fs.existsSync(file)) throw new Error(`the ${name} worker's entry file is missing: ${file} (a build that left it out?)`);
  return new Worker(file, {
    execArgv: workerExecArgv(),
    workerData: opts.workerData,
    ...(opts.resourceLimits ? { resourceLimits: opts.resourceLimits } : {}),
  });
}
