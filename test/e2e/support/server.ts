/**
 * Starts web mode exactly as a user does — `vaultproof serve --port 0
 * --store <temp>` as a child process — and reads the URL from the first
 * line of its stdout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../../..');
// A checkout whose engine runs `serve` (default: this one). Lets the UI be tested against a
// committed engine while the working tree's engine is half-way through someone else's edit.
const engineRoot = process.env.VAULTPROOF_E2E_ENGINE ? path.resolve(process.env.VAULTPROOF_E2E_ENGINE) : root;

export type ServeProcess = {
  url: string;
  origin: string;
  token: string;
  child: ChildProcess;
  stderr: () => string;
  stop: () => Promise<void>;
};

/**
 * `compiled`: run the shipped CLI (bin/vaultproof.mjs over build/cli, built beforehand) as a user does, instead of the
 * sources through tsx; the UI bench times it so (under tsx every engine and evaluation worker compiles TypeScript as it starts).
 */
export async function startServe(storePath: string, env: Record<string, string> = {}, allow: string[] = [], opts: { compiled?: boolean } = {}): Promise<ServeProcess> {
  const entry = opts.compiled ? [path.join(engineRoot, 'bin', 'vaultproof.mjs')] : ['--import', 'tsx', path.join(engineRoot, 'electron/cli.ts')];
  const child = spawn(process.execPath, [...entry, 'serve', '--port', '0', '--store', storePath, ...allow.flatMap((d) => ['--allow', d])], {
    cwd: engineRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Web mode reads and writes only under the store's folder and allowed ones: the temp folder the test owns and the fixtures.
    env: { ...process.env, VAULTPROOF_SERVE_ALLOW: [path.dirname(path.dirname(storePath)), path.join(root, 'test', 'fixtures')].join(path.delimiter), ...env },
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => {
    err = (err + c.toString()).slice(-20000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`vaultproof serve printed no URL within 60 s; stderr:\n${err}`)), 60_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl).trim());
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`vaultproof serve exited with ${code} before printing its URL; stderr:\n${err}`));
    });
  });
  const parsed = new URL(url);
  const token = new URLSearchParams(parsed.hash.slice(1)).get('token') ?? '';
  return {
    url,
    origin: parsed.origin,
    token,
    child,
    stderr: () => err,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A raw call to /rpc, as the renderer's HTTP transport makes it (for baselines and checks). */
export async function rpc<T>(server: Pick<ServeProcess, 'origin' | 'token'>, method: string, input: unknown): Promise<T> {
  const res = await fetch(`${server.origin}/rpc`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ method, input }),
  });
  const body = (await res.json()) as { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
  if (!body.ok) throw new Error(`${method}: ${body.error.code} ${body.error.message}`);
  return body.value;
}
