/** Access evidence of one stored snapshot: its role assignments and custom roles, with the shipped built-ins. */
import type { AccessReport } from '../../../shared/contract/methods/access.ts';
import { UserError } from '../errors.ts';
import type { FindingsAccess } from '../../../shared/domain/findings/types.ts';
import { accessDiff, type AccessDiff } from '../../../shared/domain/access/diff.ts';
import { roleIndex, vaultAccess, type VaultAccess } from '../../../shared/domain/access/vault-access.ts';
import type { Store } from '../store/store.ts';
import { builtInRoles } from './builtin-roles.ts';

export function accessInputOf(store: Store, snapshotId: string): FindingsAccess {
  return {
    assignments: store.snapshots.records(snapshotId, 'roleAssignment'),
    definitions: store.snapshots.records(snapshotId, 'roleDefinition'),
    builtIns: builtInRoles(),
  };
}

/** Per vault: who can delete, stop, weaken, restore and grant; empty grants when the snapshot holds no assignments. */
export function accessReport(store: Store, snapshotId: string): { assignments: number; vaults: VaultAccess[] } {
  const input = accessInputOf(store, snapshotId);
  const roles = roleIndex(input.definitions, input.builtIns);
  const vaults = store.snapshots.records(snapshotId, 'vault').map((v) => vaultAccess(v, input.assignments, roles));
  vaults.sort((a, b) => a.vaultName.localeCompare(b.vaultName) || a.vaultKey.localeCompare(b.vaultKey));
  return { assignments: input.assignments.length, vaults };
}

/** The access.report method's answer: per vault (optionally one vault by name), with what the evidence rests on. */
export function accessReportOf(store: Store, snapshotRef: string, vaultName?: string, baselineRef?: string): AccessReport {
  const s = store.snapshots.resolve(snapshotRef);
  const b = baselineRef ? store.snapshots.resolve(baselineRef) : null;
  if (b && b.id === s.id) throw new UserError('BAD_INPUT', `the baseline is the snapshot itself (${s.id}); choose an earlier one`, { details: { option: 'baseline' } });
  const r = accessReport(store, s.id);
  const vaults = vaultName ? r.vaults.filter((v) => v.vaultName.toLowerCase() === vaultName.toLowerCase()) : r.vaults;
  if (vaultName && vaults.length === 0) {
    throw new UserError('NOT_FOUND', `no vault named "${vaultName}" in snapshot ${s.id} (vaults: ${r.vaults.map((v) => v.vaultName).join(', ') || 'none'})`, { details: { option: 'vault' } });
  }
  const builtIns = builtInRoles();
  const diff = b ? accessDiffOf(store, b.id, s.id) : null;
  const keys = new Set(vaults.map((v) => v.vaultKey));
  return {
    snapshot: { id: s.id, asOf: s.asOf, contentHash: s.contentHash, label: s.label },
    assignments: r.assignments,
    roleDefinitions: store.snapshots.records(s.id, 'roleDefinition').length,
    builtInRoles: { count: builtIns.length, retrieved: [...new Set(builtIns.map((b) => b.source.retrieved))].sort() },
    vaults,
    changes: diff ? { ...diff, changes: diff.changes.filter((c) => !vaultName || keys.has(c.vaultKey)) } : null,
  };
}

/** Access changes from one snapshot to another (diff.run). */
export function accessDiffOf(store: Store, baselineId: string, currentId: string): AccessDiff {
  const before = accessReport(store, baselineId);
  const after = accessReport(store, currentId);
  return accessDiff(before.vaults, after.vaults, before.assignments > 0 && after.assignments > 0);
}
