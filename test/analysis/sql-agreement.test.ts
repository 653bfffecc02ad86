/**
 * Property: on random estates, the store's fast paths (SQL diff on the
 * covering index; findings and cost from streamed SQL columns) give exactly
 * what the pure reference functions give on the full item records.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Annotation } from '../../shared/domain/annotations.ts';
import { costSnapshot } from '../../shared/domain/cost.ts';
import { diffSnapshots } from '../../shared/domain/diff.ts';
import { configuredTimesFromJobs, evaluateFindings } from '../../shared/domain/findings.ts';
import type { BackupItem, CoverageEntry, InventoryRecord, JobRecord, PolicyRecord, VaultRecord } from '../../shared/domain/types.ts';
import { loadProfile, loadRatecard } from '../../electron/core/analysis/assets.ts';
import { diffSnapshotsSql } from '../../electron/core/analysis/diff-sql.ts';
import { runCost, runFindings } from '../../electron/core/analysis/run.ts';
import { policy, tmpStore, vault, vaultId, vm, vmItem, writeSnapshot } from './estate.ts';

const SUBS = ['00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002'];
const VAULTS = ['vault1', 'vault2'];
const NAMES = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima'];
const STATES = ['Protected', 'IRPending', 'ProtectionStopped', 'ProtectionError', 'protected'];
const HEALTH = ['Passed', 'ActionRequired', 'ActionSuggested', null];
const LAST = ['Completed', 'Failed', 'Unhealthy', '', null];
const TIMES = ['2025-03-09T23:00:00.000Z', '2025-03-08T01:00:00.000Z', '2025-03-01T00:00:00.000Z', null];
const ASOF_A = '2025-03-09T12:00:00.000Z';
const ASOF_B = '2025-03-10T12:00:00.000Z';

const itemArb = fc.record({
  name: fc.constantFrom(...NAMES),
  sub: fc.constantFrom(...SUBS),
  vault: fc.constantFrom(...VAULTS),
  state: fc.constantFrom(...STATES),
  health: fc.constantFrom(...HEALTH),
  last: fc.constantFrom(...LAST),
  time: fc.constantFrom(...TIMES),
  never: fc.boolean(),
  soft: fc.boolean(),
  policy: fc.constantFrom('DailyPolicy', 'WeeklyPolicy', null),
  size: fc.constantFrom(null, 10, 50, 500.5, 2000),
  archive: fc.constantFrom(null, true, false),
  tier: fc.constantFrom(null, 'gold'),
});
type ItemSpec = typeof itemArb extends fc.Arbitrary<infer T> ? T : never;

function build(s: ItemSpec, upperIds: boolean): BackupItem {
  const it = vmItem(s.name, {
    sub: s.sub,
    vault: s.vault,
    protectionState: s.state,
    healthStatus: s.health,
    lastBackupStatus: s.last,
    lastBackupTime: s.never ? null : s.time,
    lastRecoveryPoint: s.never ? null : s.time,
    neverBackedUp: s.never,
    softDeleted: s.soft,
    policyName: s.policy,
    policyId: s.policy ? `${vaultId(s.vault, s.sub)}/backupPolicies/${s.policy}` : null,
    sizeGb: s.size,
    archiveEnabled: s.archive,
    tags: s.tier ? { tier: s.tier } : {},
  });
  if (!upperIds) return it;
  const up = (x: string | null) => (x === null ? null : x.replace('/subscriptions/', '/SUBSCRIPTIONS/').replace(`/${s.vault}`, `/${s.vault.toUpperCase()}`));
  return { ...it, id: up(it.id)!, policyId: up(it.policyId), vaultId: up(it.vaultId) };
}

const estateArb = fc.record({
  before: fc.array(itemArb, { maxLength: 14 }),
  after: fc.array(itemArb, { maxLength: 14 }),
  keepSome: fc.array(fc.boolean(), { minLength: 14, maxLength: 14 }),
  upper: fc.array(fc.boolean(), { minLength: 14, maxLength: 14 }),
  mutate: fc.array(fc.constantFrom('none', 'size', 'archive', 'state', 'health', 'pihs', 'last', 'policy', 'policyName', 'soft', 'time'), { minLength: 14, maxLength: 14 }),
  retentionB: fc.constantFrom(30, 7),
  redundancyB: fc.constantFrom('GeoRedundant', 'LocallyRedundant', null),
  withPoliciesB: fc.boolean(),
  withInventory: fc.boolean(),
  failedVault: fc.constantFrom(null, 'vault1', 'vault2'),
  listSubs: fc.constantFrom('both', 'first', 'none'),
  owners: fc.array(fc.constantFrom(...NAMES), { maxLength: 5 }),
  jobs: fc.array(fc.record({ name: fc.constantFrom(...NAMES), vault: fc.constantFrom(...VAULTS), day: fc.integer({ min: 1, max: 10 }) }), { maxLength: 5 }),
});

/** One field changed, so each diff field is exercised on its own (and 'time' changes only the row hash). */
function mutate(it: BackupItem, what: string): BackupItem {
  switch (what) {
    case 'size':
      return { ...it, sizeGb: it.sizeGb === null ? 7 : null };
    case 'archive':
      return { ...it, archiveEnabled: it.archiveEnabled === true ? null : true };
    case 'state':
      return { ...it, protectionState: it.protectionState === 'Protected' ? 'PROTECTED' : 'Protected' };
    case 'health':
      return { ...it, healthStatus: it.healthStatus === null ? 'Passed' : null };
    case 'pihs':
      return { ...it, protectedItemHealthStatus: 'Unhealthy' };
    case 'last':
      return { ...it, lastBackupStatus: it.lastBackupStatus === '' ? null : '' };
    case 'policy':
      return { ...it, policyId: it.policyId?.toUpperCase() ?? null };
    case 'policyName':
      return { ...it, policyName: it.policyName === null ? 'DailyPolicy' : null };
    case 'soft':
      return { ...it, softDeleted: !it.softDeleted };
    case 'time':
      return { ...it, lastBackupTime: '2025-03-10T01:00:00.000Z' };
    default:
      return it;
  }
}

function dedupe(items: BackupItem[]): BackupItem[] {
  const m = new Map<string, BackupItem>();
  for (const it of items) m.set(it.key, it);
  return [...m.values()];
}

test('SQL fast paths and the pure reference agree on random estates (diff, findings, cost)', () => {
  const { store } = tmpStore('vp-agree-');
  const base = loadProfile();
  // Required policies by tag, so the tags read from SQL matter too.
  const profile = { ...base, value: { ...base.value, requiredPolicies: [{ match: { tag: { name: 'Tier', value: 'gold' } }, policies: ['WeeklyPolicy'] }] } };
  const card = loadRatecard();
  let runs = 0;
  try {
    fc.assert(
      fc.property(estateArb, (e) => {
        runs++;
        const a = dedupe(e.before.map((s) => build(s, false)));
        // B: some of A kept as is (maybe with upper-cased ids), plus new/changed specs
        const kept = a
          .filter((_, i) => e.keepSome[i % 14])
          .map((it, i) => (e.upper[i % 14] ? { ...it, id: it.id.toUpperCase() } : it))
          .map((it, i) => mutate(it, e.mutate[i % 14]!));
        const b = dedupe([...kept, ...e.after.map((s, i) => build(s, e.upper[i % 14] ?? false))]);
        const vaultsA: VaultRecord[] = SUBS.flatMap((sub) => VAULTS.map((v) => vault(v, { sub })));
        const vaultsB: VaultRecord[] = SUBS.flatMap((sub) => VAULTS.map((v) => vault(v, { sub, storageRedundancy: v === 'vault1' ? e.redundancyB : 'GeoRedundant' })));
        const pols = (ret: number): PolicyRecord[] =>
          SUBS.flatMap((sub) =>
            VAULTS.flatMap((v) => [
              { ...policy(v, 'DailyPolicy', { dailyRetentionDays: ret }), key: `${vaultId(v, sub)}/backupPolicies/DailyPolicy`.toLowerCase(), id: `${vaultId(v, sub)}/backupPolicies/DailyPolicy`, vaultKey: vaultId(v, sub).toLowerCase() },
              { ...policy(v, 'WeeklyPolicy', { scheduleFrequency: 'Weekly', scheduleIntervalHours: 168 }), key: `${vaultId(v, sub)}/backupPolicies/WeeklyPolicy`.toLowerCase(), id: `${vaultId(v, sub)}/backupPolicies/WeeklyPolicy`, vaultKey: vaultId(v, sub).toLowerCase() },
            ]),
          );
        const coverage: CoverageEntry[] = [
          ...(e.listSubs === 'none' ? [] : (e.listSubs === 'both' ? SUBS : SUBS.slice(0, 1)).map((s) => ({ scope: `subscription:${s}`, status: 'collected' as const, error: null }))),
          ...(e.failedVault ? [{ scope: `vault:${vaultId(e.failedVault).toLowerCase()}`, status: 'failed' as const, error: { code: 'X', message: 'failed' } }] : []),
        ];
        const inventory: InventoryRecord[] = e.withInventory ? NAMES.slice(0, 6).map((n) => vm(n)) : [];
        const jobs: JobRecord[] = e.jobs.map((j, i) => ({
          key: `${vaultId(j.vault)}/backupjobs/job${i}`.toLowerCase(),
          id: `${vaultId(j.vault)}/backupJobs/job${i}`,
          vaultKey: vaultId(j.vault).toLowerCase(),
          entityFriendlyName: j.name,
          itemKey: null,
          operation: 'ConfigureBackup',
          status: 'Completed',
          startTime: `2025-03-${String(j.day).padStart(2, '0')}T00:00:00.000Z`,
          endTime: null,
          backupManagementType: 'AzureIaasVM',
          workloadType: 'VM',
        }));
        const sa = writeSnapshot(store, { asOf: ASOF_A, items: a, vaults: vaultsA, policies: pols(30), inventory });
        const sb = writeSnapshot(store, { asOf: ASOF_B, items: b, vaults: vaultsB, policies: e.withPoliciesB ? pols(e.retentionB) : [], inventory, jobs, coverage });
        const annotations = new Map<string, Annotation>(
          e.owners.map((n, i) => {
            // half on the item, half on its source resource (analysis reads both)
            const it = vmItem(n);
            const target = i % 2 === 0 ? `item:${it.key}` : `resource:${it.sourceResourceKey}`;
            return [target, { target, owner: `owner-${n}`, ownerEmail: null, team: null, costCentre: null, criticality: 'high', exceptions: [], decision: null, frontEndGb: null, storageGb: n.length * 10, notes: [], tags: {}, restoreTests: [] }];
          }),
        );
        const repo = store.snapshots;
        const side = (id: string) => ({ items: repo.allItems(id), policies: repo.records(id, 'policy'), vaults: repo.records(id, 'vault') });

        const sqlDiff = diffSnapshotsSql(store, sa.id, sb.id, annotations);
        const refDiff = diffSnapshots(side(sa.id), { ...side(sb.id), coverage: repo.detail(sb.id).coverage }, annotations);
        assert.deepEqual(sqlDiff, refDiff);

        const { snapshot: _s, profileSource: _p, ...sqlFindings } = runFindings(store, sb.id, { profile, annotations });
        const refFindings = evaluateFindings({
          asOf: sb.asOf,
          profile: profile.value,
          profileHash: profile.hash,
          items: repo.allItems(sb.id),
          vaults: repo.records(sb.id, 'vault'),
          policies: repo.records(sb.id, 'policy'),
          inventory: repo.records(sb.id, 'inventory'),
          protectionConfiguredAt: repo.records(sb.id, 'job').length > 0 ? configuredTimesFromJobs(repo.records(sb.id, 'job'), sb.asOf) : null,
          annotations,
        });
        assert.deepEqual(sqlFindings, refFindings);

        const { snapshot: _c, ratecardSource: _r, sizesMatch: _m, delta: _d, ...sqlCost } = runCost(store, sb.id, { ratecard: card, annotations });
        const refCost = costSnapshot({ items: repo.allItems(sb.id), vaults: repo.records(sb.id, 'vault'), card: card.value, ratecardHash: card.hash, annotations });
        assert.deepEqual(sqlCost, refCost);
      }),
      { numRuns: 60, seed: 20250310 },
    );
  } finally {
    store.close();
  }
  assert.equal(runs, 60);
});
