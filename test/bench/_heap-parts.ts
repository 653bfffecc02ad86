/**
 * Profiling aid (not a bench): what the pack's analysis keeps on the V8 heap,
 * part by part (run with --expose-gc). Findings are spooled to disk and item
 * costs priced again on each read (issue 17), so what is left is counts,
 * totals, the diff and the per-item findings counts. Usage:
 *   node --expose-gc --import tsx test/bench/_heap-parts.ts STORE CURRENT BASELINE
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAnnotationIndex } from '../../electron/core/annotations/repository.ts';
import { runPackAnalysis } from '../../electron/core/packs/analysis-source.ts';
import { resolveSnapshot } from '../../electron/core/packs/gather.ts';
import { openStore } from '../../electron/core/store/store.ts';

const gc = (globalThis as { gc?: () => void }).gc!;
const heap = (): number => {
  gc();
  gc();
  return Math.round(process.memoryUsage().heapUsed / 1048576);
};
const [storePath, current, baseline] = process.argv.slice(2);
const store = openStore(storePath!, { readonly: true });
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-heap-parts-'));
const h0 = heap();
const annotations = loadAnnotationIndex(store);
let bundle: ReturnType<typeof runPackAnalysis> | null = runPackAnalysis(store, { current: resolveSnapshot(store, current!), baseline: resolveSnapshot(store, baseline!), request: {}, annotations, now: new Date(), workDir });
const h1 = heap();
const raw = bundle.raw as { findings: unknown; cost: unknown; diff: unknown };
const parts: Array<[string, () => void]> = [
  ['baseline cost head (totals, groups)', () => { bundle!.baselineCost = null; }],
  ['diff', () => { raw.diff = null; (bundle!.analysis as { diff: unknown }).diff = null; }],
  ['findings (counts, per-item arrays)', () => { raw.findings = null; (bundle!.analysis as { findings: unknown }).findings = null; }],
  ['cost head (totals, groups, delta lists)', () => { raw.cost = null; (bundle!.analysis as { cost: unknown }).cost = null; }],
];
console.log(`analysis retained: ${h1 - h0} MB (heap ${h1} MB)`);
let prev = h1;
for (const [name, drop] of parts) {
  drop();
  const h = heap();
  console.log(`  ${name}: ${prev - h} MB`);
  prev = h;
}
bundle.close();
bundle = null;
console.log(`  rest: ${prev - heap()} MB`);
fs.rmSync(workDir, { recursive: true, force: true });
store.close();
