/**
 * Issue 17: the Finding filter's counts (finding-keys.ts itemKeysByRule) and
 * the Findings view's default list (findings-pages.ts viewList) take short
 * cuts when the findings come in the evaluation's order (severity, rule, then
 * key). Each must give the answer of the plain definition for findings in
 * that order and in any other: distinct items per rule counted through a
 * Set, and shared/domain/findings-view.ts findingsInView.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { itemKeysByRule } from '../../electron/core/browse/finding-keys.ts';
import { viewList } from '../../electron/core/browse/findings-pages.ts';
import type { Finding } from '../../shared/domain/findings.ts';
import { findingsInView } from '../../shared/domain/findings-view.ts';

type F = Pick<Finding, 'rule' | 'key' | 'target' | 'severity' | 'excepted'>;
const f = (rule: string, key: string, opts: { excepted?: boolean; severity?: string; target?: string } = {}): F =>
  ({ rule, key, target: opts.target ?? `item:${key}`, severity: opts.severity ?? 'high', excepted: opts.excepted ?? false }) as F;

/** The plain definition: per rule, each item key once (a Set), every excepted finding counted. */
function reference(findings: readonly F[]): Map<string, { count: number; excepted: number; keys: string[] }> {
  const m = new Map<string, { count: number; excepted: number; keys: Set<string> }>();
  for (const x of findings) {
    if (!x.target.startsWith('item:')) continue;
    let r = m.get(x.rule);
    if (!r) m.set(x.rule, (r = { count: 0, excepted: 0, keys: new Set() }));
    r.keys.add(x.key);
    if (x.excepted) r.excepted++;
  }
  return new Map([...m].map(([rule, r]) => [rule, { count: r.keys.size, excepted: r.excepted, keys: [...r.keys].sort() }]));
}

function answer(findings: readonly F[]): Map<string, { count: number; excepted: number; keys: string[] }> {
  return new Map([...itemKeysByRule(findings, 's:h:')].map(([rule, r]) => [rule, { count: r.count, excepted: r.excepted, keys: [...(r.keys ?? [])].sort() }]));
}

// A small seeded generator, so a failure names its case.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('Finding filter counts: distinct items per rule', () => {
  it('worked by hand: a repeated item counts once, a vault finding not at all, every excepted finding counts', () => {
    const findings = [
      f('r1', 'a'),
      f('r1', 'a', { excepted: true }),
      f('r1', 'b'),
      f('r1', 'v', { target: 'vault:v' }),
      f('r1', 'c', { excepted: true }),
      f('r2', 'a'),
      f('r2', 'b'),
      f('r2', 'b'),
    ];
    const got = itemKeysByRule(findings, 's:h:');
    assert.deepEqual(
      [...got].map(([rule, r]) => [rule, r.count, r.excepted, [...r.keys!], r.tag, r.severity]),
      [
        ['r1', 3, 2, ['a', 'b', 'c'], 's:h:r1', 'high'],
        ['r2', 2, 0, ['a', 'b'], 's:h:r2', 'high'],
      ],
    );
  });

  it('findings out of key order, or a rule split in two runs: the same answer as a Set', () => {
    // Out of key order within a rule: "a" repeats, but not next to itself.
    const unsorted = [f('r1', 'b'), f('r1', 'a'), f('r1', 'b')];
    assert.deepEqual(answer(unsorted), reference(unsorted));
    assert.equal(itemKeysByRule(unsorted, '')!.get('r1')!.count, 2);
    // A rule's findings in two runs, with the same key in both.
    const split = [f('r1', 'a'), f('r2', 'a'), f('r1', 'a'), f('r1', 'b')];
    assert.deepEqual(answer(split), reference(split));
    assert.equal(itemKeysByRule(split, '')!.get('r1')!.count, 2);
  });

  it('random findings, in evaluation order and shuffled: always the answer of a Set', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const r = rng(seed);
      const findings: F[] = [];
      const rules = ['r1', 'r2', 'r3', 'r4'].slice(0, 1 + Math.floor(r() * 4));
      for (const rule of rules) {
        const n = Math.floor(r() * 30);
        const keys = Array.from({ length: n }, () => `/subscriptions/s/items/${Math.floor(r() * 20)}`).sort();
        for (const key of keys) findings.push(f(rule, key, { excepted: r() < 0.3, ...(r() < 0.1 ? { target: `vault:${key}` } : {}) }));
      }
      assert.deepEqual(answer(findings), reference(findings), `seed ${seed}, in order`);
      const shuffled = [...findings];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(r() * (i + 1));
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      assert.deepEqual(answer(shuffled), reference(shuffled), `seed ${seed}, shuffled`);
    }
  });
});

describe('Findings view list: findingsInView, with the evaluation order as its own short cut', () => {
  const severities = ['critical', 'high', 'medium', 'low', 'info'];
  const full = (rule: string, key: string, severity: string): Finding =>
    ({ rule, key, target: `item:${key}`, severity, excepted: false, title: `title ${rule}`, evidence: { name: `name-${key}` }, controls: [] }) as unknown as Finding;

  it('every view of random findings, severity-ordered or not, equals findingsInView', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const r = rng(seed);
      const findings: Finding[] = [];
      const n = Math.floor(r() * 40);
      for (let i = 0; i < n; i++) findings.push(full(`r${Math.floor(r() * 3)}`, `k${Math.floor(r() * 50)}`, severities[Math.floor(r() * 5)]!));
      const ordered = [...findings].sort((a, b) => severities.indexOf(a.severity) - severities.indexOf(b.severity));
      for (const list of [findings, ordered]) {
        for (const view of [
          { groupBy: 'severity' as const, group: 'all', search: '' },
          { groupBy: 'rule' as const, group: null, search: ' ' },
          { groupBy: 'severity' as const, group: 'all', search: 'k1' },
          { groupBy: 'severity' as const, group: 'high', search: '' },
          { groupBy: 'rule' as const, group: 'r1', search: '' },
        ]) {
          assert.deepEqual(viewList(list, view), findingsInView(list, view), `seed ${seed} ${JSON.stringify(view)}`);
        }
      }
    }
  });

  it('the whole list in severity order is the evaluation\'s own array; out of order it is sorted', () => {
    const ordered = [full('r1', 'a', 'critical'), full('r2', 'b', 'high'), full('r2', 'c', 'high'), full('r3', 'a', 'low')];
    assert.equal(viewList(ordered, { groupBy: 'severity', group: 'all', search: '' }), ordered);
    const out = [full('r3', 'a', 'low'), full('r1', 'a', 'critical')];
    assert.deepEqual(
      viewList(out, { groupBy: 'severity', group: 'all', search: '' }).map((x) => x.severity),
      ['critical', 'low'],
    );
  });
});
