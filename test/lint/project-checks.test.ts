import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../harness/cli.ts';

/** The whole project type-checks (Node and web configurations) and lints clean, as CI sees it. */
describe('project checks', () => {
  it('npm run typecheck passes (main and preload against the electron package types, the renderer against the DOM)', () => {
    const tsc = path.join(repoRoot, 'node_modules', 'typescript7', 'bin', 'tsc');
    for (const cfg of ['tsconfig.node.json', 'tsconfig.web.json']) {
      const r = spawnSync(process.execPath, [tsc, '-p', cfg, '--noEmit'], { cwd: repoRoot, encoding: 'utf8' });
      assert.equal(r.status, 0, `${cfg}:\n${r.stdout}${r.stderr}`);
    }
  });

  it('npm run lint passes on the whole tree', () => {
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'eslint', 'bin', 'eslint.js'), '.'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });
});
