/**
 * The diff of two stored snapshots in SQL, on the items table clustered by
 * (snapshot, key) (migration 011): one walk of the baseline, LEFT JOINed by key to the current
 * snapshot, hands JS the rows gone from it (removed) and, for items in both,
 * the rows where a diff field may differ (a superset: `compareItems`, the
 * reference's own comparison, decides); added rows come from a walk of the
 * current snapshot. Unchanged rows are counted per group in SQL and never
 * loaded. A day-to-day pair, where every row hash changes because every
 * last-backup time moved, therefore still loads only the rows that changed.
 */
import type { AnnotationIndex } from '../../../shared/domain/annotations.ts';
import { ownerFor } from '../../../shared/domain/annotation-lookup.ts';
import { coverageLookup } from '../../../shared/domain/coverage.ts';
import type { DiffResult, RollupKeys } from '../../../shared/domain/diff.ts';
import { NO_OWNER, RollupBuilder, comparableFields, compareItems, fieldText, groupKey, removalReason, sideFrom } from '../../../shared/domain/diff.ts';
import { canonicalArmId } from '../../../shared/domain/keys.ts';
import type { CoverageEntry } from '../../../shared/domain/types.ts';
import type { Store } from '../store/store.ts';
import { J, diffItemOf, type DiffRow } from './load.ts';

const PLAIN = ['key', 'subscription_id', 'vault_key', 'workload_type', 'protection_state', 'protection_status', 'policy_name', 'health_status', 'last_backup_status', 'soft_deleted', 'size_gb', 'source_resource_key'];

function cols(alias: string, prefix: string): string {
  const plain = PLAIN.map((c) => `${alias}.${c} AS ${prefix}${c}`);
  const json = [`${alias}.${J.policyId} AS ${prefix}policy_id`, `${alias}.${J.pihs} AS ${prefix}pihs`, `${alias}.${J.archive} AS ${prefix}archive`];
  return [...plain, ...json].join(', ');
}

/**
 * True when some diff field may differ. Equal here implies equal for
 * compareItems (strings compared lower-cased, ids lower-cased — canonical ids
 * only differ by case and spelling that lower() keeps distinct), so no change
 * is ever missed; rows flagged here may still compare equal in JS.
 */
const MAY_DIFFER = `(
  lower(a.protection_state) IS NOT lower(b.protection_state)
  OR lower(a.${J.policyId}) IS NOT lower(b.${J.policyId})
  OR lower(a.policy_name) IS NOT lower(b.policy_name)
  OR lower(a.protection_status) IS NOT lower(b.protection_status)
  OR lower(a.health_status) IS NOT lower(b.health_status)
  OR lower(a.${J.pihs}) IS NOT lower(b.${J.pihs})
  OR lower(a.last_backup_status) IS NOT lower(b.last_backup_status)
  OR a.soft_deleted IS NOT b.soft_deleted
  OR a.${J.archive} IS NOT b.${J.archive}
  OR a.size_gb IS NOT b.size_gb)`;

/** Rows whose policy's retention or vault's redundancy changed between the snapshots (their own fields may be equal). */
function suspectSql(anyVault: boolean, anyPolicy: boolean): string {
  const parts: string[] = [];
  if (anyVault) parts.push('coalesce(b.vault_key IN (SELECT value FROM json_each(@vaults)), 0)');
  if (anyPolicy) parts.push(`coalesce(vp_canonical_arm_id(b.${J.policyId}) IN (SELECT value FROM json_each(@policies)), 0)`);
  return parts.length === 0 ? '0' : `(${parts.join(' OR ')})`;
}

function split(row: Record<string, unknown>, prefix: string): DiffRow {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out as DiffRow;
}

/** Keys present on either side whose comparable text differs (or that exist on one side only). */
function changedSideKeys<T>(a: ReadonlyMap<string, T> | null, b: ReadonlyMap<string, T> | null, text: (v: T) => string | null): string[] {
  if (!a || !b) return [];
  const out: string[] = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(k);
    const y = b.get(k);
    if ((x ? text(x) : null) !== (y ? text(y) : null)) out.push(k);
  }
  return out;
}

function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Loads the owners into a temp table so unchanged rows can be grouped by owner in SQL. Returns false when nobody has an owner. */
function stageOwners(store: Store, annotations: AnnotationIndex): boolean {
  const db = store.db;
  db.exec('CREATE TEMP TABLE IF NOT EXISTS analysis_owners (target TEXT PRIMARY KEY, owner TEXT NOT NULL)');
  db.exec('DELETE FROM temp.analysis_owners');
  let any = false;
  const ins = db.prepare('INSERT OR REPLACE INTO temp.analysis_owners (target, owner) VALUES (?, ?)');
  db.transaction(() => {
    for (const [target, a] of annotations) {
      if (a.owner !== null) {
        ins.run(target, a.owner);
        any = true;
      }
    }
  })();
  return any;
}

/** `currentCoverage`: the current snapshot's coverage when the caller already read it (a pack reads it once). */
export function diffSnapshotsSql(store: Store, baselineId: string, currentId: string, annotations: AnnotationIndex = new Map(), currentCoverage?: CoverageEntry[]): DiffResult {
  const db = store.db;
  const repo = store.snapshots;
  db.function('vp_canonical_arm_id', { deterministic: true }, (id: unknown) => (typeof id === 'string' ? canonicalArmId(id) : null));
  const sideA = sideFrom(repo.records(baselineId, 'policy'), repo.records(baselineId, 'vault'));
  const sideB = sideFrom(repo.records(currentId, 'policy'), repo.records(currentId, 'vault'));
  const { fields, notCompared } = comparableFields(sideA, sideB);
  const cov = coverageLookup(currentCoverage ?? repo.detail(currentId).coverage);
  const roll = new RollupBuilder();
  const keysOf = (r: { subscription_id: string | null; vault_key: string | null; workload_type: string | null; key: string; source_resource_key: string | null }): RollupKeys => ({
    subscriptionId: r.subscription_id,
    vaultKey: r.vault_key,
    workloadType: r.workload_type,
    owner: ownerFor(annotations, r.key, r.source_resource_key),
  });
  const changedVaults = fields.includes('vaultRedundancy') ? changedSideKeys(sideA.vaults, sideB.vaults, (v) => fieldText('vaultRedundancy', v)) : [];
  const changedPolicies = fields.includes('retention') ? changedSideKeys(sideA.policies, sideB.policies, (p) => fieldText('retention', p)) : [];
  const params: Record<string, string> = { a: baselineId, b: currentId };
  if (changedVaults.length > 0) params.vaults = JSON.stringify(changedVaults);
  if (changedPolicies.length > 0) params.policies = JSON.stringify(changedPolicies);

  type Side = { key: string; subscription_id: string | null; vault_key: string | null; workload_type: string | null; source_resource_key: string | null };
  const addedRows = db
    .prepare(`SELECT b.key, b.subscription_id, b.vault_key, b.workload_type, b.source_resource_key FROM items b
      WHERE b.snapshot_id = @b AND NOT EXISTS (SELECT 1 FROM items a WHERE a.snapshot_id = @a AND a.key = b.key) ORDER BY b.key`)
    .all(params) as Side[];

  const removed: DiffResult['removed'] = [];
  const added = addedRows.map((r) => {
    roll.add('added', keysOf(r));
    return r.key;
  });

  const changed: DiffResult['changed'] = [];
  let unchanged = 0;
  const candidate = `((a.row_hash <> b.row_hash AND ${MAY_DIFFER}) OR ${suspectSql(changedVaults.length > 0, changedPolicies.length > 0)})`;
  // One walk of the baseline: its rows gone from the current snapshot (b.key IS NULL) and the candidates in both.
  const join = `FROM items a LEFT JOIN items b ON b.snapshot_id = @b AND b.key = a.key WHERE a.snapshot_id = @a`;
  const candidates: DiffRow[] = [];
  for (const row of db.prepare(`SELECT ${cols('a', 'a_')}, ${cols('b', 'b_')} ${join} AND (b.key IS NULL OR ${candidate}) ORDER BY a.key`).iterate(params) as Iterable<Record<string, unknown>>) {
    const ra = split(row, 'a_');
    if (row.b_key === null) {
      const reason = removalReason({ vaultKey: ra.vault_key, subscriptionId: ra.subscription_id }, cov);
      removed.push({ key: ra.key, reason });
      roll.add(reason === 'notCollected' ? 'notCollected' : 'removed', keysOf(ra));
      continue;
    }
    const rb = split(row, 'b_');
    candidates.push(rb);
    const c = compareItems(diffItemOf(ra), diffItemOf(rb), sideA, sideB, fields);
    if (c === null) {
      unchanged++;
      roll.add('unchanged', keysOf(rb));
    } else if ('removed' in c) {
      removed.push({ key: ra.key, reason: c.removed });
      roll.add('removed', keysOf(ra));
    } else {
      changed.push({ key: rb.key, fields: c.fields });
      roll.add('changed', keysOf(rb));
    }
  }

  // Everything else in both snapshots is unchanged. Counted per group in SQL over the current
  // snapshot alone (no join, no sort of the pair), minus the added and candidate rows counted above;
  // the owner comes through a temp table when anyone has one.
  const withOwners = annotations.size > 0 && stageOwners(store, annotations);
  const ownerExpr = withOwners
    ? `COALESCE((SELECT owner FROM temp.analysis_owners WHERE target = 'item:' || b.key), (SELECT owner FROM temp.analysis_owners WHERE target = 'resource:' || b.source_resource_key))`
    : 'NULL';
  const groups = db
    .prepare(`SELECT b.subscription_id AS s, b.vault_key AS v, b.workload_type AS w, ${ownerExpr} AS o, COUNT(*) AS n FROM items b WHERE b.snapshot_id = @b GROUP BY s, v, w, o`)
    .all(params) as Array<{ s: string | null; v: string | null; w: string | null; o: string | null; n: number }>;
  const bump = (k: RollupKeys, n: number): void => {
    roll.bump('subscription', groupKey(k.subscriptionId), 'unchanged', n);
    roll.bump('vault', groupKey(k.vaultKey), 'unchanged', n);
    roll.bump('workload', groupKey(k.workloadType), 'unchanged', n);
    roll.bump('owner', k.owner ?? NO_OWNER, 'unchanged', n);
  };
  for (const g of groups) {
    unchanged += g.n;
    bump({ subscriptionId: g.s, vaultKey: g.v, workloadType: g.w, owner: g.o }, g.n);
  }
  for (const r of addedRows) {
    unchanged--;
    bump(keysOf(r), -1);
  }
  for (const r of candidates) {
    unchanged--;
    bump(keysOf(r), -1);
  }

  added.sort(byKey);
  removed.sort((x, y) => byKey(x.key, y.key));
  changed.sort((x, y) => byKey(x.key, y.key));
  return { added, removed, changed, unchanged, notCompared, rollups: roll.build() };
}
