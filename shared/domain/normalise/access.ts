/**
 * Role assignments and role definitions, from every shape they are exported
 * in: az CLI (`az role assignment list --all --include-inherited`, `az role
 * definition list --custom-role-only`: the SDK model flattened, so
 * principalId, roleDefinitionName, permissions sit at the top level), ARM REST
 * lists (the same fields under `properties`) and Resource Graph
 * `authorizationresources` rows (ARM shape plus tenantId/subscriptionId
 * columns, type lower-cased).
 */
import type { RoleAssignmentRecord, RoleDefinitionRecord, RolePermission, ScopeLevel } from '../types.ts';
import { canonicalArmId, parseArmId } from '../keys.ts';
import { arr, isObj, nonEmpty, obj, type Obj } from './fields.ts';

/** The last path segment of an id, lower-cased (a role definition's GUID). */
export function lastIdSegment(id: string): string {
  const parts = id.split('?')[0]!.split('/').filter((p) => p.length > 0);
  return (parts[parts.length - 1] ?? id).toLowerCase();
}

/** Where a scope sits: `/`, a management group, a subscription, a resource group or a resource. */
export function scopeLevelOf(scope: string): { level: ScopeLevel; managementGroup: string | null } {
  const s = canonicalArmId(scope);
  if (s === '/' || s === '') return { level: 'root', managementGroup: null };
  const mg = /^\/providers\/microsoft\.management\/managementgroups\/([^/]+)$/.exec(s);
  if (mg) {
    // Keep the name's own casing.
    const orig = /managementGroups\/([^/]+)\/?$/i.exec(scope.trim());
    return { level: 'managementGroup', managementGroup: orig ? orig[1]! : mg[1]! };
  }
  if (/^\/subscriptions\/[^/]+$/.test(s)) return { level: 'subscription', managementGroup: null };
  if (/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+$/.test(s)) return { level: 'resourceGroup', managementGroup: null };
  if (/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/.+/.test(s)) return { level: 'resource', managementGroup: null };
  return { level: 'unknown', managementGroup: null };
}

/** The scope an assignment id lives at (the id without `/providers/Microsoft.Authorization/roleAssignments/<guid>`). */
function scopeFromAssignmentId(id: string): string {
  const m = /^(.*?)\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+\/?$/i.exec(id.trim());
  if (!m) return id;
  return m[1] === '' ? '/' : m[1]!;
}

export function normaliseRoleAssignment(raw: Obj, id: string, tenantId: string | null): RoleAssignmentRecord {
  const props = obj(raw, 'properties') ?? raw;
  const scope = nonEmpty(props, 'scope') ?? nonEmpty(raw, 'scope') ?? scopeFromAssignmentId(id);
  const { level, managementGroup } = scopeLevelOf(scope);
  const p = parseArmId(scope);
  const roleDefinitionId = nonEmpty(props, 'roleDefinitionId') ?? nonEmpty(raw, 'roleDefinitionId') ?? '';
  return {
    key: canonicalArmId(id),
    id,
    scope,
    scopeKey: canonicalArmId(scope),
    scopeLevel: level,
    managementGroup,
    subscriptionId: p.subscriptionId,
    resourceGroup: p.resourceGroup,
    roleDefinitionId,
    roleDefinitionKey: roleDefinitionId ? lastIdSegment(roleDefinitionId) : '',
    roleName: nonEmpty(props, 'roleDefinitionName') ?? nonEmpty(raw, 'roleDefinitionName'),
    principalId: (nonEmpty(props, 'principalId') ?? nonEmpty(raw, 'principalId') ?? '').toLowerCase(),
    principalName: nonEmpty(props, 'principalName') ?? nonEmpty(raw, 'principalName'),
    principalType: nonEmpty(props, 'principalType') ?? nonEmpty(raw, 'principalType'),
    condition: nonEmpty(props, 'condition'),
    tenantId,
  };
}

function strings(v: unknown[]): string[] {
  return v.filter((x): x is string => typeof x === 'string');
}

export function normaliseRoleDefinition(raw: Obj, id: string): RoleDefinitionRecord {
  const props = obj(raw, 'properties') ?? raw;
  const permissions: RolePermission[] = arr(props, 'permissions')
    .filter(isObj)
    .map((p) => ({
      actions: strings(arr(p, 'actions')),
      notActions: strings(arr(p, 'notActions')),
      dataActions: strings(arr(p, 'dataActions')),
      notDataActions: strings(arr(p, 'notDataActions')),
    }));
  return {
    key: lastIdSegment(id),
    id,
    roleName: nonEmpty(props, 'roleName'),
    // ARM puts the role's kind in properties.type; az CLI renames it roleType (type is the resource type there).
    roleType: nonEmpty(props, 'roleType') ?? (props !== raw ? nonEmpty(props, 'type') : null),
    description: nonEmpty(props, 'description'),
    assignableScopes: strings(arr(props, 'assignableScopes')),
    permissions,
  };
}
