/** The store.* methods. */
import { z } from 'zod';
import type { StoreVerifyResult } from './snapshots.ts';

export const storeMethods = {
  'store.verify': { input: z.object({}).strict() },
} as const;

export type StoreOutputs = {
  'store.verify': StoreVerifyResult;
};
