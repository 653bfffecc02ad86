import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../harness/cli.ts';

/**
 * ARCHITECTURE.md is the map of the tree; a map that names a file that moved
 * is worse than none. Every path it writes in backticks must exist.
 */
const FILE_NAME = /^[\w.@-]+\.(ts|tsx|js|mjs|cjs|md|json|yml|yaml|html|css)$/;
const PATH = /^[\w.@-]+(\/[\w.@-]+)*\/?$/;

/** The backticked spans of a Markdown text that name a path (outside fenced code blocks). */
export function namedPaths(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  const spans = [...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
  return [...new Set(spans.filter((s) => PATH.test(s) && (s.includes('/') || FILE_NAME.test(s))))];
}

describe('ARCHITECTURE.md', () => {
  const text = fs.readFileSync(path.join(repoRoot, 'ARCHITECTURE.md'), 'utf8');

  it('tells paths from other code spans', () => {
    const sample = 'See `electron/core/api/dispatch.ts`, `shared/`, `README.md` and\n```\n`not/this`\n```\nbut not `dispatch(core, { method })`, `snapshots.list`, `--as-of` or `literal()`.';
    assert.deepEqual(namedPaths(sample), ['electron/core/api/dispatch.ts', 'shared/', 'README.md']);
  });

  it('is a real map: at least 1,500 characters naming the parts', () => {
    assert.ok(text.length >= 1500, `only ${text.length} characters`);
    for (const part of ['shared/', 'electron/core/', 'electron/core/api/dispatch.ts', 'electron/core/host/', 'electron/core/packs/', 'renderer/']) {
      assert.ok(namedPaths(text).includes(part), `names ${part}`);
    }
  });

  it('names only paths that exist', () => {
    const missing = namedPaths(text).filter((p) => !fs.existsSync(path.join(repoRoot, p)));
    assert.deepEqual(missing, [], 'ARCHITECTURE.md names paths that are not in the tree: move the text with the file');
  });
});
