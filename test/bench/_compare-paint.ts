/**
 * Bench aid (issue 17): the Compare view's first meaningful paint alone,
 * measured as test/bench/ui.ts does (nav click → the frame after
 * [data-testid=compare-summary] is in the DOM), N times, each on a fresh
 * `serve` (the shipped CLI) and a fresh page, so no run finds the pair's diff
 * worked out by an earlier one. Beside each wall time, the CPU time the serve
 * process (every thread) spent from the click to the paint, from /proc.
 *
 * Usage: node --import tsx test/bench/_compare-paint.ts STORE [RUNS] [ITEMS]
 * STORE is made (two snapshots of ITEMS items, default 100k, a day apart, as
 * ui.ts writes them) when it does not exist.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureFreshRenderer } from '../e2e/support/renderer.ts';
import { rpc, startServe } from '../e2e/support/server.ts';
import { launchBrowser } from '../e2e/support/browser.ts';
import { writeBigStore } from '../e2e/support/big-store.ts';

const [storeArg, runsArg, itemsArg] = process.argv.slice(2);
if (!storeArg) throw new Error('usage: _compare-paint.ts STORE [RUNS] [ITEMS]');
const storePath = path.resolve(storeArg);
const runs = Number(runsArg ?? 5);
const n = Number(itemsArg ?? 100_000);

const ticks = 100; // USER_HZ on Linux
function cpuMs(pid: number): number {
  let total = 0;
  for (const t of fs.readdirSync(`/proc/${pid}/task`)) {
    const f = fs.readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8').split(') ')[1]!.split(' ');
    total += Number(f[11]) + Number(f[12]);
  }
  return (total * 1000) / ticks;
}

if (!fs.existsSync(storePath)) {
  fs.mkdirSync(path.dirname(storePath), { recursive: true });
  writeBigStore(storePath, n);
  writeBigStore(storePath, n, { asOf: '2026-11-21T08:00:00.000Z' });
}
await ensureFreshRenderer((l) => process.stderr.write(`  ${l}\n`));
const { buildCli } = (await import(path.join(import.meta.dirname, '..', '..', 'scripts', 'build-cli.mjs'))) as { buildCli: (o: { quiet: boolean }) => Promise<unknown> };
await buildCli({ quiet: true });

const browser = await launchBrowser({ width: 1440, height: 900 });
const out: Array<{ ms: number; serveCpuMs: number; load: string }> = [];
try {
  for (let i = 0; i < runs; i++) {
    const server = await startServe(storePath, {}, [], { compiled: true });
    try {
      await rpc(server, 'snapshots.list', {});
      const page = await browser.context.newPage();
      page.setDefaultTimeout(120_000);
      await page.goto(server.url);
      await page.getByTestId('snapshots-view').waitFor();
      await page.evaluate(`(() => {
        window.__vpProbe = new Promise((resolve) => {
          const t0 = performance.now();
          const obs = new MutationObserver(() => {
            if (document.querySelector('[data-testid=compare-summary]')) { obs.disconnect(); requestAnimationFrame(() => resolve(performance.now() - t0)); }
          });
          obs.observe(document.body, { subtree: true, childList: true, attributes: true });
        });
      })()`);
      const c0 = cpuMs(server.child.pid!);
      await page.getByTestId('nav-compare').dispatchEvent('click');
      const ms = (await page.evaluate('window.__vpProbe')) as number;
      const c1 = cpuMs(server.child.pid!);
      out.push({ ms: Math.round(ms), serveCpuMs: Math.round(c1 - c0), load: fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') });
      process.stderr.write(`  run ${i + 1}: ${JSON.stringify(out.at(-1))}\n`);
      await page.close();
    } finally {
      await server.stop();
    }
  }
} finally {
  await browser.close();
}
const ms = out.map((o) => o.ms).sort((a, b) => a - b);
console.log(JSON.stringify({ items: n, runs: out, best: ms[0], median: ms[Math.floor(ms.length / 2)], cpus: os.cpus().length }, null, 1));
