/**
 * Profiling aid (not a bench): the three analysis commands (`findings`,
 * `diff`, `cost --compare`, all `--json`) of two CLI builds on one existing
 * store, run alternately as whole processes (wall and CPU time from outside,
 * start-up included), with their outputs compared byte for byte. On a shared
 * machine the CPU time (user + system) swings less than the wall time.
 *
 * Build the old CLI from a clean export, e.g.
 *   git archive REV | tar -x -C .tmp/old && (cd .tmp/old && node -e "import('./scripts/build-cli.mjs').then(m => m.buildCli())")
 * Usage: node --import tsx test/bench/_analysis-ab.ts OLD/build/cli NEW/build/cli STORE BASELINE CURRENT [ROUNDS]
 * Both builds must accept the store's schema (a newer build upgrades it; the older one then refuses it).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [oldCli, newCli, store, a, b, roundsArg] = process.argv.slice(2);
if (!oldCli || !newCli || !store || !a || !b) {
  process.stderr.write('usage: _analysis-ab.ts OLD_CLI_DIR NEW_CLI_DIR STORE BASELINE CURRENT [ROUNDS]\n');
  process.exit(2);
}
const rounds = Number(roundsArg ?? 2);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-analysis-ab-'));

/** A tiny launcher like bin/vaultproof.mjs, for a CLI build elsewhere. */
function launcher(cliDir: string, name: string): string {
  const file = path.join(dir, `${name}.mjs`);
  const entry = new URL(`file://${path.resolve(cliDir, 'electron', 'cli.js')}`).href;
  fs.writeFileSync(file, `const { runCli, processIo } = await import(${JSON.stringify(entry)});\nprocess.exitCode = await runCli(process.argv.slice(2), processIo());\n`);
  return file;
}

function run(script: string, args: string[], out: string): Promise<{ wall: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const fd = fs.openSync(out, 'w');
    const t = performance.now();
    const child = spawn(process.execPath, [script, ...args, '--store', store!], { stdio: ['ignore', fd, 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = (performance.now() - t) / 1000;
      fs.closeSync(fd);
      resolve({ wall, code });
    });
  });
}

/** CPU of finished children, from /proc/self/stat (cutime + cstime), in seconds. */
function childCpu(): number {
  const f = fs.readFileSync('/proc/self/stat', 'utf8');
  const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function hashOf(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

const builds = { old: launcher(oldCli, 'old'), new: launcher(newCli, 'new') };
const commands: Array<[string, string[]]> = [
  ['findings', ['findings', b, '--json']],
  ['diff', ['diff', a, b, '--json']],
  ['cost --compare', ['cost', b, '--compare', a, '--json']],
];
try {
  for (let r = 1; r <= rounds; r++) {
    for (const [name, args] of commands) {
      const outs: Record<string, string> = {};
      const line: string[] = [];
      for (const which of (r % 2 ? ['old', 'new'] : ['new', 'old']) as Array<'old' | 'new'>) {
        outs[which] = path.join(dir, `${which}.json`);
        const c0 = childCpu();
        const x = await run(builds[which], args, outs[which]);
        if (x.code !== 0) throw new Error(`${which} ${name} exited ${x.code}`);
        line.push(`${which} ${x.wall.toFixed(2)} s wall, ${(childCpu() - c0).toFixed(2)} s cpu`);
      }
      const same = hashOf(outs.old!) === hashOf(outs.new!);
      process.stdout.write(`round ${r} ${name}: ${line.join(' | ')} | ${fs.statSync(outs.new!).size} bytes ${same ? 'identical' : 'DIFFER'} | load ${os.loadavg()[0]!.toFixed(1)}\n`);
    }
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
