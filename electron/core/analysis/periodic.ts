/**
 * Analyses across snapshots: policy adherence (jobs and recovery points over
 * time) and the reconciliation of estimated with billed cost.
 */
import fs from 'node:fs';
import type { AdherenceRun, ReconcileRun } from '../../../shared/contract/methods/analysis.ts';
import type { AdherenceSnapshot } from '../../../shared/domain/adherence.ts';
import { policyAdherence } from '../../../shared/domain/adherence.ts';
import { jobNameKey } from '../../../shared/domain/findings.ts';
import type { AuditProfile } from '../../../shared/domain/profile.ts';
import { canonicalArmId } from '../../../shared/domain/keys.ts';
import type { RateCard } from '../../../shared/domain/ratecard.ts';
import { toCents } from '../../../shared/domain/ratecard.ts';
import type { EstimatedVaultMonth } from '../../../shared/domain/reconcile.ts';
import { reconcileCosts } from '../../../shared/domain/reconcile.ts';
import { badInput, badOption } from '../errors.ts';
import type { Store } from '../store/store.ts';
import type { Loaded } from './assets.ts';
import { loadProfile, loadRatecard } from './assets.ts';
import { billedByVaultMonth, importBilling, resolveBilling } from './billing.ts';
import { J } from './load.ts';
import { annotationsFor, runCost } from './run.ts';

export function runAdherence(store: Store, opts: { snapshots?: string[]; windowDays?: number; profile?: Loaded<AuditProfile> } = {}): AdherenceRun {
  const repo = store.snapshots;
  const summaries = opts.snapshots && opts.snapshots.length > 0 ? opts.snapshots.map((r) => repo.resolve(r)) : repo.list();
  if (summaries.length === 0) throw badInput('the store holds no snapshot to measure adherence over');
  const windowDays = opts.windowDays ?? (opts.profile ?? loadProfile()).value.adherence.windowDays;
  const inputs: AdherenceSnapshot[] = summaries.map((s) => {
    const policies = new Map(repo.records(s.id, 'policy').map((p) => [p.key, p]));
    const rows = store.db
      .prepare(`SELECT key, name, vault_key, policy_name, ${J.policyId} AS policy_id FROM items WHERE snapshot_id = ? AND soft_deleted = 0 ORDER BY key`)
      .all(s.id) as Array<{ key: string; name: string; vault_key: string | null; policy_name: string | null; policy_id: string | null }>;
    const byName = new Map<string, string>();
    const items = rows.map((r) => {
      const nk = jobNameKey(r.vault_key, r.name);
      if (nk) byName.set(nk, r.key);
      const p = r.policy_id ? policies.get(canonicalArmId(r.policy_id)) : undefined;
      return { key: r.key, name: r.name, policyName: r.policy_name, scheduleFrequency: p?.scheduleFrequency ?? null };
    });
    const jobs = repo.records(s.id, 'job').map((j) => ({
      itemKey: j.itemKey ?? byName.get(jobNameKey(j.vaultKey, j.entityFriendlyName) ?? '') ?? null,
      operation: j.operation,
      status: j.status,
      startTime: j.startTime,
    }));
    const recoveryPoints = repo.records(s.id, 'recoveryPoint').map((r) => ({ itemKey: r.itemKey, time: r.time }));
    return { asOf: s.asOf, items, jobs, recoveryPoints };
  });
  return { ...policyAdherence(inputs, { windowDays }), snapshotIds: summaries.map((s) => s.id) };
}

export async function runReconcile(
  store: Store,
  opts: { billing: string; snapshots: string[]; ratecard?: Loaded<RateCard>; ratecardPath?: string; sizesId?: string; tolerancePct?: number; now: Date; user: string },
): Promise<ReconcileRun> {
  if (opts.snapshots.length === 0) throw badOption('snapshots', 'reconciliation needs at least one snapshot to estimate from');
  // A path to an export is imported (as its own dataset) first; anything else is a dataset id.
  const billing = fs.existsSync(opts.billing) && fs.statSync(opts.billing).isFile() ? await importBilling(store, opts.billing, { now: opts.now, user: opts.user }) : resolveBilling(store, opts.billing);
  const card = opts.ratecard ?? loadRatecard(opts.ratecardPath);
  const annotations = annotationsFor(store);
  const summaries = opts.snapshots.map((r) => store.snapshots.resolve(r));
  // One snapshot per month: the latest asOf within it.
  const perMonth = new Map<string, (typeof summaries)[number]>();
  for (const s of summaries) {
    const m = s.asOf.slice(0, 7);
    const prev = perMonth.get(m);
    if (!prev || prev.asOf < s.asOf) perMonth.set(m, s);
  }
  const estimates: EstimatedVaultMonth[] = [];
  for (const [month, s] of perMonth) {
    const cost = runCost(store, s.id, { ratecard: card, annotations, ...(opts.sizesId ? { sizesId: opts.sizesId } : {}) });
    for (const v of cost.byVault) {
      estimates.push({ vaultKey: v.group, vaultName: v.label, month, cents: toCents(v.total), complete: v.unknownSize === 0 && v.unpriced === 0, snapshotId: s.id, asOf: s.asOf });
    }
  }
  const report = reconcileCosts(billedByVaultMonth(store, billing.id), estimates, {
    currency: card.value.currency,
    billingCurrency: billing.currency,
    tolerancePct: opts.tolerancePct ?? 10,
  });
  const used = new Set([...perMonth.values()].map((s) => s.id));
  return {
    ...report,
    billing,
    snapshots: summaries.map((s) => ({ id: s.id, asOf: s.asOf, month: s.asOf.slice(0, 7), used: used.has(s.id) })),
    ratecard: { name: card.value.name, version: card.value.version, hash: card.hash },
    sizesId: opts.sizesId ?? null,
  };
}
