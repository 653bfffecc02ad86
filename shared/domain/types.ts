/**
 * The normalised model. Every source shape (ARM REST, az CLI, PowerShell,
 * Resource Graph, live SDK collection) is reduced to these records; the raw
 * JSON of each record is kept verbatim beside them (see SnapshotRecord).
 *
 * Conventions: ids keep the casing the source used; `key` fields are the
 * canonical lower-cased form (see keys.ts). Times are ISO-8601 UTC strings
 * with millisecond precision (`2025-10-27T23:08:44.445Z`) or null. A size is
 * null when the source gives none — never 0.
 */

export type VaultKind = 'RecoveryServices' | 'BackupVault';

export type RecordType =
  | 'item'
  | 'vault'
  | 'policy'
  | 'recoveryPoint'
  | 'job'
  | 'inventory'
  | 'roleAssignment'
  | 'roleDefinition'
  | 'actionGroup'
  | 'alertProcessingRule'
  | 'policyState';

export type BackupItem = {
  key: string;
  id: string;
  vaultId: string | null;
  vaultKey: string | null;
  vaultName: string | null;
  vaultResourceGroup: string | null;
  subscriptionId: string | null;
  resourceGroup: string | null;
  vaultKind: VaultKind;
  tenantId: string | null;
  location: string | null;
  protectedItemType: string | null;
  backupManagementType: string | null;
  workloadType: string | null;
  name: string;
  containerName: string | null;
  serverName: string | null;
  parentName: string | null;
  sourceResourceId: string | null;
  sourceResourceKey: string | null;
  policyId: string | null;
  policyName: string | null;
  protectionState: string | null;
  protectionStatus: string | null;
  healthStatus: string | null;
  protectedItemHealthStatus: string | null;
  lastBackupStatus: string | null;
  /** null when the service says never (placeholder 2001-01-01T00:00:00Z) or gives nothing. */
  lastBackupTime: string | null;
  /** true when the source carried the 2001-01-01 placeholder. */
  neverBackedUp: boolean;
  lastRecoveryPoint: string | null;
  oldestRecoveryPoint: string | null;
  recoveryPointCount: number | null;
  softDeleted: boolean;
  deferredDeleteTime: string | null;
  softDeleteRetentionDays: number | null;
  archiveEnabled: boolean | null;
  sizeGb: number | null;
  tags: Record<string, string>;
};

export type VaultRecord = {
  key: string;
  id: string;
  name: string;
  resourceGroup: string | null;
  subscriptionId: string | null;
  kind: VaultKind;
  location: string | null;
  tenantId: string | null;
  skuName: string | null;
  /** LocallyRedundant | ZoneRedundant | GeoRedundant | ... as the source says it. */
  storageRedundancy: string | null;
  crossRegionRestore: boolean | null;
  /** Enabled | Disabled | AlwaysON | ... as the source says it. */
  softDeleteState: string | null;
  softDeleteRetentionDays: number | null;
  /** Disabled | Unlocked | Locked | null when not collected. */
  immutabilityState: string | null;
  multiUserAuthorization: string | null;
  encryption: string | null;
  publicNetworkAccess: string | null;
  tags: Record<string, string>;
  /**
   * Built-in Azure Monitor alerts (properties.monitoringSettings). Optional:
   * snapshots stored before these were read do not carry them.
   */
  monitoringSettings?: VaultMonitoringSettings | null;
  /**
   * A Resource Guard (Multi-User Authorization) guards critical operations:
   * Backup vaults say isVaultProtectedByResourceGuard; Recovery Services
   * vaults say securitySettings.multiUserAuthorization. null when the source
   * says neither. Optional for the same reason as monitoringSettings.
   */
  resourceGuardProtected?: boolean | null;
};

export type VaultMonitoringSettings = {
  /** azureMonitorAlertSettings.alertsForAllJobFailures: Enabled | Disabled | null when absent. */
  jobFailureAlerts: string | null;
  /** classicAlertSettings.alertsForCriticalOperations (Recovery Services only). */
  classicCriticalOperationAlerts: string | null;
};

export type PolicyRecord = {
  key: string;
  id: string;
  name: string;
  vaultKey: string | null;
  backupManagementType: string | null;
  workloadType: string | null;
  /** Daily | Weekly | Hourly | ... of the full/primary schedule, null when not stated. */
  scheduleFrequency: string | null;
  /** Hours between scheduled backups when the source allows computing it. */
  scheduleIntervalHours: number | null;
  /** Longest daily-retention in days (daily points), null when unknown. */
  dailyRetentionDays: number | null;
  weeklyRetentionWeeks: number | null;
  monthlyRetentionMonths: number | null;
  yearlyRetentionYears: number | null;
  protectedItemsCount: number | null;
};

export type RecoveryPointRecord = {
  key: string;
  id: string;
  itemKey: string;
  time: string | null;
  type: string | null;
  tiers: string[];
  expiryTime: string | null;
};

export type JobRecord = {
  key: string;
  id: string;
  vaultKey: string | null;
  entityFriendlyName: string | null;
  itemKey: string | null;
  operation: string | null;
  status: string | null;
  startTime: string | null;
  endTime: string | null;
  backupManagementType: string | null;
  workloadType: string | null;
};

export type InventoryKind = 'virtualMachine' | 'storageAccount' | 'fileShare' | 'sqlVirtualMachine' | 'other';

export type InventoryRecord = {
  key: string;
  id: string;
  name: string;
  type: string;
  kind: InventoryKind;
  subscriptionId: string | null;
  resourceGroup: string | null;
  location: string | null;
  tags: Record<string, string>;
};

/** Where an RBAC scope sits in the ARM hierarchy. */
export type ScopeLevel = 'root' | 'managementGroup' | 'subscription' | 'resourceGroup' | 'resource' | 'unknown';

/** One role assignment (az role assignment list, ARM roleAssignments, Resource Graph authorizationresources). */
export type RoleAssignmentRecord = {
  key: string;
  id: string;
  /** The scope as the source wrote it. */
  scope: string;
  /** Canonical (lower-cased) scope. */
  scopeKey: string;
  scopeLevel: ScopeLevel;
  /** Management group name for managementGroup scopes. */
  managementGroup: string | null;
  subscriptionId: string | null;
  resourceGroup: string | null;
  roleDefinitionId: string;
  /** The role definition's GUID, lower-cased: built-in ids differ by subscription prefix only. */
  roleDefinitionKey: string;
  /** roleDefinitionName (az CLI only); resolved from the definitions otherwise. */
  roleName: string | null;
  principalId: string;
  /** principalName (az CLI: UPN, group or app display name); null in ARM and Resource Graph. */
  principalName: string | null;
  /** User | Group | ServicePrincipal | ForeignGroup | Device | null. */
  principalType: string | null;
  condition: string | null;
  tenantId: string | null;
};

export type RolePermission = { actions: string[]; notActions: string[]; dataActions: string[]; notDataActions: string[] };

/** A role definition (az role definition list, ARM roleDefinitions). */
export type RoleDefinitionRecord = {
  /** The role definition's GUID, lower-cased. */
  key: string;
  id: string;
  roleName: string | null;
  /** CustomRole | BuiltInRole | null. */
  roleType: string | null;
  description: string | null;
  assignableScopes: string[];
  permissions: RolePermission[];
};

export type ActionGroupReceiverKind =
  | 'email'
  | 'sms'
  | 'webhook'
  | 'itsm'
  | 'azureAppPush'
  | 'automationRunbook'
  | 'voice'
  | 'logicApp'
  | 'azureFunction'
  | 'armRole'
  | 'eventHub'
  | 'incident';

export type ActionGroupReceiver = {
  kind: ActionGroupReceiverKind;
  name: string | null;
  /** Address, number, URI or role the receiver sends to, as the source says it. */
  target: string | null;
  /** Enabled | Disabled | NotSpecified | null. */
  status: string | null;
};

/** An Azure Monitor action group (az monitor action-group list, ARM actionGroups). */
export type ActionGroupRecord = {
  key: string;
  id: string;
  name: string;
  subscriptionId: string | null;
  resourceGroup: string | null;
  shortName: string | null;
  enabled: boolean | null;
  receivers: ActionGroupReceiver[];
};

/** An alert processing rule (az monitor alert-processing-rule list, ARM actionRules). */
export type AlertProcessingRuleRecord = {
  key: string;
  id: string;
  name: string;
  subscriptionId: string | null;
  resourceGroup: string | null;
  enabled: boolean | null;
  description: string | null;
  /** The resource ids the rule applies to, as the source wrote them. */
  scopes: string[];
  conditions: Array<{ field: string | null; operator: string | null; values: string[] }>;
  /** AddActionGroups (with actionGroupIds) or RemoveAllActionGroups. */
  actions: Array<{ actionType: string | null; actionGroupIds: string[] }>;
  /** Whether the rule applies only at scheduled times. */
  scheduled: boolean;
};

/** One policy compliance state (az policy state list, PolicyInsights REST, Resource Graph policyresources). */
export type PolicyStateRecord = {
  /** resourceId | policyAssignmentId | policyDefinitionReferenceId, canonical. */
  key: string;
  resourceId: string;
  resourceKey: string;
  resourceType: string | null;
  subscriptionId: string | null;
  resourceGroup: string | null;
  policyAssignmentId: string | null;
  policyAssignmentName: string | null;
  policyDefinitionId: string | null;
  /** The policy definition's name (a GUID for built-ins), lower-cased. */
  policyDefinitionKey: string | null;
  policyDefinitionReferenceId: string | null;
  policySetDefinitionId: string | null;
  /** Compliant | NonCompliant | Exempt | Unknown | ... as the source says it. */
  complianceState: string | null;
  isCompliant: boolean | null;
  policyDefinitionAction: string | null;
  timestamp: string | null;
};

export type RecordOf = {
  item: BackupItem;
  vault: VaultRecord;
  policy: PolicyRecord;
  recoveryPoint: RecoveryPointRecord;
  job: JobRecord;
  inventory: InventoryRecord;
  roleAssignment: RoleAssignmentRecord;
  roleDefinition: RoleDefinitionRecord;
  actionGroup: ActionGroupRecord;
  alertProcessingRule: AlertProcessingRuleRecord;
  policyState: PolicyStateRecord;
};

/**
 * A normalised record with the raw JSON value it came from. `rawText`, when
 * the importer has it, is that value's source text exactly as it stood in the
 * input element (big numbers, exponents, repeated keys and all); the store
 * keeps it as the raw JSON. Without it (CSV and table rows, the SDK) the raw
 * JSON is `raw` serialised.
 */
export type NormalisedRecord = {
  [T in RecordType]: { type: T; key: string; data: RecordOf[T]; raw: unknown; rawText?: string };
}[RecordType];

export type CoverageEntry = {
  /** `subscription:<id>` | `vault:<key>` | `file:<name>` */
  scope: string;
  status: 'collected' | 'failed';
  error: { code: string; message: string } | null;
  itemCount?: number;
};

export type InputFile = {
  name: string;
  sha256: string;
  size: number;
  format: string;
  records: number;
};

export type Provenance = {
  toolVersion: string;
  source: 'import' | 'live';
  user: string;
  createdAt: string;
  asOfSource: 'file' | 'option' | 'mtime' | 'collection';
  files?: InputFile[];
  tenants: string[];
  subscriptions: string[];
  /** Live collection extras (principal, cloud, endpoints, apiVersions, options, startedAt, endedAt). */
  [extra: string]: unknown;
};

export type SnapshotSummary = {
  id: string;
  label: string | null;
  createdAt: string;
  asOf: string;
  source: 'import' | 'live';
  itemCount: number;
  contentHash: string;
  complete: boolean;
  canonicalVersion: number;
};
