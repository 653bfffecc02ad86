/**
 * Changes in access between two snapshots: per vault and right, which
 * principals gained or lost it ("2 more principals can delete backup data in
 * rsv-prod"), and changes in the guards (Resource Guard, immutability lock,
 * soft delete always-on). A principal is matched by object id, so a rename is
 * not a change. Vaults are matched by key; a vault in one snapshot only is
 * left to the item diff.
 */
import type { AccessGrant, Capability, VaultAccess } from './vault-access.ts';
import { capabilities, capabilityLabel } from './vault-access.ts';

export type AccessPrincipalRef = { objectId: string; name: string | null; type: string | null; role: string; inheritedFrom: string | null };

export type AccessChange = {
  vault: string;
  vaultKey: string;
  /** A right, or a guard ('resourceGuard' | 'immutabilityLocked' | 'softDeleteAlwaysOn'). */
  what: Capability | 'resourceGuard' | 'immutabilityLocked' | 'softDeleteAlwaysOn';
  before: number | boolean | null;
  after: number | boolean | null;
  added: AccessPrincipalRef[];
  removed: AccessPrincipalRef[];
  sentence: string;
};

export type AccessDiff = {
  /** False when either snapshot holds no role assignments: rights were not compared (guards still are). */
  rightsCompared: boolean;
  changes: AccessChange[];
};

function refs(grants: readonly AccessGrant[], ids: ReadonlySet<string>): AccessPrincipalRef[] {
  const seen = new Set<string>();
  const out: AccessPrincipalRef[] = [];
  for (const g of grants) {
    if (!ids.has(g.principalId) || seen.has(g.principalId)) continue;
    seen.add(g.principalId);
    out.push({ objectId: g.principalId, name: g.principalName, type: g.principalType, role: g.role, inheritedFrom: g.inheritedFrom });
  }
  return out;
}

function holderIds(v: VaultAccess, c: Capability): Set<string> {
  return new Set(v.grants.filter((g) => g.capabilities.includes(c)).map((g) => g.principalId));
}

function principals(n: number, adjective: string): string {
  return `${n} ${adjective} ${n === 1 ? 'principal' : 'principals'}`;
}

const guardWords = {
  resourceGuard: ['a Resource Guard (MUA) now protects', 'no Resource Guard (MUA) protects any more'],
  immutabilityLocked: ['immutability is now locked in', 'immutability is no longer locked in'],
  softDeleteAlwaysOn: ['soft delete is now always on in', 'soft delete is no longer always on in'],
} as const;

export function accessDiff(before: readonly VaultAccess[], after: readonly VaultAccess[], rightsCompared: boolean): AccessDiff {
  const prev = new Map(before.map((v) => [v.vaultKey.toLowerCase(), v]));
  const changes: AccessChange[] = [];
  for (const a of after) {
    const b = prev.get(a.vaultKey.toLowerCase());
    if (!b) continue;
    if (rightsCompared) {
      for (const c of capabilities) {
        const was = holderIds(b, c);
        const now = holderIds(a, c);
        const gained = new Set([...now].filter((id) => !was.has(id)));
        const lost = new Set([...was].filter((id) => !now.has(id)));
        if (gained.size === 0 && lost.size === 0) continue;
        const net = now.size - was.size;
        const sentence =
          net > 0
            ? `${principals(net, 'more')} can ${capabilityLabel[c]} in ${a.vaultName} (${was.size} → ${now.size})`
            : net < 0
              ? `${principals(-net, 'fewer')} can ${capabilityLabel[c]} in ${a.vaultName} (${was.size} → ${now.size})`
              : `${gained.size} gained and ${lost.size} lost the right to ${capabilityLabel[c]} in ${a.vaultName} (still ${now.size})`;
        changes.push({ vault: a.vaultName, vaultKey: a.vaultKey, what: c, before: was.size, after: now.size, added: refs(a.grants, gained), removed: refs(b.grants, lost), sentence });
      }
    }
    const guards: Array<[keyof typeof guardWords, boolean | null, boolean | null]> = [
      ['resourceGuard', b.resourceGuard, a.resourceGuard],
      ['immutabilityLocked', b.immutabilityLocked, a.immutabilityLocked],
      ['softDeleteAlwaysOn', b.softDeleteAlwaysOn, a.softDeleteAlwaysOn],
    ];
    for (const [what, was, now] of guards) {
      if (was === null || now === null || was === now) continue;
      changes.push({ vault: a.vaultName, vaultKey: a.vaultKey, what, before: was, after: now, added: [], removed: [], sentence: `${guardWords[what][now ? 0 : 1]} ${a.vaultName}` });
    }
  }
  return { rightsCompared, changes };
}
