/**
 * Findings: the rules an estate is judged by. The evaluation is a table of
 * rules (findings/table.ts), one small unit per rule or related group, run by
 * findings/evaluate.ts over one shared pass of the items.
 */
export { evaluateFindings } from './findings/evaluate.ts';
export { rules as findingRules } from './findings/table.ts';
export type { FindingRule } from './findings/rule.ts';
export type { Finding, FindingsInput, FindingsInventory, FindingsInventoryIndex, FindingsItem, FindingsPolicy, FindingsReport, FindingsVault } from './findings/types.ts';
export { configuredTimesFromJobs, jobNameKey, policyIntervalHours, stateClass } from './findings-facts.ts';
