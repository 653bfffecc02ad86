/** ratecards.* handlers: the bundled default rate card. */
import { loadRatecard } from '../analysis/assets.ts';
import type { DomainHandlers } from './types.ts';

export const handlers: DomainHandlers<'ratecards'> = {
  'ratecards.default': () => {
    const r = loadRatecard();
    return { ratecard: r.value, hash: r.hash, source: r.source };
  },
};
