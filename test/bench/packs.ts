/**
 * Evidence packs (issue 6 targets):
 *  - a whole pack (analysis, data files, signed PDF, workbook, manifest
 *    signature) for 10k items, compared with a baseline snapshot: ≤ 10 s;
 *  - the workbook of 100k items: ≤ 1.5× a bare exceljs streaming write of the
 *    same cells, measured in the same run;
 *  - peak RSS of each child process ≤ 400 MB (issue 17: the 100k workbook, and
 *    the pack comparing two 100k snapshots, which must also verify).
 * Each measurement runs in its own child process, timed and its peak RSS read
 * from outside (GNU time's %M, else VmHWM polled: see _outside.ts); the 100k
 * pack and its verify are the built CLI's.
 * The signing identity is created before timing (it is made once per store).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalIdentity } from '../../electron/core/packs/sign/identity.ts';
import { openStore } from '../../electron/core/store/store.ts';
import { syntheticItems, writeSnapshot } from '../packs/estate.ts';
import { cli, runOutside } from './_outside.ts';

export type BenchResult = { name: string; value: number; unit: string; baseline: number | null; ratio: number | null; target: string; pass?: boolean };

const child = path.join(import.meta.dirname, '_packs-child.ts');

type ChildResult = { seconds: number; cpuSeconds: number; maxRssMB: number; peakRssMB: number; wallSeconds: number; rssBeforeWorkbookMB?: number };

/** One child process; maxRssMB is what it saw of itself, peakRssMB and wallSeconds are from outside. */
async function run(mode: string, storePath: string, args: Record<string, unknown>): Promise<ChildResult> {
  const r = await runOutside(['--import', 'tsx', child, mode, storePath, JSON.stringify(args)]);
  if (r.code !== 0) throw new Error(`packs child ${mode} exited ${r.code}: ${r.stderr.slice(-2000)}`);
  const own = JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult;
  return { ...own, peakRssMB: r.peakRssMB, wallSeconds: r.seconds };
}

const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

export async function bench(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-bench-packs-'));
  try {
    const storePath = path.join(dir, 'store', 'vaultproof.db');
    const store = openStore(storePath);
    const passphrase = 'bench passphrase';
    let ids: { base10: string; cur10: string; cur100: string; base100: string };
    try {
      // 10k: the baseline differs in every tenth item (state), so the diff has work to do.
      const base10 = writeSnapshot(store, [...syntheticItems(10_000)].map((it, i) => (i % 10 === 0 ? { ...it, protectionState: 'IRPending' } : it)), { asOf: '2025-09-30T06:00:00.000Z', nowMs: 1 });
      const cur10 = writeSnapshot(store, syntheticItems(10_000), { asOf: '2025-10-30T06:00:00.000Z', nowMs: 2 });
      const cur100 = writeSnapshot(store, syntheticItems(100_000), { asOf: '2025-10-30T06:00:00.000Z', nowMs: 3 });
      // The 100k baseline: 1 % of the items absent (so removed since) and every tenth in another state.
      const base100 = writeSnapshot(
        store,
        (function* () {
          let i = 0;
          for (const it of syntheticItems(100_000)) {
            if (i % 100 !== 7) yield i % 10 === 0 ? { ...it, protectionState: 'IRPending' } : it;
            i++;
          }
        })(),
        { asOf: '2025-09-30T06:00:00.000Z', nowMs: 4 },
      );
      ids = { base10: base10.id, cur10: cur10.id, cur100: cur100.id, base100: base100.id };
      await createLocalIdentity({ storeDir: store.dir, name: 'bench', commonName: 'Bench', passphrase, now: new Date() });
    } finally {
      store.close();
    }
    const pack = await run('pack', storePath, { current: ids.cur10, baseline: ids.base10, out: path.join(dir, 'pack10k'), passphrase });
    const raw = await run('raw', storePath, { current: ids.cur100, out: path.join(dir, 'raw.xlsx') });
    const wb = await run('workbook', storePath, { current: ids.cur100, out: path.join(dir, 'workbook.xlsx') });
    // The 100k pack and its verify run as users run them: the built CLI, from outside. (In a child on the
    // TypeScript sources, every worker thread also loads tsx, which adds about 80 MB to the peak.)
    const root = path.resolve(import.meta.dirname, '..', '..');
    const { buildCli } = (await import(path.join(root, 'scripts', 'build-cli.mjs'))) as { buildCli: (o: { quiet: boolean }) => Promise<unknown> };
    await buildCli({ quiet: true });
    const pack100Dir = path.join(dir, 'pack100k');
    const env = { ...process.env, VP_BENCH_PASS: passphrase };
    const pack100 = await cli(['pack', ids.cur100, '--compare', ids.base100, '--out', pack100Dir, '--sign-self-signed', '--identity', 'bench', '--passphrase-env', 'VP_BENCH_PASS', '--json', '--store', storePath], env);
    const verify100 = await cli(['verify', pack100Dir, '--json'], env, [0, 3]);
    const verified = (JSON.parse(verify100.stdout) as { intact?: boolean }).intact === true && verify100.code === 0;
    // Wall time swings with other load on a shared machine; CPU time (all threads, incl. zlib) is the steadier ratio.
    const ratio = round(wb.cpuSeconds / raw.cpuSeconds);
    return [
      { name: 'packs: pack for 10k items (PDF + workbook + signatures)', value: round(pack.seconds), unit: 's', baseline: null, ratio: null, target: '≤ 10 s', pass: pack.seconds <= 10 },
      { name: 'packs: pack for 10k items, CPU time', value: round(pack.cpuSeconds), unit: 's', baseline: null, ratio: null, target: 'info' },
      { name: 'packs: peak RSS, 10k-item pack', value: pack.peakRssMB, unit: 'MB', baseline: null, ratio: null, target: '≤ 400 MB', pass: pack.peakRssMB <= 400 },
      { name: 'packs: workbook of 100k items, CPU time', value: round(wb.cpuSeconds), unit: 's', baseline: round(raw.cpuSeconds), ratio, target: '≤ 1.5× raw exceljs streaming write', pass: ratio <= 1.5 },
      { name: 'packs: workbook of 100k items, wall time', value: round(wb.seconds), unit: 's', baseline: round(raw.seconds), ratio: round(wb.seconds / raw.seconds), target: 'info (noisy on shared CPUs)' },
      { name: 'packs: peak RSS, 100k-item workbook (from outside)', value: wb.peakRssMB, unit: 'MB', baseline: raw.peakRssMB, ratio: round(wb.peakRssMB / raw.peakRssMB), target: '≤ 400 MB (baseline: bare exceljs write of the same cells, held in memory)', pass: wb.peakRssMB <= 400 },
      { name: 'packs: …of which analysis of 100k items, before the workbook', value: wb.rssBeforeWorkbookMB ?? NaN, unit: 'MB', baseline: null, ratio: null, target: 'info' },
      { name: 'packs: pack comparing two 100k snapshots (CLI), wall from outside', value: round(pack100.seconds), unit: 's', baseline: null, ratio: null, target: 'completes (info)', pass: true },
      { name: 'packs: peak RSS, pack comparing two 100k snapshots (CLI, from outside)', value: pack100.peakRssMB, unit: 'MB', baseline: wb.peakRssMB, ratio: round(pack100.peakRssMB / wb.peakRssMB), target: '≤ 400 MB (baseline: the 100k workbook alone)', pass: pack100.peakRssMB <= 400 },
      { name: 'packs: that pack verifies (CLI)', value: verified ? 1 : 0, unit: 'ok', baseline: null, ratio: null, target: 'verifies', pass: verified },
      { name: 'packs: peak RSS, verify of that pack (CLI, from outside)', value: verify100.peakRssMB, unit: 'MB', baseline: null, ratio: null, target: `info (${round(verify100.seconds)} s)` },
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && /bench\/packs\.ts$/.test(process.argv[1])) {
  bench().then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
