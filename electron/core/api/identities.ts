/** identities.* handlers: the store's local signing identities. */
import { UserError } from '../errors.ts';
import { createLocalIdentity, listIdentities } from '../packs/sign/identity.ts';
import type { DomainHandlers } from './types.ts';

export const handlers: DomainHandlers<'identities'> = {
  'identities.list': (_input, call) => listIdentities(call.core.store().dir),
  'identities.create': (input, call) => {
    if (input.name.trim() === '') throw new UserError('BAD_INPUT', 'an identity needs a name');
    return createLocalIdentity({
      storeDir: call.core.store().dir,
      name: input.name,
      commonName: input.commonName,
      email: input.email ?? null,
      organisation: input.organisation ?? null,
      passphrase: input.passphrase,
      now: call.core.now(),
    });
  },
};
