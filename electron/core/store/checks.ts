import { annotationLogStoreCheck } from '../annotations/chain.ts';
import type { Store } from './store.ts';

/**
 * Extra checks `store verify` runs besides the snapshot hashes: the
 * annotation log's hash chain and its recorded heads. Each returns the
 * problems it found.
 */
export const storeVerifyChecks: Array<(store: Store) => string[]> = [annotationLogStoreCheck];
