/** The identities.* methods. */
import { z } from 'zod';
import { passphrase, type IdentitySummary } from './packs.ts';

export const identitiesMethods = {
  'identities.list': { input: z.object({}).strict() },
  'identities.create': {
    input: z
      .object({
        name: z.string().min(1).max(64),
        commonName: z.string().min(1).max(200),
        email: z.string().max(320).optional(),
        organisation: z.string().max(200).optional(),
        passphrase,
      })
      .strict(),
  },
} as const;

export type IdentitiesOutputs = {
  'identities.list': IdentitySummary[];
  'identities.create': IdentitySummary;
};
