/**
 * The analysis entry points over a store: diff, findings, cost (+ delta),
 * sample, adherence and reconciliation. Handlers, the CLI and evidence packs
 * all call these plain functions.
 */
import type { AnnotationIndex } from '../../../shared/domain/annotations.ts';
import type { CostRun, DiffReport, FindingsRun, SampleRun, SizesMatchSummary, SnapshotRefInfo } from '../../../shared/contract/methods/analysis.ts';
import type { CostReport } from '../../../shared/domain/cost.ts';
import { costDelta, costSnapshot } from '../../../shared/domain/cost.ts';
import type { Finding, FindingsInput, FindingsReport } from '../../../shared/domain/findings.ts';
import { evaluateFindings } from '../../../shared/domain/findings.ts';
import type { AuditProfile, Severity } from '../../../shared/domain/profile.ts';
import { atOrAbove, severityRank } from '../../../shared/domain/profile.ts';
import type { RateCard } from '../../../shared/domain/ratecard.ts';
import type { Stratify } from '../../../shared/domain/sample.ts';
import { drawSample } from '../../../shared/domain/sample.ts';
import { matchSizes } from '../../../shared/domain/sizes.ts';
import type { CoverageEntry, SnapshotSummary } from '../../../shared/domain/types.ts';
import { accessInputOf } from '../access/snapshot.ts';
import { loadAnnotationIndex } from '../annotations/repository.ts';
import type { Store } from '../store/store.ts';
import type { Loaded } from './assets.ts';
import { loadProfile, loadRatecard } from './assets.ts';
import { costDeltaSql } from './cost-delta-sql.ts';
import { diffSnapshotsSql } from './diff-sql.ts';
import { configuredTimes, costItems, findingsItems, inventoryIndex, lastBackups, sizesItems, type KeyHalf } from './load.ts';
import { restorePointsIndex } from './restore-points.ts';
import { backupPolicyDefinitions } from '../policy/definitions.ts';
import { resolveSizes, sizesRows } from './sizes.ts';

export function refInfo(s: SnapshotSummary): SnapshotRefInfo {
  return { id: s.id, asOf: s.asOf, contentHash: s.contentHash, label: s.label };
}

/** The annotations analysis uses (owners, criticality, exceptions, size overrides, restore tests). */
export function annotationsFor(store: Store): AnnotationIndex {
  return loadAnnotationIndex(store);
}

export function runDiff(store: Store, baselineRef: string, currentRef: string, opts: { annotations?: AnnotationIndex } = {}): DiffReport {
  return diffOf(store, store.snapshots.resolve(baselineRef), store.snapshots.resolve(currentRef), opts.annotations ?? annotationsFor(store));
}

/** The diff of two already-resolved snapshots. */
export function diffOf(store: Store, a: SnapshotSummary, b: SnapshotSummary, annotations: AnnotationIndex, currentCoverage?: CoverageEntry[]): DiffReport {
  const result = diffSnapshotsSql(store, a.id, b.id, annotations, currentCoverage);
  return { ...result, baseline: refInfo(a), current: refInfo(b) };
}

export function runFindings(store: Store, snapshotRef: string, opts: { profile?: Loaded<AuditProfile>; profilePath?: string; annotations?: AnnotationIndex } = {}): FindingsRun {
  return findingsOf(store, store.snapshots.resolve(snapshotRef), opts.profile ?? loadProfile(opts.profilePath), opts.annotations ?? annotationsFor(store));
}

/** Findings for an already-resolved snapshot. */
export function findingsOf(store: Store, s: SnapshotSummary, profile: Loaded<AuditProfile>, annotations: AnnotationIndex): FindingsRun {
  const report = inOneRead(store, () => evaluateFindings(findingsInputOf(store, s, profile, annotations)));
  return { ...report, snapshot: refInfo(s), profileSource: profile.source };
}

/**
 * Runs `fn` in one read transaction (a savepoint inside one already open), so
 * everything a findings evaluation reads, in several statements, is read from
 * the same state of the store (the inventory's rowids and the items that name
 * them: load.ts inventoryIndex). Also used by the packs' streaming evaluation.
 */
export function inOneRead<T>(store: Store, fn: () => T): T {
  return store.db.transaction(fn)();
}

/**
 * What the findings rules read of an already-resolved snapshot (items streamed from SQL; only one half of them
 * with `half`, findings-split.ts); also used by the packs' streaming evaluation. Read it inside inOneRead.
 */
export function findingsInputOf(store: Store, s: SnapshotSummary, profile: Loaded<AuditProfile>, annotations: AnnotationIndex, half?: KeyHalf): FindingsInput {
  const db = store.db;
  const inventory = inventoryIndex(db, s.id);
  return {
    asOf: s.asOf,
    profile: profile.value,
    profileHash: profile.hash,
    items: findingsItems(db, s.id, inventory, half),
    vaults: store.snapshots.records(s.id, 'vault'),
    policies: store.snapshots.records(s.id, 'policy'),
    inventory,
    protectionConfiguredAt: configuredTimes(db, s.id, s.asOf),
    lastBackupFromJobs: lastBackups(db, s.id, s.asOf),
    annotations,
    restorePoints: restorePointsIndex(db, s.id),
    alerts: { actionGroups: store.snapshots.records(s.id, 'actionGroup'), alertProcessingRules: store.snapshots.records(s.id, 'alertProcessingRule') },
    azurePolicy: { states: store.snapshots.records(s.id, 'policyState'), definitions: backupPolicyDefinitions() },
    access: accessInputOf(store, s.id),
  };
}

export type Priced = { snapshot: SnapshotSummary; report: CostReport; sizesMatch: SizesMatchSummary | null };

/** Prices one already-resolved snapshot: the one place a snapshot's items are costed. */
export function priceSnapshot(store: Store, s: SnapshotSummary, card: Loaded<RateCard>, sizesId: string | undefined, annotations: AnnotationIndex): Priced {
  const { sizes, sizesMatch } = sizesOf(store, s, sizesId);
  const report = costSnapshot({
    items: costItems(store.db, s.id),
    vaults: store.snapshots.records(s.id, 'vault'),
    card: card.value,
    ratecardHash: card.hash,
    annotations,
    ...(sizes ? { sizes } : {}),
  });
  return { snapshot: s, report, sizesMatch };
}

export type SizesLookup = { datasetId: string; get(key: string): { frontEndGb: number | null; storageGb: number | null } | undefined };

/** A sizes dataset matched to a snapshot's items (none without sizesId); also used by the packs' streaming pricing. */
export function sizesOf(store: Store, s: SnapshotSummary, sizesId: string | undefined): { sizes: SizesLookup | undefined; sizesMatch: SizesMatchSummary | null } {
  let sizes: SizesLookup | undefined;
  let sizesMatch: SizesMatchSummary | null = null;
  if (sizesId) {
    const ds = resolveSizes(store, sizesId);
    const m = matchSizes(ds.id, sizesRows(store, ds.id), sizesItems(store.db, s.id));
    sizes = { datasetId: ds.id, get: (k) => m.sizes.get(k) };
    sizesMatch = {
      datasetId: ds.id,
      contentHash: ds.contentHash,
      fileName: ds.fileName,
      matched: m.matched,
      ambiguousRows: m.ambiguousRows.length,
      unmatchedRows: m.unmatchedRows.length,
      examples: { ambiguous: m.ambiguousRows.slice(0, 20), unmatched: m.unmatchedRows.slice(0, 20) },
    };
  }
  return { sizes, sizesMatch };
}

export function runCost(
  store: Store,
  snapshotRef: string,
  opts: { ratecard?: Loaded<RateCard>; ratecardPath?: string; sizesId?: string; compare?: string; annotations?: AnnotationIndex } = {},
): CostRun {
  const s = store.snapshots.resolve(snapshotRef);
  const card = opts.ratecard ?? loadRatecard(opts.ratecardPath);
  const annotations = opts.annotations ?? annotationsFor(store);
  const priced = priceSnapshot(store, s, card, opts.sizesId, annotations);
  if (!opts.compare) return costRunOf(priced, card, null);
  const baseline = store.snapshots.resolve(opts.compare);
  // The delta reprices only the baseline items whose cost inputs differ (cost-delta-sql.ts); else the whole baseline.
  const delta = costDeltaSql(store, baseline.id, s.id, priced.report, { card: card.value, ratecardHash: card.hash, annotations, sizesId: opts.sizesId });
  if (delta === null) return costRunOf(priced, card, priceSnapshot(store, baseline, card, opts.sizesId, annotations));
  return { ...costRunOf(priced, card, null), delta: { ...delta, baseline: refInfo(baseline) } };
}

/** The cost report of a priced snapshot, with the delta against a priced baseline when given. */
export function costRunOf(priced: Priced, card: Loaded<RateCard>, baseline: Priced | null): CostRun {
  const delta: CostRun['delta'] = baseline ? { ...costDelta(baseline.report, priced.report), baseline: refInfo(baseline.snapshot) } : null;
  return { ...priced.report, snapshot: refInfo(priced.snapshot), ratecardSource: card.source, sizesMatch: priced.sizesMatch, delta };
}

/**
 * The --fail-on gate over a run's findings: those at or above the severity
 * that are not excepted (an exception is accepted risk, so it never fails the gate).
 */
export function findingsGate(findings: readonly Finding[], failOn: Severity): NonNullable<FindingsRun['gate']> {
  const count = findings.filter((f) => !f.excepted && atOrAbove(f.severity, failOn)).length;
  return { failOn, failed: count > 0, count };
}

/** Highest severity of the item's findings that are not excepted, or "none". */
export function severityStrata(findings: FindingsReport): Map<string, Severity> {
  const out = new Map<string, Severity>();
  for (const f of findings.findings) {
    if (f.excepted || !f.target.startsWith('item:')) continue;
    const prev = out.get(f.key);
    if (!prev || severityRank[f.severity] > severityRank[prev]) out.set(f.key, f.severity);
  }
  return out;
}

export type SampleOptions = { size: number; seed: string; stratify: Stratify };

export function runSample(
  store: Store,
  snapshotRef: string,
  opts: SampleOptions & { profile?: Loaded<AuditProfile>; profilePath?: string; annotations?: AnnotationIndex },
): SampleRun {
  const s = store.snapshots.resolve(snapshotRef);
  let findings: FindingsRun | null = null;
  if (opts.stratify === 'severity') findings = findingsOf(store, s, opts.profile ?? loadProfile(opts.profilePath), opts.annotations ?? annotationsFor(store));
  return sampleOf(store, s, opts, findings);
}

/**
 * A sample of an already-resolved snapshot. Stratifying by severity needs the
 * snapshot's findings: the caller passes the run it already has.
 */
export function sampleOf(store: Store, s: SnapshotSummary, opts: SampleOptions, findings: FindingsRun | null): SampleRun {
  let strata: ((r: { key: string; vault: string | null; workload: string | null }) => string) | null = null;
  let profileHash: string | null = null;
  if (opts.stratify === 'severity') {
    if (!findings) throw new Error('sampleOf: stratifying by severity needs the findings of the snapshot');
    profileHash = findings.profileHash;
    const sev = severityStrata(findings);
    strata = (r) => sev.get(r.key) ?? 'none';
  } else if (opts.stratify === 'vault') strata = (r) => r.vault ?? '(none)';
  else if (opts.stratify === 'workload') strata = (r) => r.workload?.toLowerCase() ?? '(none)';
  const rows = store.db.prepare(`SELECT key, vault_key AS vault, workload_type AS workload FROM items WHERE snapshot_id = ? ORDER BY key`).all(s.id) as Array<{
    key: string;
    vault: string | null;
    workload: string | null;
  }>;
  const population = rows.map((r) => ({ key: r.key, stratum: strata ? strata(r) : 'all' }));
  return { ...drawSample(population, { size: opts.size, seed: opts.seed, stratify: opts.stratify }), snapshot: refInfo(s), profileHash };
}
