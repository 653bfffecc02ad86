import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { migrations } from '../../electron/core/store/migrations/index.ts';
import { repoRoot } from '../harness/cli.ts';

const migrationDir = path.join(repoRoot, 'electron', 'core', 'store', 'migrations');
const FILE = /^(\d{3})-([a-z0-9-]+)\.ts$/;

/**
 * Migration ids are the store's schema history: a store records each by id
 * and hash. A gap or a repeat means two versions could disagree about what
 * an id holds, so the list must run 1, 2, 3, … with no hole.
 */
describe('migration ids', () => {
  it('are contiguous from 1, in order, with no repeat', () => {
    const ids = migrations.map((m) => m.id);
    assert.deepEqual(ids, Array.from({ length: ids.length }, (_, i) => i + 1));
  });

  it('each migration file is in the list under the id and name its file name gives, and nothing else is', () => {
    const files = fs.readdirSync(migrationDir).filter((f) => FILE.test(f)).sort();
    assert.deepEqual(
      files.map((f) => { const m = FILE.exec(f)!; return { id: Number(m[1]), name: m[2] }; }),
      migrations.map((m) => ({ id: m.id, name: m.name })),
    );
  });

  it('each migration has its own test file in test/migrations, named by id', () => {
    const tests = new Set(fs.readdirSync(import.meta.dirname));
    for (const m of migrations) {
      const name = `${String(m.id).padStart(3, '0')}-${m.name}.test.ts`;
      assert.ok(tests.has(name), `test/migrations/${name} is missing`);
    }
  });
});
