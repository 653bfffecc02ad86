/**
 * The reference findings evaluation. Every rule is judged at the snapshot's
 * asOf (passed in), never at the wall clock. A rule whose inputs the snapshot
 * lacks is reported in `notEvaluated` with the reason, never as zero
 * findings. Exceptions mark findings `excepted` until they expire; an
 * excepted finding is still listed.
 *
 * Items may be streamed (any Iterable): the store's fast path feeds rows
 * straight from SQL into this same function, so items are read in one pass
 * shared by every rule.
 */
import type { RuleId } from '../findings-rules.ts';
import { rules as catalogue, ruleIds } from '../findings-rules.ts';
import type { Severity } from '../profile.ts';
import { severityRank } from '../profile.ts';
import { buildContext, type FindingsContext } from './context.ts';
import type { FindingRule } from './rule.ts';
import { afterPassOrder, rules } from './table.ts';
import type { Finding, FindingsInput, FindingsItem, FindingsReport } from './types.ts';

/**
 * Most severe first, then in rule-catalogue order, then by key. Each rule has
 * one severity, so this is a concatenation of per-rule lists; a list is only
 * sorted when it is not already in key order (items usually arrive in key
 * order). Returns the lists too, in that order, so the counts need no second
 * walk of every finding.
 */
function orderFindings(findings: Finding[], severityOf: (rule: RuleId) => Severity): { sorted: Finding[]; lists: Array<[RuleId, Finding[]]> } {
  const byRule = findingsByRule(findings);
  const lists: Array<[RuleId, Finding[]]> = [];
  for (const r of reportRuleOrder(byRule.keys(), severityOf)) {
    const list = byRule.get(r)!;
    let inOrder = true;
    for (let i = 1; i < list.length && inOrder; i++) if (list[i - 1]!.key > list[i]!.key) inOrder = false;
    if (!inOrder) list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    lists.push([r, list]);
  }
  // One copy of the element pointers (concat), not a push per finding.
  return { sorted: ([] as Finding[]).concat(...lists.map(([, l]) => l)), lists };
}

/** Findings by rule, each rule's in the order they were made. */
export function findingsByRule(findings: readonly Finding[]): Map<RuleId, Finding[]> {
  const byRule = new Map<RuleId, Finding[]>();
  for (const f of findings) {
    const list = byRule.get(f.rule);
    if (list) list.push(f);
    else byRule.set(f.rule, [f]);
  }
  return byRule;
}

/**
 * The report's order of these rules: most severe first, then catalogue order.
 * Also the order of the packs' spooled findings (stream-findings.ts) and of
 * the two-thread `findings --json` (findings-split.ts).
 */
export function reportRuleOrder(rules: Iterable<RuleId>, severityOf: (rule: RuleId) => Severity): RuleId[] {
  const has = new Set(rules);
  return ruleIds.filter((r) => has.has(r)).sort((a, b) => severityRank[severityOf(b)] - severityRank[severityOf(a)] || ruleIds.indexOf(a) - ruleIds.indexOf(b));
}

/** The rules the item pass runs, by the items they judge; fixed before the pass starts. */
export type ItemPass = { live: readonly FindingRule[]; deleted: readonly FindingRule[] };

/**
 * Before the item pass: each enabled rule's check (a rule whose inputs are
 * missing goes to notEvaluated with the reason), then the pass's rules. The
 * packs' spooled evaluation (electron/core/analysis/stream-findings.ts) runs
 * the same pass through startItemPass, passItem and finishPass.
 */
export function startItemPass(ctx: FindingsContext): ItemPass {
  for (const id of ruleIds) {
    if (!ctx.on(id)) continue;
    const reason = rules[id].check?.(ctx) ?? null;
    if (reason !== null) ctx.notEvaluated.set(id, reason);
  }
  const live: FindingRule[] = [];
  const deleted: FindingRule[] = [];
  for (const id of ruleIds) {
    const r = rules[id];
    if (r.evaluateItem && ctx.on(id)) (r.items === 'softDeleted' ? deleted : live).push(r);
  }
  return { live, deleted };
}

/** One item through the pass's rules (soft-deleted items through those that judge them only). */
export function passItem(ctx: FindingsContext, pass: ItemPass, it: FindingsItem): void {
  ctx.itemCount++;
  if (it.softDeleted) {
    if (pass.deleted.length > 0) {
      const v = ctx.view(it);
      for (const r of pass.deleted) r.evaluateItem!(ctx, v);
    }
    return;
  }
  const v = ctx.view(it);
  for (const r of pass.live) r.evaluateItem!(ctx, v);
}

/** After the item pass: item rules noted not evaluated when there were no items, then the after-pass rules. */
export function finishPass(ctx: FindingsContext): void {
  if (ctx.itemCount === 0) {
    for (const r of ruleIds) {
      if (catalogue[r].needs[0] === 'items' && !ctx.notEvaluated.has(r)) ctx.notEvaluated.set(r, 'the snapshot holds no backup items');
    }
  }
  for (const id of afterPassOrder) if (ctx.on(id)) rules[id].evaluate?.(ctx);
}

export function evaluateFindings(input: FindingsInput): FindingsReport {
  const ctx = buildContext(input);
  const pass = startItemPass(ctx);
  for (const it of input.items) passItem(ctx, pass, it);
  finishPass(ctx);

  const { sorted, lists } = orderFindings(ctx.findings, ctx.severityOf);
  const bySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  const byRule: Partial<Record<RuleId, number>> = {};
  let excepted = 0;
  // Every finding of a rule has the rule's severity (ctx.emit), so the counts come per list.
  for (const [rule, list] of lists) {
    bySeverity[ctx.severityOf(rule)] += list.length;
    byRule[rule] = list.length;
    for (const f of list) if (f.excepted) excepted++;
  }
  const { profile, notEvaluated } = ctx;
  return {
    asOf: input.asOf,
    profileHash: input.profileHash,
    profile: { name: profile.name, version: profile.version },
    findings: sorted,
    notEvaluated: ruleIds.filter((r) => notEvaluated.has(r)).map((r) => ({ rule: r, reason: notEvaluated.get(r)! })),
    assumptions: ctx.assumptions,
    counts: { total: sorted.length, excepted, bySeverity, byRule },
    itemCount: ctx.itemCount,
  };
}
