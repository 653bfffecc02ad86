/**
 * The one contract between every entry point (Electron IPC, web mode, CLI,
 * tests) and the core. Each domain declares its methods (zod input schemas)
 * and output types in methods/<domain>.ts; they are merged here.
 */
import type { z } from 'zod';
import { snapshotsMethods, type SnapshotsOutputs } from './methods/snapshots.ts';
import { jobsMethods, type JobsOutputs } from './methods/jobs.ts';
import { annotationsMethods, type AnnotationsOutputs } from './methods/annotations.ts';
import { uiMethods, type UiOutputs } from './methods/ui.ts';
import { analysisMethods, type AnalysisOutputs } from './methods/analysis.ts';
import { collectMethods, type CollectOutputs } from './methods/collect.ts';
import { packsMethods, type PacksOutputs } from './methods/packs.ts';
import { mergeUnique } from './merge.ts';

export * from './result.ts';
export * from './events.ts';
export { zodMessage } from './zod-message.ts';

type MethodTables = typeof snapshotsMethods &
  typeof jobsMethods &
  typeof annotationsMethods &
  typeof uiMethods &
  typeof analysisMethods &
  typeof collectMethods &
  typeof packsMethods;

// Throws "Conflicting method name X" at load when two domain files declare the same method.
export const methods: MethodTables = mergeUnique<object>([snapshotsMethods, jobsMethods, annotationsMethods, uiMethods, analysisMethods, collectMethods, packsMethods]) as MethodTables;

export type Outputs = SnapshotsOutputs & JobsOutputs & AnnotationsOutputs & UiOutputs & AnalysisOutputs & CollectOutputs & PacksOutputs;

export type Methods = typeof methods;
export type MethodName = keyof Methods & keyof Outputs;
export type InputOf<M extends MethodName> = z.infer<Methods[M]['input']>;
export type OutputOf<M extends MethodName> = Outputs[M];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}
