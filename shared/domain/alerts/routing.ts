/**
 * Alert routing evidence: for each vault, whether a failed backup job reaches
 * a named receiver. Built-in Azure Monitor alerts for job failures raise an
 * alert in the vault; nobody hears of it unless an alert processing rule whose
 * scope covers the vault adds an action group with an enabled receiver. A rule
 * that removes all action groups silences the vault.
 *
 * Conditions are judged for a backup job-failure alert (monitor service
 * "Azure Backup", target type the vault's): a condition on a field that alert
 * does not let us know (severity, alert rule name, description, …) is an
 * assumption, stated in the route, never silently taken as a match.
 */
import type { ActionGroupReceiver, ActionGroupRecord, AlertProcessingRuleRecord, VaultRecord } from '../types.ts';

export type RoutingVault = Pick<VaultRecord, 'key' | 'id' | 'name' | 'kind' | 'monitoringSettings'>;

export type ReachedReceiver = ActionGroupReceiver & { actionGroup: string; actionGroupId: string; rule: string };

export type RuleMatch = 'matches' | 'assumed' | 'excluded';

export type VaultRouting = {
  vaultKey: string;
  vaultName: string;
  /** Enabled | Disabled | null (not collected). */
  jobFailureAlerts: string | null;
  /** reaches: a failed backup reaches at least one named receiver; noOne: it reaches nobody; unknown: the snapshot cannot tell. */
  verdict: 'reaches' | 'noOne' | 'unknown';
  why: string;
  receivers: ReachedReceiver[];
  /** Rules whose scope covers the vault, with how they apply to a backup job-failure alert. */
  rules: Array<{ name: string; id: string; action: 'add' | 'remove'; match: RuleMatch; notes: string[]; enabled: boolean | null; scheduled: boolean }>;
};

export type RoutingInput = {
  vaults: readonly RoutingVault[];
  actionGroups: readonly ActionGroupRecord[];
  alertProcessingRules: readonly AlertProcessingRuleRecord[];
};

/** A scope covers a resource when the resource id equals it or lies under it (case-insensitive, whole segments). */
export function scopeCovers(scope: string, resourceId: string): boolean {
  const s = scope.toLowerCase().replace(/\/+$/, '');
  const r = resourceId.toLowerCase();
  return r === s || r.startsWith(`${s}/`);
}

const BACKUP_SERVICE = 'azure backup';

function targetType(kind: RoutingVault['kind']): string {
  return kind === 'BackupVault' ? 'microsoft.dataprotection/backupvaults' : 'microsoft.recoveryservices/vaults';
}

/** How one condition applies to a job-failure alert of this vault. */
function conditionMatch(c: AlertProcessingRuleRecord['conditions'][number], v: RoutingVault): { match: RuleMatch; note: string | null } {
  const field = (c.field ?? '').toLowerCase();
  const op = (c.operator ?? '').toLowerCase();
  const values = c.values.map((x) => x.toLowerCase());
  let known: string | null = null;
  if (field === 'monitorservice') known = BACKUP_SERVICE;
  else if (field === 'targetresourcetype') known = targetType(v.kind);
  else if (field === 'targetresource') known = v.id.toLowerCase();
  else if (field === 'targetresourcegroup') known = (/\/resourcegroups\/([^/]+)/i.exec(v.id)?.[1] ?? '').toLowerCase();
  if (known === null) return { match: 'assumed', note: `condition on ${c.field ?? 'an unnamed field'} assumed to include backup job failures` };
  const hit = op === 'contains' ? values.some((x) => known!.includes(x)) : op === 'doesnotcontain' ? !values.some((x) => known!.includes(x)) : op === 'notequals' ? !values.includes(known) : values.includes(known);
  return hit ? { match: 'matches', note: null } : { match: 'excluded', note: `${c.field} ${c.operator} ${c.values.join(', ')} excludes this vault's backup alerts` };
}

function ruleMatch(rule: AlertProcessingRuleRecord, v: RoutingVault): { match: RuleMatch; notes: string[] } {
  const notes: string[] = [];
  let match: RuleMatch = 'matches';
  for (const c of rule.conditions) {
    const m = conditionMatch(c, v);
    if (m.note) notes.push(m.note);
    if (m.match === 'excluded') match = 'excluded';
    else if (m.match === 'assumed' && match === 'matches') match = 'assumed';
  }
  if (rule.scheduled) notes.push('applies only at scheduled times');
  return { match, notes };
}

const isReceiverOn = (r: ActionGroupReceiver): boolean => r.status === null || !/^disabled$/i.test(r.status);

export function vaultRouting(v: RoutingVault, groups: ReadonlyMap<string, ActionGroupRecord>, rules: readonly AlertProcessingRuleRecord[], routingCollected: boolean): VaultRouting {
  const jfa = v.monitoringSettings?.jobFailureAlerts ?? null;
  const covering = rules.filter((r) => r.scopes.some((s) => scopeCovers(s, v.id)));
  const ruleRows: VaultRouting['rules'] = [];
  const receivers: ReachedReceiver[] = [];
  let silenced: string | null = null;
  const missingGroups: string[] = [];
  for (const r of covering) {
    const { match, notes } = ruleMatch(r, v);
    const remove = r.actions.some((a) => /^removeallactiongroups$/i.test(a.actionType ?? ''));
    ruleRows.push({ name: r.name, id: r.id, action: remove ? 'remove' : 'add', match, notes, enabled: r.enabled, scheduled: r.scheduled });
    if (r.enabled === false || match === 'excluded') continue;
    // A scheduled suppression leaves the other hours open; only an always-on one silences the vault.
    if (remove) {
      if (!r.scheduled) silenced = r.name;
      continue;
    }
    for (const a of r.actions) {
      for (const gid of a.actionGroupIds) {
        const g = groups.get(gid.toLowerCase());
        if (!g) {
          missingGroups.push(gid);
          continue;
        }
        if (g.enabled === false) continue;
        for (const rc of g.receivers) if (isReceiverOn(rc)) receivers.push({ ...rc, actionGroup: g.name, actionGroupId: g.id, rule: r.name });
      }
    }
  }
  const base = { vaultKey: v.key, vaultName: v.name, jobFailureAlerts: jfa, rules: ruleRows };
  if (jfa !== null && /^disabled$/i.test(jfa)) return { ...base, verdict: 'noOne', why: 'built-in Azure Monitor alerts for job failures are off', receivers: [] };
  if (silenced) return { ...base, verdict: 'noOne', why: `alert processing rule ${silenced} removes all action groups`, receivers: [] };
  if (receivers.length > 0) {
    const why = jfa === null ? 'a covering rule adds an action group with enabled receivers (the vault does not state whether job-failure alerts are on)' : 'job-failure alerts are on and a covering rule adds an action group with enabled receivers';
    return { ...base, verdict: jfa === null ? 'unknown' : 'reaches', why, receivers };
  }
  if (!routingCollected) return { ...base, verdict: 'unknown', why: 'the snapshot holds no alert processing rules or action groups (not collected)', receivers: [] };
  if (missingGroups.length > 0) return { ...base, verdict: 'unknown', why: `a covering rule adds action group(s) the snapshot does not hold: ${missingGroups.join(', ')}`, receivers: [] };
  return {
    ...base,
    verdict: 'noOne',
    why: covering.length === 0 ? 'no alert processing rule covers the vault, so its alerts go to no action group' : 'no covering rule adds an action group with an enabled receiver',
    receivers: [],
  };
}

export function alertRouting(input: RoutingInput): VaultRouting[] {
  const groups = new Map(input.actionGroups.map((g) => [g.id.toLowerCase(), g]));
  const collected = input.actionGroups.length > 0 || input.alertProcessingRules.length > 0;
  return [...input.vaults].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((v) => vaultRouting(v, groups, input.alertProcessingRules, collected));
}

export type RoutingChange = { vaultKey: string; vaultName: string; before: VaultRouting['verdict'] | null; after: VaultRouting['verdict'] | null; added: string[]; removed: string[]; sentence: string };

const receiverLabel = (r: ReachedReceiver): string => `${r.kind} ${r.name ?? r.target ?? '?'} (${r.actionGroup})`;

/** Changes in alert routing between two snapshots: a verdict that changed, receivers gained or lost. */
export function routingDiff(before: readonly VaultRouting[], after: readonly VaultRouting[]): RoutingChange[] {
  const b = new Map(before.map((v) => [v.vaultKey, v]));
  const out: RoutingChange[] = [];
  for (const v of after) {
    const old = b.get(v.vaultKey);
    b.delete(v.vaultKey);
    const was = new Set((old?.receivers ?? []).map(receiverLabel));
    const now = new Set(v.receivers.map(receiverLabel));
    const added = [...now].filter((x) => !was.has(x)).sort();
    const removed = [...was].filter((x) => !now.has(x)).sort();
    if (old && old.verdict === v.verdict && added.length === 0 && removed.length === 0) continue;
    const parts: string[] = [];
    if (!old) parts.push(`new vault: failures ${v.verdict === 'reaches' ? 'reach a receiver' : v.verdict === 'noOne' ? 'reach no one' : 'routing unknown'}`);
    else if (old.verdict !== v.verdict) parts.push(`failure alerts ${v.verdict === 'noOne' ? 'now reach no one' : v.verdict === 'reaches' ? 'now reach a receiver' : 'routing now unknown'} (${v.why})`);
    if (added.length > 0) parts.push(`${added.length} more receiver(s): ${added.join(', ')}`);
    if (removed.length > 0) parts.push(`${removed.length} receiver(s) fewer: ${removed.join(', ')}`);
    out.push({ vaultKey: v.vaultKey, vaultName: v.vaultName, before: old?.verdict ?? null, after: v.verdict, added, removed, sentence: `${v.vaultName}: ${parts.join('; ')}` });
  }
  for (const old of b.values()) out.push({ vaultKey: old.vaultKey, vaultName: old.vaultName, before: old.verdict, after: null, added: [], removed: [], sentence: `${old.vaultName}: vault no longer in the snapshot` });
  return out;
}
