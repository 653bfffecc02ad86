/** The policy.* methods: Azure Policy compliance for backup, reconciled with the snapshot's own coverage. */
import { z } from 'zod';
import type { PolicyDisagreement, StateVerdict } from '../../domain/policy/reconcile.ts';
import type { SnapshotRefInfo } from './analysis.ts';
import { snapshotRef } from './snapshots.ts';

export const policyMethods = {
  'policy.reconcile': {
    input: z.object({ snapshot: snapshotRef }).strict(),
  },
} as const;

export type PolicyReport = {
  snapshot: SnapshotRefInfo;
  /** Policy states in the snapshot, and those of the backup definitions Vaultproof knows. */
  states: number;
  backupStates: number;
  definitionsKnown: Array<{ name: string; displayName: string }>;
  agree: number;
  disagree: number;
  notChecked: number;
  disagreements: PolicyDisagreement[];
  rows: StateVerdict[];
};

export type PolicyOutputs = {
  'policy.reconcile': PolicyReport;
};
