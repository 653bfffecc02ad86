import type { Annotation, ExceptionEntry, RestoreTest, RetentionDecision } from '../../../shared/domain/annotations.ts';
import type { AnnotationChange, AnnotationLogEntry, AnnotationRow, InputOfAnnotations } from './types.ts';
import { badInput, needOneOf, UserError } from '../errors.ts';
import { canonicalJson } from '../store/canonical.ts';
import type { Store } from '../store/store.ts';
import { newId } from './hash.ts';
import { emptyAnnotation } from './fields.ts';
import { appendEntries, currentSlot, getSetting, loadAnnotation, loadAnnotationIndex, setSetting, type EntryDraft } from './repository.ts';
import { checkEmail, checkExpiry, checkGb, checkRule, defaultMaxExceptionDays, parseDay, parseTarget, requireText, resolveTarget, utcDay } from './validate.ts';

const DISPLAY_NAME_KEY = 'annotator.displayName';

/** Who and when a change is recorded as. */
export type Author = { user: string; displayName: string | null; now: Date };

/**
 * The display name recorded beside the OS user: VAULTPROOF_DISPLAY_NAME when
 * set (scripts, tests), else the one saved in the store's settings, else none.
 */
export function displayName(store: Store): { displayName: string | null; source: 'env' | 'settings' | 'none' } {
  const env = process.env.VAULTPROOF_DISPLAY_NAME?.trim();
  if (env) return { displayName: env, source: 'env' };
  const saved = getSetting(store, DISPLAY_NAME_KEY);
  return saved ? { displayName: saved, source: 'settings' } : { displayName: null, source: 'none' };
}

export function setDisplayName(store: Store, name: string | null): void {
  const v = name?.trim() ?? '';
  setSetting(store, DISPLAY_NAME_KEY, v === '' ? null : v);
}

export function authorFor(store: Store, user: string, now: Date): Author {
  return { user, displayName: displayName(store).displayName, now };
}

export function sameValue(a: unknown, b: unknown): boolean {
  return canonicalJson(a ?? null) === canonicalJson(b ?? null);
}

function draft(author: Author, target: string, field: string, oldValue: unknown, newValue: unknown, reason: string | null): EntryDraft {
  return {
    kind: 'set',
    at: author.now.toISOString(),
    user: author.user,
    displayName: author.displayName,
    target,
    field,
    oldValue: oldValue ?? null,
    newValue: newValue ?? null,
    reason,
  };
}

export type SetInput = InputOfAnnotations<'annotations.set'>;

export type ValidationOptions = { maxExceptionDays?: number; ruleIds?: readonly string[] };

/**
 * Validates every requested change, then writes all of them in one
 * transaction (one log entry per changed field; unchanged fields write nothing).
 */
export function setAnnotations(store: Store, input: SetInput, author: Author, opts: ValidationOptions = {}): AnnotationChange {
  const t = resolveTarget(store, input.target, input.force ?? false);
  const reason = input.reason?.trim() ? input.reason.trim() : null;
  const wanted: Array<{ field: string; value: unknown; reason: string | null }> = [];

  const text = (v: string | null | undefined): string | null => (v === null || v === undefined ? null : v.trim() === '' ? null : v.trim());
  if (input.owner !== undefined) wanted.push({ field: 'owner', value: text(input.owner), reason });
  if (input.ownerEmail !== undefined) wanted.push({ field: 'ownerEmail', value: input.ownerEmail === null || input.ownerEmail.trim() === '' ? null : checkEmail(input.ownerEmail), reason });
  if (input.team !== undefined) wanted.push({ field: 'team', value: text(input.team), reason });
  if (input.costCentre !== undefined) wanted.push({ field: 'costCentre', value: text(input.costCentre), reason });
  if (input.criticality !== undefined) wanted.push({ field: 'criticality', value: input.criticality, reason });
  if (input.frontEndGb !== undefined) wanted.push({ field: 'frontEndGb', value: input.frontEndGb === null ? null : checkGb(input.frontEndGb, 'front-end size'), reason });
  if (input.storageGb !== undefined) wanted.push({ field: 'storageGb', value: input.storageGb === null ? null : checkGb(input.storageGb, 'storage size'), reason });

  if (input.decision !== undefined) {
    if (input.decision === null) {
      wanted.push({ field: 'decision', value: null, reason });
    } else {
      const why = requireText(input.decision.reason ?? input.reason, `a ${input.decision.decision} decision needs a reason`, 'reason');
      const decision: RetentionDecision = {
        decision: input.decision.decision,
        reason: why,
        after: input.decision.after !== undefined && input.decision.after.trim() !== '' ? parseDay(input.decision.after, 'decision date', 'after') : null,
      };
      wanted.push({ field: 'decision', value: decision, reason: why });
    }
  }

  if (input.exception !== undefined) {
    const ex = input.exception;
    const rule = checkRule(ex.rule, opts.ruleIds);
    const justification = requireText(ex.justification, 'an exception needs a justification', 'justification');
    const approver = requireText(ex.approver, 'an exception needs an approver', 'approver');
    const expiresRaw = requireText(ex.expires, 'an exception needs an expiry date (YYYY-MM-DD)', 'expires');
    const expires = checkExpiry(expiresRaw, author.now, opts.maxExceptionDays ?? defaultMaxExceptionDays());
    const entry: ExceptionEntry = {
      id: newId(author.now.getTime()),
      rule,
      justification,
      approver,
      ticket: ex.ticket?.trim() ? ex.ticket.trim() : null,
      expires,
      createdAt: author.now.toISOString(),
      createdBy: author.displayName ? `${author.displayName} (${author.user})` : author.user,
    };
    wanted.push({ field: `exception:${entry.id}`, value: entry, reason: reason ?? justification });
  }

  if (input.revokeException !== undefined) {
    const field = `exception:${input.revokeException.trim()}`;
    if (!currentSlot(store.db, t.target, field)) throw new UserError('NOT_FOUND', `${t.target} has no exception with id ${input.revokeException}`);
    wanted.push({ field, value: null, reason: requireText(input.reason, 'withdrawing an exception needs a reason', 'reason') });
  }

  if (input.note !== undefined) {
    const note = requireText(input.note, 'a note cannot be empty', 'note');
    wanted.push({ field: `note:${newId(author.now.getTime())}`, value: note, reason });
  }

  for (const [name, value] of Object.entries(input.tags ?? {})) {
    const n = name.trim();
    if (!n) throw badInput('a tag needs a name (NAME=VALUE)');
    wanted.push({ field: `tag:${n}`, value: value === null || value.trim() === '' ? null : value.trim(), reason });
  }

  if (wanted.length === 0) {
    throw needOneOf(
      ['owner', 'ownerEmail', 'team', 'costCentre', 'criticality', 'exception', 'decision', 'frontEndGb', 'storageGb', 'note', 'tags'],
      'nothing to annotate: give at least one of an owner, an e-mail address, a team, a cost centre, a criticality, an exception, a decision, a front-end or storage size, a note or a tag',
    );
  }

  const drafts: EntryDraft[] = [];
  for (const w of wanted) {
    const cur = currentSlot(store.db, t.target, w.field);
    if (sameValue(cur?.value ?? null, w.value)) continue;
    drafts.push(draft(author, t.target, w.field, cur?.value ?? null, w.value, w.reason));
  }
  const entries = appendEntries(store, drafts);
  return { target: t.target, entries, annotation: loadAnnotation(store, t.target) ?? emptyAnnotation(t.target) };
}

export type RestoreTestInput = InputOfAnnotations<'annotations.restoreTest'>;

/** Records the evidence of one restore drill. */
export function addRestoreTest(store: Store, input: RestoreTestInput, author: Author): AnnotationChange {
  const t = resolveTarget(store, input.target, input.force ?? false);
  const date = parseDay(input.date, 'restore test date', 'date');
  if (date > utcDay(author.now)) throw badInput(`restore test date ${date} is in the future (today is ${utcDay(author.now)} UTC)`);
  const recoveryPoint = requireText(input.recoveryPoint, 'a restore test needs the recovery point it used', 'recoveryPoint');
  let durationMin: number | null = null;
  if (input.durationMin !== undefined) {
    if (!Number.isFinite(input.durationMin) || input.durationMin < 0) throw badInput(`restore duration must be minutes, 0 or more (got ${input.durationMin})`);
    durationMin = input.durationMin;
  }
  const opt = (v: string | undefined): string | null => (v?.trim() ? v.trim() : null);
  const test: RestoreTest = {
    id: newId(author.now.getTime()),
    date,
    recoveryPoint,
    target: opt(input.restoreTarget),
    durationMin,
    outcome: input.outcome,
    tester: opt(input.tester) ?? (author.displayName ?? author.user),
    ticket: opt(input.ticket),
  };
  const entries = appendEntries(store, [draft(author, t.target, `restoreTest:${test.id}`, null, test, `restore test ${test.outcome} on ${date}`)]);
  return { target: t.target, entries, annotation: loadAnnotation(store, t.target) ?? emptyAnnotation(t.target) };
}

export function toRow(a: Annotation): AnnotationRow {
  const kind = a.target.startsWith('resource:') ? 'resource' : 'item';
  return { kind, key: a.target.slice(kind === 'item' ? 5 : 9), ...a };
}

export function listAnnotations(store: Store): AnnotationRow[] {
  return [...loadAnnotationIndex(store).values()].sort((x, y) => (x.target < y.target ? -1 : x.target > y.target ? 1 : 0)).map(toRow);
}

export function getAnnotation(store: Store, targetInput: string): AnnotationRow {
  const t = parseTarget(targetInput);
  return toRow(loadAnnotation(store, t.target) ?? emptyAnnotation(t.target));
}

/**
 * Deletes a snapshot as a whole (the store records it in snapshot_deletions)
 * and writes the deletion into the annotation log, in one transaction.
 */
export function deleteSnapshot(store: Store, ref: string, reasonInput: string, author: Author): { snapshotId: string; contentHash: string; entry: AnnotationLogEntry } {
  const reason = requireText(reasonInput, 'deleting a snapshot needs a reason', 'reason');
  const snap = store.snapshots.resolve(ref);
  let entry: AnnotationLogEntry | undefined;
  store.db.transaction(() => {
    store.snapshots.delete(snap.id, reason, author.user, author.now.toISOString());
    [entry] = appendEntries(store, [
      {
        kind: 'snapshot.delete',
        at: author.now.toISOString(),
        user: author.user,
        displayName: author.displayName,
        target: `snapshot:${snap.id}`,
        field: 'deleted',
        oldValue: { id: snap.id, label: snap.label, createdAt: snap.createdAt, asOf: snap.asOf, source: snap.source, itemCount: snap.itemCount, contentHash: snap.contentHash },
        newValue: null,
        reason,
      },
    ]);
  }).immediate();
  return { snapshotId: snap.id, contentHash: snap.contentHash, entry: entry! };
}
