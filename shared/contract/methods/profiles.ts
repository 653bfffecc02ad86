/** The profiles.* methods. */
import { z } from 'zod';
import type { AuditProfile } from '../../domain/profile.ts';

export const profilesMethods = {
  'profiles.default': { input: z.object({}).strict() },
} as const;

export type ProfilesOutputs = {
  'profiles.default': { profile: AuditProfile; hash: string; source: string };
};
