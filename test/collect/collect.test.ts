import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { itemKeyFromId } from '../../shared/domain/keys.ts';
import type { CoverageEntry } from '../../shared/domain/types.ts';
import { collect } from '../../electron/core/collect/index.ts';
import { UserError } from '../../electron/core/errors.ts';
import { startArmEmulator, type ArmEmulator } from '../harness/arm-emulator/index.ts';
import { collectFromEmulator, emulatorCredential, emulatorOptions, recordingSleep, tempDir, tempStore } from './helpers.ts';

const HOUR = 3600_000;

function byScope(coverage: CoverageEntry[]): Map<string, CoverageEntry> {
  return new Map(coverage.map((c) => [c.scope, c]));
}

function vaultScope(emu: ArmEmulator, name: string): string {
  const v = emu.estate.rsvVaults.find((x) => x.name === name)!;
  return `vault:${v.id.toLowerCase()}`;
}

/** Every RSV and Backup vault item the estate holds, as keys (ARM id lower-cased). */
function expectedItemKeys(emu: ArmEmulator, skipVault?: string): string[] {
  const keys: string[] = [];
  for (const v of emu.estate.rsvVaults) {
    if (v.name === skipVault) continue;
    for (let j = 0; j < v.itemCount; j++) keys.push(itemKeyFromId(emu.estate.itemIdentity(v, j).id));
  }
  for (const b of emu.estate.backupVaults) {
    for (const bi of [...emu.estate.backupInstances(b), ...emu.estate.deletedBackupInstances(b)]) keys.push(itemKeyFromId(String(bi.id)));
  }
  return keys.sort();
}

describe('live collection against the ARM emulator', () => {
  let emu: ArmEmulator;
  before(async () => {
    // Two subscriptions × three Recovery Services vaults × six items, plus one Backup vault each;
    // four items a page, so every vault's items span two pages (absolute loopback nextLinks).
    emu = await startArmEmulator({ pageSize: 4, jobsPerVault: 8 });
  });
  after(async () => {
    await emu.close();
  });

  it('collects every item, vault, policy, job and inventory record of two subscriptions, with coverage per subscription and vault', async () => {
    const { store } = tempStore();
    const { result, run } = await collectFromEmulator(emu, store);
    assert.equal(result.complete, true);
    // 2 × 3 vaults × 6 items, plus 2 Backup vaults × (2 instances + 1 deleted instance).
    assert.equal(result.itemCount, 36 + 6);
    assert.deepEqual(store.snapshots.allItems(result.snapshotId).map((i) => i.key), expectedItemKeys(emu));
    // Jobs start 1, 31, 61, ... hours before the base time: six of eight fall in the last 7 days (168 h); plus 2 Backup vault jobs per vault.
    assert.deepEqual(result.records, { item: 42, vault: 8, policy: 18, recoveryPoint: 0, job: 6 * 6 + 2 * 2, inventory: 2 * (18 + 2) });
    const cov = byScope(result.coverage);
    for (const s of emu.estate.subscriptions) assert.equal(cov.get(`subscription:${s.subscriptionId}`)?.status, 'collected');
    for (const v of emu.estate.rsvVaults) assert.deepEqual(cov.get(`vault:${v.id.toLowerCase()}`), { scope: `vault:${v.id.toLowerCase()}`, status: 'collected', error: null, itemCount: 6 });
    for (const b of emu.estate.backupVaults) assert.equal(cov.get(`vault:${b.id.toLowerCase()}`)?.itemCount, 3);
    assert.equal(cov.get('resource-graph:inventory')?.status, 'collected');
    assert.equal(result.coverage.length, 2 + 8 + 1);

    // The items list was paged through absolute nextLinks, and every ARM call carried the bearer token.
    const v1 = emu.estate.rsvVaults[0]!;
    const itemCalls = emu.requests.filter((r) => r.path === `${v1.id}/backupProtectedItems`);
    assert.equal(itemCalls.length, 2);
    assert.ok(itemCalls[1]!.query.$skiptoken, 'second page asked with the skip token of the nextLink');
    assert.ok(emu.requests.filter((r) => r.path.startsWith('/subscriptions') || r.path.startsWith('/providers')).every((r) => r.principal === 'auditor@contoso.example'), 'every ARM call carried the user token');
    assert.ok(run.credential.scopes.every((s) => s === `${emu.url}/.default`), 'every token was asked for the ARM endpoint scope');

    const snap = store.snapshots.detail(result.snapshotId);
    assert.equal(snap.summary.source, 'live');
    assert.equal(snap.summary.complete, true);
    assert.equal(snap.summary.asOf, new Date(emu.estate.baseTimeMs).toISOString());
    const prov = snap.provenance as Record<string, unknown>;
    assert.equal(prov.asOfSource, 'collection');
    assert.deepEqual(prov.principal, { type: 'user', objectId: (prov.principal as { objectId: string }).objectId, userPrincipalName: 'auditor@contoso.example', appId: null, tenantId: emu.estate.tenantId });
    assert.deepEqual(prov.tenants, [emu.estate.tenantId]);
    assert.equal((prov.apiVersions as Record<string, string>)['Microsoft.RecoveryServices (backup)'], '2023-06-01');
    assert.equal((prov.cloud as { armEndpoint: string }).armEndpoint, emu.url);
    assert.deepEqual((prov.options as { include: string[] }).include, ['backup-vaults', 'inventory', 'jobs']);
    // Vault configuration as the service sent it (vault 3 of each subscription is locally redundant in the emulator).
    const config = prov.vaultConfiguration as Record<string, { storageConfig: { storageType: string }; vaultConfig: { softDeleteFeatureState: string }; usages: Array<{ name: string; currentValue: number }> }>;
    const lrs = emu.estate.rsvVaults.find((v) => v.index === 2)!;
    assert.equal(config[lrs.id.toLowerCase()]?.storageConfig.storageType, 'LocallyRedundant');
    assert.equal(config[v1.id.toLowerCase()]?.storageConfig.storageType, 'GeoRedundant');
    assert.equal(config[v1.id.toLowerCase()]?.usages.find((u) => u.name === 'ManagedInstances')?.currentValue, 6);
    // The soft-deleted Backup vault instances are items marked soft-deleted.
    const deleted = store.snapshots.allItems(result.snapshotId).filter((i) => i.softDeleted);
    assert.equal(deleted.length, 2);
    assert.ok(deleted.every((i) => i.vaultKind === 'BackupVault'), 'deleted items are Backup vault instances');
    // Progress: vaults done out of total, ending with all 8.
    const vaultEvents = run.events.filter((e) => e.phase === 'vaults');
    assert.deepEqual(vaultEvents.at(-1), { phase: 'vaults', done: 8, total: 8, message: '42 items so far' });
    store.close();
  });

  it('--all-subscriptions collects every subscription the sign-in can read', async () => {
    const { store } = tempStore();
    const { result } = await collectFromEmulator(emu, store, { subscriptions: 'all', include: new Set() });
    assert.equal(result.complete, true);
    assert.deepEqual(
      result.coverage.filter((c) => c.scope.startsWith('subscription:')).map((c) => c.scope),
      emu.estate.subscriptions.map((s) => `subscription:${s.subscriptionId}`).sort(),
    );
    assert.equal(result.itemCount, 36);
    assert.deepEqual(store.snapshots.detail(result.snapshotId).provenance.subscriptions, emu.estate.subscriptions.map((s) => s.subscriptionId).sort());
    store.close();
  });

  it('collects recovery points per item when asked (one call per item)', async () => {
    const { store } = tempStore();
    const { result } = await collectFromEmulator(emu, store, { include: new Set(['recovery-points']) });
    // 36 RSV items × 2 points; no Backup vaults, jobs or inventory this time.
    assert.deepEqual(result.records, { item: 36, vault: 6, policy: 18, recoveryPoint: 72, job: 0, inventory: 0 });
    const rps = store.snapshots.records(result.snapshotId, 'recoveryPoint');
    const v = emu.estate.rsvVaults[1]!;
    const itemKey = itemKeyFromId(emu.estate.itemIdentity(v, 2).id);
    const ofItem = rps.filter((r) => r.itemKey === itemKey);
    assert.equal(ofItem.length, 2);
    // Points are 3 and 27 hours old; the AFS template keeps its real tiers.
    assert.deepEqual(ofItem.map((r) => r.time).sort(), [new Date(emu.estate.baseTimeMs - 27 * HOUR).toISOString(), new Date(emu.estate.baseTimeMs - 3 * HOUR).toISOString()]);
    store.close();
  });

  it('a vault that answers 403 is recorded as failed with its ARM error; the snapshot is incomplete and the rest is collected', async () => {
    const local = await startArmEmulator({ pageSize: 4 });
    try {
      local.forbidVault('rsv-s1-v002');
      const { store } = tempStore();
      const { result } = await collectFromEmulator(local, store);
      assert.equal(result.complete, false);
      const failed = result.coverage.filter((c) => c.status === 'failed');
      assert.equal(failed.length, 1);
      assert.equal(failed[0]!.scope, vaultScope(local, 'rsv-s1-v002'));
      assert.equal(failed[0]!.error?.code, 'AuthorizationFailed');
      assert.match(failed[0]!.error!.message, /^backupProtectedItems: The client 'auditor@contoso\.example' .* does not have authorization/);
      assert.equal(failed[0]!.itemCount, 0);
      assert.deepEqual(store.snapshots.allItems(result.snapshotId).map((i) => i.key), expectedItemKeys(local, 'rsv-s1-v002'));
      assert.equal(store.snapshots.list()[0]!.complete, false);
      store.close();
    } finally {
      await local.close();
    }
  });

  it('429 (honouring Retry-After) and 5xx are retried; nothing is duplicated and the snapshot is complete', async () => {
    const local = await startArmEmulator({ pageSize: 4 });
    try {
      const v = local.estate.rsvVaults[3]!;
      local.addFault({ match: new RegExp(`^GET ${v.id}/backupProtectedItems$`), status: 429, retryAfter: 7, times: 2 });
      local.addFault({ match: new RegExp(`^GET ${v.id}/backupPolicies$`), status: 503, times: 1 });
      local.addFault({ match: /\/providers\/Microsoft\.RecoveryServices\/vaults$/, status: 500, times: 1 });
      local.addFault({ match: /^POST \/providers\/Microsoft\.ResourceGraph\/resources$/, status: 429, retryAfterMs: 40, times: 1 });
      const { store } = tempStore();
      const { result, run } = await collectFromEmulator(local, store);
      assert.equal(result.complete, true);
      assert.equal(result.itemCount, 42);
      assert.equal(result.duplicates, 0);
      assert.equal(new Set(store.snapshots.allItems(result.snapshotId).map((i) => i.key)).size, 42);
      assert.equal(result.requests.retried, 5);
      assert.equal(result.requests.throttled, 3);
      // Retry-After: 7 (seconds) was honoured twice, x-ms-retry-after-ms: 40 once; the 5xx backed off briefly.
      assert.equal(run.delays.filter((d) => d === 7000).length, 2);
      assert.equal(run.delays.filter((d) => d === 40).length, 1);
      assert.equal(run.delays.length, 5);
      const calls = local.requests.filter((r) => r.path === `${v.id}/backupProtectedItems`).map((r) => r.status);
      assert.deepEqual(calls, [429, 429, 200, 200]);
      store.close();
    } finally {
      await local.close();
    }
  });

  it('a vault still throttled after the retries is recorded as failed (TooManyRequests)', async () => {
    const local = await startArmEmulator({});
    try {
      const v = local.estate.rsvVaults[0]!;
      local.addFault({ match: new RegExp(`^GET ${v.id}/backupPolicies$`), status: 429, retryAfter: 1 });
      const { store } = tempStore();
      const { result, run } = await collectFromEmulator(local, store);
      assert.equal(result.complete, false);
      const entry = result.coverage.find((c) => c.scope === `vault:${v.id.toLowerCase()}`)!;
      assert.equal(entry.status, 'failed');
      assert.equal(entry.error?.code, 'TooManyRequests');
      assert.match(entry.error!.message, /^backupPolicies: The request is being throttled/);
      // 1 try + 3 retries (the test's maxRetries), each after the 1 s Retry-After.
      assert.equal(local.requests.filter((r) => r.path === `${v.id}/backupPolicies`).length, 4);
      assert.deepEqual(run.delays, [1000, 1000, 1000]);
      // Its items were still collected: the failure is about the policies.
      assert.equal(entry.itemCount, 6);
      store.close();
    } finally {
      await local.close();
    }
  });

  it('cancelling part-way writes no snapshot and leaves no temporary files', async () => {
    const local = await startArmEmulator({ vaultsPerSubscription: 6 });
    try {
      const v = local.estate.rsvVaults[4]!;
      local.addFault({ match: new RegExp(`^GET ${v.id}/backupProtectedItems$`), hold: true });
      const { store } = tempStore();
      const spoolDir = tempDir('vp-spool-');
      const controller = new AbortController();
      const running = collect(emulatorOptions(local), {
        store,
        now: () => new Date(local.estate.baseTimeMs),
        user: 'auditor1',
        signal: controller.signal,
        onProgress: () => {},
        credential: emulatorCredential(local),
        sleep: recordingSleep().sleep,
        spoolDir,
      });
      await local.waitForRequest((r) => r.path === `${v.id}/backupProtectedItems`);
      controller.abort();
      await assert.rejects(running, (e: unknown) => e instanceof UserError && e.code === 'CANCELLED');
      assert.deepEqual(store.snapshots.list(), []);
      assert.deepEqual(fs.readdirSync(spoolDir), []);
      assert.equal(store.db.inTransaction, false);
      store.close();
    } finally {
      await local.close();
    }
  });

  it('keeps at most --concurrency requests in flight', async () => {
    const local = await startArmEmulator({ latencyMs: 15, vaultsPerSubscription: 4 });
    try {
      const { store } = tempStore();
      const { result } = await collectFromEmulator(local, store, { concurrency: 3 });
      assert.equal(result.complete, true);
      assert.equal(local.load.peak, 3);
      assert.equal(result.requests.peakInFlight, 3);
      store.close();
    } finally {
      await local.close();
    }
  });

  it('refuses a nextLink that points at another host: the token never leaves the configured endpoint', async () => {
    const local = await startArmEmulator({ pageSize: 4, backupVaultsPerSubscription: 0 });
    try {
      // The nextLinks name another server (`local`, as localhost): it would log any request that reached it.
      const { store } = tempStore();
      const evil = await startArmEmulator({ pageSize: 4, nextLinkOrigin: `https://localhost:${local.port}`, backupVaultsPerSubscription: 0 });
      try {
        const { result } = await collectFromEmulator(evil, store, { include: new Set() });
        assert.equal(result.complete, false);
        const failed = result.coverage.filter((c) => c.status === 'failed');
        assert.equal(failed.length, 6);
        assert.ok(failed.every((c) => c.error?.code === 'DisallowedHost'), 'every failure is DisallowedHost');
        assert.match(failed[0]!.error!.message, /refused to send a request to https:\/\/localhost:\d+: only https:\/\/127\.0\.0\.1:\d+ is configured/);
        assert.equal(local.requests.length, 0);
        assert.ok(evil.requests.every((r) => r.host === `127.0.0.1:${evil.port}`));
      } finally {
        await evil.close();
      }
      store.close();
    } finally {
      await local.close();
    }
  });

  it('the Resource Graph fast path reads every item, vault, policy and job in pages of 1,000 rows, with no call per vault', async () => {
    const local = await startArmEmulator({ itemsPerVault: 200 });
    try {
      const { store } = tempStore();
      const { result } = await collectFromEmulator(local, store, { itemsVia: 'resource-graph' });
      assert.equal(result.complete, true);
      // 6 vaults × 200 items + 4 Backup vault instances (deleted instances are not in Resource Graph);
      // all 6 jobs of each vault that Resource Graph holds, and the 4 Backup vault jobs; 2 × (600 workloads + 2 unprotected VMs).
      assert.deepEqual(result.records, { item: 1204, vault: 8, policy: 18, recoveryPoint: 0, job: 40, inventory: 1204 });
      const graph = local.requests.filter((r) => r.method === 'POST');
      const bodies = graph.map((r) => r.body as { query: string; subscriptions: string[]; options: { $top: number; $skipToken?: string } });
      assert.ok(bodies.every((b) => b.options.$top === 1000 && b.subscriptions.length === 2), 'pages of 1,000 rows over both subscriptions');
      const itemPages = bodies.filter((b) => b.query.startsWith('RecoveryServicesResources') && b.query.includes('protecteditems'));
      assert.equal(itemPages.length, 2);
      assert.equal(itemPages[0]!.options.$skipToken, undefined);
      assert.ok(itemPages[1]!.options.$skipToken, 'second page sent the skip token');
      // vaults 1 page, items 2, policies and jobs 1, inventory 2.
      assert.equal(graph.length, 6);
      assert.equal(local.requests.filter((r) => r.path.includes('/vaults/') || r.path.includes('/backupVaults/')).length, 0);
      const cov = byScope(result.coverage);
      assert.equal(cov.get(`vault:${local.estate.rsvVaults[0]!.id.toLowerCase()}`)?.itemCount, 200);
      assert.equal(cov.get(`vault:${local.estate.backupVaults[0]!.id.toLowerCase()}`)?.itemCount, 2);
      assert.ok(result.warnings.some((w) => /deleted \(soft-deleted\) Backup vault instances/.test(w)), 'the fast path says what it cannot collect');
      store.close();
    } finally {
      await local.close();
    }
  });

  it('the fast path marks a subscription the sign-in cannot see as failed instead of silently empty', async () => {
    const { store } = tempStore();
    const missing = '0b0b0b0b-0000-4000-8000-000000000000';
    const { result } = await collectFromEmulator(emu, store, { itemsVia: 'resource-graph', subscriptions: [emu.estate.subscriptions[0]!.subscriptionId, missing], include: new Set() });
    assert.equal(result.complete, false);
    const cov = byScope(result.coverage);
    assert.equal(cov.get(`subscription:${missing}`)?.error?.code, 'SubscriptionNotFound');
    assert.equal(cov.get(`subscription:${emu.estate.subscriptions[0]!.subscriptionId}`)?.status, 'collected');
    assert.equal(result.itemCount, 18 + 2);
    store.close();
  });

  it('Backup vaults that cannot be listed fail their subscription but keep its Recovery Services vaults; an unregistered provider means none', async () => {
    const local = await startArmEmulator({});
    try {
      const [s1, s2] = local.estate.subscriptions;
      local.addFault({ match: new RegExp(`^GET /subscriptions/${s1!.subscriptionId}/providers/Microsoft\\.DataProtection/backupVaults$`), status: 403 });
      local.addFault({ match: new RegExp(`^GET /subscriptions/${s2!.subscriptionId}/providers/Microsoft\\.DataProtection/backupVaults$`), status: 409, code: 'MissingSubscriptionRegistration', message: "The subscription is not registered to use namespace 'Microsoft.DataProtection'." });
      const { store } = tempStore();
      const { result } = await collectFromEmulator(local, store, { include: new Set(['backup-vaults']) });
      const cov = byScope(result.coverage);
      const sub1 = cov.get(`subscription:${s1!.subscriptionId}`)!;
      assert.equal(sub1.status, 'failed');
      assert.equal(sub1.error?.code, 'AuthorizationFailed');
      assert.match(sub1.error!.message, /^listing Backup vaults: The client/);
      assert.equal(cov.get(`subscription:${s2!.subscriptionId}`)?.status, 'collected');
      assert.ok(result.warnings.some((w) => w.includes('MissingSubscriptionRegistration')), 'the unregistered provider is reported');
      // All 6 Recovery Services vaults and their 36 items are in; no Backup vault was listed.
      assert.equal(result.records.vault, 6);
      assert.equal(result.itemCount, 36);
      assert.equal(result.complete, false);
      store.close();
    } finally {
      await local.close();
    }
  });

  it('a sign-in failure is a user error and stores nothing', async () => {
    const { store } = tempStore();
    const broken = { getToken: () => Promise.reject(new Error('AADSTS700016: Application not found')) };
    await assert.rejects(
      collect(emulatorOptions(emu), { store, now: () => new Date(), user: 'u', signal: new AbortController().signal, onProgress: () => {}, credential: broken }),
      (e: unknown) => e instanceof UserError && e.code === 'BAD_INPUT' && /sign-in failed \(cli\): AADSTS700016/.test(e.message),
    );
    assert.deepEqual(store.snapshots.list(), []);
    store.close();
  });
});
