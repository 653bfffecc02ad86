/**
 * Detached CMS (PKCS #7) signatures: made with node-forge (the form
 * `openssl cms -verify -binary` accepts), checked here with our DER reader and
 * node:crypto, so verification needs neither openssl nor forge's missing verifier.
 */
import crypto, { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
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
  expectTag,
  integerHex,
  parseDer,
  tlv,
  whole,
  type DerNode,
} from './der.ts';
import { certDer, type SigningIdentity } from './identity.ts';

/** Signs `data` (detached): contentType, messageDigest (SHA-256) and signingTime are signed attributes. */
export function signDetached(data: Buffer, id: SigningIdentity, signingTime: Date): Buffer {
  const p7 = forge.pkcs7.createSignedData();
  p7.content = forge.util.createBuffer(data.toString('binary'));
  p7.addCertificate(id.cert);
  for (const c of id.chain) p7.addCertificate(c);
  p7.addSigner({
    key: id.key,
    certificate: id.cert,
    digestAlgorithm: forge.pki.oids.sha256!,
    authenticatedAttributes: [
      { type: forge.pki.oids.contentType!, value: forge.pki.oids.data! },
      { type: forge.pki.oids.messageDigest! },
      // forge's typings say string; it accepts (and needs) a Date here.
      { type: forge.pki.oids.signingTime!, value: signingTime as unknown as string },
    ],
  });
  p7.sign({ detached: true });
  return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
}

function encodeTime(d: Date): Buffer {
  const iso = d.toISOString();
  const y = d.getUTCFullYear();
  const hms = `${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  // RFC 5652: UTCTime for 1950–2049, GeneralizedTime otherwise.
  if (y >= 1950 && y < 2050) return tlv(TAG.UTC_TIME, Buffer.from(`${String(y).slice(2)}${hms}`, 'latin1'));
  return tlv(TAG.GENERALIZED_TIME, Buffer.from(`${y}${hms}`, 'latin1'));
}

const keyObjects = new WeakMap<SigningIdentity, crypto.KeyObject>();

function keyObjectOf(id: SigningIdentity): crypto.KeyObject {
  let k = keyObjects.get(id);
  if (!k) {
    k = crypto.createPrivateKey(forge.pki.privateKeyToPem(id.key));
    keyObjects.set(id, k);
  }
  return k;
}

/**
 * The same detached SignedData as signDetached, built with node:crypto: the
 * digest of a large input (the PDF) runs natively instead of in forge's JS
 * SHA-256 (~0.2 MB/s here), and the content may come in parts (the two
 * signed byte ranges of a PDF).
 */
export function signDetachedNative(parts: Buffer[], id: SigningIdentity, signingTime: Date): Buffer {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p);
  const digest = h.digest();
  const attr = (oid: string, value: Buffer): Buffer => tlv(TAG.SEQUENCE, encodeOid(oid), tlv(TAG.SET, value));
  // DER SET OF: elements sorted by their encodings.
  const attrs = [attr(OID.contentType, encodeOid(OID.data)), attr(OID.signingTime, encodeTime(signingTime)), attr(OID.messageDigest, tlv(TAG.OCTET_STRING, digest))].sort(Buffer.compare);
  const signedAttrsSet = tlv(TAG.SET, ...attrs);
  const signature = crypto.sign('sha256', signedAttrsSet, keyObjectOf(id));
  const leaf = certDer(id.cert);
  const tbs = children(children(parseDer(leaf))[0]!);
  const off = tbs[0]?.tag === 0xa0 ? 1 : 0;
  const serial = whole(tbs[off]!);
  const issuer = whole(tbs[off + 2]!);
  const sha256Alg = tlv(TAG.SEQUENCE, encodeOid(OID.sha256), tlv(TAG.NULL));
  const signerInfo = tlv(
    TAG.SEQUENCE,
    encodeSmallInt(1),
    tlv(TAG.SEQUENCE, issuer, serial),
    sha256Alg,
    tlv(0xa0, ...attrs),
    tlv(TAG.SEQUENCE, encodeOid(OID.rsaEncryption), tlv(TAG.NULL)),
    tlv(TAG.OCTET_STRING, signature),
  );
  const signedData = tlv(
    TAG.SEQUENCE,
    encodeSmallInt(1),
    tlv(TAG.SET, sha256Alg),
    tlv(TAG.SEQUENCE, encodeOid(OID.data)),
    tlv(0xa0, leaf, ...id.chain.map(certDer)),
    tlv(TAG.SET, signerInfo),
  );
  return tlv(TAG.SEQUENCE, encodeOid(OID.signedData), tlv(0xa0, signedData));
}

export type Attribute = { oid: string; values: DerNode[] };

export type SignerInfo = {
  node: DerNode;
  issuerDer: Buffer | null;
  serialHex: string | null;
  subjectKeyId: Buffer | null;
  digestOid: string;
  signedAttrs: DerNode | null;
  signedAttributes: Attribute[];
  signatureAlgOid: string;
  signature: Buffer;
  unsignedAttributes: Attribute[];
};

export type SignedData = {
  contentInfo: DerNode;
  signedData: DerNode;
  eContentType: string;
  /** Encapsulated content (TSTInfo of a timestamp token); null for a detached signature. */
  eContent: Buffer | null;
  certificates: Buffer[];
  signerInfos: SignerInfo[];
};

function parseAttributes(setNode: DerNode): Attribute[] {
  return children(setNode).map((a) => {
    const [oid, vals] = children(expectTag(a, TAG.SEQUENCE, 'attribute'));
    return { oid: decodeOid(expectTag(oid, TAG.OID, 'attribute type')), values: children(expectTag(vals, TAG.SET, 'attribute values')) };
  });
}

function parseSignerInfo(si: DerNode): SignerInfo {
  const parts = children(expectTag(si, TAG.SEQUENCE, 'SignerInfo'));
  let i = 1; // skip version
  const sid = parts[i++];
  let issuerDer: Buffer | null = null;
  let serialHex: string | null = null;
  let subjectKeyId: Buffer | null = null;
  if (sid?.tag === TAG.SEQUENCE) {
    const [issuer, serial] = children(sid);
    issuerDer = whole(expectTag(issuer, TAG.SEQUENCE, 'signer issuer'));
    serialHex = integerHex(expectTag(serial, TAG.INTEGER, 'signer serial'));
  } else if (sid?.tag === 0x80) {
    subjectKeyId = Buffer.from(content(sid));
  } else throw new DerError('SignerInfo: unknown signer identifier');
  const digestOid = decodeOid(expectTag(children(expectTag(parts[i++], TAG.SEQUENCE, 'digest algorithm'))[0], TAG.OID, 'digest algorithm'));
  let signedAttrs: DerNode | null = null;
  if (parts[i]?.tag === 0xa0) signedAttrs = parts[i++]!;
  const signatureAlgOid = decodeOid(expectTag(children(expectTag(parts[i++], TAG.SEQUENCE, 'signature algorithm'))[0], TAG.OID, 'signature algorithm'));
  const signature = Buffer.from(content(expectTag(parts[i++], TAG.OCTET_STRING, 'signature value')));
  const unsigned = parts[i]?.tag === 0xa1 ? parts[i] : undefined;
  return {
    node: si,
    issuerDer,
    serialHex,
    subjectKeyId,
    digestOid,
    signedAttrs,
    signedAttributes: signedAttrs ? parseAttributes(signedAttrs) : [],
    signatureAlgOid,
    signature,
    unsignedAttributes: unsigned ? parseAttributes(unsigned) : [],
  };
}

export function parseSignedData(der: Buffer): SignedData {
  const ci = parseDer(der);
  const [typeNode, explicit] = children(expectTag(ci, TAG.SEQUENCE, 'ContentInfo'));
  if (decodeOid(expectTag(typeNode, TAG.OID, 'content type')) !== OID.signedData) throw new DerError('not a CMS SignedData');
  const sd = expectTag(children(expectTag(explicit, 0xa0, 'SignedData wrapper'))[0], TAG.SEQUENCE, 'SignedData');
  const parts = children(sd);
  const encap = children(expectTag(parts[2], TAG.SEQUENCE, 'encapsulated content'));
  const eContentType = decodeOid(expectTag(encap[0], TAG.OID, 'eContentType'));
  let eContent: Buffer | null = null;
  if (encap[1]) {
    const inner = children(expectTag(encap[1], 0xa0, 'eContent'))[0];
    eContent = Buffer.from(content(expectTag(inner, TAG.OCTET_STRING, 'eContent')));
  }
  let idx = 3;
  const certificates: Buffer[] = [];
  if (parts[idx]?.tag === 0xa0) {
    for (const c of children(parts[idx]!)) if (c.tag === TAG.SEQUENCE) certificates.push(Buffer.from(whole(c)));
    idx++;
  }
  if (parts[idx]?.tag === 0xa1) idx++; // CRLs
  const signerInfos = children(expectTag(parts[idx], TAG.SET, 'signerInfos')).map(parseSignerInfo);
  return { contentInfo: ci, signedData: sd, eContentType, eContent, certificates, signerInfos };
}

/** Issuer Name DER and serial of a certificate, for matching IssuerAndSerialNumber. */
function certIssuerSerial(certDer: Buffer): { issuer: Buffer; serial: string; ski: Buffer | null } {
  const tbs = children(children(parseDer(certDer))[0]!);
  let i = 0;
  if (tbs[0]?.tag === 0xa0) i = 1;
  const serial = integerHex(tbs[i]!);
  const issuer = Buffer.from(whole(tbs[i + 2]!));
  let ski: Buffer | null = null;
  const ext = tbs.find((n) => n.tag === 0xa3);
  if (ext) {
    for (const e of children(children(ext)[0]!)) {
      const [oid, ...rest] = children(e);
      if (oid && decodeOid(oid) === '2.5.29.14') {
        const val = rest[rest.length - 1]!;
        ski = Buffer.from(content(parseDer(Buffer.from(content(val)))));
      }
    }
  }
  return { issuer, serial, ski };
}

function digestOf(alg: string, parts: Buffer[]): Buffer {
  const h = crypto.createHash(alg);
  for (const p of parts) h.update(p);
  return h.digest();
}

function verifySignatureValue(sigAlgOid: string, digestName: string, data: Buffer, signature: Buffer, cert: X509Certificate): boolean {
  const byAlg: Record<string, string> = {
    [OID.rsaEncryption]: digestName,
    [OID.sha1WithRSA]: 'sha1',
    [OID.sha256WithRSA]: 'sha256',
    [OID.sha384WithRSA]: 'sha384',
    [OID.sha512WithRSA]: 'sha512',
    [OID.ecdsaSha256]: 'sha256',
    [OID.ecdsaSha384]: 'sha384',
    [OID.ecdsaSha512]: 'sha512',
  };
  const hash = byAlg[sigAlgOid];
  if (!hash) throw new DerError(`signature algorithm ${sigAlgOid} is not supported`);
  if (sigAlgOid.startsWith('1.2.840.10045')) return crypto.verify(hash, data, { key: cert.publicKey, dsaEncoding: 'der' }, signature);
  return crypto.verify(hash, data, cert.publicKey, signature);
}

export type SignerCheck = {
  ok: boolean;
  /** Why it failed, in words a reader can act on. */
  problem: string | null;
  cert: X509Certificate | null;
  certs: X509Certificate[];
  signingTime: Date | null;
  signature: Buffer;
  digestName: string;
  info: SignerInfo;
};

/**
 * Checks one SignerInfo against content (given as parts, hashed in order):
 * the signer certificate is in the message, the messageDigest attribute
 * matches, and the signature over the signed attributes verifies.
 */
export function checkSigner(sd: SignedData, si: SignerInfo, contentParts: Buffer[]): SignerCheck {
  const certs = sd.certificates.map((d) => new X509Certificate(d));
  const digestName = digestNameByOid[si.digestOid];
  const base = { certs, signature: si.signature, info: si, digestName: digestName ?? si.digestOid };
  const signingAttr = si.signedAttributes.find((a) => a.oid === OID.signingTime);
  const signingTime = signingAttr?.values[0] ? decodeTime(signingAttr.values[0]) : null;
  if (!digestName) return { ...base, ok: false, problem: `digest algorithm ${si.digestOid} is not supported`, cert: null, signingTime };
  const idx = sd.certificates.findIndex((d) => {
    const c = certIssuerSerial(d);
    if (si.subjectKeyId) return c.ski !== null && c.ski.equals(si.subjectKeyId);
    return c.serial === si.serialHex && si.issuerDer !== null && c.issuer.equals(si.issuerDer);
  });
  const cert = idx >= 0 ? certs[idx]! : null;
  if (!cert) return { ...base, ok: false, problem: 'the signer certificate is not in the signature', cert: null, signingTime };
  const digest = digestOf(digestName, contentParts);
  let signedBytes: Buffer;
  if (si.signedAttrs) {
    const md = si.signedAttributes.find((a) => a.oid === OID.messageDigest)?.values[0];
    if (!md) return { ...base, ok: false, problem: 'the signature has no messageDigest attribute', cert, signingTime };
    if (!Buffer.from(content(md)).equals(digest)) return { ...base, ok: false, problem: 'content does not match the signature (digest mismatch)', cert, signingTime };
    const ct = si.signedAttributes.find((a) => a.oid === OID.contentType)?.values[0];
    if (!ct || decodeOid(ct) !== sd.eContentType) return { ...base, ok: false, problem: 'the signed contentType attribute does not match', cert, signingTime };
    // Signed attributes are signed as a SET OF (tag 0x31), not as the [0] IMPLICIT that carries them.
    signedBytes = Buffer.concat([Buffer.from([TAG.SET]), whole(si.signedAttrs).subarray(1)]);
  } else {
    signedBytes = Buffer.concat(contentParts);
  }
  let good: boolean;
  try {
    good = verifySignatureValue(si.signatureAlgOid, digestName, signedBytes, si.signature, cert);
  } catch (e) {
    return { ...base, ok: false, problem: (e as Error).message, cert, signingTime };
  }
  if (!good) return { ...base, ok: false, problem: 'the signature value does not verify with the signer certificate', cert, signingTime };
  return { ...base, ok: true, problem: null, cert, signingTime };
}

/** Parses and checks a detached signature over `contentParts`; exactly one signer expected. */
export function verifyDetached(p7s: Buffer, contentParts: Buffer[]): SignerCheck & { sd: SignedData } {
  const sd = parseSignedData(p7s);
  if (sd.eContent !== null) throw new DerError('expected a detached signature, found encapsulated content');
  const si = sd.signerInfos[0];
  if (!si || sd.signerInfos.length !== 1) throw new DerError(`expected one signer, found ${sd.signerInfos.length}`);
  return { ...checkSigner(sd, si, contentParts), sd };
}

/**
 * Returns a copy of a one-signer SignedData with an unsigned attribute added
 * (an RFC 3161 timestamp token). The signed part is untouched, so the
 * existing signature stays valid.
 */
export function addUnsignedAttribute(p7s: Buffer, oid: string, valueDer: Buffer): Buffer {
  const sd = parseSignedData(p7s);
  if (sd.signerInfos.length !== 1) throw new DerError('can only add an attribute to a single-signer signature');
  const si = sd.signerInfos[0]!;
  const attr = tlv(TAG.SEQUENCE, encodeOid(oid), tlv(TAG.SET, valueDer));
  const siParts = children(si.node);
  const existing = siParts.find((n) => n.tag === 0xa1);
  const kept = siParts.filter((n) => n.tag !== 0xa1).map((n) => whole(n));
  const unsigned = tlv(0xa1, ...(existing ? children(existing).map((n) => whole(n)) : []), attr);
  const newSi = tlv(TAG.SEQUENCE, ...kept, unsigned);
  const sdParts = children(sd.signedData);
  const newSd = tlv(TAG.SEQUENCE, ...sdParts.slice(0, -1).map((n) => whole(n)), tlv(TAG.SET, newSi));
  const [typeNode] = children(sd.contentInfo);
  return tlv(TAG.SEQUENCE, whole(typeNode!), tlv(0xa0, newSd));
}
