/**
 * Access evidence rules: who can delete, stop, weaken or restore a vault's
 * backups (shared/domain/access), judged against the profile's limits.
 * Evidence lists each principal with object id, name or UPN, type, role,
 * scope and the scope it is inherited from, and their count.
 */
import { resourceTarget } from '../annotations.ts';
import type { AccessGrant, AccessVault, Capability, VaultAccess } from '../access/vault-access.ts';
import { holders, roleIndex, vaultAccess } from '../access/vault-access.ts';
import { lower } from '../findings-facts.ts';
import { accessLimits } from '../profile.ts';
import type { FindingsContext } from './context.ts';
import type { FindingRule } from './rule.ts';
import type { FindingsVault } from './types.ts';

const perContext = new WeakMap<FindingsContext, VaultAccess[]>();

function asAccessVault(v: FindingsVault): AccessVault {
  return {
    key: v.key,
    name: v.name,
    kind: v.kind ?? (/\/microsoft\.dataprotection\//i.test(v.key) ? 'BackupVault' : 'RecoveryServices'),
    subscriptionId: v.subscriptionId ?? null,
    resourceGroup: v.resourceGroup ?? null,
    softDeleteState: v.softDeleteState,
    immutabilityState: v.immutabilityState,
    multiUserAuthorization: v.multiUserAuthorization ?? null,
    resourceGuardProtected: v.resourceGuardProtected ?? null,
  };
}

/** Access per vault for this evaluation, worked out once for all access rules. */
export function accessOf(ctx: FindingsContext): VaultAccess[] {
  let out = perContext.get(ctx);
  if (!out) {
    const a = ctx.input.access;
    const roles = roleIndex(a?.definitions ?? [], a?.builtIns ?? []);
    out = ctx.input.vaults.map((v) => vaultAccess(asAccessVault(v), a?.assignments ?? [], roles));
    perContext.set(ctx, out);
  }
  return out;
}

export type PrincipalEvidence = {
  objectId: string;
  name: string | null;
  type: string | null;
  role: string;
  scope: string;
  inheritedFrom: string | null;
};

export function principalEvidence(grants: readonly AccessGrant[]): PrincipalEvidence[] {
  return grants.map((g) => ({ objectId: g.principalId, name: g.principalName, type: g.principalType, role: g.role, scope: g.scope, inheritedFrom: g.inheritedFrom }));
}

function distinct(grants: readonly AccessGrant[]): number {
  return new Set(grants.map((g) => g.principalId)).size;
}

function needsAssignments(ctx: FindingsContext): string | null {
  if (ctx.input.vaults.length === 0) return 'the snapshot holds no vault records';
  if (!ctx.input.access || ctx.input.access.assignments.length === 0) {
    return 'the snapshot holds no role assignments (import `az role assignment list --all --include-inherited -o json`; `vaultproof kit` prints it)';
  }
  return null;
}

function noteUnresolved(ctx: FindingsContext, rule: 'access-delete-over-limit', all: VaultAccess[]): void {
  const roles = new Set<string>();
  for (const v of all) for (const u of v.unresolved) roles.add(u.roleName ?? u.roleId);
  if (roles.size > 0) {
    ctx.assumptions.push({
      rule,
      note: `${roles.size} role(s) assigned in scope are neither in the snapshot nor among the shipped built-in roles (${[...roles].slice(0, 5).join(', ')}${roles.size > 5 ? ', …' : ''}); their holders are not counted — import \`az role definition list --custom-role-only -o json\``,
    });
  }
}

export const accessDeleteOverLimit: FindingRule = {
  id: 'access-delete-over-limit',
  check: needsAssignments,
  evaluate(ctx) {
    const limit = accessLimits(ctx.profile).maxDeletePrincipals;
    const all = accessOf(ctx);
    for (const v of all) {
      const grants = holders(v, 'deleteBackupData');
      const count = distinct(grants);
      if (count > limit) {
        ctx.emit('access-delete-over-limit', v.vaultKey, resourceTarget(v.vaultKey), { vault: v.vaultName, count, limit, principals: principalEvidence(grants) });
      }
    }
    noteUnresolved(ctx, 'access-delete-over-limit', all);
  },
};

export const accessDeleteWithoutMua: FindingRule = {
  id: 'access-delete-without-mua',
  check: needsAssignments,
  evaluate(ctx) {
    let unknown = 0;
    for (const v of accessOf(ctx)) {
      const grants = holders(v, 'deleteBackupData');
      if (grants.length === 0) continue;
      if (v.resourceGuard === null) unknown++;
      if (v.resourceGuard === true) continue;
      ctx.emit('access-delete-without-mua', v.vaultKey, resourceTarget(v.vaultKey), {
        vault: v.vaultName,
        resourceGuard: v.resourceGuard,
        count: distinct(grants),
        principals: principalEvidence(grants),
      });
    }
    if (unknown > 0) ctx.assumptions.push({ rule: 'access-delete-without-mua', note: `${unknown} vault(s) do not say whether a Resource Guard protects them; counted as not protected` });
  },
};

function approved(g: AccessGrant, approvedGroups: readonly string[]): boolean {
  const names = approvedGroups.map(lower);
  return names.includes(lower(g.principalId)) || (g.principalName !== null && names.includes(lower(g.principalName)));
}

export const accessBroadOrGuest: FindingRule = {
  id: 'access-broad-or-guest',
  check: needsAssignments,
  evaluate(ctx) {
    const { approvedGroups } = accessLimits(ctx.profile);
    const risky: Capability[] = ['deleteBackupData', 'restore'];
    for (const v of accessOf(ctx)) {
      const grants = v.grants.filter((g) => g.capabilities.some((c) => risky.includes(c)) && (g.guest || (g.group && !approved(g, approvedGroups))));
      if (grants.length === 0) continue;
      ctx.emit('access-broad-or-guest', v.vaultKey, resourceTarget(v.vaultKey), {
        vault: v.vaultName,
        count: distinct(grants),
        groups: distinct(grants.filter((g) => g.group)),
        guests: distinct(grants.filter((g) => g.guest)),
        principals: grants.map((g) => ({
          ...principalEvidence([g])[0]!,
          rights: g.capabilities.filter((c) => risky.includes(c)),
          why: g.guest ? 'guest account (#EXT#)' : 'group (members not in the export)',
        })),
      });
    }
  },
};

export const vaultSoftDeleteNotAlwaysOn: FindingRule = {
  id: 'vault-soft-delete-not-always-on',
  check: (ctx) => (ctx.input.vaults.length === 0 ? 'the snapshot holds no vault records' : null),
  evaluate(ctx) {
    let unknown = 0;
    for (const v of ctx.input.vaults) {
      const s = v.softDeleteState;
      if (s === null) {
        unknown++;
        continue;
      }
      // Off is vault-soft-delete-disabled's finding; this rule is about soft delete that someone can still switch off.
      if (['disabled', 'off'].includes(lower(s)) || lower(s) === 'alwayson') continue;
      const a = accessOf(ctx).find((x) => x.vaultKey === v.key);
      const who = a ? holders(a, 'changeSecuritySettings') : [];
      ctx.emit('vault-soft-delete-not-always-on', v.key, resourceTarget(v.key), {
        vault: v.name,
        softDeleteState: s,
        ...(ctx.input.access && ctx.input.access.assignments.length > 0 ? { canTurnOff: distinct(who), principals: principalEvidence(who) } : {}),
      });
    }
    if (unknown === ctx.input.vaults.length) ctx.notEvaluated.set('vault-soft-delete-not-always-on', 'no vault record states its soft-delete state (not collected)');
  },
};
