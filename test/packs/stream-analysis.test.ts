/**
 * The packs' streaming analysis (issue 17) says exactly what the analysis
 * says: spooled findings read back equal findingsOf's run, streamed pricing
 * equals costRunOf over two full pricings, and the streamed JSON writer
 * gives JSON.stringify's bytes. Keys that SQLite and JavaScript order
 * differently (a character outside the BMP against one above U+E000) take
 * the fallbacks and still agree.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadAnnotationIndex } from '../../electron/core/annotations/repository.ts';
import { costRunOf, findingsOf, loadProfile, loadRatecard, priceSnapshot } from '../../electron/core/analysis/index.ts';
import { costRunWith, priceStreamed } from '../../electron/core/analysis/stream-cost.ts';
import { findingsRunOf, spoolFindings } from '../../electron/core/analysis/stream-findings.ts';
import { writePrettyJsonStreaming } from '../../electron/core/packs/write/json-file.ts';
import { buildPack } from '../../electron/core/packs/build.ts';
import { openStore, type Store } from '../../electron/core/store/store.ts';
import type { SnapshotSummary } from '../../shared/domain/types.ts';
import { tempDir } from '../harness/cli.ts';
import { fixtureEstate, makeItem, syntheticItems, writeSnapshot } from './estate.ts';

describe('packs: streaming analysis', () => {
  let dir: string;
  let store: Store;
  let pairs: Array<{ name: string; current: SnapshotSummary; baseline: SnapshotSummary }>;

  before(() => {
    dir = tempDir('vp-stream-analysis-');
    store = openStore(path.join(dir, 'store', 'vaultproof.db'));
    const fx = fixtureEstate(store);
    // 3000 items: ~5000 findings, so the spool drains mid-pass; the baseline lacks every 50th item and sizes every 7th differently.
    const base = writeSnapshot(
      store,
      (function* () {
        let i = 0;
        for (const it of syntheticItems(3000)) {
          if (i % 50 !== 3) yield i % 7 === 0 ? { ...it, sizeGb: (it.sizeGb ?? 5) + 40 } : it;
          i++;
        }
      })(),
      { asOf: '2025-09-30T06:00:00.000Z', nowMs: 11 },
    );
    const odd = ['vm-\uff21', 'vm-\u{1f600}', 'vm-\uffe0x'].map((n) => makeItem(n));
    const cur = writeSnapshot(store, [...syntheticItems(3000), ...odd], { asOf: '2025-10-30T06:00:00.000Z', nowMs: 12 });
    pairs = [
      { name: 'the pack fixture', current: fx.current, baseline: fx.baseline },
      { name: '3000 items, keys SQLite and JavaScript order differently', current: cur, baseline: base },
    ];
  });
  after(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('spooled findings read back equal findingsOf, per rule in key order, with per-item open counts', () => {
    const profile = loadProfile();
    const annotations = loadAnnotationIndex(store);
    for (const p of pairs) {
      const work = path.join(dir, `spool-${p.current.id}`);
      const spool = spoolFindings(store, p.current, profile, annotations, work);
      const expected = findingsOf(store, p.current, profile, annotations);
      assert.ok(expected.findings.length > 0, p.name);
      assert.deepEqual(findingsRunOf(spool.head, [...spool.all()]), expected, p.name);
      assert.deepEqual(Object.keys(findingsRunOf(spool.head, [])), Object.keys(expected), `${p.name}: keys in findingsOf's order`);
      // Open findings and worst severity per item, worked out from the reference list.
      const worst = new Map<string, { open: number; worst: string }>();
      const order = ['critical', 'high', 'medium', 'low', 'info'];
      for (const f of expected.findings) {
        if (f.excepted) continue;
        const e = worst.get(f.key);
        if (!e) worst.set(f.key, { open: 1, worst: f.severity });
        else {
          e.open++;
          if (order.indexOf(f.severity) < order.indexOf(e.worst)) e.worst = f.severity;
        }
      }
      const keys = store.db.prepare('SELECT key FROM items WHERE snapshot_id = ? ORDER BY key').pluck(true).all(p.current.id) as string[];
      keys.forEach((k, i) => assert.deepEqual(spool.perItem.of(i, k), worst.get(k) ?? null, `${p.name}: item ${k}`));
      // A reader out of step with the items fails instead of miscounting.
      assert.throws(() => spool.perItem.of(0, keys[1]!), /out of step/);
      spool.close();
      assert.equal(fs.existsSync(work), false);
    }
  });

  test('streamed pricing equals costRunOf over two full pricings, with and without a baseline', () => {
    const card = loadRatecard();
    const annotations = loadAnnotationIndex(store);
    for (const p of pairs) {
      const pricedCur = priceSnapshot(store, p.current, card, undefined, annotations);
      const pricedBase = priceSnapshot(store, p.baseline, card, undefined, annotations);
      const expected = costRunOf(pricedCur, card, pricedBase);
      const s = priceStreamed(store, p.current, card, undefined, annotations, p.baseline);
      const got = costRunWith(s.head, { items: [...s.items()], unknownSizeItems: [...s.unknownSizeItems()], unpricedItems: [...s.unpricedItems()] });
      assert.deepEqual(got, expected, p.name);
      assert.deepEqual(Object.keys(got), Object.keys(expected), `${p.name}: keys in costRunOf's order`);
      const { items: _b, unknownSizeItems: _u, unpricedItems: _p, ...baseHead } = costRunOf(pricedBase, card, null);
      assert.deepEqual(s.baseline, baseHead, `${p.name}: the baseline's own run, without its long lists`);
      assert.ok(expected.unknownSizeItems.length > 0 && expected.unpricedItems.length > 0, `${p.name}: both key lists have keys`);
      assert.ok(expected.delta && expected.delta.changed.count + expected.delta.retired.count + expected.delta.added.count > 0, `${p.name}: the delta has work`);
      const alone = priceStreamed(store, p.current, card, undefined, annotations, null);
      assert.deepEqual(
        costRunWith(alone.head, { items: [...alone.items()], unknownSizeItems: [...alone.unknownSizeItems()], unpricedItems: [...alone.unpricedItems()] }),
        costRunOf(pricedCur, card, null),
        `${p.name}: without a baseline`,
      );
      assert.equal(alone.baseline, null);
    }
  });

  test('the streamed JSON writer writes JSON.stringify(value, null, 2), for empty, short and long arrays', () => {
    for (const n of [0, 1, 3, 200]) {
      const elements = Array.from({ length: n }, (_, i) => ({ key: `k${i}`, nested: { list: [i, 'two', null], empty: {} }, text: 'line\nbreak "quoted" \u2028', n: i / 3 }));
      const value = { first: 'a', list: elements, after: [1, 2], last: { x: null } };
      let out = '';
      writePrettyJsonStreaming({ write: (s) => (out += s) }, { ...value, list: null, after: null }, { list: elements, after: [1, 2] });
      assert.equal(out, JSON.stringify(value, null, 2), `${n} elements`);
    }
    assert.throws(() => writePrettyJsonStreaming({ write: () => undefined }, { a: 1 }, { b: [] }), /no member b/);
  });

  test('a pack leaves no spool behind, in the folder or the zip', async () => {
    const p = pairs[1]!;
    for (const zip of [false, true]) {
      const out = path.join(dir, zip ? 'pack.zip' : 'pack');
      await buildPack(
        store,
        { snapshot: p.current.id, compare: p.baseline.id, out, zip, signer: { kind: 'local', identity: 'stream', commonName: 'Stream Tester' }, passphrase: 'stream passphrase' },
        { now: new Date('2025-11-01T09:00:00Z'), user: 'tester', toolVersion: '0.0.0-test' },
      );
      const left = fs.readdirSync(dir).filter((f) => f.includes('.partial-'));
      assert.deepEqual(left, [], 'no staging folder or spool left beside the pack');
      if (!zip) assert.deepEqual(fs.readdirSync(out).sort(), ['data', 'manifest.json', 'manifest.p7s', 'report.pdf', 'signer.pem', 'workbook.xlsx']);
    }
  });
});
