/**
 * Current annotation values, derived from the append-only annotation log.
 * A target is `item:<key>` (a backup item key) or `resource:<lower-cased arm id>`
 * (a workload that may have no backup item yet). Annotations carry across snapshots.
 */
export type Criticality = 'high' | 'medium' | 'low';

export type ExceptionEntry = {
  id: string;
  /** A findings rule id, or "all". */
  rule: string;
  justification: string;
  approver: string;
  ticket: string | null;
  /** YYYY-MM-DD; the exception holds through the end of that day, UTC. */
  expires: string;
  createdAt: string;
  createdBy: string;
};

export type RetentionDecision = {
  decision: 'keep' | 'retire' | 'delete';
  reason: string;
  /** YYYY-MM-DD or null */
  after: string | null;
};

export type RestoreTest = {
  id: string;
  /** YYYY-MM-DD */
  date: string;
  recoveryPoint: string;
  target: string | null;
  durationMin: number | null;
  outcome: 'passed' | 'failed';
  tester: string | null;
  ticket: string | null;
};

export type Annotation = {
  target: string;
  owner: string | null;
  ownerEmail: string | null;
  team: string | null;
  costCentre: string | null;
  criticality: Criticality | null;
  exceptions: ExceptionEntry[];
  decision: RetentionDecision | null;
  frontEndGb: number | null;
  storageGb: number | null;
  notes: string[];
  tags: Record<string, string>;
  restoreTests: RestoreTest[];
};

/** Lookup used by analysis: annotations by target string. */
export type AnnotationIndex = ReadonlyMap<string, Annotation>;

export function itemTarget(key: string): string {
  return `item:${key}`;
}

export function resourceTarget(armId: string): string {
  return `resource:${armId.toLowerCase()}`;
}

/** End of the given day (UTC, inclusive) as epoch milliseconds. */
export function endOfDayUtc(day: string): number {
  return Date.parse(`${day}T23:59:59.999Z`);
}
