import type { StoreVerifyResult } from '../../../shared/contract/methods/snapshots.ts';
import { annotationLogStoreCheck } from '../annotations/chain.ts';
import type { Store } from '../store/store.ts';
import { verifyStore } from '../store/verify.ts';
import { triggerStoreCheck } from './triggers.ts';

/**
 * `store verify` as a whole: every snapshot's content hash and records
 * (store/verify.ts) plus the checks that belong to layers above the store,
 * such as the annotation log's hash chain and its recorded heads. It lives
 * here, above both, so that the store never imports a layer built on it.
 * A new part that keeps its own tamper evidence adds its check to this list.
 */
export const storeIntegrityChecks: ReadonlyArray<(store: Store) => string[]> = [triggerStoreCheck, annotationLogStoreCheck];

export function verifyStoreIntegrity(store: Store): StoreVerifyResult {
  return verifyStore(store, storeIntegrityChecks);
}
