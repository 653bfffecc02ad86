/**
 * The e2e tests and the UI bench run against the built renderer. It is
 * (re)built here when missing or older than any source under renderer/ or
 * shared/ — in CI (a clean clone) that is once per run; locally only after
 * a change. The build lands in build/out/renderer through the web server's
 * own atomic rename, so a server already running never sees half a build.
 */
import fs from 'node:fs';
import path from 'node:path';
import { defaultRendererDir, ensureRendererBuilt } from '../../../electron/core/web/renderer-build.ts';

const root = path.resolve(import.meta.dirname, '../../..');

function newestMtime(dir: string): number {
  let newest = 0;
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  walk(dir);
  return newest;
}

export async function ensureFreshRenderer(log: (line: string) => void = () => {}): Promise<{ dir: string; built: boolean; ms: number }> {
  const t = performance.now();
  const dir = defaultRendererDir();
  const index = path.join(dir, 'index.html');
  const sources = Math.max(newestMtime(path.join(root, 'renderer')), newestMtime(path.join(root, 'shared')));
  const stale = !fs.existsSync(index) || fs.statSync(index).mtimeMs < sources;
  if (!stale) return { dir, built: false, ms: 0 };
  const r = await ensureRendererBuilt({ dir, log, force: true });
  return { dir: r.dir, built: r.built, ms: Math.round(performance.now() - t) };
}
