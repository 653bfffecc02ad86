/**
 * The audit profile: thresholds and severities the findings rules use. It is
 * user-editable JSON (assets/profiles/default.json is the shipped default),
 * versioned, and its SHA-256 (over the canonical JSON) is recorded wherever
 * findings are used, so a reader knows which thresholds produced them.
 */
import { z } from 'zod';
import { isRuleId, ruleIds } from './findings-rules.ts';

export const severities = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof severities)[number];

/** Higher is more severe. */
export const severityRank: Record<Severity, number> = { critical: 5, high: 4, medium: 3, low: 2, info: 1 };

export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return severityRank[severity] >= severityRank[threshold];
}

const positive = z.number().finite().positive();
const nonNegative = z.number().finite().min(0);

const resourceMatch = z
  .object({
    /** Matches the tag on the item or on its source resource (names compared case-insensitively, values exactly). */
    tag: z.object({ name: z.string().min(1), value: z.string().optional() }).strict().optional(),
    /** Resource group of the protected (source) resource, case-insensitive. */
    resourceGroup: z.string().min(1).optional(),
  })
  .strict()
  .refine((m) => m.tag !== undefined || m.resourceGroup !== undefined, { message: 'a match needs "tag" or "resourceGroup"' });

export const auditProfileSchema = z
  .object({
    schema: z.literal('vaultproof.profile/1'),
    name: z.string().min(1),
    version: z.string().min(1),
    description: z.string().optional(),
    rpo: z
      .object({
        /** Added to the policy's interval before an item counts as late (26 h for a daily policy with the default 2). */
        graceHours: nonNegative,
        /** Interval assumed when the snapshot has no policy record for the item (24 = daily). */
        defaultIntervalHours: positive,
      })
      .strict(),
    /** An item still waiting for its initial backup longer than this is a finding. */
    irPendingMaxDays: nonNegative,
    minRetention: z
      .object({
        dailyDays: nonNegative.nullable(),
        weeklyWeeks: nonNegative.nullable(),
        monthlyMonths: nonNegative.nullable(),
        yearlyYears: nonNegative.nullable(),
      })
      .strict(),
    /** Items whose source matches must use one of the named policies (names compared case-insensitively). */
    requiredPolicies: z.array(z.object({ match: resourceMatch, policies: z.array(z.string().min(1)).min(1), note: z.string().optional() }).strict()),
    unprotected: z
      .object({
        /** Inventory kinds that must have a backup item. */
        kinds: z.array(z.enum(['virtualMachine', 'storageAccount', 'fileShare', 'sqlVirtualMachine', 'other'])),
      })
      .strict(),
    restoreTest: z
      .object({
        /** Criticality values (annotations) that require a passed restore test. */
        criticalities: z.array(z.enum(['high', 'medium', 'low'])),
        /** A passed test must be no older than this at asOf. */
        periodDays: positive,
      })
      .strict(),
    /** The longest an exception may run (used by the annotations validation). */
    maxExceptionDays: positive,
    adherence: z.object({ windowDays: positive }).strict(),
    /** Severity per rule id, overriding the rule's default. */
    severities: z.record(z.string(), z.enum(severities)),
    /** Rule ids that are switched off (listed in the report as not evaluated, reason "disabled by the profile"). */
    disabledRules: z.array(z.string()),
    /** Access evidence limits. Optional so profiles written before it keep their meaning and hash; see accessLimits(). */
    access: z
      .object({
        /** More distinct principals than this with delete rights on one vault is a finding. */
        maxDeletePrincipals: nonNegative.int(),
        /** Groups (object id or display name, case-insensitive) accepted as holders of restore or delete rights. */
        approvedGroups: z.array(z.string().min(1)),
      })
      .strict()
      .optional(),
  })
  .strict();

export const defaultAccessLimits = { maxDeletePrincipals: 2, approvedGroups: [] as string[] };

export function accessLimits(p: { access?: { maxDeletePrincipals: number; approvedGroups: string[] } | undefined }): { maxDeletePrincipals: number; approvedGroups: string[] } {
  return p.access ?? defaultAccessLimits;
}

export type AuditProfile = z.infer<typeof auditProfileSchema>;

export type ProfileIssue = { path: string; message: string };

/** Parses a profile; returns the issues (path + message) instead of throwing. */
export function parseAuditProfile(value: unknown): { ok: true; profile: AuditProfile } | { ok: false; issues: ProfileIssue[] } {
  const r = auditProfileSchema.safeParse(value);
  const issues: ProfileIssue[] = r.success ? [] : r.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
  // A misspelt rule id ("rpo-breech": "critical") would otherwise be ignored in silence.
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const { severities: sev, disabledRules: off } = value as Record<string, unknown>;
    const unknown = `unknown rule id (the rules are ${ruleIds.join(', ')})`;
    if (sev !== null && typeof sev === 'object' && !Array.isArray(sev)) for (const k of Object.keys(sev)) if (!isRuleId(k)) issues.push({ path: `severities.${k}`, message: unknown });
    if (Array.isArray(off)) off.forEach((k, i) => typeof k === 'string' && !isRuleId(k) && issues.push({ path: `disabledRules.${i}`, message: `"${k}": ${unknown}` }));
  }
  if (r.success && issues.length === 0) return { ok: true, profile: r.data };
  return { ok: false, issues };
}
