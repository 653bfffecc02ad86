import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../harness/cli.ts';

/**
 * One file-naming style (Structure 2): every folder and every code file is
 * kebab-case (`backup-state.ts`, `diff-sql.ts`, `engine-host.ts`), with dotted
 * roles allowed (`x.test.ts`, `eslint.config.js`) and a leading `_` for a
 * bench's private helper. The one exception is React's own convention: a
 * `.tsx` file named in PascalCase holds the component of that name
 * (`ItemDrawer.tsx` exports `ItemDrawer`). Azure's recorded payloads under
 * test/fixtures keep the names Microsoft gave them.
 */
const ROOTS = ['electron', 'shared', 'renderer', 'scripts', 'eslint', 'bin', 'test'];
const KEBAB = /^_?[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)*$/;
const PASCAL = /^[A-Z][A-Za-z0-9]*$/;

export function nameProblem(file: string, source: () => string): string | undefined {
  const parts = file.split('/');
  const base = parts.pop()!;
  const badDir = parts.find((p) => !KEBAB.test(p));
  if (badDir) return `folder "${badDir}" is not kebab-case`;
  const dot = base.indexOf('.');
  const stem = dot < 0 ? base : base.slice(0, dot);
  const ext = dot < 0 ? '' : base.slice(dot + 1);
  if (ext.endsWith('tsx') && PASCAL.test(stem)) {
    const exported = new RegExp(`export\\s+(default\\s+)?(function|const|class)\\s+${stem}\\b|export\\s*\\{[^}]*\\b${stem}\\b`);
    return exported.test(source()) ? undefined : `PascalCase file does not export the component ${stem}`;
  }
  return KEBAB.test(stem) && KEBAB.test(ext.replace(/\./g, '-') || 'x') ? undefined : `"${base}" is not kebab-case`;
}

describe('file names', () => {
  it('tells the allowed names from the others', () => {
    const src = (s: string) => () => s;
    assert.equal(nameProblem('shared/domain/backup-state.ts', src('')), undefined);
    assert.equal(nameProblem('test/bench/_outside.ts', src('')), undefined);
    assert.equal(nameProblem('test/unit/x.test.ts', src('')), undefined);
    assert.equal(nameProblem('renderer/src/main.tsx', src('')), undefined);
    assert.equal(nameProblem('renderer/src/items/ItemDrawer.tsx', src('export function ItemDrawer() {}')), undefined);
    assert.match(nameProblem('shared/domain/backupState.ts', src(''))!, /not kebab-case/);
    assert.match(nameProblem('shared/domain/Backup_state.ts', src(''))!, /not kebab-case/);
    assert.match(nameProblem('renderer/src/items/ItemDrawer.tsx', src('export function Drawer() {}'))!, /does not export/);
    assert.match(nameProblem('renderer/src/Items/x.ts', src(''))!, /folder "Items"/);
  });

  it('every tracked file outside the Azure fixtures follows the one style', () => {
    const files = execFileSync('git', ['ls-files', ...ROOTS], { cwd: repoRoot, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f && !f.startsWith('test/fixtures/') && fs.existsSync(path.join(repoRoot, f)));
    assert.ok(files.length > 300, `only ${files.length} files listed`);
    const problems = files
      .map((f) => [f, nameProblem(f, () => fs.readFileSync(path.join(repoRoot, f), 'utf8'))] as const)
      .filter(([, p]) => p)
      .map(([f, p]) => `${f}: ${p}`);
    assert.deepEqual(problems, []);
  });
});
