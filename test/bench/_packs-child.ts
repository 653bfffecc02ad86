/**
 * Child process for test/bench/packs.ts, so each measurement has its own
 * peak RSS. Usage: node --import tsx _packs-child.ts MODE STORE ARGS-JSON
 * Prints one JSON line: { seconds, maxRssMB, ... }.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type ExcelJSTypes from 'exceljs';
import { loadAnnotationIndex } from '../../electron/core/annotations/repository.ts';
import { runPackAnalysis } from '../../electron/core/packs/analysis-source.ts';
import { buildPack } from '../../electron/core/packs/build.ts';
import { gatherModel, resolveSnapshot } from '../../electron/core/packs/gather.ts';
import { workbookSheets, writeWorkbook } from '../../electron/core/packs/write/workbook.ts';
import { gatherRestore } from '../../electron/core/restore/catalog.ts';
import { openStore, type Store } from '../../electron/core/store/store.ts';

const require = createRequire(import.meta.url);
const ExcelJS = require('exceljs') as typeof ExcelJSTypes;

type Args = { current: string; baseline?: string; out: string; passphrase?: string };

function modelFor(store: Store, a: Args): ReturnType<typeof gatherModel> {
  const annotations = loadAnnotationIndex(store);
  const current = resolveSnapshot(store, a.current);
  const baseline = a.baseline ? resolveSnapshot(store, a.baseline) : null;
  // The spooled findings go beside the output (removed when the process ends: the bench's folder is removed).
  const bundle = runPackAnalysis(store, { current, baseline, request: {}, annotations, now: new Date(), workDir: `${a.out}.work` });
  const m = gatherModel({
    store,
    packId: 'bench',
    createdAt: new Date().toISOString(),
    createdBy: 'bench',
    toolVersion: '0.0.0',
    current,
    baseline,
    analysis: bundle.analysis,
    annotations,
    annotationLogHead: null,
    signing: { timeSource: 'signer clock', tsaUrl: null, signer: 'bench' },
  });
  // As buildPack does: the restore catalog is the workbook's widest 100k-row sheet (Restore readiness, 28 columns).
  m.restore = gatherRestore(store, current.summary.id, current.summary.asOf, annotations);
  return m;
}

async function main(): Promise<void> {
  const [mode, storePath, json] = process.argv.slice(2);
  const a = JSON.parse(json!) as Args;
  const store = openStore(storePath!);
  const out: Record<string, unknown> = {};
  let cpu0 = process.cpuUsage();
  const cpuSince = (): number => {
    const u = process.cpuUsage(cpu0);
    return (u.user + u.system) / 1e6;
  };
  try {
    if (mode === 'pack') {
      const t = performance.now();
      cpu0 = process.cpuUsage();
      const r = await buildPack(
        store,
        { snapshot: a.current, ...(a.baseline ? { compare: a.baseline } : {}), out: a.out, signer: { kind: 'local', identity: 'bench' }, passphrase: a.passphrase! },
        { now: new Date(), user: 'bench', toolVersion: '0.0.0' },
      );
      out.seconds = (performance.now() - t) / 1000;
      out.cpuSeconds = cpuSince();
      out.pdfBytes = r.files.find((f) => f.path === 'report.pdf')?.size;
    } else if (mode === 'workbook') {
      const m = modelFor(store, a);
      // Peak so far: the analysis of the estate (findings, cost) held in memory before the workbook starts.
      out.rssBeforeWorkbookMB = Math.round(process.resourceUsage().maxRSS / 1024);
      cpu0 = process.cpuUsage();
      const t = performance.now();
      const r = await writeWorkbook(a.out, m);
      out.seconds = (performance.now() - t) / 1000;
      out.cpuSeconds = cpuSince();
      out.rows = r.rows;
    } else if (mode === 'raw') {
      // The same cells, produced first (not timed), then written by a bare streaming writer.
      const m = modelFor(store, a);
      const sheets = workbookSheets(m).map((s) => ({ name: s.name, rows: [...s.rows] }));
      cpu0 = process.cpuUsage();
      const t = performance.now();
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: a.out, useStyles: false, useSharedStrings: false });
      for (const s of sheets) {
        const ws = wb.addWorksheet(s.name);
        for (const r of s.rows) ws.addRow(r as unknown[]).commit();
        ws.commit();
      }
      await wb.commit();
      out.seconds = (performance.now() - t) / 1000;
      out.cpuSeconds = cpuSince();
    } else throw new Error(`unknown mode ${mode}`);
  } finally {
    store.close();
  }
  out.maxRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  out.bytes = fs.existsSync(a.out) ? (fs.statSync(a.out).isDirectory() ? undefined : fs.statSync(a.out).size) : undefined;
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
