/**
 * Reviewer sign-off: a second detached signature over the same manifest.json
 * (manifest.reviewer.p7s). The pack must verify intact first: a reviewer
 * never signs something that has already changed.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CosignResult } from '../../../../shared/contract/methods/packs.ts';
import { UserError } from '../../errors.ts';
import { certFingerprint, subjectString, type SigningIdentity } from './identity.ts';
import { signManifest } from './tsa.ts';
import { verifyPack } from '../verify.ts';
import { addToZip, openPack } from '../write/zip.ts';

export const REVIEWER_FILE = 'manifest.reviewer.p7s';

export async function cosignPack(location: string, identity: SigningIdentity, opts: { now: Date; tsa?: string | undefined; signal?: AbortSignal }): Promise<CosignResult> {
  const abs = path.resolve(location);
  const check = await verifyPack(abs);
  if (!check.intact) {
    const f = check.firstFailure!;
    throw new UserError('VERIFY_FAILED', `refusing to co-sign ${abs}: ${f.file}: ${f.reason}`, { file: abs });
  }
  const src = await openPack(abs);
  let manifestBytes: Buffer;
  try {
    if (src.files.includes(REVIEWER_FILE)) throw new UserError('CONFLICT', `${abs} already has a reviewer signature (${REVIEWER_FILE})`, { file: abs });
    manifestBytes = await src.read('manifest.json');
  } finally {
    await src.close();
  }
  const { p7s, timestamp } = await signManifest(manifestBytes, identity, opts.now, opts.tsa, opts.signal);
  if (src.kind === 'folder') fs.writeFileSync(path.join(abs, REVIEWER_FILE), p7s, { flag: 'wx', mode: 0o600 });
  else await addToZip(abs, REVIEWER_FILE, p7s, opts.now);
  return { path: abs, file: REVIEWER_FILE, signer: { subject: subjectString(identity.cert), fingerprint: certFingerprint(identity.cert) }, timestamp };
}
