/**
 * `vaultproof serve`: web mode. The URL (with the per-launch token in its
 * fragment) is the first line of stdout, so scripts and tests can read it;
 * everything else goes to stderr.
 */
import path from 'node:path';
import { badInput } from '../core/errors.ts';
import { defaultRendererDir, ensureRendererBuilt, rendererIsBuilt } from '../core/web/renderer-build.ts';
import { startWebServer } from '../core/web/server.ts';
import { listArg } from './run.ts';
import type { CommandRuns } from './types.ts';

function parsePort(raw: unknown): number {
  if (raw === undefined) return 0;
  const text = String(raw);
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw badInput(`--port must be a number from 0 to 65535 (0 picks a free port), got "${text}"`);
  return Number(text);
}

export const runs: CommandRuns = {
  async 'serve'(args, io) {
    const port = parsePort(args.values.port);
    const store = typeof args.values.store === 'string' ? args.values.store : undefined;
    const log = (line: string): void => io.stderr(`${line}\n`);
    let rendererDir: string;
    try {
      const r = args.values['no-build'] === true ? { dir: defaultRendererDir(), stale: false } : await ensureRendererBuilt({ log, force: args.values.build === true });
      rendererDir = r.dir;
      if (r.stale) log('note: renderer/ changed since the UI was built; `vaultproof serve --build` rebuilds it');
      if (!rendererIsBuilt(rendererDir)) log(`note: no built UI in ${rendererDir}; the API works, the page asks for \`npm run build:renderer\``);
    } catch (err) {
      throw badInput((err as Error).message);
    }
    // VAULTPROOF_SERVE_ALLOW (folders separated like PATH) serves scripts that start web mode for a fixed set of folders.
    const allow = [...listArg(args, 'allow'), ...(process.env.VAULTPROOF_SERVE_ALLOW ?? '').split(path.delimiter).filter(Boolean)];
    // The store's upgrade, if the first call opens an old store, is printed as the other commands print it.
    const server = await startWebServer({ port, rendererDir, allowedRoots: allow, ...(store !== undefined ? { storePath: store } : {}), onEngineEvent: (e) => log(`vaultproof: ${e.message ?? e.phase}`) });
    io.stdout(`${server.url}\n`);
    log(`Vaultproof web mode on ${server.origin} (store: ${server.storePath()})`);
    log('Open the URL above in a browser on this machine. Press Ctrl+C to stop.');
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await server.close();
    return 0;
  },
};
