import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot, tempDir } from '../harness/cli.ts';

/**
 * Static imports (type-only ones too) between files of one folder, as a graph;
 * returns every strongly connected group of more than one file, i.e. every
 * import circle. Dynamic import() is left out on purpose: loading on first use
 * is how a table of handlers avoids a circle.
 */
function importCircles(root: string): string[][] {
  const files: string[] = [];
  (function walk(dir: string): void {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name)) files.push(p);
    }
  })(root);
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const src = fs.readFileSync(f, 'utf8');
    const deps = [...src.matchAll(/^\s*(?:import|export)\s[^'";]*?from\s+['"](\.[^'"]+)['"]/gm)].map((m) => path.resolve(path.dirname(f), m[1]!));
    graph.set(f, deps.filter((d) => d.startsWith(root + path.sep)));
  }
  // Tarjan's strongly connected components.
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(path.relative(root, w).split(path.sep).join('/'));
      } while (w !== v);
      if (group.length > 1) circles.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return circles;
}

describe('import circles', () => {
  it('the finder sees a circle (two files that import each other)', () => {
    const dir = tempDir('vp-cycle-');
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'a.ts'), "import { b } from './sub/b.ts';\nexport const a = b;\n");
    fs.writeFileSync(path.join(dir, 'sub', 'b.ts'), "import type { A } from '../c.ts';\nexport const b: A = 1;\n");
    fs.writeFileSync(path.join(dir, 'c.ts'), "import {\n  a,\n} from './a.ts';\nexport type A = typeof a;\n");
    // A dynamic import is no circle: d loads a on first use.
    fs.writeFileSync(path.join(dir, 'd.ts'), "import { a } from './a.ts';\nexport const d = () => [a, import('./d.ts')];\n");
    assert.deepEqual(importCircles(dir), [['a.ts', 'c.ts', 'sub/b.ts']]);
  });

  it('the store has none (rows and snapshots, and the migration list, once imported each other)', () => {
    assert.deepEqual(importCircles(path.join(repoRoot, 'electron', 'core', 'store')), []);
  });

  it('the engine as a whole has none', () => {
    assert.deepEqual(importCircles(path.join(repoRoot, 'electron', 'core')), []);
  });
});
