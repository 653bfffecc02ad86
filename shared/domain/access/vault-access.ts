/**
 * Who can do what to each vault's backups, worked out offline from role
 * assignments and role definitions (custom ones from the snapshot, built-in
 * ones shipped with the app, since an exported assignment carries only the
 * role's id).
 *
 * Scope: an assignment applies to a vault when its scope is the vault, or an
 * ancestor of it (its resource group, its subscription). An assignment at a
 * management group (or the tenant root `/`) is taken to apply to every vault
 * of the snapshot: `az role assignment list --all --include-inherited` lists
 * only the management groups above the subscription it was run in, and the
 * export does not say which subscriptions a management group holds. When
 * exports of subscriptions under different management groups are imported
 * together this over-counts rather than misses; the evidence names the
 * management group so a reader can check.
 */
import { canonicalArmId } from '../keys.ts';
import type { RoleAssignmentRecord, RoleDefinitionRecord, ScopeLevel, VaultKind, VaultRecord } from '../types.ts';
import { grantingPattern } from './actions.ts';

export type Capability = 'deleteBackupData' | 'stopProtection' | 'changeSecuritySettings' | 'restore' | 'grantAccess';

export const capabilities: readonly Capability[] = ['deleteBackupData', 'stopProtection', 'changeSecuritySettings', 'restore', 'grantAccess'];

export const capabilityLabel: Record<Capability, string> = {
  deleteBackupData: 'delete backup data',
  stopProtection: 'stop protection',
  changeSecuritySettings: 'change soft delete or immutability',
  restore: 'restore',
  grantAccess: 'grant access to others',
};

/**
 * The operations behind each capability, per vault kind (Azure resource
 * provider operations). Stopping protection is a write (retain data) or a
 * delete (delete data) of the protected item; soft delete and immutability
 * are vault properties, changed by a vault write (or the legacy backupconfig).
 */
export const capabilityActions: Record<VaultKind, Record<Capability, readonly string[]>> = {
  RecoveryServices: {
    deleteBackupData: ['Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/protectedItems/delete'],
    stopProtection: [
      'Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/protectedItems/write',
      'Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/protectedItems/delete',
    ],
    changeSecuritySettings: ['Microsoft.RecoveryServices/Vaults/write', 'Microsoft.RecoveryServices/Vaults/backupconfig/write'],
    restore: [
      'Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/protectedItems/recoveryPoints/restore/action',
      'Microsoft.RecoveryServices/locations/backupCrossRegionRestore/action',
    ],
    grantAccess: ['Microsoft.Authorization/roleAssignments/write'],
  },
  BackupVault: {
    deleteBackupData: ['Microsoft.DataProtection/backupVaults/backupInstances/delete'],
    stopProtection: [
      'Microsoft.DataProtection/backupVaults/backupInstances/stopProtection/action',
      'Microsoft.DataProtection/backupVaults/backupInstances/suspendBackups/action',
      'Microsoft.DataProtection/backupVaults/backupInstances/delete',
    ],
    changeSecuritySettings: ['Microsoft.DataProtection/backupVaults/write'],
    restore: [
      'Microsoft.DataProtection/backupVaults/backupInstances/restore/action',
      'Microsoft.DataProtection/subscriptions/resourceGroups/providers/locations/crossRegionRestore/action',
    ],
    grantAccess: ['Microsoft.Authorization/roleAssignments/write'],
  },
};

export type AccessVault = Pick<VaultRecord, 'key' | 'name' | 'kind' | 'subscriptionId' | 'resourceGroup' | 'softDeleteState' | 'immutabilityState' | 'multiUserAuthorization' | 'resourceGuardProtected'>;

export type AccessGrant = {
  principalId: string;
  principalName: string | null;
  /** User | Group | ServicePrincipal | ForeignGroup | … as the source says it. */
  principalType: string | null;
  /** A guest (B2B) account: its UPN carries `#EXT#`. */
  guest: boolean;
  /** Rights held through a group reach everyone the group holds (membership is not in the export). */
  group: boolean;
  role: string;
  roleId: string;
  custom: boolean;
  scope: string;
  scopeLevel: ScopeLevel;
  /** The scope the right is inherited from, or null when assigned on the vault itself. */
  inheritedFrom: string | null;
  capabilities: Capability[];
  /**
   * The assignment carries an ABAC condition. Counted as a full grant: conditions on
   * control-plane backup actions are not evaluated offline, so the count is an upper bound.
   */
  conditional: boolean;
  /** Per capability, the role's action pattern that grants it (e.g. `*` for Owner). */
  via: Partial<Record<Capability, string>>;
  assignmentId: string;
};

export type VaultAccess = {
  vaultKey: string;
  vaultName: string;
  kind: VaultKind;
  /** True / false when the vault says whether a Resource Guard guards critical operations; null when not collected. */
  resourceGuard: boolean | null;
  immutabilityState: string | null;
  immutabilityLocked: boolean | null;
  softDeleteState: string | null;
  /** Soft delete cannot be turned off (AlwaysOn); null when not collected. */
  softDeleteAlwaysOn: boolean | null;
  grants: AccessGrant[];
  /** Distinct principals per capability. */
  principalCounts: Record<Capability, number>;
  /** Assignments in scope whose role is neither in the snapshot nor among the shipped built-in roles. */
  unresolved: Array<{ principalId: string; principalName: string | null; roleId: string; roleName: string | null; scope: string }>;
};

/** Whether a scope (canonical) contains the vault. */
export function scopeCovers(scopeKey: string, level: ScopeLevel, vaultKey: string): boolean {
  if (level === 'root' || level === 'managementGroup') return true;
  if (level === 'unknown') return false;
  return vaultKey === scopeKey || vaultKey.startsWith(`${scopeKey}/`);
}

function isGuest(name: string | null): boolean {
  return name !== null && /#ext#/i.test(name);
}

function isGroup(type: string | null): boolean {
  return type !== null && /group/i.test(type);
}

export type RoleIndex = Map<string, { def: RoleDefinitionRecord; custom: boolean }>;

/** Custom definitions from the snapshot take precedence over the shipped built-ins with the same GUID. */
export function roleIndex(definitions: readonly RoleDefinitionRecord[], builtIns: readonly RoleDefinitionRecord[]): RoleIndex {
  const out: RoleIndex = new Map();
  for (const d of builtIns) out.set(d.key, { def: d, custom: false });
  for (const d of definitions) out.set(d.key, { def: d, custom: !/builtin/i.test(d.roleType ?? '') });
  return out;
}

function scopeLabel(a: RoleAssignmentRecord): string {
  switch (a.scopeLevel) {
    case 'root':
      return 'tenant root (/)';
    case 'managementGroup':
      return `management group ${a.managementGroup ?? a.scope}`;
    case 'subscription':
      return `subscription ${a.subscriptionId ?? a.scope}`;
    case 'resourceGroup':
      return `resource group ${a.resourceGroup ?? a.scope}`;
    default:
      return a.scope;
  }
}

export function vaultAccess(vault: AccessVault, assignments: readonly RoleAssignmentRecord[], roles: RoleIndex): VaultAccess {
  const vaultKey = canonicalArmId(vault.key);
  const actions = capabilityActions[vault.kind];
  const grants: AccessGrant[] = [];
  const unresolved: VaultAccess['unresolved'] = [];
  for (const a of assignments) {
    if (!scopeCovers(a.scopeKey, a.scopeLevel, vaultKey)) continue;
    const role = roles.get(a.roleDefinitionKey);
    if (!role) {
      unresolved.push({ principalId: a.principalId, principalName: a.principalName, roleId: a.roleDefinitionId, roleName: a.roleName, scope: a.scope });
      continue;
    }
    const caps: Capability[] = [];
    const via: Partial<Record<Capability, string>> = {};
    for (const c of capabilities) {
      for (const action of actions[c]) {
        const p = grantingPattern(role.def.permissions, action);
        if (p !== null) {
          caps.push(c);
          via[c] = p;
          break;
        }
      }
    }
    if (caps.length === 0) continue;
    grants.push({
      principalId: a.principalId,
      principalName: a.principalName,
      principalType: a.principalType,
      guest: isGuest(a.principalName),
      group: isGroup(a.principalType),
      role: role.def.roleName ?? a.roleName ?? a.roleDefinitionKey,
      roleId: a.roleDefinitionKey,
      custom: role.custom,
      scope: a.scope,
      scopeLevel: a.scopeLevel,
      inheritedFrom: a.scopeKey === vaultKey ? null : scopeLabel(a),
      capabilities: caps,
      conditional: a.condition !== null,
      via,
      assignmentId: a.id,
    });
  }
  grants.sort((x, y) => (x.principalName ?? x.principalId).localeCompare(y.principalName ?? y.principalId) || x.role.localeCompare(y.role) || x.scope.localeCompare(y.scope));
  const principalCounts = Object.fromEntries(
    capabilities.map((c) => [c, new Set(grants.filter((g) => g.capabilities.includes(c)).map((g) => g.principalId)).size]),
  ) as Record<Capability, number>;
  const soft = vault.softDeleteState;
  const imm = vault.immutabilityState;
  return {
    vaultKey: vault.key,
    vaultName: vault.name,
    kind: vault.kind,
    resourceGuard: vault.resourceGuardProtected ?? (vault.multiUserAuthorization == null ? null : /^enabled$/i.test(vault.multiUserAuthorization)),
    immutabilityState: imm,
    immutabilityLocked: imm === null ? null : /^locked$/i.test(imm),
    softDeleteState: soft,
    softDeleteAlwaysOn: soft === null ? null : /^alwayson$/i.test(soft),
    grants,
    principalCounts,
    unresolved,
  };
}

/** The principals (one row each) holding a capability on a vault, with every grant that gives it. */
export function holders(access: VaultAccess, capability: Capability): AccessGrant[] {
  return access.grants.filter((g) => g.capabilities.includes(capability));
}
