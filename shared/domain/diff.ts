/**
 * The reference diff of two snapshots, keyed by item key. The store's SQL
 * fast path (electron/core/analysis/diff-sql.ts) must agree with it; both use
 * `compareItems`, `removalReason` and `RollupBuilder` from here.
 *
 * Field values are compared case-insensitively and ids canonically, so the
 * same item written with differently-cased ids is unchanged.
 */
import { ownerFor } from './annotation-lookup.ts';
import type { AnnotationIndex } from './annotations.ts';
import type { CoverageLookup } from './coverage.ts';
import { coverageLookup } from './coverage.ts';
import { canonicalArmId } from './keys.ts';
import type { BackupItem, CoverageEntry, PolicyRecord, VaultRecord } from './types.ts';

export const diffFields = [
  'protectionState',
  'protectionStatus',
  'policy',
  'healthStatus',
  'protectedItemHealthStatus',
  'lastBackupStatus',
  'softDeleted',
  'archiveEnabled',
  'retention',
  'sizeGb',
  'vaultRedundancy',
] as const;
export type DiffField = (typeof diffFields)[number];

export type FieldValue = string | number | boolean | null;
export type FieldChange = { before: FieldValue; after: FieldValue };
export type RemovalReason = 'softDeleted' | 'gone' | 'notCollected';

/** The item fields the diff reads. */
export type DiffItem = Pick<
  BackupItem,
  | 'key'
  | 'subscriptionId'
  | 'vaultKey'
  | 'workloadType'
  | 'protectionState'
  | 'protectionStatus'
  | 'policyId'
  | 'policyName'
  | 'healthStatus'
  | 'protectedItemHealthStatus'
  | 'lastBackupStatus'
  | 'softDeleted'
  | 'archiveEnabled'
  | 'sizeGb'
  | 'sourceResourceKey'
>;

export type DiffPolicy = Pick<PolicyRecord, 'key' | 'name' | 'dailyRetentionDays' | 'weeklyRetentionWeeks' | 'monthlyRetentionMonths' | 'yearlyRetentionYears'>;
export type DiffVault = Pick<VaultRecord, 'key' | 'storageRedundancy' | 'crossRegionRestore'>;

/** One side of the comparison: policies and vaults are null when the snapshot has none (not collected). */
export type DiffSide = {
  policies: ReadonlyMap<string, DiffPolicy> | null;
  vaults: ReadonlyMap<string, DiffVault> | null;
};

export type DiffRollupRow = { group: string; added: number; removed: number; notCollected: number; changed: number; unchanged: number };
export type DiffRollups = { subscription: DiffRollupRow[]; vault: DiffRollupRow[]; workload: DiffRollupRow[]; owner: DiffRollupRow[] };

export type DiffResult = {
  added: string[];
  removed: Array<{ key: string; reason: RemovalReason }>;
  changed: Array<{ key: string; fields: Partial<Record<DiffField, FieldChange>> }>;
  unchanged: number;
  /** Fields that were not compared, and why (e.g. a snapshot without policy records). */
  notCompared: Array<{ field: DiffField; reason: string }>;
  rollups: DiffRollups;
};

export function sideFrom(policies: readonly DiffPolicy[], vaults: readonly DiffVault[]): DiffSide {
  return {
    policies: policies.length > 0 ? new Map(policies.map((p) => [p.key, p])) : null,
    vaults: vaults.length > 0 ? new Map(vaults.map((v) => [v.key, v])) : null,
  };
}

function retentionText(p: DiffPolicy): string {
  const parts: string[] = [];
  if (p.dailyRetentionDays !== null) parts.push(`daily ${p.dailyRetentionDays}d`);
  if (p.weeklyRetentionWeeks !== null) parts.push(`weekly ${p.weeklyRetentionWeeks}w`);
  if (p.monthlyRetentionMonths !== null) parts.push(`monthly ${p.monthlyRetentionMonths}m`);
  if (p.yearlyRetentionYears !== null) parts.push(`yearly ${p.yearlyRetentionYears}y`);
  return parts.length > 0 ? parts.join(', ') : 'none stated';
}

function redundancyText(v: DiffVault): string | null {
  if (v.storageRedundancy === null && v.crossRegionRestore === null) return null;
  return `${v.storageRedundancy ?? 'unknown'}${v.crossRegionRestore ? ' + cross-region restore' : ''}`;
}

/** The comparable text of a policy's retention or a vault's redundancy (what the diff reports). */
export function fieldText(field: 'retention', p: DiffPolicy): string;
export function fieldText(field: 'vaultRedundancy', v: DiffVault): string | null;
export function fieldText(field: 'retention' | 'vaultRedundancy', x: DiffPolicy | DiffVault): string | null {
  return field === 'retention' ? retentionText(x as DiffPolicy) : redundancyText(x as DiffVault)?.toLowerCase() ?? null;
}

type Valued = { show: FieldValue; cmp: FieldValue };

function str(v: string | null): Valued {
  return { show: v, cmp: v === null || v === '' ? null : v.toLowerCase() };
}

function fieldValue(item: DiffItem, side: DiffSide, field: DiffField): Valued {
  switch (field) {
    case 'protectionState':
      return str(item.protectionState);
    case 'policy': {
      const cmp = item.policyId ? canonicalArmId(item.policyId) : item.policyName ? `name:${item.policyName.toLowerCase()}` : null;
      const last = item.policyId ? (item.policyId.split('/').filter(Boolean).pop() ?? item.policyId) : null;
      return { show: item.policyName ?? last, cmp };
    }
    case 'protectionStatus':
      return str(item.protectionStatus);
    case 'healthStatus':
      return str(item.healthStatus);
    case 'protectedItemHealthStatus':
      return str(item.protectedItemHealthStatus);
    case 'lastBackupStatus':
      return str(item.lastBackupStatus);
    case 'softDeleted':
      return { show: item.softDeleted, cmp: item.softDeleted };
    case 'archiveEnabled':
      return { show: item.archiveEnabled, cmp: item.archiveEnabled };
    case 'sizeGb':
      return { show: item.sizeGb, cmp: item.sizeGb };
    case 'retention': {
      const p = item.policyId && side.policies ? side.policies.get(canonicalArmId(item.policyId)) : undefined;
      const t = p ? retentionText(p) : null;
      return { show: t, cmp: t };
    }
    case 'vaultRedundancy': {
      const v = item.vaultKey && side.vaults ? side.vaults.get(item.vaultKey) : undefined;
      const t = v ? redundancyText(v) : null;
      return { show: t, cmp: t === null ? null : t.toLowerCase() };
    }
  }
}

/**
 * Every field of a normalised item, and whether the diff compares it: by the
 * diff field named, or not, with the reason. A test keeps this complete, so a
 * new normalised field must be decided here.
 */
export const itemFieldsInDiff: Record<keyof BackupItem, { comparedAs: DiffField } | { notCompared: string }> = {
  key: { notCompared: 'the identity the two snapshots are matched on' },
  id: { notCompared: 'identity: the same item with a differently-cased id is the same item (matched by key)' },
  vaultId: { notCompared: 'identity (part of the key); a move to another vault is a new item' },
  vaultKey: { notCompared: 'identity (part of the key); its redundancy is compared as vaultRedundancy' },
  vaultName: { notCompared: 'identity (part of the key)' },
  vaultResourceGroup: { notCompared: 'identity (part of the key)' },
  subscriptionId: { notCompared: 'identity (part of the key)' },
  resourceGroup: { notCompared: "the source resource's group: a move of the source, not of its protection" },
  vaultKind: { notCompared: 'identity (the vault kind is fixed by the key)' },
  tenantId: { notCompared: 'identity: tenants are fixed by the subscription' },
  location: { notCompared: 'fixed by the vault' },
  protectedItemType: { notCompared: 'fixed for an item: it names the workload kind' },
  backupManagementType: { notCompared: 'fixed for an item: it names the workload kind' },
  workloadType: { notCompared: 'fixed for an item; used to group the roll-ups' },
  name: { notCompared: "a display name; the key identifies the item, and renaming changes nothing about its protection" },
  containerName: { notCompared: 'identity (part of the key)' },
  serverName: { notCompared: 'identity (part of the container)' },
  parentName: { notCompared: 'identity (part of the item name)' },
  sourceResourceId: { notCompared: 'the protected resource; a different resource is a different item' },
  sourceResourceKey: { notCompared: 'the protected resource; a different resource is a different item' },
  policyId: { comparedAs: 'policy' },
  policyName: { comparedAs: 'policy' },
  protectionState: { comparedAs: 'protectionState' },
  protectionStatus: { comparedAs: 'protectionStatus' },
  healthStatus: { comparedAs: 'healthStatus' },
  protectedItemHealthStatus: { comparedAs: 'protectedItemHealthStatus' },
  lastBackupStatus: { comparedAs: 'lastBackupStatus' },
  lastBackupTime: { notCompared: 'moves with every backup; judged by the findings (RPO) at each asOf instead' },
  neverBackedUp: { notCompared: 'follows from the last backup time and state; judged by the findings' },
  lastRecoveryPoint: { notCompared: 'moves with every backup; judged by the findings (RPO)' },
  oldestRecoveryPoint: { notCompared: 'moves daily as retention expires points; retention itself is compared' },
  recoveryPointCount: { notCompared: 'moves with every backup and expiry; retention itself is compared' },
  softDeleted: { comparedAs: 'softDeleted' },
  deferredDeleteTime: { notCompared: 'set when an item is soft-deleted, which is reported as removed (softDeleted)' },
  softDeleteRetentionDays: { notCompared: "a vault setting echoed on the item; the vault's soft delete is judged by the findings" },
  archiveEnabled: { comparedAs: 'archiveEnabled' },
  sizeGb: { comparedAs: 'sizeGb' },
  tags: { notCompared: 'metadata, not protection; tags are read by required-policy findings' },
};

/** Which fields can be compared between these two sides. */
export function comparableFields(a: DiffSide, b: DiffSide): { fields: DiffField[]; notCompared: Array<{ field: DiffField; reason: string }> } {
  const notCompared: Array<{ field: DiffField; reason: string }> = [];
  if (!a.policies || !b.policies) {
    notCompared.push({ field: 'retention', reason: `the ${!a.policies && !b.policies ? 'snapshots hold' : !a.policies ? 'baseline holds' : 'current snapshot holds'} no policy records` });
  }
  if (!a.vaults || !b.vaults) {
    notCompared.push({ field: 'vaultRedundancy', reason: `the ${!a.vaults && !b.vaults ? 'snapshots hold' : !a.vaults ? 'baseline holds' : 'current snapshot holds'} no vault records` });
  }
  const skip = new Set(notCompared.map((n) => n.field));
  return { fields: diffFields.filter((f) => !skip.has(f)), notCompared };
}

/**
 * Compares one item present in both snapshots. Returns null when unchanged,
 * `{ removed: 'softDeleted' }` when it became soft-deleted (its protection was
 * deleted: reported as removed, not as changed), else the changed fields.
 */
export function compareItems(
  before: DiffItem,
  after: DiffItem,
  sideA: DiffSide,
  sideB: DiffSide,
  fields: readonly DiffField[],
): null | { removed: 'softDeleted' } | { fields: Partial<Record<DiffField, FieldChange>> } {
  if (!before.softDeleted && after.softDeleted) return { removed: 'softDeleted' };
  let out: Partial<Record<DiffField, FieldChange>> | null = null;
  for (const f of fields) {
    const x = fieldValue(before, sideA, f);
    const y = fieldValue(after, sideB, f);
    if (x.cmp !== y.cmp) {
      out ??= {};
      out[f] = { before: x.show, after: y.show };
    }
  }
  return out ? { fields: out } : null;
}

/** Why an item of the baseline is missing from the current snapshot. */
export function removalReason(before: Pick<DiffItem, 'vaultKey' | 'subscriptionId'>, coverageAfter: CoverageLookup): RemovalReason {
  const s = coverageAfter.statusOf(before.vaultKey, before.subscriptionId);
  return s === 'failed' || s === 'outOfScope' ? 'notCollected' : 'gone';
}

type Category = 'added' | 'removed' | 'notCollected' | 'changed' | 'unchanged';
export type RollupKeys = { subscriptionId: string | null; vaultKey: string | null; workloadType: string | null; owner: string | null };

export const NO_GROUP = '(none)';
export const NO_OWNER = '(no owner)';

export function groupKey(v: string | null): string {
  return v === null || v === '' ? NO_GROUP : v.toLowerCase();
}


/** Counts per subscription, vault, workload and owner. */
export class RollupBuilder {
  private readonly maps = {
    subscription: new Map<string, DiffRollupRow>(),
    vault: new Map<string, DiffRollupRow>(),
    workload: new Map<string, DiffRollupRow>(),
    owner: new Map<string, DiffRollupRow>(),
  };

  add(category: Category, keys: RollupKeys, n = 1): void {
    this.bump('subscription', groupKey(keys.subscriptionId), category, n);
    this.bump('vault', groupKey(keys.vaultKey), category, n);
    this.bump('workload', groupKey(keys.workloadType), category, n);
    this.bump('owner', keys.owner ?? NO_OWNER, category, n);
  }

  /** Adds to one dimension only (the SQL path counts unchanged rows per dimension). */
  bump(dim: keyof DiffRollups, group: string, category: Category, n = 1): void {
    const m = this.maps[dim];
    let row = m.get(group);
    if (!row) {
      row = { group, added: 0, removed: 0, notCollected: 0, changed: 0, unchanged: 0 };
      m.set(group, row);
    }
    row[category] += n;
  }

  build(): DiffRollups {
    // Rows whose counts all net to zero carry nothing (the SQL path adds and subtracts per group).
    const sorted = (m: Map<string, DiffRollupRow>): DiffRollupRow[] =>
      [...m.values()]
        .filter((r) => r.added !== 0 || r.removed !== 0 || r.notCollected !== 0 || r.changed !== 0 || r.unchanged !== 0)
        .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
    return { subscription: sorted(this.maps.subscription), vault: sorted(this.maps.vault), workload: sorted(this.maps.workload), owner: sorted(this.maps.owner) };
  }
}

function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export type DiffSnapshotInput = {
  items: readonly DiffItem[];
  policies: readonly DiffPolicy[];
  vaults: readonly DiffVault[];
};

/** The reference diff: baseline → current, with the current snapshot's coverage. */
export function diffSnapshots(
  baseline: DiffSnapshotInput,
  current: DiffSnapshotInput & { coverage: readonly CoverageEntry[] },
  annotations: AnnotationIndex = new Map(),
): DiffResult {
  const sideA = sideFrom(baseline.policies, baseline.vaults);
  const sideB = sideFrom(current.policies, current.vaults);
  const { fields, notCompared } = comparableFields(sideA, sideB);
  const cov = coverageLookup(current.coverage);
  const before = new Map(baseline.items.map((i) => [i.key, i]));
  const after = new Map(current.items.map((i) => [i.key, i]));
  const roll = new RollupBuilder();
  const added: string[] = [];
  const removed: DiffResult['removed'] = [];
  const changed: DiffResult['changed'] = [];
  let unchanged = 0;
  const keysOf = (i: DiffItem): RollupKeys => ({ subscriptionId: i.subscriptionId, vaultKey: i.vaultKey, workloadType: i.workloadType, owner: ownerFor(annotations, i.key, i.sourceResourceKey) });

  for (const [key, a] of before) {
    const b = after.get(key);
    if (!b) {
      const reason = removalReason(a, cov);
      removed.push({ key, reason });
      roll.add(reason === 'notCollected' ? 'notCollected' : 'removed', keysOf(a));
      continue;
    }
    const c = compareItems(a, b, sideA, sideB, fields);
    if (c === null) {
      unchanged++;
      roll.add('unchanged', keysOf(b));
    } else if ('removed' in c) {
      removed.push({ key, reason: c.removed });
      roll.add('removed', keysOf(a));
    } else {
      changed.push({ key, fields: c.fields });
      roll.add('changed', keysOf(b));
    }
  }
  for (const [key, b] of after) {
    if (!before.has(key)) {
      added.push(key);
      roll.add('added', keysOf(b));
    }
  }
  added.sort(byKey);
  removed.sort((x, y) => byKey(x.key, y.key));
  changed.sort((x, y) => byKey(x.key, y.key));
  return { added, removed, changed, unchanged, notCompared, rollups: roll.build() };
}
