import type { Annotation, Criticality, ExceptionEntry, RestoreTest, RetentionDecision } from '../../../shared/domain/annotations.ts';

/**
 * Every annotation is a set of (target, field) slots; each log entry changes
 * one slot. List-like parts get one slot per element, keyed by an id, so that
 * every change — including one merged from another auditor — is a plain
 * "old value → new value" on one slot and conflicts are detectable.
 */
export const scalarFields = ['owner', 'ownerEmail', 'team', 'costCentre', 'criticality', 'decision', 'frontEndGb', 'storageGb'] as const;
export type ScalarField = (typeof scalarFields)[number];

/** Prefixes of keyed slots: `tag:<name>`, `note:<id>`, `exception:<id>`, `restoreTest:<id>`. */
export const keyedPrefixes = ['tag', 'note', 'exception', 'restoreTest'] as const;
export type KeyedPrefix = (typeof keyedPrefixes)[number];

export function isAnnotationField(field: string): boolean {
  if ((scalarFields as readonly string[]).includes(field)) return true;
  const i = field.indexOf(':');
  return i > 0 && i < field.length - 1 && (keyedPrefixes as readonly string[]).includes(field.slice(0, i));
}

/** Targets that hold annotations (a `snapshot:<id>` target only records deletions in the log). */
export function isAnnotationTarget(target: string): boolean {
  return target.startsWith('item:') || target.startsWith('resource:');
}

export function emptyAnnotation(target: string): Annotation {
  return {
    target,
    owner: null,
    ownerEmail: null,
    team: null,
    costCentre: null,
    criticality: null,
    exceptions: [],
    decision: null,
    frontEndGb: null,
    storageGb: null,
    notes: [],
    tags: {},
    restoreTests: [],
  };
}

export type SlotValue = { field: string; value: unknown; seq: number };

/** Builds the current Annotation of one target from its slots (ordered by seq). */
export function buildAnnotation(target: string, slots: Iterable<SlotValue>): Annotation {
  const a = emptyAnnotation(target);
  const sorted = [...slots].sort((x, y) => x.seq - y.seq);
  for (const { field, value } of sorted) {
    if (value === null || value === undefined) continue;
    switch (field) {
      case 'owner':
      case 'ownerEmail':
      case 'team':
      case 'costCentre':
        a[field] = String(value);
        break;
      case 'criticality':
        a.criticality = value as Criticality;
        break;
      case 'decision':
        a.decision = value as RetentionDecision;
        break;
      case 'frontEndGb':
      case 'storageGb':
        a[field] = Number(value);
        break;
      default: {
        const i = field.indexOf(':');
        const prefix = field.slice(0, i);
        const key = field.slice(i + 1);
        if (prefix === 'tag') a.tags[key] = String(value);
        else if (prefix === 'note') a.notes.push(String(value));
        else if (prefix === 'exception') a.exceptions.push(value as ExceptionEntry);
        else if (prefix === 'restoreTest') a.restoreTests.push(value as RestoreTest);
      }
    }
  }
  a.exceptions.sort((x, y) => (x.createdAt < y.createdAt ? -1 : x.createdAt > y.createdAt ? 1 : x.id < y.id ? -1 : 1));
  a.restoreTests.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : x.id < y.id ? -1 : 1));
  return a;
}
