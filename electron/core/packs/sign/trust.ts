/**
 * Does a signer chain to a trust anchor the reader gave (--trust CA.pem)?
 * A signature can be intact without being trusted: verify reports both.
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import { UserError } from '../../errors.ts';
import { DerError, children, content, decodeOid, parseDer } from './der.ts';

export function readTrustAnchors(files: readonly string[]): X509Certificate[] {
  const out: X509Certificate[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = fs.readFileSync(f, 'latin1');
    } catch (e) {
      throw new UserError('BAD_INPUT', `cannot read trust anchor ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: f });
    }
    const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
    try {
      if (pems) for (const p of pems) out.push(new X509Certificate(p));
      else out.push(new X509Certificate(fs.readFileSync(f)));
    } catch (e) {
      throw new UserError('BAD_INPUT', `${f} is not a PEM or DER certificate (${(e as Error).message})`, { file: f });
    }
  }
  return out;
}

export type TrustResult = { trusted: boolean; anchor: string | null; reason: string };

function validAt(c: X509Certificate, at: Date): boolean {
  return Date.parse(c.validFrom) <= at.getTime() && at.getTime() <= Date.parse(c.validTo);
}

/**
 * Walks issuer links from `leaf` through `pool` (certificates carried in the
 * signature) until one is issued by, or equal to, an anchor. Every link must
 * verify cryptographically, intermediates must be CAs, and each certificate
 * must be valid at `at` (the signing or timestamp time).
 */
export function chainToAnchor(leaf: X509Certificate, pool: readonly X509Certificate[], anchors: readonly X509Certificate[], at: Date, flag = '--trust'): TrustResult {
  if (anchors.length === 0) return { trusted: false, anchor: null, reason: `no trust anchor given (${flag} CA.pem)` };
  let current = leaf;
  const seen = new Set<string>();
  for (let depth = 0; depth < 8; depth++) {
    if (!validAt(current, at)) return { trusted: false, anchor: null, reason: `certificate "${current.subject.replace(/\n/g, ', ')}" was not valid at ${at.toISOString()}` };
    const same = anchors.find((a) => a.fingerprint256 === current.fingerprint256);
    if (same) return { trusted: true, anchor: same.subject.replace(/\n/g, ', '), reason: 'signer certificate is a trust anchor' };
    const byAnchor = anchors.find((a) => current.checkIssued(a) && current.verify(a.publicKey));
    if (byAnchor) {
      if (!byAnchor.ca) return { trusted: false, anchor: null, reason: 'the anchor that issued the signer is not a CA certificate' };
      return { trusted: true, anchor: byAnchor.subject.replace(/\n/g, ', '), reason: 'chains to a trust anchor' };
    }
    seen.add(current.fingerprint256);
    const next = pool.find((c) => !seen.has(c.fingerprint256) && c.ca && current.checkIssued(c) && current.verify(c.publicKey));
    if (!next) return { trusted: false, anchor: null, reason: `does not chain to any ${flag} anchor` };
    current = next;
  }
  return { trusted: false, anchor: null, reason: 'certificate chain too long' };
}

export function describeCert(c: X509Certificate): string {
  return c.subject.replace(/\n/g, ', ');
}

export function fingerprintOf(c: X509Certificate): string {
  return c.fingerprint256.replace(/:/g, '').toLowerCase();
}

/** Extended key usages that allow signing a document (RFC 9336 documentSigning, S/MIME, Adobe, Microsoft, any). */
const SIGNING_EKUS: Record<string, string> = {
  '1.3.6.1.5.5.7.3.36': 'documentSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.2.840.113583.1.1.5': 'Adobe document signing',
  '1.3.6.1.4.1.311.10.3.12': 'Microsoft document signing',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
};

/** The keyUsage bits of a certificate (digitalSignature is bit 0), or null when it has no keyUsage extension. */
export function keyUsageBits(c: X509Certificate): { digitalSignature: boolean; nonRepudiation: boolean } | null {
  const tbs = children(children(parseDer(c.raw))[0]!);
  const ext = tbs.find((n) => n.tag === 0xa3);
  if (!ext) return null;
  for (const e of children(children(ext)[0]!)) {
    const [id, ...rest] = children(e);
    if (!id || decodeOid(id) !== '2.5.29.15') continue;
    const bits = content(parseDer(Buffer.from(content(rest[rest.length - 1]!))));
    // bits[0] is the count of unused bits; the flags start in bits[1], most significant first.
    const first = bits[1] ?? 0;
    return { digitalSignature: (first & 0x80) !== 0, nonRepudiation: (first & 0x40) !== 0 };
  }
  return null;
}

/**
 * Why this certificate may not sign evidence, or null: where keyUsage is
 * present it must allow digitalSignature or nonRepudiation, and where an
 * extended key usage is present it must name a document-signing purpose (a
 * TLS server or timestamping certificate is not a signer).
 */
export function signingUsageProblem(c: X509Certificate): string | null {
  let ku: ReturnType<typeof keyUsageBits>;
  try {
    ku = keyUsageBits(c);
  } catch (e) {
    return `its extensions are unreadable (${e instanceof DerError ? e.message : String(e)})`;
  }
  if (ku && !ku.digitalSignature && !ku.nonRepudiation) return 'its key usage allows neither digitalSignature nor nonRepudiation';
  const eku = c.keyUsage;
  if (eku && eku.length > 0 && !eku.some((o) => o in SIGNING_EKUS)) {
    return `its extended key usage (${eku.join(', ')}) names no document-signing purpose (${Object.values(SIGNING_EKUS).join(', ')})`;
  }
  return null;
}
