import type { z } from 'zod';
import type { annotationsMethods } from '../../../shared/contract/methods/annotations.ts';

export type {
  AnnotationChange,
  AnnotationLogEntry,
  AnnotationRow,
  AnnotationsExportResult,
  MergeConflict,
  MergeReport,
  OwnerField,
  OwnersImportReport,
  OwnersImportRow,
} from '../../../shared/contract/methods/annotations.ts';

type AnnotationsMethods = typeof annotationsMethods;
export type InputOfAnnotations<M extends keyof AnnotationsMethods> = z.infer<AnnotationsMethods[M]['input']>;
