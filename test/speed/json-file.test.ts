import assert from 'node:assert/strict';
import { test } from 'node:test';
import { printJson } from '../../electron/cli/run.ts';
import { writePrettyJson } from '../../electron/core/packs/write/json-file.ts';

function streamed(value: unknown): { text: string | undefined; pieces: number; largest: number } {
  const parts: string[] = [];
  const ok = writePrettyJson({ write: (s) => parts.push(s) }, value);
  return { text: ok ? parts.join('') : undefined, pieces: parts.length, largest: Math.max(0, ...parts.map((p) => p.length)) };
}

test('data files streamed piece by piece are byte-for-byte what JSON.stringify(value, null, 2) writes', () => {
  const cases: unknown[] = [
    null,
    0,
    -1.5e-7,
    'a "quoted"\nline\u2028 and \ud83d\ude00',
    true,
    [],
    {},
    [[]],
    { a: {} },
    { a: [], b: [{}], c: [[1, [2, { d: [] }]]] },
    // What JSON.stringify leaves out or turns into null: undefined / function properties, holes and undefined in arrays.
    { keep: 1, gone: undefined, fn: () => 1, nested: { gone: undefined, arr: [undefined, () => 2, null] } },
    [undefined, () => 3, Symbol('s')],
    // toJSON is called (Dates), Maps and class instances serialise as JSON.stringify does.
    { when: new Date('2026-11-20T08:00:00.000Z'), list: [new Date(0)], map: new Map([['k', 1]]), custom: { toJSON: (k: string) => `key=${k}` } },
    { findings: Array.from({ length: 50 }, (_, i) => ({ rule: `r${i % 3}`, key: `k${i}`, evidence: { name: `vm-${i}`, days: i / 7, tags: i % 2 ? {} : { env: 'prod' } }, exception: null })) },
    { deep: { deeper: { deepest: [{ x: [1, 2, { y: 'z' }] }] } } },
    // Runs of leaf elements are stringified together: across run boundaries, with holes, and with a toJSON that reads its index.
    { list: Array.from({ length: 700 }, (_, i) => (i % 97 === 0 ? undefined : i % 5 === 0 ? [i, { n: i }] : { i, s: `v${i}` })) },
    { list: Array.from({ length: 600 }, (_, i) => (i === 300 ? { toJSON: (k: string) => `index ${k}` } : i)) },
    // eslint-disable-next-line no-sparse-arrays
    [1, , 3],
  ];
  for (const v of cases) assert.equal(streamed(v).text, JSON.stringify(v, null, 2), JSON.stringify(v) ?? String(v));
  assert.equal(streamed(undefined).text, undefined);
});

test('a large array is handed to the file writer one element at a time, never as one string', () => {
  const findings = Array.from({ length: 20_000 }, (_, i) => ({ rule: 'backup-age', key: `/subscriptions/s/vaults/v/items/vm-${i}`, evidence: { hours: i } }));
  const r = streamed({ asOf: '2026-11-20T08:00:00Z', findings });
  const whole = JSON.stringify({ asOf: '2026-11-20T08:00:00Z', findings }, null, 2);
  assert.equal(r.text, whole);
  assert.ok(r.pieces >= 20_000 / 64, `${r.pieces} pieces`);
  // A run of findings' text, not the 2+ MB file.
  assert.ok(r.largest < 10_000, `largest piece ${r.largest} characters`);
});

test('--json output is printed in pieces, byte-for-byte what JSON.stringify(value, null, 2) printed, with its final newline', async () => {
  const value = { findings: Array.from({ length: 5000 }, (_, i) => ({ rule: 'rpo-breach', key: `/subscriptions/s/vaults/v/items/vm-${i}`.padEnd(200, 'x') })), counts: { total: 5000, bySeverity: { high: 5000 } }, itemCount: 5000 };
  const writes: string[] = [];
  await printJson({ stdout: (t) => writes.push(t), stderr: () => {} }, value);
  assert.equal(writes.join(''), `${JSON.stringify(value, null, 2)}\n`);
  assert.ok(writes.length > 10, `${writes.length} writes`);
  assert.ok(Math.max(...writes.map((w) => w.length)) < 70_000);
  const none: string[] = [];
  await printJson({ stdout: (t) => none.push(t), stderr: () => {} }, undefined);
  assert.equal(none.join(''), 'undefined\n');
});

test('--json output waits for stdout to drain whenever a write says it is full, and still prints the same bytes', async () => {
  const value = { items: Array.from({ length: 4000 }, (_, i) => ({ key: `/subscriptions/s/vaults/v/items/vm-${i}`.padEnd(120, 'x'), n: i })) };
  const writes: string[] = [];
  let full = false;
  let writesWhileFull = 0;
  let drains = 0;
  const io = {
    // Every other write fills the stream: the next write must wait for drain().
    stdout: (t: string): boolean => {
      if (full) writesWhileFull++;
      writes.push(t);
      full = writes.length % 2 === 0;
      return !full;
    },
    stderr: () => {},
    drain: async (): Promise<void> => {
      drains++;
      await new Promise<void>((r) => setImmediate(r));
      full = false;
    },
  };
  await printJson(io, value);
  assert.equal(writes.join(''), `${JSON.stringify(value, null, 2)}\n`);
  assert.equal(writesWhileFull, 0);
  // 4000 items of ~160 characters pretty-printed is ~640 KB: about 10 pieces of 64 KB, half of them reported full.
  assert.ok(writes.length >= 8, `${writes.length} writes`);
  assert.equal(drains, Math.floor(writes.length / 2));
});
