/**
 * Profiling aid (not a bench): what the pack's analysis keeps on the V8 heap,
 * part by part (run with --expose-gc). Usage:
 *   node --expose-gc --import tsx test/bench/_heap-parts.ts STORE CURRENT BASELINE
 */
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
const h0 = heap();
const annotations = loadAnnotationIndex(store);
let bundle: ReturnType<typeof runPackAnalysis> | null = runPackAnalysis(store, { current: resolveSnapshot(store, current!), baseline: resolveSnapshot(store, baseline!), request: {}, annotations, now: new Date() });
const h1 = heap();
const raw = bundle.raw as { findings: unknown; cost: unknown; diff: unknown; baselineCost: unknown };
const parts: Array<[string, () => void]> = [
  ['baseline cost report (items priced for the delta)', () => { raw.baselineCost = null; bundle!.baselineCost = null; }],
  ['diff', () => { raw.diff = null; (bundle!.analysis as { diff: unknown }).diff = null; }],
  ['findings', () => { raw.findings = null; (bundle!.analysis as { findings: unknown }).findings = null; }],
  ['cost report (items, groups, delta)', () => { raw.cost = null; (bundle!.analysis as { cost: unknown }).cost = null; }],
];
console.log(`analysis retained: ${h1 - h0} MB (heap ${h1} MB)`);
let prev = h1;
for (const [name, drop] of parts) {
  drop();
  const h = heap();
  console.log(`  ${name}: ${prev - h} MB`);
  prev = h;
}
bundle = null;
console.log(`  rest: ${prev - heap()} MB`);
store.close();
