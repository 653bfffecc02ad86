/**
 * How analysis reads annotations for a backup item: its own target
 * (`item:<key>`) first, then its source resource (`resource:<arm id>`), since
 * owners imported from a CMDB or set on a workload before it had a backup item
 * hang on the resource.
 */
import type { Annotation, AnnotationIndex, ExceptionEntry, RestoreTest } from './annotations.ts';
import { endOfDayUtc, itemTarget, resourceTarget } from './annotations.ts';

function first<T>(annotations: AnnotationIndex, key: string, sourceKey: string | null, pick: (a: Annotation) => T | null): T | null {
  if (annotations.size === 0) return null;
  const own = annotations.get(itemTarget(key));
  const v = own ? pick(own) : null;
  if (v !== null || !sourceKey) return v;
  const src = annotations.get(resourceTarget(sourceKey));
  return src ? pick(src) : null;
}

export function ownerFor(annotations: AnnotationIndex, key: string, sourceKey: string | null): string | null {
  return first(annotations, key, sourceKey, (a) => a.owner);
}

export function criticalityFor(annotations: AnnotationIndex, key: string, sourceKey: string | null): Annotation['criticality'] {
  return first(annotations, key, sourceKey, (a) => a.criticality);
}

export function sizeOverridesFor(annotations: AnnotationIndex, key: string, sourceKey: string | null): { frontEndGb: number | null; storageGb: number | null } {
  return {
    frontEndGb: first(annotations, key, sourceKey, (a) => a.frontEndGb),
    storageGb: first(annotations, key, sourceKey, (a) => a.storageGb),
  };
}

export function restoreTestsFor(annotations: AnnotationIndex, key: string, sourceKey: string | null): RestoreTest[] {
  if (annotations.size === 0) return [];
  const own = annotations.get(itemTarget(key))?.restoreTests ?? [];
  const src = sourceKey ? (annotations.get(resourceTarget(sourceKey))?.restoreTests ?? []) : [];
  return src.length === 0 ? own : [...own, ...src];
}

/** Exceptions on exactly this target (a finding's target). */
export function exceptionsOn(annotations: AnnotationIndex, target: string): ExceptionEntry[] {
  return annotations.get(target)?.exceptions ?? [];
}

/** An exception holds through the end of its expiry day, UTC, inclusive. */
export function exceptionHolds(e: ExceptionEntry, asOfMs: number): boolean {
  const end = endOfDayUtc(e.expires);
  return !Number.isNaN(end) && asOfMs <= end;
}

/** The holding exception for this rule on this target (latest expiry wins), or null. */
export function holdingException(annotations: AnnotationIndex, target: string, rule: string, asOfMs: number): ExceptionEntry | null {
  if (annotations.size === 0) return null;
  let best: ExceptionEntry | null = null;
  for (const e of exceptionsOn(annotations, target)) {
    if ((e.rule === rule || e.rule === 'all') && exceptionHolds(e, asOfMs) && (best === null || e.expires > best.expires)) best = e;
  }
  return best;
}
