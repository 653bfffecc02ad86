/** packs.* handlers: build, verify, co-sign. The logic lives in electron/core/packs. */
import path from 'node:path';
import { progressEvent } from '../../../shared/contract/events.ts';
import { toolVersion } from '../version.ts';
import { buildPack, openSigner } from '../packs/build.ts';
import { cosignPack } from '../packs/sign/cosign.ts';
import { readTrustAnchors } from '../packs/sign/trust.ts';
import { verifyPack } from '../packs/verify.ts';
import type { DomainHandlers } from './types.ts';

export const handlers: DomainHandlers<'packs'> = {
  'packs.build': (input, call) =>
    buildPack(call.core.store(), input, { now: call.core.now(), user: call.core.user(), toolVersion, onProgress: (e) => call.emit(progressEvent(e)), signal: call.signal }),
  'packs.verify': (input) =>
    verifyPack(path.resolve(input.path), { trust: readTrustAnchors(input.trust ?? []), trustTsa: readTrustAnchors(input.trustTsa ?? []), requireTrusted: input.requireTrusted ?? false }),
  'packs.cosign': async (input, call) => {
    const { identity } = await openSigner(call.core.store(), input.signer, input.passphrase, { now: call.core.now(), user: call.core.user() });
    return cosignPack(input.path, identity, { now: call.core.now(), tsa: input.tsa, signal: call.signal });
  },
};
