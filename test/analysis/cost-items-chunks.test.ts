/**
 * Pricing reads a snapshot's items in chunks of 2,048 rows, each after the
 * last key of the one before (electron/core/analysis/load.ts costItems): every
 * item once, in key order, across chunk ends, whether the last chunk is full
 * or not; and a snapshot deleted while it is read is an error, not a shorter
 * list of items.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { costItems } from '../../electron/core/analysis/load.ts';
import { tmpStore, vmItem, writeSnapshot } from './estate.ts';

const name = (i: number): string => `vm-${String(i).padStart(5, '0')}`;

test('costItems reads every item once, in key order, across chunk ends', () => {
  const { store } = tmpStore('vp-cost-chunks-');
  try {
    // One full chunk and nothing after it; two full chunks and one item more.
    for (const n of [2048, 4097]) {
      // Written in reverse: the store places them in key order (the names' order, zero-padded).
      const items = Array.from({ length: n }, (_, i) => vmItem(name(n - 1 - i), { sizeGb: n - 1 - i }));
      const s = writeSnapshot(store, { asOf: `2025-03-${n === 2048 ? 10 : 11}T12:00:00.000Z`, items });
      const read = [...costItems(store.db, s.id)];
      assert.equal(read.length, n);
      read.forEach((it, i) => {
        assert.equal(it.name, name(i));
        assert.equal(it.key, vmItem(name(i)).key);
        assert.equal(it.sizeGb, i);
      });
    }
  } finally {
    store.close();
  }
});

test('costItems: a snapshot deleted between two chunks is an error', () => {
  const { store } = tmpStore('vp-cost-chunks-del-');
  try {
    const s = writeSnapshot(store, { asOf: '2025-03-10T12:00:00.000Z', items: Array.from({ length: 2049 }, (_, i) => vmItem(name(i))) });
    const it = costItems(store.db, s.id);
    assert.equal(it.next().value?.name, name(0));
    store.snapshots.delete(s.id, 'test', 'tester', '2025-03-12T00:00:00.000Z');
    assert.throws(
      () => {
        while (!it.next().done);
      },
      { code: 'NOT_FOUND' },
    );
  } finally {
    store.close();
  }
});
