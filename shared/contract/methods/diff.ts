/** The diff.* methods. */
import { z } from 'zod';
import type { DiffField, DiffResult, DiffRollups, FieldChange, RemovalReason } from '../../domain/diff.ts';
import { withLabels, type DiffReport, type SnapshotRefInfo } from './analysis.ts';
import { snapshotRef } from './snapshots.ts';

/** The Compare view's lists: changed, added, removed (gone or soft-deleted) and not collected (removed from a scope the current snapshot failed to collect). */
export const diffPageKinds = ['changed', 'added', 'removed', 'notCollected'] as const;
export type DiffPageKind = (typeof diffPageKinds)[number];

/**
 * The Compare view's head (issue 17): diff.run's counts, worked out by the same diff, without its rows. `removed`
 * is what the view calls removed (gone + softDeleted); items of a scope not collected this time are counted apart.
 */
export type DiffSummary = {
  baseline: SnapshotRefInfo;
  current: SnapshotRefInfo;
  counts: { added: number; removed: number; gone: number; softDeleted: number; notCollected: number; changed: number; unchanged: number };
  notCompared: DiffResult['notCompared'];
};

/** One row of a list: the item's label (null when the snapshot names none), and for a changed item its fields before → after, for a removed one why. */
export type DiffPageRow = { key: string; label: string | null; fields?: Partial<Record<DiffField, FieldChange>>; reason?: RemovalReason };

/** Rows of one list in diff.run's order (by key), from an offset, and how many the list has. */
export type DiffPage = { kind: DiffPageKind; rows: DiffPageRow[]; offset: number; total: number };

/** The roll-ups of diff.run and the vault names the by-vault one shows. */
export type DiffRollupsAnswer = { rollups: DiffRollups; vaultLabels: Record<string, string> };

const pair = { baseline: snapshotRef, current: snapshotRef };

export const diffMethods = {
  'diff.run': { input: z.object({ ...pair, labels: withLabels }).strict() },
  /** The Compare view's counts (the same diff as diff.run, kept by the engine per pair and annotation log). */
  'diff.summary': { input: z.object(pair).strict() },
  /** One page of one of the Compare view's lists. */
  'diff.page': {
    input: z
      .object({
        ...pair,
        kind: z.enum(diffPageKinds),
        offset: z.number().int().min(0).max(100_000_000),
        limit: z.number().int().min(1).max(10_000),
      })
      .strict(),
  },
  /** The Compare view's Roll-ups tab. */
  'diff.rollups': { input: z.object(pair).strict() },
} as const;

export type DiffOutputs = {
  'diff.run': DiffReport;
  'diff.summary': DiffSummary;
  'diff.page': DiffPage;
  'diff.rollups': DiffRollupsAnswer;
};
