/**
 * Where the built renderer lives and how web mode gets it on a fresh
 * checkout: `vite build` (a devDependency, present after `npm ci`) into a
 * temporary folder that is then renamed into place, so a server running
 * from the old build, or a second `serve` building at the same time, never
 * sees a half-written folder.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const here = import.meta.dirname;

/**
 * The repository (source run through tsx) or the compiled tree (build/out in
 * a checkout, the app root when packaged) — both three folders above this file.
 */
function layoutRoot(): { root: string; compiled: boolean } {
  return { root: path.resolve(here, '../../..'), compiled: import.meta.url.endsWith('.js') };
}

export function defaultRendererDir(): string {
  const { root, compiled } = layoutRoot();
  return compiled ? path.join(root, 'renderer') : path.join(root, 'build', 'out', 'renderer');
}

export function rendererIsBuilt(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'index.html'));
}

/** The newest modification time under renderer/ sources, to warn about a stale build. */
function newestSourceMtime(dir: string): number {
  let newest = 0;
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  try {
    walk(dir);
  } catch {
    return 0;
  }
  return newest;
}

export type EnsureRendererResult = { dir: string; built: boolean; stale: boolean };

/**
 * Builds the renderer when its folder has no index.html and we run from a
 * checkout that has the sources and vite. `log` gets progress lines (stderr
 * in the CLI: stdout's first line belongs to the URL).
 */
export async function ensureRendererBuilt(opts: { dir?: string; log: (line: string) => void; force?: boolean }): Promise<EnsureRendererResult> {
  const dir = opts.dir ?? defaultRendererDir();
  const { root, compiled } = layoutRoot();
  const sources = path.join(root, 'renderer');
  const config = path.join(sources, 'vite.config.ts');
  const built = rendererIsBuilt(dir);
  if (compiled || !fs.existsSync(config)) return { dir, built: false, stale: false };
  if (built && !opts.force) {
    const stale = newestSourceMtime(sources) > fs.statSync(path.join(dir, 'index.html')).mtimeMs;
    return { dir, built: false, stale };
  }
  const viteBin = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!fs.existsSync(viteBin)) throw new Error(`the UI is not built and vite is missing (${viteBin}): run \`npm ci\` then \`npm run build:renderer\``);
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  opts.log(`building the UI into ${dir} (first start; about a minute)...`);
  const code = await new Promise<number>((resolve, reject) => {
    // vite prints to stdout; send all of it to our stderr so stdout's first line stays the URL.
    const child = spawn(process.execPath, [viteBin, 'build', '--config', config, '--outDir', tmp, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: root,
      stdio: ['ignore', process.stderr, process.stderr],
    });
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? 1));
  });
  if (code !== 0 || !rendererIsBuilt(tmp)) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new Error(`building the UI failed (vite exit code ${code}); run \`npm run build:renderer\` to see why`);
  }
  if (rendererIsBuilt(dir) && !opts.force) {
    // someone else finished first: keep theirs
    fs.rmSync(tmp, { recursive: true, force: true });
  } else {
    const old = `${dir}.old-${process.pid}-${Date.now()}`;
    if (fs.existsSync(dir)) fs.renameSync(dir, old);
    fs.renameSync(tmp, dir);
    fs.rmSync(old, { recursive: true, force: true });
  }
  return { dir, built: true, stale: false };
}
