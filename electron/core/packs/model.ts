/**
 * What a pack shows, gathered once and read by every renderer (PDF, workbook,
 * data files). Small parts are held in memory; item lists are streamed from
 * the store through `items()`, so a 100k-item estate never becomes 100k objects.
 *
 * Analysis sections (diff, findings, cost, sample) are null when they were not
 * computed; the renderers then say so instead of showing zeros.
 */
import type { Annotation, AnnotationIndex } from '../../../shared/domain/annotations.ts';
import type { Amount, ItemCost } from '../../../shared/domain/cost.ts';
import type { DiffResult } from '../../../shared/domain/diff.ts';
import type { Finding } from '../../../shared/domain/findings.ts';
import type { AccessDiff } from '../../../shared/domain/access/diff.ts';
import type { VaultAccess } from '../../../shared/domain/access/vault-access.ts';
import type { RestoreCatalog } from '../restore/catalog.ts';
import type { RoutingChange, VaultRouting } from '../../../shared/domain/alerts/routing.ts';
import type { PolicyReport } from '../../../shared/contract/methods/policy.ts';
import type { BackupItem, CoverageEntry, Provenance, SnapshotSummary } from '../../../shared/domain/types.ts';

/** The item fields the renderers read, straight from the store's columns (no JSON parse per item). */
export type ItemLite = Pick<
  BackupItem,
  | 'key'
  | 'id'
  | 'name'
  | 'vaultKey'
  | 'vaultName'
  | 'vaultId'
  | 'subscriptionId'
  | 'tenantId'
  | 'resourceGroup'
  | 'workloadType'
  | 'backupManagementType'
  | 'protectionState'
  | 'healthStatus'
  | 'protectedItemHealthStatus'
  | 'lastBackupStatus'
  | 'lastBackupTime'
  | 'neverBackedUp'
  | 'lastRecoveryPoint'
  | 'recoveryPointCount'
  | 'policyName'
  | 'softDeleted'
  | 'sizeGb'
  | 'sourceResourceKey'
  | 'sourceResourceId'
>;

export type SnapshotInfo = {
  summary: SnapshotSummary;
  provenance: Provenance;
  coverage: CoverageEntry[];
  recordCounts: Record<string, number>;
};

/**
 * The analysis's findings, streamed (100k-item estates have ~200k: they are
 * spooled to disk, never held; see electron/core/analysis/stream-findings.ts).
 */
export type PackFindings = {
  asOf: string;
  profileHash: string | null;
  notEvaluated: Array<{ rule: string; reason: string }>;
  /** Rules with findings, in the analysis's order (most severe first, then catalogue order), with their counts. */
  rules: ReadonlyArray<{ rule: string; severity: string; count: number; excepted: number }>;
  total: number;
  /** Every finding, in the analysis's order (a new read each call). */
  all(): Iterable<Finding>;
  /** One rule's findings, in key order. */
  ofRule(rule: string): Iterable<Finding>;
  /** Open findings of the item at this ordinal of items() (key order) and their worst severity; null when none. */
  ofItem(ordinal: number, key: string): { open: number; worst: string } | null;
};

/** A finding's subject for people: item findings carry the item's name, vault findings the vault's. */
export function findingName(f: Finding, nameOf: (key: string) => string): string {
  const n = f.evidence.name ?? f.evidence.vault;
  return typeof n === 'string' && n !== '' ? n : nameOf(f.key);
}

/** A money or size figure, or null when the analysis says "unknown" / "unpriced". */
export function amount(a: Amount | number | 'unknown' | null | undefined): number | null {
  return typeof a === 'number' ? a : null;
}

/** A vault's monthly cost: `before`/`after` are numbers only when every item of the vault is priced; the texts say the rest in words. */
export type PackCostGroup = { group: string; items: number; before: number | null; after: number | null; beforeText: string | null; afterText: string };

/** A total as the domain states it (see describeTotal): `total` is null unless every billable item is priced. */
export type PackCostTotal = { total: number | null; pricedTotal: number; pricedItems: number; billableItems: number; text: string };

export type PackCost = {
  currency: string;
  rounding: string;
  /** After (the pack's snapshot). */
  after: PackCostTotal;
  /** Before (the baseline), when compared. */
  before: PackCostTotal | null;
  /** After minus before, only when both are complete; null otherwise (two lower bounds make no saving). */
  change: number | null;
  /** Rate-card entries used whose figures the card marks unconfirmed. */
  unconfirmedFees: string[];
  unknownSize: number;
  unpriced: number;
  byVault: PackCostGroup[];
  /** Every item's cost, in key order (priced again from the store on each call). */
  items(): Iterable<ItemCost>;
  /** A lookup of item totals for keys asked in items() order (a new walk each call; close() when done); null when the item has no cost. */
  totals(): { of(key: string): Amount | null; close(): void };
  vaultNames: ReadonlyMap<string, string | null>;
  /** Delta explained: savings from removed items, new cost from added ones, change on kept items. */
  delta: { removed: number; added: number; changed: number } | null;
};

export type PackSample = { seed: string; size: number; method: string; keys: string[] };

export type HashedDocument = { name: string; version: string | null; sha256: string; json: unknown };

export type PackAnalysis = {
  diff: DiffResult | null;
  findings: PackFindings | null;
  cost: PackCost | null;
  sample: PackSample | null;
  profile: HashedDocument | null;
  ratecard: (HashedDocument & { currency: string; effectiveDate: string; source: string }) | null;
  sizes: { id: string; sha256: string | null } | null;
  /** Things analysis could not do, in words (shown under methodology). */
  notes: string[];
};

export type CountBy = Array<{ label: string; count: number }>;

export type EstateStats = {
  items: number;
  protectedItems: number;
  /** Per workload: counts per protection group (see protectionGroup). */
  byWorkload: Array<{ workload: string; total: number; groups: Record<string, number> }>;
  byGroup: CountBy;
  vaults: Array<{ vaultKey: string; name: string; subscriptionId: string | null; items: number }>;
  subscriptions: string[];
  tenants: string[];
  lastBackupFailed: number;
  softDeleted: number;
  neverBackedUp: number;
};

export type ExceptionRow = { target: string; name: string; owner: string | null; entry: Annotation['exceptions'][number]; activeAtAsOf: boolean };
export type RestoreTestRow = { target: string; name: string; owner: string | null; test: Annotation['restoreTests'][number] };
export type OwnerRow = { target: string; name: string; owner: string | null; ownerEmail: string | null; team: string | null; costCentre: string | null; criticality: string | null; decision: string | null };

/** Access evidence of the pack's snapshot (see electron/core/packs/access.ts). */
export type PackAccess = {
  assignments: number;
  roleDefinitions: number;
  builtInRoles: { count: number; retrieved: string[] };
  /** Names, UPNs and object ids replaced by per-pack pseudonyms (pack --redact-principals). */
  redacted: boolean;
  vaults: VaultAccess[];
  /** Changes since the baseline snapshot (pack --compare); null without one. */
  changes: AccessDiff | null;
};

export type PackModel = {
  packId: string;
  createdAt: string;
  createdBy: string;
  toolVersion: string;
  current: SnapshotInfo;
  baseline: SnapshotInfo | null;
  stats: EstateStats;
  baselineStats: EstateStats | null;
  analysis: PackAnalysis;
  annotations: AnnotationIndex;
  annotationLogHead: { count: number; hash: string } | null;
  exceptions: ExceptionRow[];
  restoreTests: RestoreTestRow[];
  owners: OwnerRow[];
  /** Item name by key for both snapshots (for changes and findings). */
  nameOf(key: string): string;
  /** Owner of a finding's subject: its own target, then (for items) the source resource's annotation. */
  ownerOf(key: string, target: string): string | null;
  /** Streams the pack snapshot's items in key order (the fields the renderers use). */
  items(): Iterable<ItemLite>;
  /** A baseline item (removed items are shown from the baseline). */
  baselineItem(key: string): BackupItem | null;
  currentItem(key: string): BackupItem | null;
  portalBase: string;
  /** The tenant for portal links, when the estate has exactly one. */
  portalTenant: string | null;
  signing: { timeSource: 'signer clock' | 'rfc3161'; tsaUrl: string | null; signer: string };
  /** Cap on the PDF item appendix; the workbook always has every item. */
  appendixCap: number;
  /** Access evidence; absent in models built before it existed (renderers then skip it). */
  access?: PackAccess | null;
  /** Restore catalog (restore readiness); absent in models built before it existed (renderers then skip it). */
  restore?: RestoreCatalog | null;
  /** Alert routing per vault; absent in models built before it existed. */
  alerts?: { vaults: VaultRouting[]; actionGroups: number; alertProcessingRules: number; changes?: { compared: boolean; changes: RoutingChange[] } | null } | null;
  /** Azure Policy backup compliance reconciled with the items; absent in models built before it existed. */
  policy?: Omit<PolicyReport, 'snapshot'> | null;
};

export function ownerOfItem(ann: AnnotationIndex, item: Pick<BackupItem, 'key' | 'sourceResourceKey'>): Annotation | null {
  if (ann.size === 0) return null;
  return ann.get(`item:${item.key}`) ?? (item.sourceResourceKey ? ann.get(`resource:${item.sourceResourceKey}`) ?? null : null);
}

/** Azure portal link for an item: its source resource when known, else its vault's backup items, else the item id. */
export function portalLink(base: string, item: Pick<BackupItem, 'id' | 'sourceResourceId' | 'vaultId' | 'tenantId'>, tenantHint: string | null = null): string {
  const t = item.tenantId ?? tenantHint;
  const tenant = t ? `@${t}` : '';
  const vaultPath = item.vaultId ? item.vaultId.replace(/^https?:\/\/[^/]+/i, '') : null;
  const target = item.sourceResourceId ?? (vaultPath ? `${vaultPath}/backupItems` : item.id);
  return `${base}/#${tenant}/resource${target.startsWith('/') ? '' : '/'}${target}`;
}

export function portalBaseFor(provenance: Provenance): string {
  const cloud = String(provenance.cloud ?? '').toLowerCase();
  if (cloud.includes('usgov')) return 'https://portal.azure.us';
  if (cloud.includes('china')) return 'https://portal.azure.cn';
  return 'https://portal.azure.com';
}

/** Protection groups used in charts and summary (from protectionState and soft delete). */
export const protectionGroups = ['Protected', 'Initial backup pending', 'Stopped', 'Error', 'Soft-deleted', 'Other'] as const;

export function protectionGroup(item: Pick<BackupItem, 'protectionState' | 'softDeleted'>): (typeof protectionGroups)[number] {
  if (item.softDeleted) return 'Soft-deleted';
  const s = (item.protectionState ?? '').toLowerCase();
  if (s === 'protected' || s === 'protectionconfigured') return 'Protected';
  if (s === 'irpending' || s === 'configuringprotection') return 'Initial backup pending';
  if (s === 'protectionstopped' || s === 'protectionpaused' || s === 'backupssuspended' || s === 'stopprotection') return 'Stopped';
  if (s === 'protectionerror' || s === 'configuringprotectionfailed' || s === 'protectionfailed') return 'Error';
  return 'Other';
}

export const severityOrder = ['critical', 'high', 'medium', 'low', 'info'];

export function severityIndex(s: string): number {
  const i = severityOrder.indexOf(s.toLowerCase());
  return i < 0 ? severityOrder.length : i;
}
