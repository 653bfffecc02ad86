/**
 * `npm run bench`: runs every bench module in test/bench (each exports
 * `bench(): Promise<BenchResult[]>`), prints a table, and writes
 * test/bench/results.json (not committed). Each figure comes with a baseline
 * measured in the same run, so ratios hold on any machine.
 * Run a subset with `npm run bench -- import packs` (file names without .ts;
 * `npm run bench -- startup` times the CLI start-up alone).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export type BenchResult = { name: string; value: number; unit: string; baseline: number | null; ratio: number | null; target: string; pass?: boolean };

const dir = import.meta.dirname;
const only = process.argv.slice(2);
const modules = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts') && !f.startsWith('_'))
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.ts$/, '')))
  .sort();

const results: BenchResult[] = [];
for (const m of modules) {
  const mod = (await import(pathToFileURL(path.join(dir, m)).href)) as { bench?: () => Promise<BenchResult[]> };
  if (typeof mod.bench !== 'function') continue;
  process.stderr.write(`bench: ${m}…\n`);
  const t = performance.now();
  try {
    const rs = await mod.bench();
    results.push(...rs);
    for (const r of rs) process.stderr.write(`  ${r.name}: ${r.value} ${r.unit}${r.ratio !== null ? ` (${r.ratio}× baseline)` : ''} target ${r.target}\n`);
  } catch (e) {
    process.stderr.write(`  FAILED: ${(e as Error).stack ?? String(e)}\n`);
    results.push({ name: `${m} (failed)`, value: NaN, unit: '', baseline: null, ratio: null, target: (e as Error).message, pass: false });
  }
  process.stderr.write(`  (${((performance.now() - t) / 1000).toFixed(1)} s)\n`);
}

const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
const out = { machine, date: new Date().toISOString(), results };
fs.writeFileSync(path.join(dir, 'results.json'), `${JSON.stringify(out, null, 2)}\n`);
const w = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s.padEnd(n));
console.log(`${w('benchmark', 52)} ${w('value', 14)} ${w('baseline', 14)} ${w('ratio', 8)} target`);
for (const r of results) {
  console.log(`${w(r.name, 52)} ${w(`${r.value} ${r.unit}`, 14)} ${w(r.baseline === null ? '' : `${r.baseline} ${r.unit}`, 14)} ${w(r.ratio === null ? '' : `${r.ratio}×`, 8)} ${r.target}${r.pass === false ? '  MISSED' : r.pass ? '  ok' : ''}`);
}
console.log(`\nwritten to ${path.relative(process.cwd(), path.join(dir, 'results.json'))}`);
