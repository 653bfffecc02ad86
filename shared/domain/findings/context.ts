/**
 * What every rule reads while judging one snapshot: the input, lookups built
 * once (policies, inventory), the findings emitted so far, and the tallies a
 * rule keeps during the item pass to explain afterwards what it skipped.
 */
import { holdingException } from '../annotation-lookup.ts';
import { withJobBackup } from '../backup-state.ts';
import type { AnnotationIndex } from '../annotations.ts';
import { itemTarget } from '../annotations.ts';
import type { StateClass } from '../findings-facts.ts';
import { stateClass } from '../findings-facts.ts';
import type { RuleId } from '../findings-rules.ts';
import { rules as catalogue } from '../findings-rules.ts';
import { canonicalArmId } from '../keys.ts';
import type { AuditProfile, Severity } from '../profile.ts';
import { inventoryIndexOf } from './inventory-index.ts';
import type { Finding, FindingsInput, FindingsInventory, FindingsInventoryIndex, FindingsItem, FindingsPolicy } from './types.ts';

/** One item as the item rules see it: its state class and policy worked out once for all rules. */
export type ItemView = {
  it: FindingsItem;
  target: string;
  cls: StateClass;
  policy: FindingsPolicy | undefined;
};

export type FindingsContext = {
  input: FindingsInput;
  profile: AuditProfile;
  annotations: AnnotationIndex;
  asOfMs: number;
  havePolicies: boolean;
  inventory: FindingsInventoryIndex;
  /** Inventory slots some live (not soft-deleted) item has as its source, marked 1 during the item pass. */
  protectedSlots: Uint8Array;
  /** The inventory slot of the item's source resource, or -1 (no source, or none in the inventory); looked up once per item. */
  sourceSlot(it: FindingsItem): number;
  /** Per-policy facts a rule computes once per policy rather than once per item. */
  perPolicy: Map<string, Map<FindingsPolicy, unknown>>;
  /** Counters a rule keeps during the item pass (items skipped, items pending, …). */
  tally: Record<string, number>;
  itemCount: number;
  findings: Finding[];
  notEvaluated: Map<RuleId, string>;
  assumptions: Array<{ rule: RuleId; note: string }>;
  severityOf(rule: RuleId): Severity;
  /** True while the rule is enabled and has not been declared not evaluable. */
  on(rule: RuleId): boolean;
  emit(rule: RuleId, key: string, target: string, evidence: Record<string, unknown>): void;
  view(it: FindingsItem): ItemView;
};

/*
 * Item findings begin their evidence with name, vault and protectionState, in
 * that order, written out in each object literal: spreading a helper's object
 * (`{ ...base(it), more }`) built each evidence object some 40 times slower in
 * V8 (1.2 s for the 50k RPO findings of a 100k estate), and bigger.
 */

export function bump(ctx: FindingsContext, counter: string): void {
  ctx.tally[counter] = (ctx.tally[counter] ?? 0) + 1;
}

/** A per-policy fact, computed on first use. */
export function perPolicy<T>(ctx: FindingsContext, name: string, policy: FindingsPolicy, compute: (p: FindingsPolicy) => T): T {
  let cache = ctx.perPolicy.get(name);
  if (!cache) ctx.perPolicy.set(name, (cache = new Map()));
  if (!cache.has(policy)) cache.set(policy, compute(policy));
  return cache.get(policy) as T;
}

export function buildContext(input: FindingsInput): FindingsContext {
  const { profile, annotations } = input;
  const asOfMs = Date.parse(input.asOf);
  if (Number.isNaN(asOfMs)) throw new Error(`asOf is not a time: ${input.asOf}`);
  const disabled = new Set(profile.disabledRules);

  const policiesById = new Map<string, FindingsPolicy>();
  const policiesByVaultName = new Map<string, FindingsPolicy>();
  for (const p of input.policies) {
    policiesById.set(p.key, p);
    if (p.vaultKey) policiesByVaultName.set(`${p.vaultKey}|${p.name.toLowerCase()}`, p);
  }
  // Items share a handful of policies: look each policy id up once.
  // Neighbours in key order mostly share a policy: the last id answers without hashing the next one's (long) id.
  const policyCache = new Map<string, FindingsPolicy | undefined>();
  let lastPolicyId: string | null = null;
  let lastPolicy: FindingsPolicy | undefined;
  const policyOf = (it: FindingsItem): FindingsPolicy | undefined => {
    if (it.policyId) {
      if (it.policyId === lastPolicyId) return lastPolicy;
      if (!policyCache.has(it.policyId)) policyCache.set(it.policyId, policiesById.get(canonicalArmId(it.policyId)));
      lastPolicyId = it.policyId;
      return (lastPolicy = policyCache.get(it.policyId));
    }
    return it.policyName && it.vaultKey ? policiesByVaultName.get(`${it.vaultKey}|${it.policyName.toLowerCase()}`) : undefined;
  };

  const inventory = Array.isArray(input.inventory) ? inventoryIndexOf(input.inventory as readonly FindingsInventory[]) : (input.inventory as FindingsInventoryIndex);

  const severityOf = (rule: RuleId): Severity => (profile.severities[rule] as Severity | undefined) ?? catalogue[rule].defaultSeverity;
  const notEvaluated = new Map<RuleId, string>();
  const findings: Finding[] = [];
  // What every finding of a rule repeats (severity, title, controls), looked up once per rule rather than per finding.
  const meta = new Map<RuleId, { severity: Severity; title: string; controls: string[] }>();
  // Several rules ask for the slot of the item in hand: one look-up per item (its source key is a long string to hash).
  let slotItem: FindingsItem | null = null;
  let slotOfItem = -1;
  const ctx: FindingsContext = {
    input,
    profile,
    annotations,
    asOfMs,
    havePolicies: input.policies.length > 0,
    inventory,
    protectedSlots: new Uint8Array(inventory.size),
    sourceSlot(it) {
      if (it !== slotItem) {
        slotItem = it;
        slotOfItem = it.sourceResourceKey ? inventory.slotOf(it.sourceResourceKey) : -1;
      }
      return slotOfItem;
    },
    perPolicy: new Map(),
    tally: {},
    itemCount: 0,
    findings,
    notEvaluated,
    assumptions: [],
    severityOf,
    on: (rule) => !disabled.has(rule) && !notEvaluated.has(rule),
    emit(rule, key, target, evidence) {
      const ex = annotations.size === 0 ? null : holdingException(annotations, target, rule, asOfMs);
      let m = meta.get(rule);
      if (!m) meta.set(rule, (m = { severity: severityOf(rule), title: catalogue[rule].title, controls: catalogue[rule].controls }));
      findings.push({
        rule,
        severity: m.severity,
        key,
        target,
        title: m.title,
        controls: m.controls,
        evidence,
        excepted: ex !== null,
        exception: ex ? { id: ex.id, expires: ex.expires, approver: ex.approver, ticket: ex.ticket, justification: ex.justification } : null,
      });
    },
    view(raw) {
      const it = withJobBackup(raw, input.lastBackupFromJobs);
      return { it, target: itemTarget(it.key), cls: stateClass(it.protectionState), policy: policyOf(it) };
    },
  };
  for (const r of disabled) if (r in catalogue) notEvaluated.set(r as RuleId, 'disabled by the audit profile');
  return ctx;
}
