/** Access evidence of one stored snapshot: its role assignments and custom roles, with the shipped built-ins. */
import type { FindingsAccess } from '../../../shared/domain/findings/types.ts';
import { roleIndex, vaultAccess, type VaultAccess } from '../../../shared/domain/access/vaultAccess.ts';
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
