/**
 * Measures the "pack walk": following the snapshot id from `vaultproof pack`
 * to the finished pack, which source files does it pass through, and how
 * often does the walk come back to a file it had already left?
 *
 * Every SQLite statement run whose parameters carry one of the pack's
 * snapshot ids records its JS stack (project files only, consecutive frames
 * of one file collapsed). The stacks, in time order, are replayed as one
 * depth-first walk: leaving the previous stack down to the shared prefix,
 * then descending into the new one. A "return" is each step onto a file that
 * the walk had visited before and left. Deterministic (no sampling), and the
 * same instrument measures any revision: pass its checkout as ROOT.
 *
 *   node --import tsx test/packs/pack-walk.ts [ROOT] [--upto-report] [--list]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const root = path.resolve(args.find((a) => !a.startsWith('--')) ?? path.join(import.meta.dirname, '..', '..'));
const uptoReport = args.includes('--upto-report');
const mod = async <T>(rel: string): Promise<T> => (await import(pathToFileURL(path.join(root, rel)).href)) as T;

type Estate = { fixtureEstate: (s: unknown) => { baseline: { id: string }; current: { id: string } } };
const { openStore } = await mod<{ openStore: (p: string) => { close(): void; db: { prepare(sql: string): object } } }>('electron/core/store/store.ts');
const { fixtureEstate } = await mod<Estate>('test/packs/estate.ts');
type Cli = { runCli: (a: string[], io: { stdout(t: string): void; stderr(t: string): void }) => Promise<number> };
// The CLI entrance moves while S1 lands: take whichever the revision has.
const { runCli } = await mod<Cli>('electron/cli.ts').catch(() => mod<Cli>('electron/cli/main.ts'));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-walk-'));
const storePath = path.join(dir, 'store', 'vaultproof.db');
const store = openStore(storePath);
const estate = fixtureEstate(store);
const ids = new Set([estate.current.id, estate.baseline.id]);
const Statement = Object.getPrototypeOf(store.db.prepare('SELECT 1')) as Record<string, (...a: unknown[]) => unknown>;
store.close();

const srcRoots = ['electron', 'shared'].map((d) => path.join(root, d) + path.sep);
const stacks: string[][] = [];
let recording = true;
const carries = (v: unknown): boolean => (typeof v === 'string' ? ids.has(v) : v !== null && typeof v === 'object' && Object.values(v).some((x) => typeof x === 'string' && ids.has(x)));
Error.stackTraceLimit = Infinity;
for (const m of ['get', 'all', 'iterate', 'run']) {
  const orig = Statement[m]!;
  Statement[m] = function (this: unknown, ...a: unknown[]) {
    if (recording && a.some(carries)) {
      const files: string[] = [];
      for (const line of (new Error().stack ?? '').split('\n').slice(2).reverse()) {
        const f = /\(?(?:file:\/\/)?(\/[^():]+\.tsx?):\d+:\d+\)?\s*$/.exec(line)?.[1];
        if (!f || !srcRoots.some((r) => f.startsWith(r))) continue;
        const rel = path.relative(root, f);
        if (files[files.length - 1] !== rel) files.push(rel);
      }
      if (files.length > 0) stacks.push(files);
      if (uptoReport && files.some((f) => f.endsWith('pdf/report.ts'))) sawReport = true;
      else if (uptoReport && sawReport) recording = false;
    }
    return orig.apply(this, a);
  };
}
let sawReport = false;

process.env.VP_WALK_PASS = 'walk passphrase';
const out = { o: '', e: '' };
const code = await runCli(
  ['pack', estate.current.id, '--compare', estate.baseline.id, '--out', path.join(dir, 'pack'), '--sign-self-signed', '--signer-name', 'Walker', '--passphrase-env', 'VP_WALK_PASS', '--sample', 'seed-1:5', '--store', storePath, '--json'],
  { stdout: (t) => void (out.o += t), stderr: (t) => void (out.e += t) },
);
if (code !== 0) throw new Error(`vaultproof pack failed (${code}): ${out.e}`);

// Replay the stacks as one depth-first walk.
const walk: string[] = [];
let prev: string[] = [];
const step = (f: string): void => {
  if (walk[walk.length - 1] !== f) walk.push(f);
};
for (const s of stacks) {
  let k = 0;
  while (k < s.length && k < prev.length && s[k] === prev[k]) k++;
  for (let i = prev.length - 2; i >= k - 1 && i >= 0; i--) step(prev[i]!);
  for (let i = k; i < s.length; i++) step(s[i]!);
  prev = s;
}
const seen = new Set<string>();
let returns = 0;
for (const f of walk) {
  if (seen.has(f)) returns++;
  seen.add(f);
}
fs.rmSync(dir, { recursive: true, force: true });
if (args.includes('--list')) console.log(walk.join('\n'));
console.log(JSON.stringify({ root, uptoReport, statements: stacks.length, files: seen.size, returns, steps: walk.length }));
