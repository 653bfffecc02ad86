/**
 * Does a signer chain to a trust anchor the reader gave (--trust CA.pem)?
 * A signature can be intact without being trusted: verify reports both.
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import { UserError } from '../../errors.ts';

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
export function chainToAnchor(leaf: X509Certificate, pool: readonly X509Certificate[], anchors: readonly X509Certificate[], at: Date): TrustResult {
  if (anchors.length === 0) return { trusted: false, anchor: null, reason: 'no trust anchor given (--trust CA.pem)' };
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
    if (!next) return { trusted: false, anchor: null, reason: 'does not chain to any --trust anchor' };
    current = next;
  }
  return { trusted: false, anchor: null, reason: 'certificate chain too long' };
}

export function describeCert(c: X509Certificate): string {
  return c.subject.replace(/\n/g, ', ');
}
