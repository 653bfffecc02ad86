/**
 * The access evidence a pack shows, and `pack --redact-principals`.
 *
 * Redaction replaces each principal's name/UPN and object id with one
 * pseudonym, `principal-` + the first 12 hex digits of HMAC-SHA256(key,
 * object id), the key drawn at random per pack and never stored. So within
 * a pack the same person is the same pseudonym in every vault, finding, the
 * PDF and the workbook (counts and overlaps stay checkable), while across
 * packs the pseudonyms do not link, and nobody holding a directory can
 * confirm a guess (a plain hash of a UPN or object id could be). Object ids
 * are pseudonymised too: they are stable directory identifiers that would
 * re-identify a principal to anyone with read access to the tenant. The
 * principal's type, role, scope and guest/group flags stay: they are what
 * the evidence is about.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Finding } from '../../../shared/domain/findings.ts';
import type { AccessGrant, VaultAccess } from '../../../shared/domain/access/vault-access.ts';
import type { AccessDiff } from '../../../shared/domain/access/diff.ts';
import { accessDiffOf, accessReport } from '../access/snapshot.ts';
import { builtInRoles } from '../access/builtin-roles.ts';
import type { Store } from '../store/store.ts';
import type { PackAccess } from './model.ts';

export type Pseudonymiser = (objectId: string) => string;

export function pseudonymiser(key: Buffer = randomBytes(32)): Pseudonymiser {
  const seen = new Map<string, string>();
  return (objectId) => {
    const id = objectId.toLowerCase();
    let p = seen.get(id);
    if (!p) {
      p = `principal-${createHmac('sha256', key).update(id).digest('hex').slice(0, 12)}`;
      seen.set(id, p);
    }
    return p;
  };
}

function redactGrant(g: AccessGrant, pseudo: Pseudonymiser): AccessGrant {
  const p = pseudo(g.principalId);
  return { ...g, principalId: p, principalName: p };
}

function redactVault(v: VaultAccess, pseudo: Pseudonymiser): VaultAccess {
  return {
    ...v,
    grants: v.grants.map((g) => redactGrant(g, pseudo)),
    unresolved: v.unresolved.map((u) => ({ ...u, principalId: pseudo(u.principalId), principalName: pseudo(u.principalId) })),
  };
}

function redactDiff(d: AccessDiff, pseudo: Pseudonymiser): AccessDiff {
  const ref = (p: AccessDiff['changes'][number]['added'][number]) => ({ ...p, objectId: pseudo(p.objectId), name: pseudo(p.objectId) });
  return { ...d, changes: d.changes.map((c) => ({ ...c, added: c.added.map(ref), removed: c.removed.map(ref) })) };
}

export function gatherAccess(store: Store, snapshotId: string, pseudo: Pseudonymiser | null, baselineId: string | null = null): PackAccess {
  const r = accessReport(store, snapshotId);
  const changes = baselineId ? accessDiffOf(store, baselineId, snapshotId) : null;
  const builtIns = builtInRoles();
  return {
    assignments: r.assignments,
    roleDefinitions: store.snapshots.records(snapshotId, 'roleDefinition').length,
    builtInRoles: { count: builtIns.length, retrieved: [...new Set(builtIns.map((b) => b.source.retrieved))].sort() },
    redacted: pseudo !== null,
    vaults: pseudo ? r.vaults.map((v) => redactVault(v, pseudo)) : r.vaults,
    changes: changes && pseudo ? redactDiff(changes, pseudo) : changes,
  };
}

/**
 * Redacts the principals in access findings' evidence, in place: the same
 * finding objects feed data/findings.json, the PDF and the workbook.
 */
export function redactFindings(findings: readonly Finding[], pseudo: Pseudonymiser): void {
  for (const f of findings) {
    const list = f.evidence.principals;
    if (!Array.isArray(list)) continue;
    for (const p of list as Array<Record<string, unknown>>) {
      if (typeof p.objectId !== 'string') continue;
      const alias = pseudo(p.objectId);
      p.objectId = alias;
      p.name = alias;
    }
  }
}
