/**
 * Evidence-pack handlers: build, verify, co-sign, signing identities, demo.
 * The logic lives in electron/core/packs.
 */
import path from 'node:path';
import { toolVersion } from '../version.ts';
import { UserError } from '../errors.ts';
import { buildPack, openSigner } from '../packs/build.ts';
import { cosignPack } from '../packs/sign/cosign.ts';
import { runDemo } from '../packs/demo.ts';
import { createLocalIdentity, listIdentities } from '../packs/sign/identity.ts';
import { readTrustAnchors } from '../packs/sign/trust.ts';
import { verifyPack } from '../packs/verify.ts';
import type { HandlerTable } from './dispatch.ts';

type PacksMethod = 'packs.build' | 'packs.verify' | 'packs.cosign' | 'identities.list' | 'identities.create' | 'demo.run';

function parseSample(s: { seed: string; size: number } | undefined): { seed: string; size: number } | undefined {
  return s ? { seed: s.seed, size: s.size } : undefined;
}

export const packsHandlers: Pick<HandlerTable, PacksMethod> = {
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
  'packs.verify': (input) => verifyPack(path.resolve(input.path), { trust: readTrustAnchors(input.trust ?? []), requireTrusted: input.requireTrusted ?? false }),
  'packs.cosign': async (input, call) => {
    const { identity } = await openSigner(call.core.store(), input.signer, input.passphrase, { now: call.core.now(), user: call.core.user() });
    return cosignPack(input.path, identity, { now: call.core.now(), tsa: input.tsa, signal: call.signal });
  },
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
  'demo.run': (input, call) => runDemo({ out: input.out, now: call.core.now(), user: call.core.user(), emit: (e) => call.emit(e), signal: call.signal }),
};
