/** The alerts.* methods: alert routing evidence (does a failed backup reach a named receiver, per vault). */
import { z } from 'zod';
import type { VaultRouting } from '../../domain/alerts/routing.ts';
import type { SnapshotRefInfo } from './analysis.ts';
import { snapshotRef } from './snapshots.ts';

export const alertsMethods = {
  'alerts.routing': {
    input: z
      .object({
        snapshot: snapshotRef,
        /** Only the vaults with this name (case-insensitive). */
        vault: z.string().min(1).max(200).optional(),
      })
      .strict(),
  },
} as const;

export type AlertRoutingReport = {
  snapshot: SnapshotRefInfo;
  /** Action groups and alert processing rules in the snapshot (0 and 0: routing was not collected). */
  actionGroups: number;
  alertProcessingRules: number;
  vaults: VaultRouting[];
};

export type AlertsOutputs = {
  'alerts.routing': AlertRoutingReport;
};
