/** The ratecards.* methods. */
import { z } from 'zod';
import type { RateCard } from '../../domain/ratecard.ts';

export const ratecardsMethods = {
  'ratecards.default': { input: z.object({}).strict() },
} as const;

export type RatecardsOutputs = {
  'ratecards.default': { ratecard: RateCard; hash: string; source: string };
};
