/**
 * Profiling aid (not a bench): times findings, diff and cost --compare
 * in-process on an existing store, best of N, with heap after each.
 * Usage: node --import tsx test/bench/_analysis-times.ts STORE BASELINE CURRENT [RUNS]
 */
import { runCost, runDiff, runFindings } from '../../electron/core/analysis/run.ts';
import { openStore } from '../../electron/core/store/store.ts';

const [storePath, a, b, runs] = process.argv.slice(2);
const store = openStore(storePath!, { readonly: true });
const n = Number(runs ?? 2);
const time = (name: string, fn: () => unknown): void => {
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  process.stderr.write(`${name}: ${(best / 1000).toFixed(2)} s, heap ${Math.round(process.memoryUsage().heapUsed / 1048576)} MB\n`);
};
time('findings', () => runFindings(store, b!));
time('diff', () => runDiff(store, a!, b!));
time('cost', () => runCost(store, b!));
time('cost --compare', () => runCost(store, b!, { compare: a! }));
store.close();
