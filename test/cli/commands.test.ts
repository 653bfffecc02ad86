/**
 * The CLI's light manifest (electron/cli/commands.ts): every command's run()
 * is where the manifest says, usage strings spell out the current lists, and
 * `vaultproof --help` loads no domain code.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { stratifyValues } from '../../shared/contract/methods/analysis.ts';
import { ownerFields } from '../../shared/contract/methods/annotations.ts';
import { itemFilterFields } from '../../shared/contract/methods/snapshots.ts';
import { methods } from '../../shared/contract/index.ts';
import { cloudNames } from '../../shared/domain/azure-clouds.ts';
import { severities } from '../../shared/domain/profile.ts';
import { commands } from '../../electron/cli/commands.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/** Module files a fresh CLI process loads for argv, seen by an ESM load hook (tsx's own files left out). */
function modulesLoadedFor(argv: string[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-loads-'));
  const log = path.join(dir, 'loads.txt');
  fs.writeFileSync(path.join(dir, 'hooks.mjs'), "import fs from 'node:fs';\nexport async function load(url, context, next) {\n  fs.appendFileSync(process.env.VP_LOADS, url + '\\n');\n  return next(url, context);\n}\n");
  fs.writeFileSync(path.join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(new URL(`file://${path.join(dir, 'hooks.mjs')}`).href)});\n`);
  const res = spawnSync(process.execPath, ['--import', 'tsx', '--import', path.join(dir, 'register.mjs'), path.join(repoRoot, 'electron/cli.ts'), ...argv], {
    env: { ...process.env, VP_LOADS: log, VAULTPROOF_STORE: path.join(dir, 'store.db') },
    encoding: 'utf8',
  });
  assert.equal(res.status, 0, res.stderr);
  return [...new Set(fs.readFileSync(log, 'utf8').split('\n').filter((u) => u !== '' && !/node_modules\/(tsx|esbuild)\//.test(u)))];
}

describe('CLI manifest', () => {
  it('names each command once; its module (electron/cli/<prefix>.ts) has a run() for it', async () => {
    assert.equal(new Set(commands.map((c) => c.name)).size, commands.length);
    for (const c of commands) {
      const { runs } = await c.load();
      assert.equal(typeof runs[c.name], 'function', `${c.name} has a run()`);
    }
    // Every contract prefix a command calls has a CLI file of the same name.
    const prefixes = new Set(Object.keys(methods).map((m) => m.slice(0, m.indexOf('.'))));
    const cliFiles = fs.readdirSync(path.join(repoRoot, 'electron/cli')).map((f) => f.replace(/\.ts$/, ''));
    for (const f of cliFiles) {
      const text = fs.readFileSync(path.join(repoRoot, 'electron/cli', `${f}.ts`), 'utf8');
      for (const m of text.matchAll(/\bcall\(core, '([a-z]+)\.[A-Za-z]+'/g)) assert.equal(m[1], f, `electron/cli/${f}.ts calls ${m[0]}: a command calling ${m[1]}.* belongs in electron/cli/${m[1]}.ts`);
      if (/export const runs\b/.test(text)) assert.ok(prefixes.has(f) || f === 'serve', `electron/cli/${f}.ts is named after a method prefix`);
    }
  });

  it('usage strings spell out the current lists of values', () => {
    const usage = (name: string) => commands.find((c) => c.name === name)!.usage;
    assert.ok(usage('findings').includes(`--fail-on ${severities.join('|')}`));
    assert.ok(usage('sample').includes(`--stratify ${stratifyValues.filter((s) => s !== 'none').join('|')}`));
    assert.ok(usage('owners import').includes(`(FIELD: ${ownerFields.join(', ')})`));
    assert.ok(usage('items').includes(`(FIELD: ${itemFilterFields.join(', ')})`));
    assert.ok(usage('collect').includes(`--cloud ${cloudNames.join('|')}`));
  });

  it('--help loads no domain code, zod or SQLite; a command loads only its own module among the command files', () => {
    const help = modulesLoadedFor(['--help']);
    // Small leaf modules (errors, version, text escaping) are fine; the core's domains, the contract's zod schemas and any package are not.
    const bad = help.filter((u) => /electron\/core\/[a-z-]+\/|electron\/core\/context\.ts|electron\/cli\/(?!commands\.ts|notice\.ts)|node_modules\/|shared\/(?!contract\/result\.ts)/.test(u));
    assert.deepEqual(bad, []);
    const snapshots = modulesLoadedFor(['snapshots', '--json']);
    const cliModules = snapshots.filter((u) => /electron\/cli\/[^/]+\.ts$/.test(u)).map((u) => path.basename(u)).sort();
    // A command file is one that exports `runs`; of those only the command's own may load. The rest are
    // the CLI's small shared helpers (the table, the notice, the JSON writer every --json output goes through).
    const isCommandFile = (f: string) => /export const runs\b/.test(fs.readFileSync(path.join(repoRoot, 'electron/cli', f), 'utf8'));
    assert.deepEqual(cliModules.filter(isCommandFile), ['snapshots.ts']);
    assert.deepEqual(cliModules.filter((f) => !isCommandFile(f)), ['commands.ts', 'json-out.ts', 'notice.ts', 'run.ts']);
    assert.ok(!snapshots.some((u) => /node_modules\/(pdfkit|exceljs|@azure|node-forge)\//.test(u)), 'no pack, workbook or Azure code');
  });
});
