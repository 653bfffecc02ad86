/**
 * RFC 3161 timestamps over a CMS signature value. Without one, the only
 * signing time is the signer's own clock, and the pack says so.
 */
import crypto, { type X509Certificate } from 'node:crypto';
import { UserError } from '../../errors.ts';
import { addUnsignedAttribute, checkSigner, parseSignedData, signDetached, type verifyDetached } from './cms.ts';
import type { SigningIdentity } from './identity.ts';
import { chainToAnchor } from './trust.ts';
import {
  DerError,
  OID,
  TAG,
  children,
  content,
  decodeOid,
  decodeTime,
  digestNameByOid,
  encodeOid,
  encodeSmallInt,
  encodeUnsigned,
  expectTag,
  integerHex,
  integerNumber,
  parseDer,
  tlv,
  whole,
} from './der.ts';

export type TimestampInfo = {
  genTime: string;
  tsa: string;
  serial: string;
  policy: string;
  tsaCert: X509Certificate;
  certs: X509Certificate[];
};

export function timestampRequest(imprint: Buffer, nonce: Buffer): Buffer {
  return tlv(
    TAG.SEQUENCE,
    encodeSmallInt(1),
    tlv(TAG.SEQUENCE, tlv(TAG.SEQUENCE, encodeOid(OID.sha256), tlv(TAG.NULL)), tlv(TAG.OCTET_STRING, imprint)),
    encodeUnsigned(nonce),
    tlv(TAG.BOOLEAN, Buffer.from([0xff])),
  );
}

/** Checks a TimeStampToken: the TSA's signature over TSTInfo, the imprint, and (when given) the nonce. */
export function checkTimestampToken(token: Buffer, signatureValue: Buffer, nonceHex?: string): TimestampInfo {
  const sd = parseSignedData(token);
  if (sd.eContentType !== OID.tstInfo || !sd.eContent) throw new DerError('timestamp token does not carry a TSTInfo');
  const si = sd.signerInfos[0];
  if (!si) throw new DerError('timestamp token has no signer');
  const check = checkSigner(sd, si, [sd.eContent]);
  if (!check.ok || !check.cert) throw new DerError(`timestamp token signature: ${check.problem ?? 'invalid'}`);
  const tst = children(parseDer(sd.eContent));
  const policy = decodeOid(expectTag(tst[1], TAG.OID, 'TSTInfo policy'));
  const [alg, hashed] = children(expectTag(tst[2], TAG.SEQUENCE, 'messageImprint'));
  const digestName = digestNameByOid[decodeOid(children(alg!)[0]!)];
  if (!digestName) throw new DerError('timestamp imprint uses an unknown digest');
  const expected = crypto.createHash(digestName).update(signatureValue).digest();
  if (!Buffer.from(content(expectTag(hashed, TAG.OCTET_STRING, 'imprint'))).equals(expected)) {
    throw new DerError('timestamp does not cover this signature (imprint mismatch)');
  }
  const serial = integerHex(expectTag(tst[3], TAG.INTEGER, 'TSTInfo serial'));
  const genTime = decodeTime(expectTag(tst[4], TAG.GENERALIZED_TIME, 'genTime'));
  if (nonceHex !== undefined) {
    const nonceNode = tst.slice(5).find((n) => n.tag === TAG.INTEGER);
    if (!nonceNode || BigInt(`0x${integerHex(nonceNode)}`) !== BigInt(`0x${nonceHex}`)) throw new DerError('timestamp reply does not echo our nonce');
  }
  const eku = check.cert.keyUsage ?? [];
  if (!eku.includes(OID.ekuTimeStamping)) throw new DerError('the timestamp signer is not a timestamping authority (no timeStamping extended key usage)');
  return { genTime: genTime.toISOString(), tsa: check.cert.subject.replace(/\n/g, ', '), serial, policy, tsaCert: check.cert, certs: check.certs };
}

/** Sends a TimeStampReq and returns the checked token. */
export async function fetchTimestamp(url: string, signatureValue: Buffer, signal?: AbortSignal): Promise<{ token: Buffer; info: TimestampInfo }> {
  const imprint = crypto.createHash('sha256').update(signatureValue).digest();
  const nonce = crypto.randomBytes(8);
  nonce[0] = nonce[0]! & 0x7f;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
      body: timestampRequest(imprint, nonce),
      ...(signal ? { signal } : {}),
    });
  } catch (e) {
    throw new UserError('BAD_INPUT', `timestamp authority ${url} is not reachable: ${(e as Error).message}`);
  }
  if (!res.ok) throw new UserError('BAD_INPUT', `timestamp authority ${url} answered HTTP ${res.status}`);
  const body = Buffer.from(await res.arrayBuffer());
  try {
    const resp = children(parseDer(body));
    const status = children(expectTag(resp[0], TAG.SEQUENCE, 'PKIStatusInfo'));
    const code = integerNumber(expectTag(status[0], TAG.INTEGER, 'status'));
    if (code !== 0 && code !== 1) throw new DerError(`the authority refused the request (status ${code})`);
    const token = Buffer.from(whole(expectTag(resp[1], TAG.SEQUENCE, 'timeStampToken')));
    return { token, info: checkTimestampToken(token, signatureValue, nonce.toString('hex')) };
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError('BAD_INPUT', `timestamp authority ${url} sent an unusable reply: ${(e as Error).message}`);
  }
}

/** A detached signature over `data` (a pack's manifest), timestamped by `tsa` when one is given: the pack build and the reviewer's cosign. */
export async function signManifest(data: Buffer, identity: SigningIdentity, now: Date, tsa: string | undefined, signal?: AbortSignal): Promise<{ p7s: Buffer; timestamp: { genTime: string; tsa: string } | null }> {
  const p7s = signDetached(data, identity, now);
  if (!tsa) return { p7s, timestamp: null };
  const ts = await timestampSignature(p7s, tsa, signal);
  return { p7s: ts.p7s, timestamp: { genTime: ts.info.genTime, tsa: ts.info.tsa } };
}

/** Adds an RFC 3161 timestamp over the signature value of a detached CMS signature. */
export async function timestampSignature(p7s: Buffer, url: string, signal?: AbortSignal): Promise<{ p7s: Buffer; info: TimestampInfo }> {
  const sd = parseSignedData(p7s);
  const sig = sd.signerInfos[0]?.signature;
  if (!sig) throw new Error('signature has no signer');
  const { token, info } = await fetchTimestamp(url, sig, signal);
  return { p7s: addUnsignedAttribute(p7s, OID.timeStampToken, token), info };
}

/** The timestamp carried by a detached signature, checked; null when it has none. */
export function timestampOf(p7sCheck: ReturnType<typeof verifyDetached>): TimestampInfo | null {
  const attr = p7sCheck.info.unsignedAttributes.find((a) => a.oid === OID.timeStampToken);
  const tokenNode = attr?.values[0];
  if (!tokenNode) return null;
  return checkTimestampToken(Buffer.from(whole(tokenNode)), p7sCheck.signature);
}

/**
 * Whether a signature's timestamp may decide its signing time. Unsigned
 * attributes sit outside the signature, so anyone can graft a token made by
 * a "TSA" of their own: it counts only when its TSA chains to an anchor the
 * reader gave (--trust-tsa), carries the timeStamping EKU, covers this
 * signature value, and does not lie in the future. Otherwise it is ignored,
 * with the reason, and the signer's own clock is used.
 */
export type TimestampVerdict = { counted: true; info: TimestampInfo; anchor: string } | { counted: false; reason: string; info: TimestampInfo | null };

/** Tolerated clock difference between the TSA and this machine. */
const FUTURE_SLACK_MS = 5 * 60_000;

export function judgeTimestamp(p7sCheck: ReturnType<typeof verifyDetached>, tsaAnchors: readonly X509Certificate[], now = new Date()): TimestampVerdict | null {
  const attr = p7sCheck.info.unsignedAttributes.find((a) => a.oid === OID.timeStampToken);
  const tokenNode = attr?.values[0];
  if (!tokenNode) return null;
  let info: TimestampInfo;
  try {
    info = checkTimestampToken(Buffer.from(whole(tokenNode)), p7sCheck.signature);
  } catch (e) {
    return { counted: false, reason: (e as Error).message, info: null };
  }
  if (Date.parse(info.genTime) > now.getTime() + FUTURE_SLACK_MS) return { counted: false, reason: `its time ${info.genTime} is in the future`, info };
  const trust = chainToAnchor(info.tsaCert, info.certs, tsaAnchors, new Date(info.genTime), '--trust-tsa');
  if (!trust.trusted) return { counted: false, reason: `TSA "${info.tsa}": ${trust.reason}`, info };
  return { counted: true, info, anchor: trust.anchor ?? '' };
}
