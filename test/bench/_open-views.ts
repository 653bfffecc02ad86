/**
 * Bench aid (issue 17): what the Findings and Cost views wait for straight
 * after the app opens a snapshot, over raw /rpc (no browser): a fresh
 * `serve` (the shipped CLI of each ENGINE checkout, built beforehand), the
 * page's snapshots.list, then findings.prepare as the app sends it (current
 * B, baseline A) and at once the view's own first call: findings.summary
 * (Findings), cost.summary against the baseline (Cost), or diff.summary and
 * the first diff.page of the changed list together (Compare). Engines are
 * interleaved run by run. Beside each wall time, the CPU time (user+sys, every
 * thread) serve spent from findings.prepare to the answer, from /proc.
 *
 * Usage: node --import tsx test/bench/_open-views.ts STORE A B RUNS ENGINE_ROOT...
 * VIEW=findings|cost|compare|both (both: findings and cost; default); DELAY_MS between the list and findings.prepare (default 0);
 * SERVE_NODE_ARGS: node options for serve (e.g. "--cpu-prof --cpu-prof-dir=/tmp/p").
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [storeArg, a, b, runsArg, ...engines] = process.argv.slice(2);
if (!storeArg || !a || !b || engines.length === 0) throw new Error('usage: _open-views.ts STORE A B RUNS ENGINE_ROOT...');
const storePath = path.resolve(storeArg);
const runs = Number(runsArg ?? 5);
const views = (process.env.VIEW ?? 'both') === 'both' ? ['findings', 'cost'] : [process.env.VIEW!];
const delay = Number(process.env.DELAY_MS ?? 0);

function cpuMs(pid: number): number {
  let total = 0;
  for (const t of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const f = fs.readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8').split(') ')[1]!.split(' ');
      total += Number(f[11]) + Number(f[12]);
    } catch {
      // a thread that ended meanwhile
    }
  }
  return total * 10;
}

async function serve(root: string): Promise<{ origin: string; token: string; pid: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [...(process.env.SERVE_NODE_ARGS ? process.env.SERVE_NODE_ARGS.split(' ') : []), path.join(root, 'bin', 'vaultproof.mjs'), 'serve', '--port', '0', '--store', storePath], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, VAULTPROOF_SERVE_ALLOW: path.dirname(storePath) },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl).trim());
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
  const u = new URL(url);
  return {
    origin: u.origin,
    token: new URLSearchParams(u.hash.slice(1)).get('token') ?? '',
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function rpc(s: { origin: string; token: string }, method: string, input: unknown): Promise<unknown> {
  const res = await fetch(`${s.origin}/rpc`, { method: 'POST', headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ method, input }) });
  const body = (await res.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
  if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
  return body.value;
}

const results = new Map<string, Array<{ ms: number; cpu: number }>>();
for (let i = 0; i < runs; i++) {
  for (const root of engines) {
    for (const view of views) {
      const s = await serve(root);
      try {
        await rpc(s, 'snapshots.list', {});
        if (delay) await new Promise((r) => setTimeout(r, delay));
        const c0 = cpuMs(s.pid);
        const t0 = performance.now();
        void rpc(s, 'findings.prepare', { snapshot: b, baseline: a });
        if (view === 'findings') await rpc(s, 'findings.summary', { snapshot: b });
        else if (view === 'cost') await rpc(s, 'cost.summary', { snapshot: b, compare: a, unknownLimit: 300 });
        else await Promise.all([rpc(s, 'diff.summary', { baseline: a, current: b }), rpc(s, 'diff.page', { baseline: a, current: b, kind: 'changed', offset: 0, limit: 200 })]);
        const ms = Math.round(performance.now() - t0);
        const cpu = Math.round(cpuMs(s.pid) - c0);
        const k = `${view} ${root}`;
        results.set(k, [...(results.get(k) ?? []), { ms, cpu }]);
        process.stderr.write(`  run ${i + 1} ${k}: ${ms} ms wall, ${cpu} ms cpu, load ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}\n`);
      } finally {
        await s.stop();
      }
    }
  }
}
for (const [k, xs] of results) {
  const w = xs.map((x) => x.ms).sort((p, q) => p - q);
  const c = xs.map((x) => x.cpu).sort((p, q) => p - q);
  process.stdout.write(`${k}: wall best ${w[0]} median ${w[Math.floor(w.length / 2)]} ms; cpu best ${c[0]} median ${c[Math.floor(c.length / 2)]} ms\n`);
}
