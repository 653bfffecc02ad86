/** packs.* handlers: build, verify, co-sign. The logic lives in electron/core/packs. */
import path from 'node:path';
import { toolVersion } from '../version.ts';
import { buildPack, openSigner } from '../packs/build.ts';
import { cosignPack } from '../packs/sign/cosign.ts';
import { readTrustAnchors } from '../packs/sign/trust.ts';
import { verifyPack } from '../packs/verify.ts';
import type { DomainHandlers } from './types.ts';

function parseSample(s: { seed: string; size: number } | undefined): { seed: string; size: number } | undefined {
  return s ? { seed: s.seed, size: s.size } : undefined;
}

export const handlers: DomainHandlers<'packs'> = {
  'packs.build': (input, call) =>
    buildPack(
      call.core.store(),
      {
        snapshot: input.snapshot,
        compare: input.compare,
        profile: input.profile,
        ratecard: input.ratecard,
        sizes: input.sizes,
        sample: parseSample(input.sample),
        out: input.out,
        zip: input.zip,
        signer: input.signer,
        passphrase: input.passphrase,
        tsa: input.tsa,
        appendixCap: input.appendixCap,
      },
      {
        now: call.core.now(),
        user: call.core.user(),
        toolVersion,
        emit: (phase, done, total, message) => call.emit({ phase, done, total, ...(message ? { message } : {}) }),
        signal: call.signal,
      },
    ),
  'packs.verify': (input) =>
    verifyPack(path.resolve(input.path), { trust: readTrustAnchors(input.trust ?? []), trustTsa: readTrustAnchors(input.trustTsa ?? []), requireTrusted: input.requireTrusted ?? false }),
  'packs.cosign': async (input, call) => {
    const { identity } = await openSigner(call.core.store(), input.signer, input.passphrase, { now: call.core.now(), user: call.core.user() });
    return cosignPack(input.path, identity, { now: call.core.now(), tsa: input.tsa, signal: call.signal });
  },
};
