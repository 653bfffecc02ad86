/**
 * The CLI's human tables (electron/cli/run.ts `table`) at the size a 100k
 * estate gives them: `vaultproof findings SNAPSHOT` printed 179k findings
 * through one table and died with "Maximum call stack size exceeded" (the
 * column widths were Math.max(...179k lengths)).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { table } from '../../electron/cli/run.ts';

test('a table of 300k rows is printed, with columns as wide as their widest cell (at most 60)', () => {
  const rows = Array.from({ length: 300_000 }, (_, i) => ({ severity: i % 2 ? 'high' : 'low', target: i === 123_456 ? 'x'.repeat(90) : `vm-${i}` }));
  const text = table(rows, ['severity', 'target']);
  const lines = text.split('\n');
  assert.equal(lines.length, 300_000 + 3); // header, rule, rows, final empty string
  // 'severity' (8) is wider than 'high'/'low'; the target column is capped at 60, so the 90-char cell is cut with an ellipsis.
  assert.equal(lines[1], `${'-'.repeat(8)}  ${'-'.repeat(60)}`);
  assert.equal(lines[2 + 123_456], `low       ${'x'.repeat(59)}…`);
  assert.equal(lines[2 + 7], 'high      vm-7');
});
