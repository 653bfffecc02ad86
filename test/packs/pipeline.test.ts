/**
 * One pack pipeline: building a pack resolves each snapshot once, loads the
 * annotations once, prices each snapshot once and runs findings once (the
 * severity sample reuses them). Counted at the store: every resolve/detail
 * call and every run of the statements that load annotations, price a
 * snapshot and read it for findings, whoever makes them.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Statement } from 'better-sqlite3';
import { COST_SQL, FINDINGS_SQL } from '../../electron/core/analysis/load.ts';
import { buildPack } from '../../electron/core/packs/build.ts';
import { openStore, type Store } from '../../electron/core/store/store.ts';
import { tempDir } from '../harness/cli.ts';
import { fixtureEstate } from './estate.ts';

type Counts = Map<string, number>;
const bump = (m: Counts, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);

/** Wraps the store's own methods and statements so every caller is counted. */
function countingStore(store: Store): { resolve: Counts; detail: Counts; annotationLoads: () => number; priced: Counts; findingsReads: Counts } {
  const resolve: Counts = new Map();
  const detail: Counts = new Map();
  const priced: Counts = new Map();
  const findingsReads: Counts = new Map();
  let annotationLoads = 0;
  const snaps = store.snapshots;
  const origResolve = snaps.resolve.bind(snaps);
  const origDetail = snaps.detail.bind(snaps);
  snaps.resolve = (ref) => {
    const s = origResolve(ref);
    bump(resolve, s.id);
    return s;
  };
  snaps.detail = (id) => {
    bump(detail, id);
    return origDetail(id);
  };
  const db = store.db;
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    const stmt = prepare(sql) as Statement<unknown[]>;
    const counter: ((args: unknown[]) => void) | null =
      sql === COST_SQL
        ? (a) => bump(priced, String(a[0]))
        : sql === FINDINGS_SQL
          ? (a) => bump(findingsReads, String(a[0]))
          : /FROM annotation_values ORDER BY target/.test(sql)
            ? () => void annotationLoads++
            : null;
    if (counter) {
      for (const m of ['all', 'get', 'iterate'] as const) {
        const orig = stmt[m].bind(stmt) as (...a: unknown[]) => unknown;
        (stmt as unknown as Record<string, unknown>)[m] = (...a: unknown[]) => {
          counter(a);
          return orig(...a);
        };
      }
    }
    return stmt;
  }) as typeof db.prepare;
  return { resolve, detail, annotationLoads: () => annotationLoads, priced, findingsReads };
}

describe('pack pipeline', () => {
  let dir: string;
  let store: Store;

  before(() => {
    dir = tempDir('vp-pipeline-');
    store = openStore(path.join(dir, 'store', 'vaultproof.db'));
  });
  after(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('one build resolves each snapshot once, loads annotations once, prices each snapshot once (then streams item costs to each reader) and reuses findings for the severity sample', async () => {
    const estate = fixtureEstate(store);
    const counts = countingStore(store);
    const out = path.join(dir, 'pack');
    // Refs by prefix, as a user types them: resolving is the only step that may read a ref.
    const r = await buildPack(
      store,
      {
        snapshot: estate.current.id.slice(0, 13),
        compare: estate.baseline.id.slice(0, 13),
        sample: { seed: 'pipeline', size: 6, stratify: 'severity' },
        out,
        signer: { kind: 'local', identity: 'pipeline', commonName: 'Pipeline Tester' },
        passphrase: 'pipeline passphrase',
      },
      { now: new Date('2025-11-01T09:00:00Z'), user: 'tester', toolVersion: '0.0.0-test' },
    );
    assert.equal(r.snapshotId, estate.current.id);
    assert.equal(r.baselineId, estate.baseline.id);

    const both = (m: Counts): Record<string, number> => ({ current: m.get(estate.current.id) ?? 0, baseline: m.get(estate.baseline.id) ?? 0 });
    assert.deepEqual(both(counts.resolve), { current: 1, baseline: 1 }, 'each snapshot ref resolved once');
    assert.deepEqual(both(counts.detail), { current: 1, baseline: 1 }, 'each snapshot’s provenance read once');
    assert.equal(counts.annotationLoads(), 1, 'annotations loaded once');
    // Issue 17: no priced item is held. The snapshot is priced once for the totals and the delta (the baseline beside it),
    // then its items are priced again by each reader of a list as long as the estate: data/cost.json's unknownSizeItems,
    // unpricedItems and items, the Items sheet and the Cost sheet.
    assert.deepEqual(both(counts.priced), { current: 6, baseline: 1 }, 'each snapshot priced once, the pack snapshot again per reader of its item costs');
    assert.deepEqual(both(counts.findingsReads), { current: 1, baseline: 0 }, 'findings run once, reused by the severity sample');
    assert.equal(counts.resolve.size + counts.detail.size + counts.priced.size, 6, 'no other snapshot touched');

    // The sample really is stratified by the pack's own findings: its strata are the
    // highest non-excepted severity per item in data/findings.json (45 items in all).
    const sample = JSON.parse(fs.readFileSync(path.join(out, 'data', 'sample.json'), 'utf8')) as { stratify: string; population: number; strata: Array<{ stratum: string; population: number }> };
    const findings = JSON.parse(fs.readFileSync(path.join(out, 'data', 'findings.json'), 'utf8')) as { findings: Array<{ key: string; target: string; severity: string; excepted: boolean }> };
    const rank = ['info', 'low', 'medium', 'high', 'critical'];
    const worst = new Map<string, string>();
    for (const f of findings.findings) {
      if (f.excepted || !f.target.startsWith('item:')) continue;
      const prev = worst.get(f.key);
      if (!prev || rank.indexOf(f.severity) > rank.indexOf(prev)) worst.set(f.key, f.severity);
    }
    const expected = new Map<string, number>(worst.size < 45 ? [['none', 45 - worst.size]] : []);
    for (const s of worst.values()) expected.set(s, (expected.get(s) ?? 0) + 1);
    assert.equal(sample.stratify, 'severity');
    assert.equal(sample.population, 45);
    assert.ok(expected.size > 1, 'the estate’s items fall into more than one severity stratum');
    assert.deepEqual(new Map(sample.strata.map((s) => [s.stratum, s.population])), expected);
  });
});
