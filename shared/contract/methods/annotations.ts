import { z } from 'zod';
import type { Annotation } from '../../domain/annotations.ts';

/** What a log entry records. */
export type EntryKind = 'set' | 'conflict' | 'snapshot.delete';

/** Where a merged entry came from: its place in the exporting store's chain. */
export type MergedFrom = {
  storeId: string;
  exportedBy: string;
  exportedAt: string;
  seq: number;
  hash: string;
};

/** One entry of the append-only, hash-chained annotation log. */
export type AnnotationLogEntry = {
  seq: number;
  /** Identity of the change; a merged entry keeps the id it had in the store it came from. */
  id: string;
  kind: EntryKind;
  at: string;
  /** OS user */
  user: string;
  displayName: string | null;
  target: string;
  /** owner | ownerEmail | team | costCentre | criticality | decision | frontEndGb | storageGb | tag:<name> | note:<id> | exception:<id> | restoreTest:<id> | deleted */
  field: string;
  oldValue: unknown;
  newValue: unknown;
  reason: string | null;
  /** false for a merged entry that lost a conflict: kept as history, not applied. */
  applied: boolean;
  mergedFrom: MergedFrom | null;
  prevHash: string;
  hash: string;
};

export type LogProblem = { seq: number; reason: string };

export type LogVerifyResult = {
  ok: boolean;
  /** Entries that verified (up to the first break). */
  count: number;
  head: string;
  /** Heads recorded by evidence packs that were checked. */
  headsChecked: number;
  firstBad?: LogProblem;
  /** Problems besides a chain break (current values out of line with the log). */
  problems: LogProblem[];
  warnings: string[];
  /** With `against`: the head a signed pack recorded, and whether the store still holds it at its position. */
  against?: { pack: string; packId: string | null; count: number | null; head: string | null; ok: boolean };
};

export type AnnotationRow = Annotation & {
  /** `item` or `resource` */
  kind: 'item' | 'resource';
  /** The item key or the (lower-cased) resource id, without the target prefix. */
  key: string;
};

export type AnnotationChange = { target: string; entries: AnnotationLogEntry[]; annotation: Annotation };

export const ownerFields = ['owner', 'ownerEmail', 'team', 'costCentre', 'criticality'] as const;
export type OwnerField = (typeof ownerFields)[number];

export type OwnersImportRow = {
  /** 1-based CSV line of the row (header is line 1). */
  line: number;
  value: string;
  targets: string[];
  /** For ambiguous rows: why, and the candidates. */
  reason?: string;
  candidates?: string[];
};

export type OwnersImportReport = {
  file: string;
  dryRun: boolean;
  snapshotId: string | null;
  rows: number;
  matched: OwnersImportRow[];
  ambiguous: OwnersImportRow[];
  unmatched: OwnersImportRow[];
  /** Field changes applied (or that would be, in a dry run). */
  changes: Array<{ target: string; field: OwnerField; oldValue: string | null; newValue: string; line: number }>;
  /** Entries written (0 in a dry run). */
  entriesWritten: number;
  /** Cells skipped (bad email, unknown criticality), by line. */
  warnings: string[];
};

export type AnnotationsExportResult = { path: string; entries: number; targets: number; head: { count: number; hash: string }; sha256: string };

export type MergeConflict = {
  target: string;
  field: string;
  local: { value: unknown; at: string; user: string | null; seq: number };
  incoming: { value: unknown; at: string; user: string; id: string };
  winner: 'local' | 'incoming';
};

export type MergeReport = {
  file: string;
  dryRun: boolean;
  fromStore: string;
  exportedBy: string;
  incoming: number;
  alreadyPresent: number;
  applied: number;
  /** Entries that agree with the local value (kept as history, nothing changes). */
  agreed: number;
  conflicts: MergeConflict[];
  entriesWritten: number;
  warnings: string[];
};

const target = z.string().min(1).max(4096);
const day = z.string().max(32);
const text = z.string().max(10000);
const nullableText = text.nullable();

export const annotationsMethods = {
  'annotations.set': {
    input: z
      .object({
        target,
        force: z.boolean().optional(),
        /** Why; required with a decision (the decision's reason). */
        reason: text.optional(),
        owner: nullableText.optional(),
        ownerEmail: nullableText.optional(),
        team: nullableText.optional(),
        costCentre: nullableText.optional(),
        criticality: z.enum(['high', 'medium', 'low']).nullable().optional(),
        exception: z
          .object({
            rule: z.string().max(200),
            justification: text.optional(),
            approver: z.string().max(500).optional(),
            expires: day.optional(),
            ticket: z.string().max(500).optional(),
          })
          .strict()
          .optional(),
        /** Withdraws an exception (by id) before its expiry. */
        revokeException: z.string().max(100).optional(),
        decision: z
          .object({ decision: z.enum(['keep', 'retire', 'delete']), reason: text.optional(), after: day.optional() })
          .strict()
          .nullable()
          .optional(),
        frontEndGb: z.number().nullable().optional(),
        storageGb: z.number().nullable().optional(),
        note: text.optional(),
        /** name → value; null removes the tag */
        tags: z.record(z.string().min(1).max(200), z.string().max(1000).nullable()).optional(),
      })
      .strict(),
  },
  'annotations.restoreTest': {
    input: z
      .object({
        target,
        date: day,
        recoveryPoint: z.string().min(1).max(1000),
        outcome: z.enum(['passed', 'failed']),
        durationMin: z.number().optional(),
        restoreTarget: z.string().max(4096).optional(),
        tester: z.string().max(500).optional(),
        ticket: z.string().max(500).optional(),
        force: z.boolean().optional(),
      })
      .strict(),
  },
  'annotations.list': { input: z.object({}).strict() },
  'annotations.get': { input: z.object({ target }).strict() },
  'annotations.log': {
    input: z
      .object({ target: target.optional(), afterSeq: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(1000000).optional() })
      .strict(),
  },
  'annotations.verifyLog': {
    input: z
      .object({
        /** A pack (folder or zip) whose manifest's annotation log head the store must still hold. */
        against: z.string().min(1).max(4096).optional(),
        /** Anchors the pack's signers must chain to. */
        trust: z.array(z.string().min(1).max(4096)).max(100).optional(),
      })
      .strict(),
  },
  'annotations.identity': {
    /** Reads, or with displayName sets (null clears), the display name recorded beside the OS user. */
    input: z.object({ displayName: z.string().max(200).nullable().optional() }).strict(),
  },
  /** force: replace an existing file (never the store or its side files). */
  /** Display names for annotation targets (items by the name the grid shows, from the newest snapshots that hold them); targets not found are left out. */
  'annotations.targetNames': { input: z.object({ targets: z.array(target).max(5000) }).strict() },
  'annotations.export': { input: z.object({ path: z.string().min(1).max(4096), force: z.boolean().optional() }).strict() },
  'annotations.merge': { input: z.object({ path: z.string().min(1).max(4096), dryRun: z.boolean().optional() }).strict() },
} as const;

export type AnnotationsOutputs = {
  'annotations.set': AnnotationChange;
  'annotations.restoreTest': AnnotationChange;
  'annotations.list': AnnotationRow[];
  'annotations.get': AnnotationRow & { log: AnnotationLogEntry[] };
  'annotations.log': AnnotationLogEntry[];
  'annotations.verifyLog': LogVerifyResult;
  'annotations.identity': { user: string; displayName: string | null; source: 'env' | 'settings' | 'none' };
  'annotations.targetNames': Record<string, string>;
  'annotations.export': AnnotationsExportResult;
  'annotations.merge': MergeReport;
};
