/**
 * Azure Policy against Vaultproof's own coverage. A built-in "Azure Backup
 * should be enabled" definition calls a resource Compliant when a backup item
 * protects it; the snapshot's items say the same thing independently. Where
 * the two disagree, one of them is wrong or stale, and an auditor must know:
 * a VM Policy calls NonCompliant while an item protects it (the policy's
 * evaluation is stale or scoped wrongly), or a VM Policy calls Compliant while
 * no item in the snapshot protects it (the snapshot misses a vault, or the
 * item was removed since Policy last looked).
 */
import type { PolicyStateRecord } from '../types.ts';

export type BackupPolicyDefinition = { name: string; displayName: string; effect: string; protects: 'virtualMachine' | 'disk' | 'fileShare' | 'blob' };

/** What protects a resource, as the snapshot's live items say. */
export type Protector = { itemKey: string; name: string; vault: string | null };

export type PolicyDisagreement = {
  resourceKey: string;
  resourceId: string;
  /** policyNonCompliant: Policy says not backed up, an item protects it; policyCompliant: Policy says backed up, no item does. */
  kind: 'policyNonCompliant' | 'policyCompliant';
  states: Array<{ definition: string; definitionId: string | null; assignment: string | null; complianceState: string | null; timestamp: string | null }>;
  protectors: Protector[];
};

/** A file share state's resource: `.../storageAccounts/{account}/fileServices/default/shares/{share}`. */
export function fileShareParts(resourceKey: string): { accountKey: string; share: string } | null {
  const m = /^(.*\/providers\/microsoft\.storage\/storageaccounts\/[^/]+)\/fileservices\/[^/]+\/shares\/([^/]+)$/.exec(resourceKey);
  return m ? { accountKey: m[1]!, share: m[2]! } : null;
}

export type ReconcileInput = {
  states: readonly PolicyStateRecord[];
  definitions: ReadonlyMap<string, BackupPolicyDefinition>;
  /** Live items by source resource key (several items may protect one resource). */
  protectorsBySource: ReadonlyMap<string, readonly Protector[]>;
  /** Live file-share items by `storageAccountKey|shareName` (lower-case). */
  protectorsByShare: ReadonlyMap<string, readonly Protector[]>;
  /** Subscriptions the snapshot's items come from: a Compliant state elsewhere cannot be checked. */
  itemSubscriptions: ReadonlySet<string>;
};

/** One backup-definition state and what the snapshot's items say about it. */
export type StateVerdict = {
  resourceId: string;
  definition: string;
  assignment: string | null;
  complianceState: string | null;
  timestamp: string | null;
  verdict: 'agrees' | 'disagrees' | 'notChecked';
  protectors: readonly Protector[];
};

export type ReconcileResult = { disagreements: PolicyDisagreement[]; judged: number; notJudged: number; otherDefinitions: number; rows: StateVerdict[] };

export function reconcilePolicy(input: ReconcileInput): ReconcileResult {
  const byResource = new Map<string, PolicyDisagreement>();
  let judged = 0;
  let notJudged = 0;
  let otherDefinitions = 0;
  const rows: StateVerdict[] = [];
  for (const s of input.states) {
    const def = s.policyDefinitionKey ? input.definitions.get(s.policyDefinitionKey) : undefined;
    if (!def) {
      otherDefinitions++;
      continue;
    }
    const state = (s.complianceState ?? '').toLowerCase();
    const row = (verdict: StateVerdict['verdict'], protectors: readonly Protector[]): void => {
      rows.push({ resourceId: s.resourceId, definition: def.displayName, assignment: s.policyAssignmentName ?? s.policyAssignmentId, complianceState: s.complianceState, timestamp: s.timestamp, verdict, protectors });
    };
    if (state !== 'compliant' && state !== 'noncompliant') {
      notJudged++;
      row('notChecked', []);
      continue;
    }
    let protectors: readonly Protector[] = [];
    if (def.protects === 'fileShare') {
      const parts = fileShareParts(s.resourceKey);
      protectors = parts ? (input.protectorsByShare.get(`${parts.accountKey}|${parts.share}`) ?? []) : [];
    } else protectors = input.protectorsBySource.get(s.resourceKey) ?? [];
    if (state === 'compliant' && protectors.length === 0 && !input.itemSubscriptions.has((s.subscriptionId ?? '').toLowerCase())) {
      notJudged++;
      row('notChecked', []);
      continue;
    }
    judged++;
    const kind = state === 'noncompliant' && protectors.length > 0 ? 'policyNonCompliant' : state === 'compliant' && protectors.length === 0 ? 'policyCompliant' : null;
    row(kind ? 'disagrees' : 'agrees', protectors);
    if (!kind) continue;
    const d = byResource.get(s.resourceKey) ?? { resourceKey: s.resourceKey, resourceId: s.resourceId, kind, states: [], protectors: [...protectors] };
    d.states.push({ definition: def.displayName, definitionId: s.policyDefinitionId, assignment: s.policyAssignmentName ?? s.policyAssignmentId, complianceState: s.complianceState, timestamp: s.timestamp });
    byResource.set(s.resourceKey, d);
  }
  const disagreements = [...byResource.values()].sort((a, b) => (a.resourceKey < b.resourceKey ? -1 : a.resourceKey > b.resourceKey ? 1 : 0));
  return { disagreements, judged, notJudged, otherDefinitions, rows };
}
