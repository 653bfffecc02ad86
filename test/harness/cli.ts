import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import path from 'node:path';
import { runCli } from '../../electron/cli.ts';

const require = createRequire(import.meta.url);

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
/** The shipped bin: it runs the compiled CLI in build/cli, so process tests test the bundle. */
export const binPath = path.join(repoRoot, 'bin', 'vaultproof.mjs');
const builtStamp = path.join(repoRoot, 'build', 'cli', '.built');

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (/\.(ts|mjs|json)$/.test(e.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

let builtChecked = false;
/**
 * `npm test` builds the CLI before any test; a test file run on its own
 * (`node --import tsx --test ...`) may find build/cli missing or older than
 * the sources: rebuild it once per test process, so the bin never runs stale code.
 */
export function ensureBuiltCli(): void {
  // Under `npm test` the runner has just built it; two test processes
  // rebuilding at once would pull chunks from under each other.
  if (builtChecked || process.env.VAULTPROOF_CLI_BUILT === '1') return;
  let builtAt = 0;
  try {
    builtAt = Number(fs.readFileSync(builtStamp, 'utf8'));
  } catch {
    // never built
  }
  const newest = Math.max(newestSource(path.join(repoRoot, 'electron')), newestSource(path.join(repoRoot, 'shared')), fs.statSync(path.join(repoRoot, 'package.json')).mtimeMs);
  if (!(builtAt > newest)) {
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build-cli.mjs')], { cwd: repoRoot, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`building the CLI (scripts/build-cli.mjs) failed:\n${r.stderr}`);
  }
  builtChecked = true;
}
export const fixtures = path.join(repoRoot, 'test', 'fixtures');

export function tempDir(prefix = 'vp-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export type CliRun = { code: number; stdout: string; stderr: string };

/**
 * Runs the CLI in this process (fast); the env overrides apply for the call
 * only. It runs the TypeScript sources, not the bundle: tests open stores and
 * call the core directly too, and one copy of the core per process keeps
 * their state (jobs, open stores, notices) shared. The bundle is tested by
 * cliProcess / cliProcessAsync.
 */
export async function cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  try {
    const code = await runCli(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
    return { code, stdout, stderr };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Runs the real `vaultproof` bin in a child process (exit codes, crashes, other users). */
export function cliProcess(args: string[], opts: { env?: Record<string, string>; cwd?: string; prefix?: string[] } = {}): CliRun {
  ensureBuiltCli();
  const cmd = opts.prefix ? opts.prefix[0]! : process.execPath;
  const cmdArgs = opts.prefix ? [...opts.prefix.slice(1), process.execPath, binPath, ...args] : [binPath, ...args];
  const r = spawnSync(cmd, cmdArgs, { cwd: opts.cwd ?? repoRoot, env: { ...process.env, ...opts.env }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status ?? (r.signal ? 128 : 2), stdout: r.stdout, stderr: r.stderr };
}

export function cliProcessAsync(args: string[], opts: { env?: Record<string, string> } = {}): Promise<CliRun> {
  ensureBuiltCli();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [binPath, ...args], { cwd: repoRoot, env: { ...process.env, ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? 2, stdout, stderr }));
  });
}

/** A byte-level fingerprint of a store folder: unchanged means nothing was written. */
export function storeFingerprint(storePath: string): string {
  if (!fs.existsSync(storePath)) return 'absent';
  return createHash('sha256').update(fs.readFileSync(storePath)).digest('hex');
}

/**
 * A logical fingerprint of a store: schema plus every row of every table.
 * Equal before and after means nothing was stored or changed.
 */
export function storeState(storePath: string): string {
  if (!fs.existsSync(storePath)) return 'absent';
  // Imported lazily so tests that never open a store do not load the native module.
  const Database = require('better-sqlite3') as typeof BetterSqlite3;
  const db = new Database(storePath, { readonly: true, fileMustExist: true });
  try {
    const h = createHash('sha256');
    const tables = db.prepare("SELECT name, sql FROM sqlite_master ORDER BY name").all() as Array<{ name: string; sql: string | null }>;
    for (const t of tables) {
      h.update(`${t.name}\n${t.sql ?? ''}\n`);
      if (t.sql?.startsWith('CREATE TABLE')) {
        for (const row of db.prepare(`SELECT * FROM "${t.name}" ORDER BY 1`).raw(true).iterate() as Iterable<unknown[]>) h.update(JSON.stringify(row));
      }
    }
    return h.digest('hex');
  } finally {
    db.close();
  }
}
