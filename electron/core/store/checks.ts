import type { Store } from './store.ts';

/**
 * Extra checks `store verify` runs besides the snapshot hashes (e.g. the
 * annotation log's hash chain). Each returns the problems it found.
 */
export const storeVerifyChecks: Array<(store: Store) => string[]> = [];
