/**
 * `findings --json` and `cost --json` are written piece by piece
 * (electron/core/output/json-text.ts); their text must be exactly
 * `terminalSafe(JSON.stringify(report object, null, 2))`, what the CLI's
 * output guard made of the generic printJson text, although these pieces
 * skip the guard's scan (their strings are escaped where they are written). The expected objects are spelled
 * out here by hand, in the documented key order, with awkward values where
 * data can put them: nested and empty objects and arrays, undefined members,
 * NaN, ±Infinity, -0, a Date, toJSON, a Map, a null-prototype object, escapes,
 * U+2028, a lone surrogate, bidi and C1 characters.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CostRun, FindingsRun } from '../../shared/contract/methods/analysis.ts';
import { findingsJsonPieces } from '../../electron/core/analysis/findings-json.ts';
import { costJsonPieces } from '../../electron/cli/cost.ts';
import fc from 'fast-check';
import { printPieces } from '../../electron/cli/json-out.ts';
import { EscapedPieces, pretty } from '../../electron/core/output/json-text.ts';
import { terminalSafe, terminalSafeIo } from '../../electron/core/terminal-text.ts';

const nullProto = Object.assign(Object.create(null) as Record<string, unknown>, { b: 1, a: [null] });
const awkward: Record<string, unknown> = {
  text: 'quote " backslash \\ tab \t newline \n nul \u0000 del \u007f c1 \u0085 bidi \u202e ls \u2028 lone \ud800 pair 😀',
  numbers: [0, -0, 1.5, -2e-7, 1e21, 123456789012345680000, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER],
  gone: undefined,
  fn: () => 1,
  holes: [undefined, () => 1, Symbol('s')],
  empty: { o: {}, a: [] },
  deep: { a: { b: { c: [1, { d: [[], [{}]] }] } } },
  when: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)),
  custom: { toJSON: () => ({ made: ['by', 'toJSON'] }) },
  map: new Map([['k', 1]]),
  nullProto,
  7: 'integer key first',
  '': 'empty key',
};

async function text(pieces: Iterable<string> | EscapedPieces): Promise<string> {
  let out = '';
  await printPieces({ stdout: (t) => (out += t), stderr: () => {} }, pieces);
  return out;
}

/** What the CLI wrote for a value before json-out: the generic JSON text, then the output guard over all of it. */
const guarded = (v: unknown, indent = ''): string => terminalSafe(JSON.stringify(v, null, 2)).replaceAll('\n', `\n${indent}`);

test('pretty is terminalSafe(JSON.stringify(v, null, 2)) at any indent, for plain and awkward values', () => {
  for (const v of [awkward, [awkward, [awkward]], 'x', 1, null, true, [], {}, nullProto]) {
    for (const indent of ['', '  ', '      ']) assert.equal(pretty(v, indent), guarded(v, indent));
  }
  // Keys are data too: an escape, a C1 control and a bidi override in a key are written escaped.
  assert.equal(pretty({ 'k\u001b[2J\u0085\u202e': 'v' }, ''), '{\n  "k\\u001b[2J\\u0085\\u202e": "v"\n}');
  assert.equal(pretty(undefined, ''), undefined);
  assert.equal(pretty(() => 1, ''), undefined);
});

const controls = ['ISO/IEC 27001:2022 A.8.13', 'SOC 2 A1.2'];
function finding(i: number, evidence: Record<string, unknown>, exception: FindingsRun['findings'][number]['exception'] = null): FindingsRun['findings'][number] {
  return { rule: i % 2 ? 'rpo-breach' : 'ownerless-item', severity: i % 2 ? 'high' : 'low', key: `/subscriptions/s/items/k${i}`, target: `item:/subscriptions/s/items/k${i}`, title: `Title ${i}`, controls: i % 3 ? controls : [], evidence, excepted: exception !== null, exception };
}

test('findings --json text equals JSON.stringify of the documented object, gate or none', async () => {
  const findings = Array.from({ length: 3000 }, (_, i) => finding(i, i % 500 === 0 ? awkward : { name: `vm-${i}`, vault: i % 7 ? 'v1' : null, ageHours: i / 3 }, i % 1000 === 1 ? { id: 'e1', expires: '2027-01-01', approver: 'a', ticket: null, justification: 'j \u202e' } : null));
  const base = {
    asOf: '2026-11-21T08:00:00.000Z',
    profileHash: 'abc',
    profile: { name: 'default', version: '1' },
    profileSource: 'built-in',
    findings,
    notEvaluated: [{ rule: 'orphaned-item', reason: 'no inventory' }],
    assumptions: [],
    counts: { total: findings.length, excepted: 3, bySeverity: { critical: 0, high: 1500, medium: 0, low: 1500, info: 0 }, byRule: { 'rpo-breach': 1500 } },
    itemCount: 3000,
    snapshot: { id: 's1', asOf: '2026-11-21T08:00:00.000Z', contentHash: 'h', label: null },
  } as unknown as FindingsRun;
  for (const r of [base, { ...base, gate: { failOn: 'high', failed: true, count: 2 } } as FindingsRun, { ...base, findings: [] } as FindingsRun]) {
    const expected = {
      asOf: r.asOf,
      profileHash: r.profileHash,
      findings: r.findings.map((f) => ({ rule: f.rule, severity: f.severity, key: f.key, title: f.title, controls: f.controls, evidence: f.evidence, excepted: f.excepted, target: f.target, exception: f.exception })),
      notEvaluated: r.notEvaluated,
      assumptions: r.assumptions,
      counts: r.counts,
      profile: { ...r.profile, source: r.profileSource },
      snapshot: r.snapshot,
      ...(r.gate ? { gate: r.gate } : {}),
    };
    assert.equal(await text(findingsJsonPieces(r)), `${guarded(expected)}\n`);
  }
});

test('findings --json: a finding off the common shape (members undefined, not strings, not booleans) is written member by member, as JSON.stringify would', async () => {
  const odd = [
    { rule: 'rpo-breach', severity: 'high', key: 'k1', target: 'item:k1', title: undefined, controls: controls, evidence: undefined, excepted: false, exception: undefined },
    { rule: 'rpo-breach', severity: 'high', key: 'k2', target: 'item:k2', title: 'T', controls: 'not an array', evidence: { a: undefined }, excepted: undefined, exception: null },
    { rule: 7, severity: null, key: undefined, target: () => 1, title: 'T \u0085', controls: [], evidence: { when: new Date(0) }, excepted: 'no', exception: { id: undefined } },
    // The common shape again after the odd ones: the rule's text made once must not be reused for another title.
    { rule: 'rpo-breach', severity: 'high', key: 'k3', target: 'item:k3', title: 'Other \u202e', controls, evidence: {}, excepted: true, exception: null },
    // A target is written plain unescaped only when it is "item:" and a plain key: each of these must be escaped.
    { rule: 'rpo-breach', severity: 'high', key: 'k\u202e4', target: 'item:k\u202e4', title: 'T', controls, evidence: {}, excepted: false, exception: null },
    { rule: 'rpo-breach', severity: 'high', key: 'k5', target: 'item:k5\u0085', title: 'T', controls, evidence: {}, excepted: false, exception: null },
    { rule: 'rpo-breach', severity: 'high', key: 'k6', target: 'item\u202ek6', title: 'T', controls, evidence: {}, excepted: false, exception: null },
    { rule: 'rpo-breach', severity: 'high', key: 'k7', target: '\u001bitem:k7', title: 'T', controls, evidence: {}, excepted: false, exception: null },
  ];
  const r = { asOf: 'a', profileHash: 'h', profile: { name: 'p', version: '1' }, profileSource: 's', findings: odd, notEvaluated: [], assumptions: [], counts: {}, itemCount: 0, snapshot: { id: 's' } } as unknown as FindingsRun;
  const expected = {
    asOf: 'a',
    profileHash: 'h',
    findings: odd.map((f) => ({ rule: f.rule, severity: f.severity, key: f.key, title: f.title, controls: f.controls, evidence: f.evidence, excepted: f.excepted, target: f.target, exception: f.exception })),
    notEvaluated: [],
    assumptions: [],
    counts: {},
    profile: { name: 'p', version: '1', source: 's' },
    snapshot: { id: 's' },
  };
  assert.equal(await text(findingsJsonPieces(r)), `${guarded(expected)}\n`);
});

test('cost --json text equals JSON.stringify of the documented object, with and without a delta', async () => {
  const items = Array.from({ length: 2000 }, (_, i) => ({
    key: `/subscriptions/s/items/k${i}`,
    name: `vm-${i}`,
    vaultKey: i % 5 ? 'v1' : null,
    subscriptionId: 's',
    owner: i % 9 ? null : 'owner \u0085',
    workloadType: 'VM',
    region: 'westeurope',
    redundancy: i % 2 ? 'GRS' : null,
    frontEndGb: i % 4 ? i * 1.25 : 'unknown',
    frontEndSource: i % 4 ? 'item' : null,
    storageGb: 'unknown',
    storageSource: null,
    instanceFee: i % 4 ? 10 : 'unknown',
    instanceFeeSource: 'azureVm',
    instanceFeeConfirmed: i % 3 === 0 ? null : true,
    storageCost: i % 11 ? 'unknown' : 0.1 + 0.2,
    total: i % 4 ? 10.05 : 'unknown',
    status: i % 4 ? 'priced' : 'unknownSize',
    note: i % 4 ? null : 'storage consumed unknown',
  }));
  const base = {
    currency: 'USD', total: null, pricedTotal: 1, pricedItems: 1, billableItems: 2000, unknownItems: 500, unconfirmedFees: [], complete: false, unknownSize: 500, unpriced: 0,
    unknownSizeItems: ['k0'], unpricedItems: [], itemCount: 2000, items, byVault: [{ group: 'v1', label: null, items: 1, total: 1, unknownSize: 0, unpriced: 0 }], bySubscription: [], byOwner: [],
    rounding: 'r', ratecard: { name: 'card', version: '1', effectiveDate: '2026-01-01', source: 's', hash: 'h' }, sizes: { datasetId: null },
    snapshot: { id: 's1', asOf: 'a', contentHash: 'h', label: 'day 2' }, ratecardSource: 'built-in', sizesMatch: null, delta: null,
  } as unknown as CostRun;
  const delta = { currency: 'USD', before: 1, after: 2, change: 1, pricedBefore: 1, pricedAfter: 2, retired: { count: 0, savings: 0, unknown: 0, items: [] }, added: { count: 1, cost: 2, unknown: 0, items: [{ key: 'k', total: 2 }] }, changed: { count: 0, change: 0, items: [] }, complete: true, baseline: { id: 's0', asOf: 'a', contentHash: 'h', label: null } };
  for (const c of [base, { ...base, delta } as unknown as CostRun, { ...base, delta: { ...delta, complete: false } } as unknown as CostRun]) {
    const expected = {
      currency: c.currency,
      total: c.total,
      unknownSize: c.unknownSize,
      items: c.items.map((i) => ({ key: i.key, frontEndGb: i.frontEndGb, storageGb: i.storageGb, instanceFee: i.instanceFee, storageCost: i.storageCost, total: i.total, status: i.status, instanceFeeSource: i.instanceFeeSource, instanceFeeConfirmed: i.instanceFeeConfirmed, frontEndSource: i.frontEndSource, storageSource: i.storageSource, vaultKey: i.vaultKey, owner: i.owner, redundancy: i.redundancy, region: i.region, note: i.note })),
      byVault: c.byVault,
      delta: c.delta ? { ...c.delta, ...(c.delta.complete ? { before: c.delta.before, after: c.delta.after, change: c.delta.change } : { before: null, after: null, change: null }) } : null,
      complete: c.complete,
      pricedTotal: c.pricedTotal,
      pricedItems: c.pricedItems,
      billableItems: c.billableItems,
      unknownItems: c.unknownItems,
      unconfirmedFees: c.unconfirmedFees,
      unpriced: c.unpriced,
      unknownSizeItems: c.unknownSizeItems,
      unpricedItems: c.unpricedItems,
      bySubscription: c.bySubscription,
      byOwner: c.byOwner,
      rounding: c.rounding,
      ratecard: { ...c.ratecard, source: c.ratecardSource },
      sizes: c.sizesMatch,
      snapshot: c.snapshot,
    };
    assert.equal(await text(costJsonPieces(c)), `${guarded(expected)}\n`);
  }
});

test('any JSON value with any string, keys included, is written as the guard would have written it', () => {
  // Strings of any UTF-16 code units: controls, C1, bidi, lone surrogates, quotes and backslashes.
  const str = fc.string({ unit: 'binary', maxLength: 12 });
  const value = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: 'small' }, str, fc.double(), fc.boolean(), fc.constant(null), fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(str, tie('v'), { maxKeys: 4 })),
  })).v;
  fc.assert(
    fc.property(value, (v) => {
      for (const indent of ['', '    ']) assert.equal(pretty(v, indent), guarded(v, indent));
    }),
    { numRuns: 2000 },
  );
});

test('every UTF-16 code unit, alone and inside plain text, is written as the guard would have written it', () => {
  for (let c = 0; c <= 0xffff; c++) {
    const ch = String.fromCharCode(c);
    for (const s of [ch, `name ${ch} end`]) assert.equal(pretty({ [s]: s }, ''), guarded({ [s]: s }), `U+${c.toString(16).padStart(4, '0')}`);
  }
});

test('through the CLI output guard: escaped pieces skip its scan, any other text is still escaped', async () => {
  let out = '';
  const io = terminalSafeIo({ stdout: (t: string) => (out += t), stderr: () => {} });
  const hostile = { name: 'vm\u001b]0;owned\u0007\u009b2J\u202etxt.exe' };
  await printPieces(io, new EscapedPieces([pretty(hostile, '')!]));
  assert.equal(out, `${guarded(hostile)}\n`);
  for (const c of ['\u001b', '\u0007', '\u009b', '\u202e']) assert.ok(!out.includes(c), `U+${c.charCodeAt(0).toString(16)} reached the terminal raw`);
  out = '';
  // Text not made by json-out (printJson's generic pieces) is not trusted: the guard escapes it.
  await printPieces(io, ['"\u001b[2J\u202e"']);
  assert.equal(out, '"\\u001b[2J\\u202e"\n');
});
