/**
 * Runs a command as its own process and times it from outside (spawn to
 * exit), with its peak RSS: GNU time's %M when /usr/bin/time exists, else
 * the kernel's high-water mark (VmHWM) polled from /proc until exit.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type Outside = { seconds: number; peakRssMB: number; stdout: string; stderr: string; code: number | null; stdoutBytes: number };

/**
 * keepStdout false: stdout is read as it comes and counted, its last 64 KB kept (the command still writes every
 * byte into the pipe and waits for it to drain), instead of being decoded and held as one string here: holding
 * 250 MB of `findings --json` as a JS string made this process the slow reader the command waited for.
 */
export type OutsideOptions = { env?: NodeJS.ProcessEnv; cwd?: string; keepStdout?: boolean };

const GNU_TIME = '/usr/bin/time';
const root = path.resolve(import.meta.dirname, '..', '..');
export const BIN = path.join(root, 'bin', 'vaultproof.mjs');

function hwm(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export function runOutside(argv: string[], opts: OutsideOptions = {}): Promise<Outside> {
  const useTime = fs.existsSync(GNU_TIME);
  const marker = path.join(os.tmpdir(), `vp-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const [cmd, args] = useTime ? [GNU_TIME, ['-f', '%M', '-o', marker, process.execPath, ...argv]] : [process.execPath, argv];
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(cmd, args as string[], { cwd: opts.cwd ?? root, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peakKB = 0;
    let stdoutBytes = 0;
    let tail: Buffer = Buffer.alloc(0);
    if (opts.keepStdout === false) {
      child.stdout.on('data', (d: Buffer) => {
        stdoutBytes += d.length;
        tail = d.length >= 65536 ? d.subarray(d.length - 65536) : Buffer.concat([tail, d]).subarray(-65536);
      });
    } else child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const poll = useTime ? null : setInterval(() => (peakKB = Math.max(peakKB, hwm(child.pid!))), 50);
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - t) / 1000;
      if (poll) clearInterval(poll);
      if (useTime) {
        try {
          peakKB = Number(fs.readFileSync(marker, 'utf8').trim().split('\n').pop());
        } catch {}
        fs.rmSync(marker, { force: true });
      }
      if (opts.keepStdout === false) stdout = tail.toString('utf8');
      else stdoutBytes = Buffer.byteLength(stdout);
      resolve({ seconds, peakRssMB: Math.round(peakKB / 1024), stdout, stderr, code, stdoutBytes });
    });
  });
}

/** Runs the shipped CLI (build/cli) and fails loudly when it exits other than expected. */
export async function cli(args: string[], env: NodeJS.ProcessEnv = process.env, okCodes: number[] = [0], keepStdout = true): Promise<Outside> {
  const r = await runOutside([BIN, ...args], { env, keepStdout });
  if (r.code === null || !okCodes.includes(r.code)) throw new Error(`vaultproof ${args.slice(0, 2).join(' ')} exited ${r.code}: ${r.stderr.slice(-2000)}`);
  return r;
}
