/**
 * One live collection: sign in, resolve the scope, collect every vault with
 * bounded concurrency (or the Resource Graph fast path), and write one
 * snapshot exactly as an import does — same normaliser, same writers, same
 * content hash for the same payloads — with coverage and provenance. A big
 * collection's records are written while the network is still busy (see
 * feed.ts), in one transaction that commits only when the collection ends.
 * A cancelled or failed run writes nothing.
 */
import { setMaxListeners } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { createRequire } from 'node:module';
import type { TokenCredential } from '@azure/identity';
import type { Progress } from '../../../shared/contract/events.ts';
import type { CollectInclude, CollectResult } from '../../../shared/contract/methods/collect.ts';
import { kitApiVersions } from '../../../shared/domain/collection-kit.ts';
import { canonicalArmId, vaultIdOf } from '../../../shared/domain/keys.ts';
import type { CoverageEntry, Provenance } from '../../../shared/domain/types.ts';
import { toolVersion } from '../version.ts';
import { cancelledError, throwIfCancelled } from '../cancel.ts';
import { badInput, UserError } from '../errors.ts';
import type { Store } from '../store/store.ts';
import { createClients, keep, normaliseAll, type RunCounts, type RunContext, type VaultDetails } from './context.ts';
import { createSignIn, principalFromToken, type Principal, type SignInSpec } from './credentials.ts';
import { collectBackupVault, dataProtectionApiVersion, listBackupVaults } from './dpp.ts';
import { authorizationApiVersion, collectAccess } from './access.ts';
import { alertsManagementApiVersion, collectAlerts, insightsApiVersion } from './alerts.ts';
import { collectInventory, collectPolicyStates, graphQueries, graphQuery, resourceGraphApiVersion } from './graph.ts';
import { backupPolicyDefinitions } from '../policy/definitions.ts';
import { ArmCallError, armErrorOf, createHttpSetup, defaultRetry, discoverAudience, isAbort, type RetrySettings } from './http.ts';
import { Limiter, mapLimit } from './limiter.ts';
import { collectRsvVault, listRsvVaults, type VaultRef } from './rsv.ts';
import { RecordSpool } from './spool.ts';
import { SnapshotFeed } from './feed.ts';

const require = createRequire(import.meta.url);
function pkgVersion(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export const subscriptionsApiVersion = '2022-12-01';

/**
 * Spooled records from which the snapshot is written by the parallel writer: the importer's threshold
 * and variable (bytes of JSON), counted as records of about 2 kB each (an ARM list element as received).
 */
function parallelWriteThreshold(): number {
  const env = Number(process.env.VAULTPROOF_PARALLEL_THRESHOLD);
  return Math.ceil((Number.isFinite(env) && env >= 0 ? env : 8 * 1024 * 1024) / 2048);
}

export type CloudSettings = {
  name: string;
  authorityHost: string;
  armEndpoint: string;
  /** null: ask the ARM endpoint's metadata, else `<armEndpoint>/.default`. */
  tokenScope: string | null;
  /** Extra CA certificates (PEM), trusted in addition to the system roots. */
  extraCa: string[];
  caFile: string | null;
  custom: boolean;
};

export type CollectOptions = {
  subscriptions: string[] | 'all';
  tenantId: string | undefined;
  cloud: CloudSettings;
  auth: Pick<SignInSpec, 'auth' | 'clientId' | 'clientSecret' | 'clientCertificatePath'>;
  include: ReadonlySet<CollectInclude>;
  jobsDays: number;
  concurrency: number;
  itemsVia: 'arm' | 'resource-graph';
  label: string | null;
};

export type CollectDeps = {
  store: Store;
  now: () => Date;
  user: string;
  signal: AbortSignal;
  onProgress?: Progress;
  /** A ready credential (tests); otherwise one is built from options.auth. */
  credential?: TokenCredential;
  /** Where browser / device sign-in keeps its AuthenticationRecord. */
  authRecordDir?: string;
  retry?: Partial<RetrySettings>;
  /** Back-off clock (tests pass one that records the delay and returns at once). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  requestTimeoutMs?: number;
  spoolDir?: string;
  /**
   * Write the snapshot only after the network phase, as collections did before the write overlapped
   * it (the bench's sequential baseline: the same requests one at a time, followed by the same write).
   */
  writeAfterNetwork?: boolean;
  /** Records handed to the snapshot writer so far (tests and the bench watch the write overlap the network). */
  onWritten?: (records: number) => void;
};

const CANCELLED = 'collection cancelled; nothing was stored';

function scopeFromAudience(aud: string): string {
  return aud.endsWith('/') ? `${aud}.default` : `${aud}/.default`;
}

export async function collect(opts: CollectOptions, deps: CollectDeps): Promise<CollectResult> {
  // One signal for the whole run: every request and waiter listens to it, far more than the default 10 listeners.
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const onOuterAbort = () => controller.abort(deps.signal.reason);
  if (deps.signal.aborted) controller.abort(deps.signal.reason);
  else deps.signal.addEventListener('abort', onOuterAbort, { once: true });
  try {
    return await collectRun(opts, { ...deps, signal: controller.signal }, (e) => controller.abort(e));
  } finally {
    deps.signal.removeEventListener('abort', onOuterAbort);
  }
}

async function collectRun(opts: CollectOptions, deps: CollectDeps, stop: (reason: Error) => void): Promise<CollectResult> {
  const started = deps.now();
  const { signal } = deps;
  const t0 = performance.now();
  const warnings: string[] = [];
  const ca = opts.cloud.extraCa.length > 0 ? [...tls.rootCertificates, ...opts.cloud.extraCa] : undefined;
  const onProgress: Progress = (e) => deps.onProgress?.(e);

  // 1. Sign in (fails fast, before any collection work).
  let tokenScope = opts.cloud.tokenScope;
  if (!tokenScope) {
    onProgress({ phase: 'sign-in', done: 0, total: null, message: `asking ${opts.cloud.armEndpoint} for its token audience` });
    const aud = opts.cloud.custom ? await discoverAudience(opts.cloud.armEndpoint, ca, signal) : null;
    tokenScope = scopeFromAudience(aud ?? opts.cloud.armEndpoint);
  }
  let credential = deps.credential;
  let principal: Principal;
  onProgress({ phase: 'sign-in', done: 0, total: null, message: `signing in (${opts.auth.auth})` });
  try {
    let token: string;
    if (credential) {
      const t = await credential.getToken(tokenScope, { abortSignal: signal, enableCae: true });
      if (!t) throw badInput(`the credential returned no token for ${tokenScope}`);
      token = t.token;
    } else {
      const signIn = createSignIn({
        ...opts.auth,
        tenantId: opts.tenantId,
        authorityHost: opts.cloud.authorityHost,
        disableInstanceDiscovery: opts.cloud.custom,
        ca,
        onDeviceCode: (message) => onProgress({ phase: 'sign-in', done: 0, total: null, message }),
        ...(deps.authRecordDir ? { authRecordDir: deps.authRecordDir } : {}),
      });
      credential = signIn.credential;
      token = await signIn.signIn(tokenScope, signal);
    }
    principal = principalFromToken(token);
  } catch (e) {
    throwIfCancelled(signal, CANCELLED);
    if (e instanceof UserError) throw e;
    throw badInput(`sign-in failed (${opts.auth.auth}): ${(e as Error).message}`);
  }

  const tSignedIn = performance.now();
  const http = createHttpSetup({
    armEndpoint: opts.cloud.armEndpoint,
    tokenScope,
    credential,
    ca,
    limiter: new Limiter(opts.concurrency),
    retry: { ...defaultRetry, ...deps.retry },
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    ...(deps.requestTimeoutMs ? { requestTimeoutMs: deps.requestTimeoutMs } : {}),
  });
  const spool = new RecordSpool(deps.spoolDir);
  const progress: RunCounts = { vaultsDone: 0, vaultsTotal: 0, items: 0, lastEmit: 0 };
  const ctx: RunContext = {
    http,
    spool,
    signal,
    include: opts.include,
    concurrency: opts.concurrency,
    jobsWindow: { from: new Date(started.getTime() - opts.jobsDays * 24 * 3600_000), to: started },
    warnings,
    vaultDetails: new Map<string, VaultDetails>(),
    progress,
    onProgress,
    skipped: new Map(),
    ...createClients(http),
  };
  const coverage: CoverageEntry[] = [];
  // Records flow from the spool into the snapshot transaction while requests are still in flight.
  const feed = new SnapshotFeed({
    store: deps.store,
    spool,
    threshold: parallelWriteThreshold(),
    now: () => deps.now().getTime(),
    ...(deps.onWritten ? { onWritten: deps.onWritten } : {}),
    // A writer that fails stops the network at once; its error, not "cancelled", is what the user sees.
    onFailure: (e) => stop(e),
  });
  if (!deps.writeAfterNetwork) feed.start();
  try {
    // 2. Scope.
    onProgress({ phase: 'subscriptions', done: 0, total: null, message: opts.subscriptions === 'all' ? 'listing readable subscriptions' : `${opts.subscriptions.length} subscription(s) given` });
    let subscriptions: string[];
    let visible: Set<string> | null = null;
    if (opts.subscriptions === 'all' || opts.itemsVia === 'resource-graph') {
      const listed: string[] = [];
      try {
        for await (const page of ctx.rest.pages(`/subscriptions?api-version=${subscriptionsApiVersion}`, signal)) {
          for (const s of page.value) {
            const id = (s as { subscriptionId?: unknown } | null)?.subscriptionId;
            if (typeof id === 'string') listed.push(id);
          }
        }
      } catch (e) {
        if (signal.aborted) throw e;
        const err = armErrorOf(e);
        throw badInput(`cannot list the subscriptions this sign-in can read: ${err.code}: ${err.message}`);
      }
      visible = new Set(listed.map((s) => s.toLowerCase()));
      subscriptions = opts.subscriptions === 'all' ? listed : opts.subscriptions;
      if (subscriptions.length === 0) throw badInput(`the signed-in principal (${principal.userPrincipalName ?? principal.appId ?? principal.objectId ?? 'unknown'}) can read no subscription${opts.tenantId ? ` in tenant ${opts.tenantId}` : ''}`);
    } else {
      subscriptions = opts.subscriptions;
    }
    subscriptions = [...new Map(subscriptions.map((s) => [s.toLowerCase(), s])).values()];

    // 3. Vaults and their contents.
    if (opts.itemsVia === 'arm') await collectViaArm(ctx, subscriptions, coverage);
    else await collectViaResourceGraph(ctx, subscriptions, visible ?? new Set(), coverage);

    // 4. Workload inventory.
    const collectedSubs = coverage.filter((c) => c.scope.startsWith('subscription:') && c.status === 'collected').map((c) => c.scope.slice('subscription:'.length));
    if (opts.include.has('inventory') && collectedSubs.length > 0) {
      try {
        await collectInventory(ctx, collectedSubs);
        coverage.push({ scope: 'resource-graph:inventory', status: 'collected', error: null });
      } catch (e) {
        if (signal.aborted) throw e;
        const err = armErrorOf(e);
        spool.drop('resource-graph|inventory');
        coverage.push({ scope: 'resource-graph:inventory', status: 'failed', error: { code: err.code, message: `workload inventory: ${err.message}` } });
      }
    }
    // 5. Access: role assignments and custom roles per collected subscription (include "access").
    if (opts.include.has('access')) {
      await mapLimit(
        collectedSubs,
        ctx.concurrency,
        async (sub) => {
          try {
            coverage.push(await collectAccess(ctx, sub));
          } catch (e) {
            if (signal.aborted) throw e;
            const err = armErrorOf(e);
            spool.drop(`access:${sub.toLowerCase()}|roleAssignments`);
            spool.drop(`access:${sub.toLowerCase()}|roleDefinitions`);
            coverage.push({ scope: `access:subscription:${sub.toLowerCase()}`, status: 'failed', error: { code: err.code, message: `role assignments: ${err.message}` } });
          }
        },
        signal,
      );
    }
    // 6. Alert routing: action groups and alert processing rules per collected subscription (include "alerts").
    if (opts.include.has('alerts')) {
      await mapLimit(
        collectedSubs,
        ctx.concurrency,
        async (sub) => {
          try {
            coverage.push(await collectAlerts(ctx, sub));
          } catch (e) {
            if (signal.aborted) throw e;
            const err = armErrorOf(e);
            spool.drop(`alerts:${sub.toLowerCase()}|actionGroups`);
            spool.drop(`alerts:${sub.toLowerCase()}|alertProcessingRules`);
            coverage.push({ scope: `alerts:subscription:${sub.toLowerCase()}`, status: 'failed', error: { code: err.code, message: `alert routing: ${err.message}` } });
          }
        },
        signal,
      );
    }
    // 7. Azure Policy: compliance states of the backup definitions, all collected subscriptions in one paged query (include "policy").
    if (opts.include.has('policy') && collectedSubs.length > 0) {
      try {
        await collectPolicyStates(ctx, collectedSubs, backupPolicyDefinitions().keys());
        coverage.push({ scope: 'resource-graph:policy-states', status: 'collected', error: null });
      } catch (e) {
        if (signal.aborted) throw e;
        const err = armErrorOf(e);
        spool.drop('resource-graph|policyStates');
        coverage.push({ scope: 'resource-graph:policy-states', status: 'failed', error: { code: err.code, message: `Azure Policy states: ${err.message}` } });
      }
    }
    throwIfCancelled(signal, CANCELLED);

    for (const [source, n] of ctx.skipped) warnings.push(`${source}: skipped ${n} object(s) that are not backup data`);
    const ended = deps.now();
    const complete = coverage.every((c) => c.status === 'collected');

    // 8. Write the rest of the snapshot (most of a big one is written already) and commit.
    onProgress({ phase: 'writing', done: 0, total: null, message: 'writing the snapshot' });
    const tWrite = performance.now();
    spool.finish();
    const writer = await feed.drainAll(ended.getTime());
    const dropped = feed.duplicates;
    const counts = feed.counts;
    if (dropped > 0) warnings.push(`${dropped} record(s) were received twice and kept once`);
    const provenance: Provenance = {
      toolVersion,
      source: 'live',
      user: deps.user,
      createdAt: ended.toISOString(),
      asOfSource: 'collection',
      tenants: [...new Set([principal.tenantId, opts.tenantId].filter((t): t is string => !!t).map((t) => t.toLowerCase()))].sort(),
      subscriptions: subscriptions.map((s) => s.toLowerCase()).sort(),
      principal,
      cloud: {
        name: opts.cloud.name,
        authorityHost: opts.cloud.authorityHost,
        armEndpoint: opts.cloud.armEndpoint,
        tokenScope,
        extraCaFile: opts.cloud.caFile,
        extraCaCertificates: opts.cloud.extraCa.length,
      },
      endpoints: { arm: opts.cloud.armEndpoint, authority: opts.cloud.authorityHost, resourceGraph: `${opts.cloud.armEndpoint}/providers/Microsoft.ResourceGraph/resources` },
      apiVersions: {
        'Microsoft.RecoveryServices (backup)': ctx.backup(subscriptions[0] ?? '00000000-0000-0000-0000-000000000000').apiVersion,
        'Microsoft.RecoveryServices (vaults)': ctx.vaults(subscriptions[0] ?? '00000000-0000-0000-0000-000000000000').apiVersion,
        'Microsoft.ResourceGraph': resourceGraphApiVersion,
        'Microsoft.DataProtection': dataProtectionApiVersion,
        'Microsoft.Resources (subscriptions)': subscriptionsApiVersion,
        ...(opts.include.has('access') ? { 'Microsoft.Authorization': authorizationApiVersion } : {}),
        ...(opts.include.has('alerts') ? { 'Microsoft.Insights (action groups)': insightsApiVersion, 'Microsoft.AlertsManagement': alertsManagementApiVersion } : {}),
      },
      sdk: Object.fromEntries(['@azure/identity', '@azure/arm-recoveryservicesbackup', '@azure/arm-recoveryservices', '@azure/arm-resourcegraph', '@azure/core-client', '@azure/core-rest-pipeline'].map((p) => [p, pkgVersion(p)])),
      options: {
        subscriptions: opts.subscriptions === 'all' ? 'all' : opts.subscriptions,
        tenantId: opts.tenantId ?? null,
        auth: opts.auth.auth,
        clientId: opts.auth.clientId ?? null,
        include: [...opts.include].sort(),
        jobsDays: opts.jobsDays,
        concurrency: opts.concurrency,
        itemsVia: opts.itemsVia,
      },
      startedAt: started.toISOString(),
      endedAt: ended.toISOString(),
      requests: { total: http.stats.total, retried: http.stats.retried, throttled: http.stats.throttled, peakInFlight: http.limiter.peak },
      vaultConfiguration: Object.fromEntries(ctx.vaultDetails),
      warnings,
    };
    onProgress({ phase: 'writing', done: feed.written, total: feed.written, message: `${feed.written} records written (${feed.writtenDuringNetwork} while collecting); committing` });
    const summary = await writer.commitAsync({ label: opts.label, createdAt: ended.toISOString(), asOf: started.toISOString(), source: 'live', complete, provenance, coverage });
    feed.committed();
    // collectMs: the network phase (most of a big snapshot is written during it); writeMs: what is left after it.
    const timings = { signInMs: Math.round(tSignedIn - t0), collectMs: Math.round(tWrite - tSignedIn), writeMs: Math.round(performance.now() - tWrite) };
    onProgress({ phase: 'done', done: counts.item ?? 0, total: counts.item ?? 0, message: complete ? 'complete' : 'INCOMPLETE: some scopes failed (see coverage)' });
    return {
      snapshotId: summary.id,
      itemCount: summary.itemCount,
      contentHash: summary.contentHash,
      asOf: summary.asOf,
      complete,
      coverage,
      records: counts,
      duplicates: dropped,
      requests: { total: http.stats.total, retried: http.stats.retried, throttled: http.stats.throttled, peakInFlight: http.limiter.peak },
      startedAt: started.toISOString(),
      endedAt: ended.toISOString(),
      timings,
      warnings,
    };
  } catch (e) {
    feed.abort();
    if (feed.failure) throw feed.failure;
    if (signal.aborted || (isAbort(e) && !(e instanceof ArmCallError))) throw cancelledError(CANCELLED);
    throw e;
  } finally {
    spool.dispose();
  }
}

/** ARM answers these when a resource provider is not registered in a subscription: it then has no such vaults. */
const notRegistered = new Set(['MissingSubscriptionRegistration', 'NoRegisteredProviderFound', 'SubscriptionNotRegistered']);

async function collectViaArm(ctx: RunContext, subscriptions: string[], coverage: CoverageEntry[]): Promise<void> {
  const vaults: VaultRef[] = [];
  await mapLimit(
    subscriptions,
    ctx.concurrency,
    async (sub) => {
      const failures: string[] = [];
      let code = '';
      const list = async (what: string, group: string, fn: () => Promise<VaultRef[]>) => {
        try {
          vaults.push(...(await fn()));
          ctx.spool.seal(`subscription:${sub}|${group}`);
        } catch (e) {
          if (ctx.signal.aborted) throw e;
          const err = armErrorOf(e);
          ctx.spool.drop(`subscription:${sub}|${group}`);
          if (notRegistered.has(err.code)) {
            ctx.warnings.push(`subscription ${sub}: ${what}: ${err.code} (the resource provider is not registered, so it holds none)`);
            return;
          }
          code ||= err.code;
          failures.push(`listing ${what}: ${err.message}`);
        }
      };
      // Each kind of vault on its own: a subscription whose Backup vaults cannot be listed still has its Recovery Services vaults collected.
      await list('Recovery Services vaults', 'rsv-vaults', () => listRsvVaults(ctx, sub));
      if (ctx.include.has('backup-vaults')) await list('Backup vaults', 'backup-vaults', () => listBackupVaults(ctx, sub));
      coverage.push(
        failures.length === 0
          ? { scope: `subscription:${sub.toLowerCase()}`, status: 'collected', error: null }
          : { scope: `subscription:${sub.toLowerCase()}`, status: 'failed', error: { code, message: failures.join('; ') } },
      );
      ctx.onProgress({ phase: 'subscriptions', done: coverage.length, total: subscriptions.length, message: `${vaults.length} vaults found` });
    },
    ctx.signal,
  );
  coverage.sort((a, b) => (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0));
  // Big vaults first would balance better, but the size is unknown until listed; keep a stable order.
  vaults.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  ctx.progress.vaultsTotal = vaults.length;
  ctx.onProgress({ phase: 'vaults', done: 0, total: vaults.length, message: `${vaults.length} vaults to collect` });
  const entries = await mapLimit(
    vaults,
    ctx.concurrency,
    async (v) => {
      const entry = v.kind === 'rsv' ? await collectRsvVault(ctx, v) : await collectBackupVault(ctx, v);
      ctx.progress.vaultsDone++;
      ctx.progress.lastEmit = Date.now();
      ctx.onProgress({ phase: 'vaults', done: ctx.progress.vaultsDone, total: ctx.progress.vaultsTotal, message: `${ctx.progress.items} items so far` });
      return entry;
    },
    ctx.signal,
  );
  coverage.push(...entries);
}

async function collectViaResourceGraph(ctx: RunContext, subscriptions: string[], visible: Set<string>, coverage: CoverageEntry[]): Promise<void> {
  const readable = subscriptions.filter((s) => visible.has(s.toLowerCase()));
  for (const s of subscriptions) {
    if (!visible.has(s.toLowerCase())) {
      coverage.push({ scope: `subscription:${s.toLowerCase()}`, status: 'failed', error: { code: 'SubscriptionNotFound', message: `subscription ${s} is not visible to this sign-in (not found or no read access)` } });
    }
  }
  if (readable.length === 0) return;
  const vaultCounts = new Map<string, number>();
  const rsvItems: string[] = [];
  const dppItems: string[] = [];
  let rows = 0;
  const onRecords = (group: string) => (records: Parameters<typeof keep>[2]) => {
    keep(ctx, group, records);
    for (const r of records) {
      if (r.type === 'vault') vaultCounts.set(r.key, vaultCounts.get(r.key) ?? 0);
      if (r.type === 'item' && r.data.vaultKey) {
        vaultCounts.set(r.data.vaultKey, (vaultCounts.get(r.data.vaultKey) ?? 0) + 1);
        if (ctx.include.has('recovery-points')) (r.data.vaultKind === 'BackupVault' ? dppItems : rsvItems).push(r.data.id);
      }
    }
    rows += records.length;
    ctx.onProgress({ phase: 'resource-graph', done: rows, total: null, message: `${rows} rows` });
  };
  try {
    await graphQuery(ctx, graphQueries.vaults, readable, onRecords('resource-graph|vaults'));
    await graphQuery(ctx, graphQueries.protectedItems, readable, onRecords('resource-graph|items'));
    await graphQuery(ctx, ctx.include.has('jobs') ? graphQueries.policiesAndJobs : graphQueries.policies, readable, onRecords('resource-graph|policies'));
  } catch (e) {
    if (ctx.signal.aborted) throw e;
    const err = armErrorOf(e);
    for (const g of ['resource-graph|vaults', 'resource-graph|items', 'resource-graph|policies']) ctx.spool.drop(g);
    for (const s of readable) coverage.push({ scope: `subscription:${s.toLowerCase()}`, status: 'failed', error: { code: err.code, message: `Resource Graph: ${err.message}` } });
    return;
  }
  for (const s of readable) coverage.push({ scope: `subscription:${s.toLowerCase()}`, status: 'collected', error: null });
  ctx.warnings.push('Resource Graph fast path: deleted (soft-deleted) Backup vault instances and vault configuration details are not in Resource Graph and were not collected');
  const rpFailures = new Map<string, { code: string; message: string }>();
  if (ctx.include.has('recovery-points')) {
    const ids = [...rsvItems.map((id) => ({ id, api: kitApiVersions.recoveryServicesBackup })), ...dppItems.map((id) => ({ id, api: dataProtectionApiVersion }))];
    let done = 0;
    await mapLimit(
      ids,
      ctx.concurrency,
      async ({ id, api }) => {
        const vaultId = vaultIdOf(id);
        const vaultKey = vaultId ? canonicalArmId(vaultId) : 'unknown-vault';
        try {
          for await (const page of ctx.rest.pages(`${id}/recoveryPoints?api-version=${api}`, ctx.signal)) keep(ctx, `${vaultKey}|recoveryPoints`, normaliseAll(ctx, 'recoveryPoints', page.value));
        } catch (e) {
          if (ctx.signal.aborted) throw e;
          const err = armErrorOf(e);
          if (!rpFailures.has(vaultKey)) rpFailures.set(vaultKey, { code: err.code, message: `recoveryPoints: ${id.split('/').pop()}: ${err.message}` });
          ctx.spool.drop(`${vaultKey}|recoveryPoints`);
        }
        if (++done % 100 === 0) ctx.onProgress({ phase: 'recovery-points', done, total: ids.length });
      },
      ctx.signal,
    );
  }
  for (const [key, n] of [...vaultCounts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const f = rpFailures.get(key);
    coverage.push(f ? { scope: `vault:${key}`, status: 'failed', error: f, itemCount: n } : { scope: `vault:${key}`, status: 'collected', error: null, itemCount: n });
  }
}

/** Reads an extra CA file (PEM, one or more certificates) and checks it holds at least one certificate. */
export function readCaFile(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw badInput(`${file}: cannot read the CA file: ${(e as Error).message}`, { file });
  }
  const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (pems.length === 0) throw badInput(`${file}: holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)`, { file });
  return pems.map((p) => `${p}\n`);
}

export function authRecordDirFor(storePath: string): string {
  return path.join(path.dirname(storePath), 'auth');
}
