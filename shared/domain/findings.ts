/**
 * The reference findings evaluation. Every rule is judged at the snapshot's
 * asOf (passed in), never at the wall clock. A rule whose inputs the snapshot
 * lacks is reported in `notEvaluated` with the reason, never as zero
 * findings. Exceptions mark findings `excepted` until they expire; an
 * excepted finding is still listed.
 *
 * Items may be streamed (any Iterable): the store's fast path feeds rows
 * straight from SQL into this same function.
 */
import { criticalityFor, exceptionHolds, holdingException, ownerFor, restoreTestsFor } from './annotationLookup.ts';
import type { AnnotationIndex } from './annotations.ts';
import { itemTarget, resourceTarget } from './annotations.ts';
import { canonicalArmId } from './keys.ts';
import type { AuditProfile, Severity } from './profile.ts';
import { severityRank } from './profile.ts';
import type { RuleId } from './findingsRules.ts';
import { ruleIds, rules } from './findingsRules.ts';
import type { BackupItem, InventoryRecord, PolicyRecord, VaultRecord } from './types.ts';
import { DAY, HOUR, addDaysIso, failedStatuses, jobNameKey, lower, ms, policyIntervalHours, resourceTypeOf, sourceResourceGroup, stateClass, tagMatches, unhealthyHealth } from './findingsFacts.ts';

export { configuredTimesFromJobs, jobNameKey, policyIntervalHours, stateClass } from './findingsFacts.ts';

export type FindingsItem = Pick<
  BackupItem,
  | 'key'
  | 'name'
  | 'vaultKey'
  | 'vaultName'
  | 'vaultKind'
  | 'subscriptionId'
  | 'workloadType'
  | 'protectionState'
  | 'protectionStatus'
  | 'healthStatus'
  | 'protectedItemHealthStatus'
  | 'lastBackupStatus'
  | 'lastBackupTime'
  | 'neverBackedUp'
  | 'lastRecoveryPoint'
  | 'recoveryPointCount'
  | 'softDeleted'
  | 'deferredDeleteTime'
  | 'softDeleteRetentionDays'
  | 'policyId'
  | 'policyName'
  | 'sourceResourceKey'
  | 'tags'
>;
export type FindingsVault = Pick<VaultRecord, 'key' | 'name' | 'storageRedundancy' | 'crossRegionRestore' | 'softDeleteState' | 'immutabilityState'>;
export type FindingsPolicy = Pick<
  PolicyRecord,
  'key' | 'name' | 'vaultKey' | 'scheduleFrequency' | 'scheduleIntervalHours' | 'dailyRetentionDays' | 'weeklyRetentionWeeks' | 'monthlyRetentionMonths' | 'yearlyRetentionYears'
>;
export type FindingsInventory = Pick<InventoryRecord, 'key' | 'name' | 'type' | 'kind' | 'subscriptionId' | 'resourceGroup' | 'tags'>;

export type FindingsInput = {
  asOf: string;
  profile: AuditProfile;
  profileHash: string;
  items: Iterable<FindingsItem>;
  vaults: readonly FindingsVault[];
  policies: readonly FindingsPolicy[];
  inventory: readonly FindingsInventory[];
  /** When protection was configured, per item key (ConfigureBackup jobs); null when the snapshot holds no job records. */
  protectionConfiguredAt: ReadonlyMap<string, string> | null;
  annotations: AnnotationIndex;
};

export type Finding = {
  rule: RuleId;
  severity: Severity;
  key: string;
  target: string;
  title: string;
  controls: string[];
  evidence: Record<string, unknown>;
  excepted: boolean;
  exception: { id: string; expires: string; approver: string; ticket: string | null; justification: string } | null;
};

export type FindingsReport = {
  asOf: string;
  profileHash: string;
  profile: { name: string; version: string };
  findings: Finding[];
  notEvaluated: Array<{ rule: RuleId; reason: string }>;
  /** Where a rule ran on an assumption or skipped some inputs, it says so here. */
  assumptions: Array<{ rule: RuleId; note: string }>;
  counts: { total: number; excepted: number; bySeverity: Record<Severity, number>; byRule: Partial<Record<RuleId, number>> };
  itemCount: number;
};

function baseOf(it: FindingsItem): { name: string; vault: string | null; protectionState: string | null } {
  return { name: it.name, vault: it.vaultName, protectionState: it.protectionState };
}

/** The retention periods below the profile's minimum, or null when none is. */
function retentionShortfall(policy: FindingsPolicy, min: AuditProfile['minRetention']): Record<string, { actual: number | null; minimum: number }> | null {
  let short: Record<string, { actual: number | null; minimum: number }> | null = null;
  const pairs: Array<[string, number | null, number | null]> = [
    ['dailyDays', policy.dailyRetentionDays, min.dailyDays],
    ['weeklyWeeks', policy.weeklyRetentionWeeks, min.weeklyWeeks],
    ['monthlyMonths', policy.monthlyRetentionMonths, min.monthlyMonths],
    ['yearlyYears', policy.yearlyRetentionYears, min.yearlyYears],
  ];
  for (const [label, actual, minimum] of pairs) {
    if (minimum !== null && (actual === null || actual < minimum)) (short ??= {})[label] = { actual, minimum };
  }
  return short;
}

/**
 * Most severe first, then in rule-catalogue order, then by key. Each rule has
 * one severity, so this is a concatenation of per-rule lists; a list is only
 * sorted when it is not already in key order (items usually arrive in key order).
 */
function orderFindings(findings: Finding[], severityOf: (rule: RuleId) => Severity): Finding[] {
  const byRule = new Map<RuleId, Finding[]>();
  for (const f of findings) {
    const list = byRule.get(f.rule);
    if (list) list.push(f);
    else byRule.set(f.rule, [f]);
  }
  const rulesInOrder = ruleIds.filter((r) => byRule.has(r)).sort((a, b) => severityRank[severityOf(b)] - severityRank[severityOf(a)] || ruleIds.indexOf(a) - ruleIds.indexOf(b));
  const out: Finding[] = [];
  for (const r of rulesInOrder) {
    const list = byRule.get(r)!;
    let inOrder = true;
    for (let i = 1; i < list.length && inOrder; i++) if (list[i - 1]!.key > list[i]!.key) inOrder = false;
    if (!inOrder) list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const f of list) out.push(f);
  }
  return out;
}

export function evaluateFindings(input: FindingsInput): FindingsReport {
  const { profile, annotations } = input;
  const asOfMs = Date.parse(input.asOf);
  if (Number.isNaN(asOfMs)) throw new Error(`asOf is not a time: ${input.asOf}`);
  const disabled = new Set(profile.disabledRules);
  const findings: Finding[] = [];
  const notEvaluated = new Map<RuleId, string>();
  const assumptions: Array<{ rule: RuleId; note: string }> = [];
  const severityOf = (rule: RuleId): Severity => (profile.severities[rule] as Severity | undefined) ?? rules[rule].defaultSeverity;
  const on = (rule: RuleId): boolean => !disabled.has(rule) && !notEvaluated.has(rule);

  const emit = (rule: RuleId, key: string, target: string, evidence: Record<string, unknown>): void => {
    const ex = holdingException(annotations, target, rule, asOfMs);
    findings.push({
      rule,
      severity: severityOf(rule),
      key,
      target,
      title: rules[rule].title,
      controls: rules[rule].controls,
      evidence,
      excepted: ex !== null,
      exception: ex ? { id: ex.id, expires: ex.expires, approver: ex.approver, ticket: ex.ticket, justification: ex.justification } : null,
    });
  };

  for (const r of ruleIds) if (disabled.has(r)) notEvaluated.set(r, 'disabled by the audit profile');

  // ---- inputs present? -------------------------------------------------
  const policiesById = new Map<string, FindingsPolicy>();
  const policiesByVaultName = new Map<string, FindingsPolicy>();
  for (const p of input.policies) {
    policiesById.set(p.key, p);
    if (p.vaultKey) policiesByVaultName.set(`${p.vaultKey}|${p.name.toLowerCase()}`, p);
  }
  const havePolicies = input.policies.length > 0;
  const haveInventory = input.inventory.length > 0;
  const min = profile.minRetention;
  if (!havePolicies) {
    if (!disabled.has('retention-below-minimum')) notEvaluated.set('retention-below-minimum', 'the snapshot holds no backup policy records, so retention is unknown');
  } else if (min.dailyDays === null && min.weeklyWeeks === null && min.monthlyMonths === null && min.yearlyYears === null) {
    if (!disabled.has('retention-below-minimum')) notEvaluated.set('retention-below-minimum', 'the audit profile sets no minimum retention');
  }
  if (!haveInventory) {
    for (const r of ['orphaned-item', 'unprotected-workload'] as const) {
      if (!disabled.has(r)) notEvaluated.set(r, 'the snapshot holds no workload inventory records (inventory was not collected or imported)');
    }
  }
  if (profile.requiredPolicies.length === 0 && !disabled.has('required-policy')) notEvaluated.set('required-policy', 'the audit profile names no required policies');
  if (input.vaults.length === 0) {
    for (const r of ['vault-soft-delete-disabled', 'vault-immutability-disabled', 'vault-no-cross-region'] as const) {
      if (!disabled.has(r)) notEvaluated.set(r, 'the snapshot holds no vault records');
    }
  }
  if (!havePolicies && on('rpo-breach')) {
    assumptions.push({
      rule: 'rpo-breach',
      note: `the snapshot holds no policy records: every item is judged against the profile's default interval of ${profile.rpo.defaultIntervalHours} h plus ${profile.rpo.graceHours} h grace`,
    });
  }

  const inventoryTags = new Map<string, Record<string, string>>();
  const inventorySubs = new Set<string>();
  const inventoryTypes = new Set<string>();
  for (const r of input.inventory) {
    inventoryTags.set(r.key, r.tags);
    inventorySubs.add(lower(r.subscriptionId));
    inventoryTypes.add(r.type.toLowerCase());
  }
  const protectedSources = new Set<string>();
  // Items share a handful of policies: look each policy id up once.
  const policyCache = new Map<string, FindingsPolicy | undefined>();
  const policyOf = (it: FindingsItem): FindingsPolicy | undefined => {
    if (it.policyId) {
      if (!policyCache.has(it.policyId)) policyCache.set(it.policyId, policiesById.get(canonicalArmId(it.policyId)));
      return policyCache.get(it.policyId);
    }
    return it.policyName && it.vaultKey ? policiesByVaultName.get(`${it.vaultKey}|${it.policyName.toLowerCase()}`) : undefined;
  };
  // Per-policy facts, computed once per policy rather than once per item.
  const shortfalls = new Map<FindingsPolicy, ReturnType<typeof retentionShortfall>>();
  const intervals = new Map<FindingsPolicy, number | null>();
  // Which rules the item pass runs (fixed before it starts).
  const running = new Set(ruleIds.filter((r) => on(r)));

  let itemCount = 0;
  let rpoNoTime = 0;
  let rpoDefaultPolicy = 0;
  let irUnknownStart = 0;
  let irPendingCount = 0;
  let orphanSkipped = 0;
  let retentionNoPolicy = 0;
  const rpoOn = running.has('rpo-breach');
  const trackSources = running.has('unprotected-workload');

  for (const it of input.items) {
    itemCount++;
    const target = itemTarget(it.key);
    if (trackSources && it.sourceResourceKey && !it.softDeleted) protectedSources.add(it.sourceResourceKey);

    if (it.softDeleted) {
      if (running.has('soft-deleted')) {
        // Recovery Services: deferredDeleteTimeInUTC is when the item was deleted; it is purged after the
        // soft-delete retention (14 days unless stated). Backup vaults state the scheduled purge time itself.
        const days = it.softDeleteRetentionDays && it.softDeleteRetentionDays > 0 ? it.softDeleteRetentionDays : 14;
        const rsv = it.vaultKind === 'RecoveryServices';
        emit('soft-deleted', it.key, target, {
          name: it.name,
          vault: it.vaultName,
          deferredDeleteTime: it.deferredDeleteTime,
          softDeleteRetentionDays: it.softDeleteRetentionDays,
          permanentDeletion: it.deferredDeleteTime ? (rsv ? addDaysIso(it.deferredDeleteTime, days) : it.deferredDeleteTime) : null,
          permanentDeletionRule: rsv ? `deferredDeleteTime + ${days} days` : 'scheduled purge time stated by the Backup vault',
        });
      }
      continue;
    }

    const cls = stateClass(it.protectionState);
    const policy = policyOf(it);

    if (cls === 'stopped') {
      if (running.has('protection-stopped')) emit('protection-stopped', it.key, target, { ...baseOf(it), policy: it.policyName, lastRecoveryPoint: it.lastRecoveryPoint, stillBilled: true });
    }
    if (cls === 'error' && running.has('protection-error')) emit('protection-error', it.key, target, { ...baseOf(it), healthStatus: it.healthStatus, protectedItemHealthStatus: it.protectedItemHealthStatus });

    const health = lower(it.healthStatus);
    const piHealth = lower(it.protectedItemHealthStatus);
    const status = lower(it.protectionStatus);
    if (cls !== 'stopped' && running.has('unhealthy') && (unhealthyHealth.has(health) || unhealthyHealth.has(piHealth) || status === 'unhealthy')) {
      emit('unhealthy', it.key, target, { ...baseOf(it), healthStatus: it.healthStatus, protectedItemHealthStatus: it.protectedItemHealthStatus, protectionStatus: it.protectionStatus });
    }

    if (cls === 'pending') {
      irPendingCount++;
      if (running.has('ir-pending-too-long') && input.protectionConfiguredAt) {
        const nameKey = jobNameKey(it.vaultKey, it.name);
        const since = input.protectionConfiguredAt.get(it.key) ?? (nameKey ? input.protectionConfiguredAt.get(nameKey) : undefined) ?? null;
        const t = ms(since);
        if (t === null) irUnknownStart++;
        else {
          const days = (asOfMs - t) / DAY;
          if (days > profile.irPendingMaxDays) {
            emit('ir-pending-too-long', it.key, target, { ...baseOf(it), configuredAt: since, pendingDays: Math.floor(days * 100) / 100, maxDays: profile.irPendingMaxDays });
          }
        }
      }
    }

    const active = cls === 'active' || cls === 'error' || cls === 'unknown';
    if (active) {
      if (running.has('last-backup-failed') && failedStatuses.has(lower(it.lastBackupStatus))) {
        emit('last-backup-failed', it.key, target, { ...baseOf(it), lastBackupStatus: it.lastBackupStatus, lastBackupTime: it.lastBackupTime, lastRecoveryPoint: it.lastRecoveryPoint });
      }
      const never = it.neverBackedUp || it.recoveryPointCount === 0;
      if (never) {
        if (running.has('never-backed-up')) {
          emit('never-backed-up', it.key, target, { ...baseOf(it), lastBackupTime: it.lastBackupTime, neverBackedUpPlaceholder: it.neverBackedUp, recoveryPointCount: it.recoveryPointCount });
        }
      } else if (rpoOn) {
        const rp = ms(it.lastRecoveryPoint);
        const lb = failedStatuses.has(lower(it.lastBackupStatus)) ? null : ms(it.lastBackupTime);
        if (rp === null && lb === null) rpoNoTime++;
        else {
          const lastGood = Math.max(rp ?? -Infinity, lb ?? -Infinity);
          if (policy && !intervals.has(policy)) intervals.set(policy, policyIntervalHours(policy));
          let interval = policy ? (intervals.get(policy) ?? null) : null;
          let intervalSource = 'policy';
          if (interval === null) {
            interval = profile.rpo.defaultIntervalHours;
            intervalSource = havePolicies ? 'profile default (policy interval unknown)' : 'profile default (no policy records)';
            if (havePolicies) rpoDefaultPolicy++;
          }
          const threshold = interval + profile.rpo.graceHours;
          const ageHours = (asOfMs - lastGood) / HOUR;
          if (ageHours > threshold) {
            emit('rpo-breach', it.key, target, {
              ...baseOf(it),
              policy: policy?.name ?? it.policyName,
              lastGoodBackup: new Date(lastGood).toISOString(),
              lastBackupTime: it.lastBackupTime,
              lastBackupStatus: it.lastBackupStatus,
              lastRecoveryPoint: it.lastRecoveryPoint,
              ageHours: Math.floor(ageHours * 100) / 100,
              intervalHours: interval,
              graceHours: profile.rpo.graceHours,
              thresholdHours: threshold,
              intervalSource,
              asOf: input.asOf,
            });
          }
        }
      }
    }

    if (cls !== 'stopped' && running.has('retention-below-minimum')) {
      if (!policy) {
        if (it.policyId || it.policyName) retentionNoPolicy++;
      } else {
        if (!shortfalls.has(policy)) shortfalls.set(policy, retentionShortfall(policy, min));
        const short = shortfalls.get(policy) ?? null;
        if (short) emit('retention-below-minimum', it.key, target, { ...baseOf(it), policy: policy.name, below: short });
      }
    }

    if (cls !== 'stopped' && running.has('required-policy')) {
      const srcTags = [it.tags, ...(it.sourceResourceKey ? [inventoryTags.get(it.sourceResourceKey) ?? {}] : [])];
      const rg = sourceResourceGroup(it.sourceResourceKey);
      const policyName = lower(policy?.name ?? it.policyName ?? (it.policyId ? it.policyId.split('/').pop() : null));
      for (const req of profile.requiredPolicies) {
        const m = req.match;
        const matched = (m.tag ? tagMatches(srcTags, m.tag.name, m.tag.value) : true) && (m.resourceGroup ? rg === m.resourceGroup.toLowerCase() : true);
        if (matched && !req.policies.some((p) => p.toLowerCase() === policyName)) {
          emit('required-policy', it.key, target, { ...baseOf(it), policy: policy?.name ?? it.policyName, required: req.policies, match: m });
          break;
        }
      }
    }

    if (running.has('orphaned-item') && it.sourceResourceKey && !inventoryTags.has(it.sourceResourceKey)) {
      // Judged only where the inventory covers the source's subscription and resource type.
      const type = resourceTypeOf(it.sourceResourceKey);
      const sub = /^\/subscriptions\/([^/]+)/.exec(it.sourceResourceKey)?.[1] ?? '';
      if (!inventorySubs.has(sub) || !type || !inventoryTypes.has(type)) orphanSkipped++;
      else emit('orphaned-item', it.key, target, { ...baseOf(it), sourceResourceKey: it.sourceResourceKey });
    }

    if (running.has('ownerless-item') && ownerFor(annotations, it.key, it.sourceResourceKey) === null) {
      emit('ownerless-item', it.key, target, { name: it.name, vault: it.vaultName });
    }

    if (running.has('critical-without-restore-test')) {
      const crit = criticalityFor(annotations, it.key, it.sourceResourceKey);
      if (crit !== null && profile.restoreTest.criticalities.includes(crit)) {
        const tests = restoreTestsFor(annotations, it.key, it.sourceResourceKey);
        const oldest = asOfMs - profile.restoreTest.periodDays * DAY;
        const passed = tests.filter((t) => {
          const d = Date.parse(`${t.date}T00:00:00.000Z`);
          return t.outcome === 'passed' && d <= asOfMs && d + DAY > oldest;
        });
        if (passed.length === 0) {
          const last = tests.filter((t) => Date.parse(`${t.date}T00:00:00.000Z`) <= asOfMs).sort((a, b) => (a.date < b.date ? 1 : -1))[0] ?? null;
          emit('critical-without-restore-test', it.key, target, {
            name: it.name,
            vault: it.vaultName,
            criticality: crit,
            periodDays: profile.restoreTest.periodDays,
            lastTest: last ? { date: last.date, outcome: last.outcome, id: last.id } : null,
          });
        }
      }
    }
  }

  // ---- after the item pass ---------------------------------------------
  if (itemCount === 0) {
    for (const r of ruleIds) {
      const needsItems = rules[r].needs[0] === 'items';
      if (needsItems && !notEvaluated.has(r)) notEvaluated.set(r, 'the snapshot holds no backup items');
    }
  }
  if (on('ir-pending-too-long') && irPendingCount > 0 && input.protectionConfiguredAt === null) {
    notEvaluated.set('ir-pending-too-long', `${irPendingCount} item(s) wait for their initial backup, but the snapshot holds no job records, so when protection was configured is unknown`);
  }
  if (irUnknownStart > 0) assumptions.push({ rule: 'ir-pending-too-long', note: `${irUnknownStart} item(s) wait for their initial backup with no configure-backup job in the snapshot; not judged` });
  if (rpoNoTime > 0) assumptions.push({ rule: 'rpo-breach', note: `${rpoNoTime} item(s) state no backup or recovery-point time (e.g. Backup vault instances); not judged` });
  if (rpoDefaultPolicy > 0) assumptions.push({ rule: 'rpo-breach', note: `${rpoDefaultPolicy} item(s) have no policy record with a schedule; judged against the profile's default interval` });
  if (retentionNoPolicy > 0) assumptions.push({ rule: 'retention-below-minimum', note: `${retentionNoPolicy} item(s) name a policy that is not among the snapshot's policy records; not judged` });
  if (orphanSkipped > 0) assumptions.push({ rule: 'orphaned-item', note: `${orphanSkipped} item(s) have a source in a subscription or of a resource type the inventory does not cover; not judged` });

  if (on('unprotected-workload')) {
    const kinds = new Set<string>(profile.unprotected.kinds);
    for (const r of input.inventory) {
      if (!kinds.has(r.kind) || protectedSources.has(r.key)) continue;
      emit('unprotected-workload', r.key, resourceTarget(r.key), { name: r.name, type: r.type, kind: r.kind, subscriptionId: r.subscriptionId, resourceGroup: r.resourceGroup });
    }
  }

  const vaultRule = (rule: RuleId, field: string, judge: (v: FindingsVault) => 'ok' | 'finding' | 'unknown', evidence: (v: FindingsVault) => Record<string, unknown>): void => {
    if (!on(rule)) return;
    let unknown = 0;
    for (const v of input.vaults) {
      const j = judge(v);
      if (j === 'unknown') unknown++;
      else if (j === 'finding') emit(rule, v.key, resourceTarget(v.key), { vault: v.name, ...evidence(v) });
    }
    if (unknown === input.vaults.length) notEvaluated.set(rule, `no vault record states its ${field} (not collected)`);
    else if (unknown > 0) assumptions.push({ rule, note: `${unknown} vault(s) do not state their ${field} (not collected); not judged` });
  };
  vaultRule(
    'vault-soft-delete-disabled',
    'soft-delete state',
    (v) => (v.softDeleteState === null ? 'unknown' : ['disabled', 'off'].includes(lower(v.softDeleteState)) ? 'finding' : 'ok'),
    (v) => ({ softDeleteState: v.softDeleteState }),
  );
  vaultRule(
    'vault-immutability-disabled',
    'immutability state',
    (v) => (v.immutabilityState === null ? 'unknown' : ['disabled', 'off', 'none'].includes(lower(v.immutabilityState)) ? 'finding' : 'ok'),
    (v) => ({ immutabilityState: v.immutabilityState }),
  );
  vaultRule(
    'vault-no-cross-region',
    'storage redundancy',
    (v) => {
      if (v.storageRedundancy === null) return 'unknown';
      return /^(locallyredundant|zoneredundant|lrs|zrs)$/.test(lower(v.storageRedundancy)) ? 'finding' : 'ok';
    },
    (v) => ({ storageRedundancy: v.storageRedundancy, crossRegionRestore: v.crossRegionRestore }),
  );

  if (on('exception-expired')) {
    for (const [target, a] of annotations) {
      for (const e of a.exceptions) {
        if (exceptionHolds(e, asOfMs)) continue;
        // Superseded by a holding exception for the same rule: nothing to renew.
        if (holdingException(annotations, target, e.rule, asOfMs)) continue;
        const key = target.slice(target.indexOf(':') + 1);
        emit('exception-expired', key, target, { exceptionId: e.id, exceptedRule: e.rule, expires: e.expires, approver: e.approver, ticket: e.ticket, justification: e.justification });
      }
    }
  }

  const sorted = orderFindings(findings, severityOf);
  const bySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  const byRule: Partial<Record<RuleId, number>> = {};
  let excepted = 0;
  for (const f of sorted) {
    bySeverity[f.severity]++;
    byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
    if (f.excepted) excepted++;
  }
  return {
    asOf: input.asOf,
    profileHash: input.profileHash,
    profile: { name: profile.name, version: profile.version },
    findings: sorted,
    notEvaluated: ruleIds.filter((r) => notEvaluated.has(r)).map((r) => ({ rule: r, reason: notEvaluated.get(r)! })),
    assumptions,
    counts: { total: findings.length, excepted, bySeverity, byRule },
    itemCount,
  };
}
