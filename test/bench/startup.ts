/**
 * CLI start-up bench (issue 11): wall time of whole `vaultproof` processes,
 * timed from outside (spawn to exit), against `node -e 0` timed in the same
 * loop, so the ratio holds on any machine. Median of RUNS runs each, the
 * commands interleaved so a noisy neighbour hits every figure alike.
 *
 *   vaultproof --help                         target ≤ 3× node -e 0
 *   vaultproof snapshots --json  (empty store) target ≤ 5×
 *   vaultproof items latest --json (small store: one ARM export) target ≤ 6×
 *
 * Runs the shipped bin (bin/vaultproof.mjs → build/cli, built first here).
 * VAULTPROOF_BENCH_CLI=source times the TypeScript through tsx instead
 * (`npm run cli`, what the bin ran before it was compiled) for a before/after.
 * Alone: `npm run bench -- startup`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchResult } from './run.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const RUNS = Number(process.env.VAULTPROOF_BENCH_RUNS ?? 9);

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function timeOnce(argv: string[], env: NodeJS.ProcessEnv): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, argv, { cwd: root, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status ?? r.signal}: ${r.stderr.slice(-800)}`);
  return ms;
}

export async function bench(): Promise<BenchResult[]> {
  const source = process.env.VAULTPROOF_BENCH_CLI === 'source';
  let cliArgv: string[];
  if (source) {
    cliArgv = ['--import', 'tsx', path.join(root, 'electron', 'cli.ts')];
  } else {
    const { buildCli } = (await import(path.join(root, 'scripts', 'build-cli.mjs'))) as { buildCli: (o: { quiet: boolean }) => Promise<unknown> };
    await buildCli({ quiet: true });
    cliArgv = [path.join(root, 'bin', 'vaultproof.mjs')];
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-bench-startup-'));
  // The user's own VAULTPROOF_* settings must not leak into what is measured.
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VAULTPROOF_') && !k.startsWith('NODE_')) env[k] = v;
  try {
    const empty = path.join(tmp, 'empty.db');
    const small = path.join(tmp, 'small.db');
    // Set-up (not timed): create the empty store; import one small export.
    timeOnce([...cliArgv, 'snapshots', '--json', '--store', empty], env);
    timeOnce([...cliArgv, 'import', path.join(root, 'test', 'fixtures', 'import', 'arm-items-iaasvm.json'), '--store', small], env);
    const cases = [
      { name: '--help', argv: ['--help'], limit: 3 },
      { name: 'snapshots --json (empty store)', argv: ['snapshots', '--json', '--store', empty], limit: 5 },
      { name: 'items latest --json (small store)', argv: ['items', 'latest', '--json', '--store', small], limit: 6 },
    ];
    const baseline: number[] = [];
    const times = cases.map(() => [] as number[]);
    // One warm-up round (disk cache), then RUNS timed rounds, interleaved.
    for (let round_ = -1; round_ < RUNS; round_++) {
      const b = timeOnce(['-e', '0'], env);
      if (round_ >= 0) baseline.push(b);
      cases.forEach((c, i) => {
        const ms = timeOnce([...cliArgv, ...c.argv], env);
        if (round_ >= 0) times[i]!.push(ms);
      });
    }
    const base = median(baseline);
    const label = source ? 'tsx source' : 'compiled bin';
    return cases.map((c, i) => {
      const value = median(times[i]!);
      const ratio = round(value / base, 2);
      return {
        name: `cli start-up (${label}): ${c.name}`,
        value: round(value),
        unit: 'ms',
        baseline: round(base),
        ratio,
        target: `≤ ${c.limit}× node -e 0 (median of ${RUNS})`,
        pass: ratio <= c.limit,
      };
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
