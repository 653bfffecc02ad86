import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot, tempDir } from '../harness/cli.ts';

/**
 * The import rules are enforced by `npm run lint`, not by review: a copy of our
 * eslint config in a scratch tree must reject each deliberate violation.
 */
function lintTree(files: Record<string, string>): { code: number; out: string } {
  const dir = tempDir('vp-lint-');
  fs.copyFileSync(path.join(repoRoot, 'eslint.config.js'), path.join(dir, 'eslint.config.js'));
  fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}');
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'eslint', 'bin', 'eslint.js'), '.'], { cwd: dir, encoding: 'utf8' });
  return { code: r.status ?? 2, out: r.stdout + r.stderr };
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
    assert.match(r.out, /shared[/\\]domain[/\\]bad\.ts[\s\S]*shared\/ runs anywhere: no Node built-ins/);
    assert.match(r.out, /reach\.ts[\s\S]*shared\/ imports nothing of ours outside shared\//);
    assert.match(r.out, /electron[/\\]core[/\\]thing\.ts[\s\S]*Only electron\/main and electron\/preload import electron/);
    assert.match(r.out, /renderer[/\\]view\.tsx[\s\S]*The renderer never imports Node built-ins/);
    assert.match(r.out, /The renderer never imports electron\//);
    assert.doesNotMatch(r.out, /electron[/\\]main[/\\]ok\.ts/, 'electron/main may import electron');
  });

  it('accepts a tree that keeps the rules', () => {
    const r = lintTree({
      'shared/domain/good.ts': "import { z } from 'zod';\nexport const s = z.string();\n",
      'electron/core/good.ts': "import fs from 'node:fs';\nimport { s } from '../../shared/domain/good.ts';\nexport const v = [fs.constants.R_OK, s];\n",
    });
    assert.equal(r.code, 0, r.out);
  });
});
