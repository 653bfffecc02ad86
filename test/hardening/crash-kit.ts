/**
 * Runs a Vaultproof process and SIGKILLs it mid-work. "Work" starts at the
 * first line the process writes to stderr (its first progress event), so a
 * fraction of a measured run means a fraction of the work, not of Node's and
 * tsx's start-up.
 */
import { spawn } from 'node:child_process';
import { binPath, repoRoot } from '../harness/cli.ts';

export type ChildRun = {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** From spawn to exit. */
  ms: number;
  /** From the first stderr line to exit (or to the kill). */
  workMs: number;
  /** The stderr lines seen before the kill (all of them when not killed). */
  lines: string[];
  stdout: string;
  stderr: string;
};

export type KillPlan = {
  /** SIGKILL this long after the first stderr line. */
  afterWorkMs?: number;
  /** SIGKILL as soon as a stderr line matches. */
  when?: (line: string) => boolean;
};

export function runChild(args: string[], opts: { env?: Record<string, string>; kill?: KillPlan; bin?: string[] } = {}): Promise<ChildRun> {
  return new Promise((resolve) => {
    const cmd = opts.bin ?? [process.execPath, binPath];
    const c = spawn(cmd[0]!, [...cmd.slice(1), ...args], { cwd: repoRoot, env: { ...process.env, ...opts.env } });
    const t0 = performance.now();
    let tWork: number | null = null;
    let tEnd: number | null = null;
    let stdout = '';
    let stderr = '';
    let pending = '';
    const lines: string[] = [];
    let timer: NodeJS.Timeout | null = null;
    const kill = (): void => {
      if (c.exitCode === null && c.signalCode === null && tEnd === null) {
        tEnd = performance.now();
        c.kill('SIGKILL');
      }
    };
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => {
      const text = d.toString();
      stderr += text;
      if (tWork === null) {
        tWork = performance.now();
        if (opts.kill?.afterWorkMs !== undefined) timer = setTimeout(kill, opts.kill.afterWorkMs);
      }
      pending += text;
      const parts = pending.split('\n');
      pending = parts.pop()!;
      for (const line of parts) {
        if (tEnd !== null) break;
        lines.push(line);
        if (opts.kill?.when?.(line)) kill();
      }
    });
    c.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const end = tEnd ?? performance.now();
      resolve({ code, signal, ms: end - t0, workMs: tWork === null ? 0 : end - tWork, lines, stdout, stderr });
    });
  });
}
