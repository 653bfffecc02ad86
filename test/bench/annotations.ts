/**
 * Annotation log throughput: appending 100k entries (one owners-import sized
 * transaction), verifying the whole chain, and loading the annotation index
 * the analysis uses. Targets are ours, not from DESIGN.md (which measured none).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { verifyAnnotationLog } from '../../electron/core/annotations/chain.ts';
import { appendEntries, loadAnnotationIndex, type EntryDraft } from '../../electron/core/annotations/repository.ts';
import { openStore } from '../../electron/core/store/store.ts';

export type BenchResult = { name: string; value: number; unit: string; baseline: number | null; ratio: number | null; target: number | null };

export async function bench(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-bench-ann-'));
  const store = openStore(path.join(dir, 'v.db'));
  try {
    const N = 100_000;
    const drafts: EntryDraft[] = [];
    for (let i = 0; i < N; i++) {
      drafts.push({
        kind: 'set',
        at: '2025-06-10T12:00:00.000Z',
        user: 'bench',
        displayName: null,
        target: `item:/subscriptions/s/resourcegroups/rg/providers/microsoft.recoveryservices/vaults/v/backupfabrics/azure/protectioncontainers/c${i % 25_000}/protecteditems/vm;${i % 25_000}`,
        field: ['owner', 'team', 'costCentre', 'criticality'][Math.floor(i / 25_000)]!,
        oldValue: null,
        newValue: i >= 75_000 ? 'high' : `value-${i}`,
        reason: 'owners import bench.csv',
      });
    }
    let t = performance.now();
    appendEntries(store, drafts);
    const append = (performance.now() - t) / 1000;
    t = performance.now();
    const v = verifyAnnotationLog(store);
    const verify = (performance.now() - t) / 1000;
    if (!v.ok) throw new Error(`bench chain does not verify: ${v.firstBad?.reason}`);
    t = performance.now();
    const idx = loadAnnotationIndex(store);
    const load = (performance.now() - t) / 1000;
    if (idx.size !== 25_000) throw new Error(`expected 25000 annotated targets, got ${idx.size}`);
    return [
      { name: 'annotations: append 100k log entries (one transaction)', value: append, unit: 's', baseline: null, ratio: null, target: 10 },
      { name: 'annotations: verify a 100k-entry chain', value: verify, unit: 's', baseline: null, ratio: null, target: 5 },
      { name: 'annotations: load the index of 25k annotated targets', value: load, unit: 's', baseline: null, ratio: null, target: 1 },
    ];
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && /annotations\.ts$/.test(process.argv[1])) {
  bench().then((r) => console.log(JSON.stringify(r, null, 2)), (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
