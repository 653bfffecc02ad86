/**
 * The one contract between every entry point (Electron IPC, web mode, CLI,
 * tests) and the core. The methods named <prefix>.* (zod input schemas and
 * output types) are declared in methods/<prefix>.ts, handled in
 * electron/core/api/<prefix>.ts and driven from the command line by
 * electron/cli/<prefix>.ts; they are merged here. Shapes several prefixes
 * share live beside them (methods/analysis.ts, methods/ui.ts).
 */
import type { z } from 'zod';
import { snapshotsMethods, type SnapshotsOutputs } from './methods/snapshots.ts';
import { importMethods, type ImportOutputs } from './methods/import.ts';
import { itemsMethods, type ItemsOutputs } from './methods/items.ts';
import { storeMethods, type StoreOutputs } from './methods/store.ts';
import { jobsMethods, type JobsOutputs } from './methods/jobs.ts';
import { annotationsMethods, type AnnotationsOutputs } from './methods/annotations.ts';
import { ownersMethods, type OwnersOutputs } from './methods/owners.ts';
import { diffMethods, type DiffOutputs } from './methods/diff.ts';
import { findingsMethods, type FindingsOutputs } from './methods/findings.ts';
import { costMethods, type CostOutputs } from './methods/cost.ts';
import { sampleMethods, type SampleOutputs } from './methods/sample.ts';
import { sizesMethods, type SizesOutputs } from './methods/sizes.ts';
import { adherenceMethods, type AdherenceOutputs } from './methods/adherence.ts';
import { profilesMethods, type ProfilesOutputs } from './methods/profiles.ts';
import { ratecardsMethods, type RatecardsOutputs } from './methods/ratecards.ts';
import { collectMethods, type CollectOutputs } from './methods/collect.ts';
import { packsMethods, type PacksOutputs } from './methods/packs.ts';
import { identitiesMethods, type IdentitiesOutputs } from './methods/identities.ts';
import { demoMethods, type DemoOutputs } from './methods/demo.ts';
import { accessMethods, type AccessOutputs } from './methods/access.ts';
import { restoreMethods, type RestoreOutputs } from './methods/restore.ts';
import { alertsMethods, type AlertsOutputs } from './methods/alerts.ts';
import { policyMethods, type PolicyOutputs } from './methods/policy.ts';
import { mergeUnique } from './merge.ts';

export * from './result.ts';
export * from './events.ts';
export { zodMessage } from './zod-message.ts';

type MethodTables = typeof snapshotsMethods &
  typeof importMethods &
  typeof itemsMethods &
  typeof storeMethods &
  typeof jobsMethods &
  typeof annotationsMethods &
  typeof ownersMethods &
  typeof diffMethods &
  typeof findingsMethods &
  typeof costMethods &
  typeof sampleMethods &
  typeof sizesMethods &
  typeof adherenceMethods &
  typeof profilesMethods &
  typeof ratecardsMethods &
  typeof collectMethods &
  typeof packsMethods &
  typeof identitiesMethods &
  typeof demoMethods &
  typeof accessMethods &
  typeof restoreMethods &
  typeof alertsMethods &
  typeof policyMethods;

// Throws "Conflicting method name X" at load when two files declare the same method.
export const methods: MethodTables = mergeUnique<object>([
  snapshotsMethods,
  importMethods,
  itemsMethods,
  storeMethods,
  jobsMethods,
  annotationsMethods,
  ownersMethods,
  diffMethods,
  findingsMethods,
  costMethods,
  sampleMethods,
  sizesMethods,
  adherenceMethods,
  profilesMethods,
  ratecardsMethods,
  collectMethods,
  packsMethods,
  identitiesMethods,
  demoMethods,
  accessMethods,
  restoreMethods,
  alertsMethods,
  policyMethods,
]) as MethodTables;

export type Outputs = SnapshotsOutputs &
  ImportOutputs &
  ItemsOutputs &
  StoreOutputs &
  JobsOutputs &
  AnnotationsOutputs &
  OwnersOutputs &
  DiffOutputs &
  FindingsOutputs &
  CostOutputs &
  SampleOutputs &
  SizesOutputs &
  AdherenceOutputs &
  ProfilesOutputs &
  RatecardsOutputs &
  CollectOutputs &
  PacksOutputs &
  IdentitiesOutputs &
  DemoOutputs &
  AccessOutputs &
  RestoreOutputs &
  AlertsOutputs &
  PolicyOutputs;

export type Methods = typeof methods;
export type MethodName = keyof Methods & keyof Outputs;
export type InputOf<M extends MethodName> = z.infer<Methods[M]['input']>;
export type OutputOf<M extends MethodName> = Outputs[M];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}
