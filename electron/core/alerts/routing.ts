/**
 * Alert routing of a snapshot, from its vault, action group and alert
 * processing rule records (the rules are in shared/domain/alerts). Read by
 * alerts.routing (CLI), diff.run and the pack.
 */
import type { AlertRoutingReport } from '../../../shared/contract/methods/alerts.ts';
import type { RoutingChange, RoutingVault, VaultRouting } from '../../../shared/domain/alerts/routing.ts';
import { alertRouting, routingDiff } from '../../../shared/domain/alerts/routing.ts';
import { UserError } from '../errors.ts';
import type { Store } from '../store/store.ts';

export function routingOf(store: Store, snapshotId: string): { vaults: VaultRouting[]; actionGroups: number; alertProcessingRules: number } {
  const vaults: RoutingVault[] = store.snapshots.records(snapshotId, 'vault').map((v) => ({ key: v.key, id: v.id, name: v.name, kind: v.kind, monitoringSettings: v.monitoringSettings ?? null }));
  const actionGroups = store.snapshots.records(snapshotId, 'actionGroup');
  const alertProcessingRules = store.snapshots.records(snapshotId, 'alertProcessingRule');
  return { vaults: alertRouting({ vaults, actionGroups, alertProcessingRules }), actionGroups: actionGroups.length, alertProcessingRules: alertProcessingRules.length };
}

/** The alerts.routing method's answer, optionally one vault by name. */
export function alertRoutingReportOf(store: Store, snapshotRef: string, vaultName?: string): AlertRoutingReport {
  const s = store.snapshots.resolve(snapshotRef);
  const r = routingOf(store, s.id);
  const vaults = vaultName ? r.vaults.filter((v) => v.vaultName.toLowerCase() === vaultName.toLowerCase()) : r.vaults;
  if (vaultName && vaults.length === 0) {
    throw new UserError('NOT_FOUND', `no vault named "${vaultName}" in snapshot ${s.id} (vaults: ${r.vaults.map((v) => v.vaultName).join(', ') || 'none'})`, { details: { option: 'vault' } });
  }
  return { snapshot: { id: s.id, asOf: s.asOf, contentHash: s.contentHash, label: s.label }, actionGroups: r.actionGroups, alertProcessingRules: r.alertProcessingRules, vaults };
}

/** Changes in alert routing between two snapshots (diff.run); compared only when both hold some routing. */
export function alertRoutingDiffOf(store: Store, baselineId: string, currentId: string): { compared: boolean; changes: RoutingChange[] } {
  const a = routingOf(store, baselineId);
  const b = routingOf(store, currentId);
  const compared = a.actionGroups + a.alertProcessingRules > 0 && b.actionGroups + b.alertProcessingRules > 0;
  return { compared, changes: compared ? routingDiff(a.vaults, b.vaults) : [] };
}
