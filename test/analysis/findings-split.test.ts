/**
 * `findings --json` judged on two threads (electron/core/analysis/findings-split.ts)
 * must be byte for byte the report judged on one (findingsOf, then
 * findingsJsonPieces): same findings in the same order, same counts, notes
 * and gate. The split is forced on small estates (minItems), so the worker
 * thread really judges the second half of the items.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { BackupItem, InventoryRecord, JobRecord, PolicyRecord, VaultRecord } from '../../shared/domain/types.ts';
import type { Severity } from '../../shared/domain/profile.ts';
import { loadProfile } from '../../electron/core/analysis/assets.ts';
import { findingsJsonPieces } from '../../electron/core/analysis/findings-json.ts';
import { findingsJson, inKeyOrder, type FindingsJson } from '../../electron/core/analysis/findings-split.ts';
import { annotationsFor, findingsOf } from '../../electron/core/analysis/run.ts';
import { setAnnotations } from '../../electron/core/annotations/service.ts';
import type { Store } from '../../electron/core/store/store.ts';
import { printPieces } from '../../electron/cli/json-out.ts';
import type { EscapedPieces } from '../../electron/core/output/json-text.ts';
import { cliProcessAsync } from '../harness/cli.ts';
import { SPLIT_MIN_ITEMS } from '../../electron/core/analysis/findings-split.ts';
import { SUB, policy, tmpStore, vault, vaultId, vm, vmItem, writeSnapshot } from './estate.ts';

const ASOF = '2025-03-10T12:00:00.000Z';
const author = (at: string) => ({ user: 'alice', displayName: 'Alice', now: new Date(at) });

/** The text as stdout gets it: strings, and the worker's UTF-8 as bytes (or, for an output that takes no bytes, decoded by printPieces). */
async function textOf(pieces: EscapedPieces, bytes = true): Promise<string> {
  const parts: string[] = [];
  await printPieces({ stdout: (t) => void parts.push(t), ...(bytes ? { stdoutBytes: (b: Uint8Array) => void parts.push(Buffer.from(b).toString('utf8')) } : {}), stderr: () => {} }, pieces);
  return parts.join('');
}

/** The one-thread report's text and gate, as findings.run and the CLI made them before the split. */
async function oneThread(store: Store, id: string, failOn?: Severity): Promise<string> {
  const s = store.snapshots.resolve(id);
  const run = findingsOf(store, s, loadProfile(), annotationsFor(store));
  if (!failOn) return textOf(findingsJsonPieces(run));
  const order: Severity[] = ['info', 'low', 'medium', 'high', 'critical'];
  const count = run.findings.filter((f) => !f.excepted && order.indexOf(f.severity) >= order.indexOf(failOn)).length;
  return textOf(findingsJsonPieces({ ...run, gate: { failOn, failed: count > 0, count } }));
}

async function split(store: Store, id: string, opts: { failOn?: Severity; minItems?: number } = {}): Promise<{ text: string; j: FindingsJson }> {
  const j = await findingsJson(store, id, { minItems: 1, ...opts });
  return { text: await textOf(j.pieces), j };
}

test('four items, two failed backups: each half finds one, and the report lists both in key order', async () => {
  const { store, dir } = tmpStore('vp-split-');
  try {
    // Keys sort by VM name here (same vault, same path otherwise): a < b < c < d, so the split falls between b and c.
    const items = ['a', 'b', 'c', 'd'].map((n) =>
      vmItem(`vm-${n}`, { lastBackupStatus: n === 'b' || n === 'd' ? 'Failed' : 'Completed', lastBackupTime: '2025-03-10T01:00:00.000Z', lastRecoveryPoint: '2025-03-10T01:00:00.000Z' }),
    );
    const s = writeSnapshot(store, { asOf: ASOF, items, vaults: [vault('vault1')], policies: [policy('vault1', 'DefaultPolicy')] });
    const { text, j } = await split(store, s.id);
    assert.equal(j.threads, 2);
    const r = JSON.parse(text) as { findings: Array<{ rule: string; key: string }>; counts: { byRule: Record<string, number> } };
    const failed = r.findings.filter((f) => f.rule === 'last-backup-failed').map((f) => f.key);
    assert.deepEqual(failed, [items[1]!.key, items[3]!.key]);
    assert.equal(r.counts.byRule['last-backup-failed'], 2);
    assert.equal(text, await oneThread(store, s.id));
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** A deterministic estate of `n` items touching every item rule, the inventory rules and the annotation rules on both halves. */
function estate(n: number, seed: number): { items: BackupItem[]; vaults: VaultRecord[]; policies: PolicyRecord[]; inventory: InventoryRecord[]; jobs: JobRecord[] } {
  let x = seed;
  const rnd = (k: number): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % k;
  };
  const SUBS = [SUB, '00000000-0000-0000-0000-000000000002'];
  const VAULTS = ['vault1', 'vault2', 'Vault-3'];
  const STATES = ['Protected', 'Protected', 'Protected', 'IRPending', 'ProtectionStopped', 'ProtectionError', 'ProtectionPaused'];
  const HEALTH = ['Passed', 'Passed', 'ActionRequired', 'ActionSuggested', null];
  const LAST = ['Completed', 'Completed', 'Completed', 'Failed', 'CompletedWithWarnings', '', null];
  const TIMES = ['2025-03-10T01:00:00.000Z', '2025-03-08T01:00:00.000Z', '2025-02-01T00:00:00.000Z', null];
  const items: BackupItem[] = [];
  for (let i = 0; i < n; i++) {
    const v = VAULTS[rnd(3)]!;
    const sub = SUBS[rnd(2)]!;
    const t = TIMES[rnd(4)]!;
    const never = rnd(10) === 0;
    const pol = ['DailyPolicy', 'WeeklyPolicy', 'GonePolicy', null][rnd(4)]!;
    items.push(
      vmItem(`vm-${String(i).padStart(4, '0')}`, {
        vault: v,
        sub,
        protectionState: STATES[rnd(STATES.length)]!,
        healthStatus: HEALTH[rnd(HEALTH.length)]!,
        lastBackupStatus: LAST[rnd(LAST.length)]!,
        lastBackupTime: never ? null : t,
        lastRecoveryPoint: never ? null : t,
        neverBackedUp: never,
        softDeleted: rnd(12) === 0,
        policyName: pol,
        policyId: pol ? `${vaultId(v, sub)}/backupPolicies/${pol}` : null,
        tags: rnd(3) === 0 ? { Tier: 'gold' } : {},
      }),
    );
  }
  const vaults = SUBS.flatMap((sub) => VAULTS.map((v, i) => vault(v, { sub, storageRedundancy: i === 0 ? 'LocallyRedundant' : 'GeoRedundant', softDeleteState: i === 1 ? 'Disabled' : 'Enabled' })));
  const policies = SUBS.flatMap((sub) =>
    VAULTS.flatMap((v) =>
      ['DailyPolicy', 'WeeklyPolicy'].map((name) => {
        const id = `${vaultId(v, sub)}/backupPolicies/${name}`;
        return policy(v, name, { key: id.toLowerCase(), id, vaultKey: vaultId(v, sub).toLowerCase(), ...(name === 'WeeklyPolicy' ? { scheduleFrequency: 'Weekly', scheduleIntervalHours: 168, dailyRetentionDays: 7 } : {}) });
      }),
    ),
  );
  // Sources of every third item, and VMs nothing protects (unprotected-workload, found after the pass).
  const inventory = [...items.filter((_, i) => i % 3 === 0).map((it) => vm(it.name, { subscriptionId: it.subscriptionId! })), ...Array.from({ length: 7 }, (_, i) => vm(`bare-${i}`))];
  const jobs: JobRecord[] = items
    .filter((it) => it.protectionState === 'IRPending')
    .slice(0, 5)
    .map((it, i) => ({
      key: `${it.vaultKey}/backupjobs/job${i}`,
      id: `${it.vaultId}/backupJobs/job${i}`,
      vaultKey: it.vaultKey!,
      entityFriendlyName: it.name,
      itemKey: it.key,
      operation: 'ConfigureBackup',
      status: 'Completed',
      startTime: `2025-03-0${i + 1}T00:00:00.000Z`,
      endTime: null,
      backupManagementType: 'AzureIaasVM',
      workloadType: 'VM',
    }));
  return { items, vaults, policies, inventory, jobs };
}

test('a varied estate with annotations: the two-thread text is the one-thread text, with and without --fail-on', async () => {
  const { store, dir } = tmpStore('vp-split-');
  try {
    const e = estate(420, 7);
    const s = writeSnapshot(store, { asOf: ASOF, ...e });
    // Owners, exceptions (holding and expired), criticality: on items of both halves and on a source resource.
    const at = '2025-03-01T12:00:00.000Z';
    for (const [i, it] of e.items.entries()) {
      if (i % 17 === 0) setAnnotations(store, { target: it.key, owner: `owner-${i}` }, author(at));
      if (i % 29 === 0) setAnnotations(store, { target: it.key, exception: { rule: 'all', justification: 'accepted', approver: 'CISO', expires: '2025-06-01' } }, author(at));
      if (i % 31 === 0) setAnnotations(store, { target: it.key, exception: { rule: 'rpo-breach', justification: 'window', approver: 'CISO', expires: '2025-03-05' } }, author(at));
      if (i % 37 === 0) setAnnotations(store, { target: it.key, criticality: 'high' }, author(at));
    }
    setAnnotations(store, { target: `resource:${e.items[300]!.sourceResourceKey!}`, owner: 'resource owner' }, author(at));

    const { text, j } = await split(store, s.id);
    assert.equal(j.threads, 2);
    const expected = await oneThread(store, s.id);
    assert.equal(text, expected);
    const asText = await findingsJson(store, s.id, { minItems: 1 });
    assert.equal(await textOf(asText.pieces, false), expected, 'through an output that takes only text');
    // The worker one piece ahead at most: it waits for nearly every piece to be written before it sends the next.
    const lockstep = await findingsJson(store, s.id, { minItems: 1, textsAhead: 1 });
    assert.equal(lockstep.threads, 2);
    assert.equal(await textOf(lockstep.pieces), expected, 'one piece ahead');
    // The estate reaches rules of every kind: item rules from both halves, after-pass rules, excepted findings.
    const r = JSON.parse(text) as { findings: Array<{ rule: string; key: string; excepted: boolean }> };
    const rules = new Set(r.findings.map((f) => f.rule));
    for (const rule of ['rpo-breach', 'last-backup-failed', 'protection-stopped', 'never-backed-up', 'soft-deleted', 'ownerless-item', 'unprotected-workload', 'exception-expired', 'vault-soft-delete-disabled', 'critical-without-restore-test']) assert.ok(rules.has(rule), rule);
    assert.ok(r.findings.some((f) => f.excepted));
    const middle = [...e.items].sort((a, b) => (a.key < b.key ? -1 : 1))[210]!.key;
    assert.ok(r.findings.some((f) => f.rule === 'rpo-breach' && f.key < middle) && r.findings.some((f) => f.rule === 'rpo-breach' && f.key >= middle), 'both halves found rpo breaches');

    for (const failOn of ['critical', 'high', 'info'] as const) {
      const g = await split(store, s.id, { failOn });
      assert.equal(g.text, await oneThread(store, s.id, failOn), failOn);
    }
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('below minItems, or when the worker cannot read the store, the report is judged on one thread and is the same', async () => {
  const { store, dir } = tmpStore('vp-split-');
  try {
    const e = estate(60, 3);
    const s = writeSnapshot(store, { asOf: ASOF, ...e });
    const expected = await oneThread(store, s.id);
    const small = await split(store, s.id, { minItems: 61 });
    assert.equal(small.j.threads, 1);
    assert.equal(small.text, expected);
    // The store's file gone from its folder: this connection still reads it, a new one (the worker's) cannot open it.
    fs.renameSync(store.path, `${store.path}.moved`);
    const r = await split(store, s.id);
    assert.equal(r.j.threads, 1);
    assert.equal(r.text, expected);
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('segments of a rule are in key order only when each is and none starts before the last one ended', () => {
  const seg = (first: string, last: string, inOrder = true) => ({ first, last, inOrder });
  assert.equal(inKeyOrder([seg('a', 'c'), seg('d', 'f'), null, seg('f', 'g')]), true);
  assert.equal(inKeyOrder([seg('a', 'c'), seg('b', 'f')]), false, 'the second half starts before the first ended');
  assert.equal(inKeyOrder([seg('a', 'c'), seg('d', 'f', false)]), false, 'a half out of order');
  assert.equal(inKeyOrder([undefined, seg('d', 'f'), seg('c', 'c')]), false, 'an after-pass finding before the last');
  assert.equal(inKeyOrder([seg('c', 'c'), seg('c', 'c')]), true, 'equal keys keep their order');
});

test('the built CLI judges a snapshot of SPLIT_MIN_ITEMS items on two threads: the text is the one-thread text, the gate exits 3', async () => {
  const { store, dir } = tmpStore('vp-split-cli-');
  try {
    assert.equal(SPLIT_MIN_ITEMS, 20_000);
    // Every 7th item's last backup failed: items 0, 7, …, 19,999 (19,999 = 7 × 2,857), so 2,858 of them. No owners: every item is ownerless.
    const items = Array.from({ length: 20_000 }, (_, i) =>
      vmItem(`vm-${String(i).padStart(5, '0')}`, { lastBackupStatus: i % 7 === 0 ? 'Failed' : 'Completed', lastBackupTime: '2025-03-10T01:00:00.000Z', lastRecoveryPoint: '2025-03-10T01:00:00.000Z' }),
    );
    const s = writeSnapshot(store, { asOf: ASOF, items, vaults: [vault('vault1')], policies: [policy('vault1', 'DefaultPolicy')] });
    const expected = await oneThread(store, s.id, 'high');
    store.close();
    const r = await cliProcessAsync(['findings', s.id, '--json', '--fail-on', 'high', '--store', store.path]);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stderr, '');
    const report = JSON.parse(r.stdout) as { findings: Array<{ rule: string; key: string }>; counts: { byRule: Record<string, number> }; gate: { count: number } };
    assert.equal(report.counts.byRule['last-backup-failed'], 2858);
    assert.equal(report.counts.byRule['ownerless-item'], 20_000);
    const failed = report.findings.filter((f) => f.rule === 'last-backup-failed').map((f) => f.key);
    assert.equal(failed[0], items[0]!.key);
    assert.equal(failed[2857], items[19_999]!.key);
    assert.equal(r.stdout, `${expected}`);
  } finally {
    if (store.db.open) store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
