/** The access.* methods: access evidence (who can delete, stop, weaken or restore each vault's backups). */
import { z } from 'zod';
import type { VaultAccess } from '../../domain/access/vault-access.ts';
import type { AccessDiff } from '../../domain/access/diff.ts';
import type { Finding } from '../../domain/findings.ts';
import type { SnapshotRefInfo } from './analysis.ts';
import { snapshotRef } from './snapshots.ts';

export const accessMethods = {
  'access.report': {
    input: z
      .object({
        snapshot: snapshotRef,
        /** Only the vaults with this name (case-insensitive). */
        vault: z.string().min(1).max(200).optional(),
        /** A snapshot to compare with: `changes` then says who gained or lost each right since it. */
        baseline: snapshotRef.optional(),
      })
      .strict(),
  },
  /**
   * The findings of the access rules (shared/domain/access/rules.ts) under the default audit profile, as findings.run
   * lists them: the Access view shows them per vault without the snapshot's whole evaluation (issue 17).
   */
  'access.findings': { input: z.object({ snapshot: snapshotRef }).strict() },
} as const;

export type AccessReport = {
  snapshot: SnapshotRefInfo;
  /** Role assignments in the snapshot (0: the snapshot holds none, so every vault shows no grants). */
  assignments: number;
  roleDefinitions: number;
  /** The shipped built-in role definitions: how many and when they were copied from Microsoft's reference. */
  builtInRoles: { count: number; retrieved: string[] };
  vaults: VaultAccess[];
  /** Changes in access since the baseline, when one was given (narrowed to the vault asked for); null otherwise. */
  changes: AccessDiff | null;
};

export type AccessOutputs = {
  'access.report': AccessReport;
  'access.findings': Finding[];
};
