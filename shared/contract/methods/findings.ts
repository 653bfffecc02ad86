/** The findings.* methods. */
import { z } from 'zod';
import type { Finding } from '../../domain/findings.ts';
import type { RuleInfo } from '../../domain/findings-rules.ts';
import { severities } from '../../domain/profile.ts';
import { filePath, withLabels, type FindingsRun } from './analysis.ts';
import { snapshotRef } from './snapshots.ts';

const findingsViewInput = z.object({ groupBy: z.enum(['severity', 'rule']), group: z.string().max(200).nullable(), search: z.string().max(1000) }).strict();

/** Findings in one group: all of them, and those not excepted. */
export type FindingGroupCount = { key: string; count: number; open: number };

export type FindingsSummary = Omit<FindingsRun, 'findings' | 'labels' | 'gate'> & {
  groups: { severity: FindingGroupCount[]; rule: FindingGroupCount[] };
};

export type FindingsPage = { findings: Finding[]; offset: number; total: number };

export const findingsMethods = {
  'findings.run': { input: z.object({ snapshot: snapshotRef, profilePath: filePath.optional(), failOn: z.enum(severities).optional(), labels: withLabels }).strict() },
  'findings.rules': { input: z.object({}).strict() },
  /**
   * The Findings view's head (issue 17): findings.run's counts, profile and notes, and the counts per severity and
   * per rule (open and excepted), without the findings themselves; their rows come from findings.page. The default
   * audit profile, as the view uses it (one evaluation per snapshot and annotation log, kept by the engine).
   */
  'findings.summary': { input: z.object({ snapshot: snapshotRef }).strict() },
  /**
   * Starts working out the snapshot's findings and its default pricing in the background (the app calls it when a
   * snapshot is opened), so findings.summary, findings.page, items.findingCounts and cost.summary find them ready;
   * given a baseline, the pricing against it too (the Cost view's two summaries). Answers at once.
   */
  'findings.prepare': { input: z.object({ snapshot: snapshotRef, baseline: snapshotRef.optional() }).strict() },
  /** One page of the findings the view shows (group and search, shared/domain/findings-view.ts), from an offset. */
  'findings.page': {
    input: z
      .object({
        snapshot: snapshotRef,
        view: findingsViewInput,
        offset: z.number().int().min(0).max(100_000_000),
        limit: z.number().int().min(1).max(10_000),
      })
      .strict(),
  },
  /** The Findings view as shown (group and search) written as an .xlsx to path (issue 15 item 10). */
  'findings.export': {
    input: z
      .object({
        snapshot: snapshotRef,
        profilePath: filePath.optional(),
        view: findingsViewInput,
        path: z.string().min(1).max(4096),
        force: z.boolean().optional(),
      })
      .strict(),
  },
} as const;

export type FindingsOutputs = {
  'findings.run': FindingsRun;
  'findings.rules': RuleInfo[];
  'findings.summary': FindingsSummary;
  'findings.page': FindingsPage;
  'findings.prepare': { started: boolean };
  'findings.export': { path: string; rows: number; sheet: string };
};
