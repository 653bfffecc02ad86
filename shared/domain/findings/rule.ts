import type { RuleId } from '../findings-rules.ts';
import type { FindingsContext, ItemView } from './context.ts';

/**
 * One findings rule. Items are streamed once, so a rule that judges items
 * does so per item (`evaluateItem`) during the shared pass; `evaluate` runs
 * after the pass, for estate-level judgements and for notes on what the rule
 * skipped. A rule runs only while `ctx.on(id)`.
 */
export type FindingRule = {
  id: RuleId;
  /** Before the item pass: why this snapshot cannot be judged by the rule (reported as not evaluated), or null. */
  check?(ctx: FindingsContext): string | null;
  /** Which items `evaluateItem` sees: live items (the default) or soft-deleted ones. */
  items?: 'live' | 'softDeleted';
  evaluateItem?(ctx: FindingsContext, v: ItemView): void;
  evaluate?(ctx: FindingsContext): void;
};
