/** profiles.* handlers: the bundled default control profile. */
import { loadProfile } from '../analysis/assets.ts';
import type { DomainHandlers } from './types.ts';

export const handlers: DomainHandlers<'profiles'> = {
  'profiles.default': () => {
    const p = loadProfile();
    return { profile: p.value, hash: p.hash, source: p.source };
  },
};
