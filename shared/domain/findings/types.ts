/**
 * The shapes findings read and write. Items are a narrow pick of BackupItem so
 * the store can stream just these columns from SQL.
 */
import type { AnnotationIndex } from '../annotations.ts';
import type { RuleId } from '../findings-rules.ts';
import type { AuditProfile, Severity } from '../profile.ts';
import type { RestorePointsIndex } from '../restore/points.ts';
import type { BackupPolicyDefinition } from '../policy/reconcile.ts';
import type { AccessVault } from '../access/vault-access.ts';
import type { ActionGroupRecord, AlertProcessingRuleRecord, BackupItem, PolicyStateRecord, InventoryRecord, PolicyRecord, RoleAssignmentRecord, RoleDefinitionRecord, VaultRecord } from '../types.ts';

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
export type FindingsVault = Pick<VaultRecord, 'key' | 'name' | 'storageRedundancy' | 'crossRegionRestore' | 'softDeleteState' | 'immutabilityState'> & Partial<AccessVault> & Partial<Pick<VaultRecord, 'id' | 'kind' | 'monitoringSettings'>>;

/** Role assignments and definitions for the access rules; builtIns are the shipped built-in role definitions. */
export type FindingsAccess = {
  assignments: readonly RoleAssignmentRecord[];
  definitions: readonly RoleDefinitionRecord[];
  builtIns: readonly RoleDefinitionRecord[];
};
export type FindingsPolicy = Pick<
  PolicyRecord,
  'key' | 'name' | 'vaultKey' | 'scheduleFrequency' | 'scheduleIntervalHours' | 'dailyRetentionDays' | 'weeklyRetentionWeeks' | 'monthlyRetentionMonths' | 'yearlyRetentionYears'
>;
export type FindingsInventory = Pick<InventoryRecord, 'key' | 'name' | 'type' | 'kind' | 'subscriptionId' | 'resourceGroup' | 'tags'>;

/**
 * The workload inventory as the rules read it: look-ups by resource key, and
 * the records themselves only for the after-pass. Records sharing a key share
 * a slot (that of the last of them). From a plain array (inventoryIndexOf in
 * ./inventory-index.ts) or from the store, which reads a record's details only
 * when a rule asks for the record (electron/core/analysis/load.ts).
 */
export type FindingsInventoryIndex = {
  /** How many records the inventory holds. */
  readonly size: number;
  /** The records' subscription ids and resource types, lower-cased (see findings-facts lower). */
  readonly subscriptions: ReadonlySet<string>;
  readonly types: ReadonlySet<string>;
  /** The slot (0 ≤ slot < size) of the record with this key, or -1 when there is none. */
  slotOf(key: string): number;
  /** The tags of the record in this slot. */
  tagsOf(slot: number): Record<string, string>;
  /** The records, in their order, but those whose slot `skip` is true for. */
  records(skip: (slot: number) => boolean): Iterable<FindingsInventory>;
};

export type FindingsInput = {
  asOf: string;
  profile: AuditProfile;
  profileHash: string;
  items: Iterable<FindingsItem>;
  vaults: readonly FindingsVault[];
  policies: readonly FindingsPolicy[];
  inventory: readonly FindingsInventory[] | FindingsInventoryIndex;
  /** When protection was configured, per item key (ConfigureBackup jobs); null when the snapshot holds no job records. */
  protectionConfiguredAt: ReadonlyMap<string, string> | null;
  /** Last finished backup per item from Backup vault jobs (see lastBackupsFromJobs), for items that state none themselves. */
  lastBackupFromJobs?: ReadonlyMap<string, { time: string; status: string }> | null;
  annotations: AnnotationIndex;
  /** Recovery points per item (restore readiness rules); absent or null when the caller has none. */
  restorePoints?: RestorePointsIndex | null;
  /** Action groups and alert processing rules (alert routing rule); absent or null when the caller has none. */
  alerts?: { actionGroups: readonly ActionGroupRecord[]; alertProcessingRules: readonly AlertProcessingRuleRecord[] } | null;
  /** Azure Policy compliance states and the backup definitions Vaultproof knows (by definition name, lower-case). */
  azurePolicy?: { states: readonly PolicyStateRecord[]; definitions: ReadonlyMap<string, BackupPolicyDefinition> } | null;
  /** Access evidence inputs; absent or null when the caller has none (the access rules then say so). */
  access?: FindingsAccess | null;
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
