/**
 * Property-based tests (fast-check): the diff's algebra, keys under id
 * casing, and the import parsers on random and mutated real exports — which
 * may succeed or fail, but only ever with a typed BAD_INPUT, and never leave
 * part of a snapshot behind.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { UserError } from '../../electron/core/errors.ts';
import { importFiles } from '../../electron/core/import/index.ts';
import { shapeProblem } from '../../electron/core/import/shape.ts';
import { ArraySplitter } from '../../electron/core/import/split.ts';
import { decodeText, parseJsonText } from '../../electron/core/import/text.ts';
import { parseCsvRows } from '../../electron/core/import/csv.ts';
import { openStore, type Store } from '../../electron/core/store/store.ts';
import { diffSnapshots, type DiffItem, type DiffPolicy, type DiffResult, type DiffVault } from '../../shared/domain/diff.ts';
import { canonicalArmId, itemKeyFromId } from '../../shared/domain/keys.ts';
import { recogniseResource } from '../../shared/domain/normalise/index.ts';
import { fixtures, tempDir } from '../harness/cli.ts';
import { orphanRows } from './helpers.ts';

const RUNS = Number(process.env.VAULTPROOF_PROPERTY_RUNS ?? 150);

// ---- arbitraries ---------------------------------------------------------

const SUB = '00000000-0000-0000-0000-00000000000';
const vaultKey = (i: number) => `/subscriptions/${SUB}${i}/resourcegroups/rg-backup/providers/microsoft.recoveryservices/vaults/vault${i}`;
const policyId = (v: number, name: string) => `/subscriptions/${SUB}${v}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/vault${v}/backupPolicies/${name}`;

/** Randomly re-cases a string (same letters). */
function recase(s: string, bits: number): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += (bits >> i % 31) & 1 ? s[i]!.toUpperCase() : s[i]!.toLowerCase();
  return out;
}

const arbItemFields = fc.record({
  vault: fc.integer({ min: 1, max: 2 }),
  workloadType: fc.constantFrom('VM', 'SQLDataBase', 'AzureFileShare', null),
  protectionState: fc.constantFrom('Protected', 'ProtectionStopped', 'IRPending', 'ProtectionError', null),
  policy: fc.constantFrom('DefaultPolicy', 'EnhancedPolicy', 'HourlyLog', null),
  policyById: fc.boolean(),
  healthStatus: fc.constantFrom('Passed', 'ActionRequired', null),
  protectionStatus: fc.constantFrom('Healthy', 'Unhealthy', null),
  protectedItemHealthStatus: fc.constantFrom('Healthy', 'Unhealthy', null),
  lastBackupStatus: fc.constantFrom('Completed', 'Failed', '', null),
  softDeleted: fc.boolean(),
  archiveEnabled: fc.constantFrom(true, false, null),
  sizeGb: fc.constantFrom(null, 10, 20.5, 512),
  source: fc.constantFrom(null, 'vm-a', 'vm-b'),
});

type ArbValue<A> = A extends fc.Arbitrary<infer T> ? T : never;

function toItem(n: number, f: ArbValue<typeof arbItemFields>): DiffItem {
  return {
    key: `${vaultKey(f.vault)}/backupfabrics/azure/protectioncontainers/c/protecteditems/item${n}`,
    subscriptionId: `${SUB}${f.vault}`,
    vaultKey: vaultKey(f.vault),
    workloadType: f.workloadType,
    protectionState: f.protectionState,
    policyId: f.policy && f.policyById ? policyId(f.vault, f.policy) : null,
    policyName: f.policy,
    healthStatus: f.healthStatus,
    protectionStatus: f.protectionStatus,
    protectedItemHealthStatus: f.protectedItemHealthStatus,
    lastBackupStatus: f.lastBackupStatus,
    softDeleted: f.softDeleted,
    archiveEnabled: f.archiveEnabled,
    sizeGb: f.sizeGb,
    sourceResourceKey: f.source ? `/subscriptions/${SUB}${f.vault}/resourcegroups/rg-app/providers/microsoft.compute/virtualmachines/${f.source}` : null,
  };
}

/** A snapshot: up to 12 of 16 possible items (so two snapshots overlap), maybe with policy and vault records. */
const arbSnapshot = fc
  .record({
    items: fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: 15 }), arbItemFields), { selector: (t) => t[0], maxLength: 12 }),
    policies: fc.uniqueArray(
      fc.record({ vault: fc.integer({ min: 1, max: 2 }), name: fc.constantFrom('DefaultPolicy', 'EnhancedPolicy', 'HourlyLog'), daily: fc.constantFrom(null, 7, 30), yearly: fc.constantFrom(null, 1, 10) }),
      { selector: (p) => `${p.vault}/${p.name}`, maxLength: 6 },
    ),
    vaults: fc.uniqueArray(fc.record({ vault: fc.integer({ min: 1, max: 2 }), redundancy: fc.constantFrom('LocallyRedundant', 'GeoRedundant', null), crr: fc.constantFrom(true, false, null) }), { selector: (v) => v.vault, maxLength: 2 }),
  })
  .map((s) => ({
    items: s.items.map(([n, f]) => toItem(n, f)),
    policies: s.policies.map((p): DiffPolicy => ({ key: policyId(p.vault, p.name).toLowerCase(), name: p.name, dailyRetentionDays: p.daily, weeklyRetentionWeeks: null, monthlyRetentionMonths: null, yearlyRetentionYears: p.yearly })),
    vaults: s.vaults.map((v): DiffVault => ({ key: vaultKey(v.vault), storageRedundancy: v.redundancy, crossRegionRestore: v.crr })),
    coverage: [],
  }));

type Snap = ArbValue<typeof arbSnapshot>;

function diff(a: Snap, b: Snap): DiffResult {
  return diffSnapshots(a, b);
}

// ---- the diff --------------------------------------------------------------

describe('diff properties', () => {
  it('diff(A, A) is empty: nothing added, removed or changed, every item unchanged', () => {
    fc.assert(
      fc.property(arbSnapshot, (a) => {
        const d = diff(a, a);
        assert.deepEqual([d.added, d.removed, d.changed], [[], [], []]);
        assert.equal(d.unchanged, a.items.length);
      }),
      { numRuns: RUNS },
    );
  });

  it('diff(A, B) mirrors diff(B, A)', () => {
    fc.assert(
      fc.property(arbSnapshot, arbSnapshot, (a, b) => {
        const ab = diff(a, b);
        const ba = diff(b, a);
        const softDeletedAb = new Set(ab.removed.filter((r) => r.reason === 'softDeleted').map((r) => r.key));
        const softDeletedBa = new Set(ba.removed.filter((r) => r.reason === 'softDeleted').map((r) => r.key));
        // Added one way is removed ("gone": nothing says it was not collected) the other way.
        assert.deepEqual(ab.added, ba.removed.filter((r) => r.reason === 'gone').map((r) => r.key));
        assert.deepEqual(ba.added, ab.removed.filter((r) => r.reason === 'gone').map((r) => r.key));
        // An item that became soft-deleted is "removed" one way and a change of softDeleted the other.
        for (const k of softDeletedAb) assert.deepEqual(ba.changed.find((c) => c.key === k)?.fields.softDeleted, { before: true, after: false });
        for (const k of softDeletedBa) assert.deepEqual(ab.changed.find((c) => c.key === k)?.fields.softDeleted, { before: true, after: false });
        // Every other change is the same change with before and after swapped.
        const swap = (c: DiffResult['changed'][number]) => ({ key: c.key, fields: Object.fromEntries(Object.entries(c.fields).map(([f, v]) => [f, { before: v!.after, after: v!.before }])) });
        assert.deepEqual(ab.changed.filter((c) => !softDeletedBa.has(c.key)), ba.changed.filter((c) => !softDeletedAb.has(c.key)).map(swap));
        assert.equal(ab.unchanged, ba.unchanged);
        assert.deepEqual(ab.notCompared.map((n) => n.field), ba.notCompared.map((n) => n.field));
      }),
      { numRuns: RUNS },
    );
  });

  it('re-casing ids and values changes nothing', () => {
    fc.assert(
      fc.property(arbSnapshot, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (a, bits) => {
        const rc = (v: string | null) => (v === null ? null : recase(v, bits));
        const b: Snap = {
          ...a,
          items: a.items.map((i) => ({ ...i, protectionState: rc(i.protectionState), policyId: rc(i.policyId), policyName: rc(i.policyName), healthStatus: rc(i.healthStatus), lastBackupStatus: rc(i.lastBackupStatus), workloadType: rc(i.workloadType) })),
          vaults: a.vaults.map((v) => ({ ...v, storageRedundancy: rc(v.storageRedundancy) })),
        };
        const d = diff(a, b);
        assert.deepEqual([d.added, d.removed, d.changed], [[], [], []]);
      }),
      { numRuns: RUNS },
    );
  });
});

// ---- keys -----------------------------------------------------------------

const segment = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._;-]{0,15}$/);
const arbItemId = fc.record({ sub: fc.uuid(), rg: segment, vault: segment, container: segment, item: segment });

describe('keys are stable under id casing and spelling', () => {
  it('an item id with any casing, a host, doubled or trailing slashes, or without the fabric segment has one key', () => {
    fc.assert(
      fc.property(arbItemId, fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.boolean(), fc.boolean(), fc.boolean(), (p, bits, host, noFabric, slashes) => {
        const base = `/subscriptions/${p.sub}/resourceGroups/${p.rg}/providers/Microsoft.RecoveryServices/vaults/${p.vault}`;
        const id = `${base}/backupFabrics/Azure/protectionContainers/${p.container}/protectedItems/${p.item}`;
        let variant = `${base}${noFabric ? '' : '/backupFabrics/Azure'}/protectionContainers/${p.container}/protectedItems/${p.item}`;
        variant = recase(variant, bits);
        if (slashes) variant = `${variant.replace('/providers/', '//providers/')}/`;
        if (host) variant = `https://management.azure.com${variant}`;
        const key = itemKeyFromId(id);
        assert.equal(itemKeyFromId(variant), key);
        assert.equal(itemKeyFromId(key), key, 'idempotent');
        assert.equal(key, key.toLowerCase());
        assert.equal(canonicalArmId(recase(id, bits)), canonicalArmId(id));
      }),
      { numRuns: RUNS },
    );
  });

  it('a real item whose id is re-cased normalises to the same key and the same record', () => {
    const real = (JSON.parse(fs.readFileSync(path.join(fixtures, 'import', 'arm-items-iaasvm.json'), 'utf8')) as { value: Array<Record<string, unknown>> }).value;
    fc.assert(
      fc.property(fc.constantFrom(...real), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (raw, bits) => {
        const a = recogniseResource(raw);
        const b = recogniseResource({ ...raw, id: recase(raw.id as string, bits) });
        assert.ok(a.ok && b.ok);
        assert.equal(b.record.key, a.record.key);
        const da = a.record.data as unknown as Record<string, unknown>;
        const db = b.record.data as unknown as Record<string, unknown>;
        for (const k of ['vaultKey', 'sourceResourceKey']) assert.equal(db[k], da[k], k);
        // Names taken from the id (vault name, vault id) keep the casing it was written with; nothing else moves.
        assert.equal(JSON.stringify(db).toLowerCase(), JSON.stringify(da).toLowerCase());
      }),
      { numRuns: RUNS },
    );
  });
});

// ---- parsers ----------------------------------------------------------------

/** Runs fn; returns null when it succeeds, else asserts the error is a BAD_INPUT UserError. */
function onlyBadInput(fn: () => unknown): UserError | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (!(e instanceof UserError)) throw new Error(`not a UserError: ${(e as Error)?.stack ?? String(e)}`);
    assert.equal(e.code, 'BAD_INPUT', e.message);
    return e;
  }
}

describe('parsers on random input', () => {
  it('decodeText + parseJsonText: any bytes give a value or a located BAD_INPUT', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.constantFrom<number[]>([], [0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff], [0xff, 0xfe, 0, 0]), (bytes, bom) => {
        onlyBadInput(() => parseJsonText(decodeText(Buffer.from([...bom, ...bytes]), 'x.json').text, 'x.json'));
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('parseCsvRows: any text gives rows or a BAD_INPUT, never a prototype change', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', '"', '""', '{"a":1}', '[1,', '=1+1')), { maxLength: 5 }), { maxLength: 6 }), (rows) => {
        const text = rows.map((r) => r.join(',')).join('\n');
        onlyBadInput(() => parseCsvRows(text, 'x.csv'));
        assert.equal(({} as Record<string, unknown>).a, undefined);
      }),
      { numRuns: RUNS },
    );
  });

  it('ArraySplitter: any JSON array cut into any chunks yields exactly its elements', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 12 }), fc.boolean(), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }), (elements, wrapped, cuts) => {
        const text = wrapped ? JSON.stringify({ other: [1, 2], value: elements, count: elements.length }, null, 1) : JSON.stringify(elements, null, 1);
        const s = new ArraySplitter();
        const out: unknown[] = [];
        let at = 0;
        let i = 0;
        while (at < text.length) {
          const n = cuts[i++ % cuts.length]!;
          for (const e of s.push(text.slice(at, at + n))) out.push(JSON.parse(e));
          at += n;
        }
        s.end();
        // JSON.stringify drops -0's sign; compare through JSON.
        assert.deepEqual(JSON.parse(JSON.stringify(out)), JSON.parse(JSON.stringify(elements)));
      }),
      { numRuns: RUNS },
    );
  });

  it('shapeProblem never throws, however deep or odd the value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 3000 }), (v, depth) => {
        let deep: unknown = v;
        for (let i = 0; i < depth; i++) deep = [deep];
        const p = shapeProblem(deep);
        if (depth > 120) assert.match(p ?? '', /nested more than 100 levels deep/);
      }),
      { numRuns: RUNS },
    );
  });
});

// ---- importFiles on mutated real exports ----------------------------------------

const sources = fs
  .readdirSync(path.join(fixtures, 'import'))
  .filter((f) => /\.(json|csv|txt)$/.test(f))
  .map((f) => ({ name: f, bytes: fs.readFileSync(path.join(fixtures, 'import', f)) }));

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; bits: number }
  | { kind: 'insert'; at: number; junk: Uint8Array }
  | { kind: 'splice-json'; at: number; len: number; json: string }
  | { kind: 'none' };

const arbMutation: fc.Arbitrary<Mutation[]> = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), junk: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
    fc.record({ kind: fc.constant('splice-json' as const), at: fc.nat(), len: fc.nat({ max: 40 }), json: fc.json({ maxDepth: 3 }) }),
    fc.constant({ kind: 'none' as const }),
  ),
  { minLength: 1, maxLength: 3 },
);

function mutate(src: Buffer, muts: Mutation[]): Buffer {
  let b = Buffer.from(src);
  for (const m of muts) {
    if (m.kind === 'none' || b.length === 0) continue;
    const at = m.at % b.length;
    if (m.kind === 'truncate') b = b.subarray(0, at);
    else if (m.kind === 'flip') b[at] = b[at]! ^ m.bits;
    else if (m.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from(m.junk), b.subarray(at)]);
    else b = Buffer.concat([b.subarray(0, at), Buffer.from(m.json), b.subarray(Math.min(b.length, at + m.len))]);
  }
  return b;
}

describe('importFiles on mutated real exports and random JSON', () => {
  let dir: string;
  let store: Store;
  before(() => {
    dir = tempDir('vp-prop-');
    store = openStore(path.join(dir, 'store.db'));
  });
  after(() => store.close());

  const attempt = async (file: string): Promise<'stored' | 'refused'> => {
    const before = store.snapshots.list().length;
    try {
      await importFiles(store, [file], { now: new Date('2026-11-24T00:00:00Z'), user: 'prop', asOf: '2026-11-20T00:00:00Z' });
      assert.equal(store.snapshots.list().length, before + 1);
      return 'stored';
    } catch (e) {
      if (!(e instanceof UserError)) throw new Error(`${path.basename(file)}: not a UserError: ${(e as Error)?.stack ?? String(e)}`);
      assert.equal(e.code, 'BAD_INPUT', e.message);
      assert.equal(store.snapshots.list().length, before, 'a refused import stores nothing');
      return 'refused';
    }
  };

  it('truncated, bit-flipped, junk-inserted and JSON-spliced fixtures: stored whole or refused with BAD_INPUT', async () => {
    const seen = { stored: 0, refused: 0 };
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...sources), arbMutation, async (src, muts) => {
        const file = path.join(dir, `m${n++}-${src.name}`);
        fs.writeFileSync(file, mutate(src.bytes, muts));
        seen[await attempt(file)]++;
      }),
      { numRuns: RUNS },
    );
    assert.ok(seen.stored > 0 && seen.refused > 0, `both outcomes occur: ${JSON.stringify(seen)}`);
    assert.equal(orphanRows(store.path), 0);
  });

  it('random JSON documents: stored whole or refused with BAD_INPUT', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.json({ maxDepth: 6 }), fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify({ value: [v, { id: '/subscriptions/x/providers/a/b/protectedItems/p', type: 'x/protectedItems', properties: v }] }))), async (text) => {
        const file = path.join(dir, `r${n++}.json`);
        fs.writeFileSync(file, text);
        await attempt(file);
      }),
      { numRuns: RUNS },
    );
    assert.equal(orphanRows(store.path), 0);
  });
});
