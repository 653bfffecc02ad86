/**
 * Azure Policy evidence of a snapshot: its backup-definition compliance states
 * reconciled with its live items (shared/domain/policy/reconcile.ts). Read by
 * policy.reconcile (CLI) and the pack; the findings rule runs the same
 * reconciliation during the item pass.
 */
import type { PolicyReport } from '../../../shared/contract/methods/policy.ts';
import type { Protector } from '../../../shared/domain/policy/reconcile.ts';
import { reconcilePolicy } from '../../../shared/domain/policy/reconcile.ts';
import type { Store } from '../store/store.ts';
import { backupPolicyDefinitions } from './definitions.ts';

type Row = { key: string; name: string; vault_name: string | null; workload_type: string | null; subscription_id: string | null; source_resource_key: string | null };

function add(map: Map<string, Protector[]>, key: string, p: Protector): void {
  const list = map.get(key);
  if (list) list.push(p);
  else map.set(key, [p]);
}

export function policyReport(store: Store, snapshotId: string): Omit<PolicyReport, 'snapshot'> {
  const states = store.snapshots.records(snapshotId, 'policyState');
  const definitions = backupPolicyDefinitions();
  const bySource = new Map<string, Protector[]>();
  const byShare = new Map<string, Protector[]>();
  const subs = new Set<string>();
  if (states.length > 0) {
    const stmt = store.db.prepare('SELECT key, name, vault_name, workload_type, subscription_id, source_resource_key FROM items WHERE snapshot_id = ? AND soft_deleted = 0');
    for (const r of stmt.iterate(snapshotId) as Iterable<Row>) {
      if (r.subscription_id) subs.add(r.subscription_id.toLowerCase());
      if (!r.source_resource_key) continue;
      const p: Protector = { itemKey: r.key, name: r.name, vault: r.vault_name };
      add(bySource, r.source_resource_key, p);
      if ((r.workload_type ?? '').toLowerCase() === 'azurefileshare') add(byShare, `${r.source_resource_key}|${r.name.toLowerCase()}`, p);
    }
  }
  const r = reconcilePolicy({ states, definitions, protectorsBySource: bySource, protectorsByShare: byShare, itemSubscriptions: subs });
  return {
    states: states.length,
    backupStates: r.rows.length,
    definitionsKnown: [...definitions.values()].map((d) => ({ name: d.name, displayName: d.displayName })),
    agree: r.rows.filter((x) => x.verdict === 'agrees').length,
    disagree: r.rows.filter((x) => x.verdict === 'disagrees').length,
    notChecked: r.notJudged,
    disagreements: r.disagreements,
    rows: r.rows,
  };
}

export function policyReportOf(store: Store, snapshotRef: string): PolicyReport {
  const s = store.snapshots.resolve(snapshotRef);
  return { snapshot: { id: s.id, asOf: s.asOf, contentHash: s.contentHash, label: s.label }, ...policyReport(store, s.id) };
}
