import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { repoRoot, tempDir } from '../harness/cli.ts';

/**
 * The import rules are enforced by `npm run lint`, not by review: a copy of our
 * eslint config and its runtime rule in a scratch tree must reject each
 * deliberate violation.
 */
function lintTree(files: Record<string, string>): { code: number; out: string } {
  const dir = tempDir('vp-lint-');
  fs.copyFileSync(path.join(repoRoot, 'eslint.config.js'), path.join(dir, 'eslint.config.js'));
  fs.cpSync(path.join(repoRoot, 'eslint'), path.join(dir, 'eslint'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}');
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'eslint', 'bin', 'eslint.js'), '.'], { cwd: dir, encoding: 'utf8' });
  return { code: r.status ?? 2, out: r.stdout + r.stderr };
}

/** The lines ESLint printed for one file (its block runs until the next blank line). */
function problemsOf(out: string, rel: string): string {
  const at = out.search(new RegExp(`[/\\\\]${rel.replace(/[/\\]/g, '[/\\\\]').replace(/\./g, '\\.')}\\n`));
  if (at < 0) return '';
  const block = out.slice(at);
  const end = block.indexOf('\n\n');
  return end < 0 ? block : block.slice(0, end);
}

describe('lint import boundaries', () => {
  it('rejects node:* in shared/, electron in the core, and node/electron/ in the renderer', () => {
    const r = lintTree({
      'shared/domain/bad.ts': "import fs from 'node:fs';\nexport const size = fs.statSync('.').size;\n",
      'shared/domain/reach.ts': "import { x } from '../../electron/core/thing.ts';\nexport const y = x;\n",
      'electron/core/thing.ts': "import { app } from 'electron';\nexport const x = app.getName();\n",
      'renderer/view.tsx': "import path from 'node:path';\nimport { x } from '../electron/core/thing.ts';\nexport const v = [path.sep, x];\n",
      'electron/main/ok.ts': "import { app } from 'electron';\nexport const ok = app.getName();\n",
    });
    assert.equal(r.code, 1, r.out);
    assert.match(problemsOf(r.out, 'shared/domain/bad.ts'), /'node:fs' runs on Node \(eslint\/runtimes\.js\), but shared\/ runs anywhere/);
    assert.match(problemsOf(r.out, 'shared/domain/reach.ts'), /'\.\.\/\.\.\/electron\/core\/thing\.ts' is in electron\/core\/, which runs on Node, but shared\/ runs anywhere/);
    assert.match(problemsOf(r.out, 'electron/core/thing.ts'), /'electron' runs in Electron's main or preload process \(eslint\/runtimes\.js\), but electron\/core\/ runs on Node/);
    const view = problemsOf(r.out, 'renderer/view.tsx');
    assert.match(view, /'node:path' runs on Node .* but renderer\/ runs in the browser/);
    assert.match(view, /'\.\.\/electron\/core\/thing\.ts' is in electron\/core\/, which runs on Node, but renderer\/ runs in the browser/);
    assert.equal(problemsOf(r.out, 'electron/main/ok.ts'), '', 'electron/main may import electron');
  });

  it('places npm packages too: a Node-only package in shared/ or the renderer and a DOM package in the core fail', () => {
    const r = lintTree({
      'shared/domain/db.ts': "import Database from 'better-sqlite3';\nexport const open = (p: string) => new Database(p);\n",
      'shared/domain/lazy.ts': "export const load = () => import('exceljs');\n",
      'renderer/sheet.tsx': "import { type Workbook } from 'exceljs';\nexport type W = Workbook;\n",
      'electron/core/view.ts': "import { createElement } from 'react';\nexport const e = createElement('div');\n",
      'electron/preload/bridge.ts': "import { createRoot } from 'react-dom/client';\nexport const r = createRoot;\n",
    });
    assert.equal(r.code, 1, r.out);
    assert.match(problemsOf(r.out, 'shared/domain/db.ts'), /'better-sqlite3' runs on Node \(eslint\/runtimes\.js\), but shared\/ runs anywhere .*vaultproof\/import-runtime/);
    assert.match(problemsOf(r.out, 'shared/domain/lazy.ts'), /'exceljs' runs on Node/, 'a dynamic import is placed like a static one');
    assert.match(problemsOf(r.out, 'renderer/sheet.tsx'), /'exceljs' runs on Node .* but renderer\/ runs in the browser/, 'a type-only import is placed too');
    assert.match(problemsOf(r.out, 'electron/core/view.ts'), /'react' runs in the browser \(no Node\) \(eslint\/runtimes\.js\), but electron\/core\/ runs on Node/);
    assert.match(problemsOf(r.out, 'electron/preload/bridge.ts'), /'react-dom\/client' runs in the browser/, 'a subpath is placed by its package');
  });

  it('an unplaced package is an error wherever it is imported, until it is added to the table', () => {
    const r = lintTree({
      'electron/core/fetcher.ts': "import got from 'left-pad-unplaced';\nexport const g = got;\n",
      'shared/domain/x.ts': "export const req = () => require('@acme/unplaced/sub');\n",
    });
    assert.equal(r.code, 1, r.out);
    assert.match(problemsOf(r.out, 'electron/core/fetcher.ts'), /package 'left-pad-unplaced' is not placed: add it to the packages table in eslint\/runtimes\.js/);
    assert.match(problemsOf(r.out, 'shared/domain/x.ts'), /package '@acme\/unplaced' is not placed/);
  });

  it('runtime globals follow the folder too: process in shared/, Buffer in the renderer, document in the engine fail', () => {
    const r = lintTree({
      'shared/domain/env.ts': "export const debug = process.env.DEBUG === '1';\n",
      'renderer/src/bytes.ts': "export const b = Buffer.from('x');\n",
      'electron/core/title.ts': "export const t = () => document.title;\n",
      'electron/core/ok.ts': "export const pid = process.pid;\n",
    });
    assert.equal(r.code, 1, r.out);
    assert.match(problemsOf(r.out, 'shared/domain/env.ts'), /Unexpected use of 'process'\. shared\/ runs anywhere \(no Node, DOM or Electron\), where there is no process/);
    assert.match(problemsOf(r.out, 'renderer/src/bytes.ts'), /Unexpected use of 'Buffer'\. renderer\/ runs in the browser \(no Node\), where there is no Buffer/);
    assert.match(problemsOf(r.out, 'electron/core/title.ts'), /Unexpected use of 'document'\. electron\/core\/ runs on Node, where there is no document/);
    assert.equal(problemsOf(r.out, 'electron/core/ok.ts'), '', 'the engine may use process');
  });

  it('a file in a folder with no runtime is an error', () => {
    const r = lintTree({ 'tools/loose.ts': "export const x = 1;\nimport fs from 'node:fs';\nexport const y = fs.sep;\n" });
    assert.equal(r.code, 1, r.out);
    assert.match(problemsOf(r.out, 'tools/loose.ts'), /tools\/loose\.ts is in no folder of eslint\/runtimes\.js/);
  });

  it('accepts a tree that keeps the rules, packages included', () => {
    const r = lintTree({
      'shared/domain/good.ts': "import { z } from 'zod';\nexport const s = z.string();\n",
      'electron/core/good.ts': "import fs from 'node:fs';\nimport Database from 'better-sqlite3';\nimport { s } from '../../shared/domain/good.ts';\nexport const v = [fs.constants.R_OK, s, Database];\n",
      'electron/main/window.ts': "import { app } from 'electron';\nimport { v } from '../core/good.ts';\nexport const w = [app, v];\n",
      'renderer/src/view.tsx': "import { createElement } from 'react';\nimport { Button } from '@fluentui/react-components';\nimport { s } from '../../shared/domain/good.ts';\nexport const e = createElement(Button, null, String(s));\n",
      'renderer/vite.config.ts': "import path from 'node:path';\nexport const root = path.resolve('.');\n",
    });
    assert.equal(r.code, 0, r.out);
  });

  it('every package in package.json is placed in the table (type packages aside)', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    const declared = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((n) => !n.startsWith('@types/'));
    // A computed specifier: the table is plain JavaScript (ESLint loads it), with no type declarations.
    const table = pathToFileURL(path.join(repoRoot, 'eslint', 'runtimes.js')).href;
    const { packages } = (await import(table)) as { packages: Record<string, string> };
    const unplaced = declared.filter((n) => !Object.hasOwn(packages, n));
    assert.deepEqual(unplaced, [], 'add these to eslint/runtimes.js');
  });
});
