import assert from 'node:assert/strict';
import { test } from 'node:test';
import { repeatedNameLabels } from '../../electron/core/analysis/labels.ts';
import { tmpStore, vmItem, writeSnapshot } from '../analysis/estate.ts';

test('repeated-name labels: only items whose name repeats (ignoring case) are labelled, read through the covering index', () => {
  const { store } = tmpStore('vp-labels-');
  try {
    const s = writeSnapshot(store, {
      asOf: '2026-11-20T08:00:00.000Z',
      items: [vmItem('web-01', { vault: 'rsv-a' }), vmItem('WEB-01', { vault: 'rsv-b' }), vmItem('db-01', { vault: 'rsv-a' })],
    });
    const keys = (store.db.prepare('SELECT key, name FROM items WHERE snapshot_id = ? ORDER BY name').all(s.id) as Array<{ key: string; name: string }>);
    const labels = repeatedNameLabels(store.db, s.id);
    // db-01 is unique and gets no label; the two web-01 differ by vault, which their labels carry.
    assert.deepEqual([...labels.keys()].sort(), keys.filter((k) => k.name.toLowerCase() === 'web-01').map((k) => k.key).sort());
    const texts = [...labels.values()].sort();
    assert.equal(texts.length, 2);
    assert.ok(texts.some((t) => t.includes('rsv-a')) && texts.some((t) => t.includes('rsv-b')), texts.join(' | '));
  } finally {
    store.close();
  }
});
