/**
 * Checks the signature embedded in a PDF: the /ByteRange must cover the whole
 * file except the /Contents hex string, and the CMS in /Contents must verify
 * over those two ranges. Only the last signature is checked (Vaultproof
 * writes one); a PDF altered after signing fails either the range or the digest.
 */
import { verifyDetached, type SignerCheck } from './cms.ts';

export type PdfSignatureCheck = { ok: boolean; problem: string | null; signer: SignerCheck | null };

export function checkPdfSignature(pdf: Buffer): PdfSignatureCheck {
  const tail = pdf.toString('latin1');
  const at = tail.lastIndexOf('/ByteRange');
  if (at < 0) return { ok: false, problem: 'the PDF carries no embedded signature', signer: null };
  const m = /^\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(tail.slice(at, at + 120));
  if (!m) return { ok: false, problem: 'the signature /ByteRange is unreadable', signer: null };
  const [a, b, c, d] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  if (a !== 0 || c + d !== pdf.length || b >= c) {
    return { ok: false, problem: `the signed byte range [${a} ${b} ${c} ${d}] does not cover the whole file (${pdf.length} bytes): content was added or cut after signing`, signer: null };
  }
  const hole = tail.slice(b, c);
  if (!/^<[0-9a-fA-F]*>$/.test(hole)) return { ok: false, problem: 'the unsigned gap of the byte range is not the signature contents', signer: null };
  const raw = Buffer.from(hole.slice(1, -1), 'hex');
  // /Contents is zero-padded to the placeholder size: the DER's own length says where it ends.
  const lenByte = raw[1] ?? 0;
  const total = lenByte < 0x80 ? lenByte + 2 : lenByte === 0x81 ? (raw[2] ?? 0) + 3 : lenByte === 0x82 ? raw.readUInt16BE(2) + 4 : lenByte === 0x83 ? raw.readUIntBE(2, 3) + 5 : -1;
  if (raw[0] !== 0x30 || total < 0 || total > raw.length) return { ok: false, problem: 'the embedded signature is not a CMS structure', signer: null };
  const der = raw.subarray(0, total);
  try {
    const check = verifyDetached(der, [pdf.subarray(0, b), pdf.subarray(c, c + d)]);
    if (!check.ok) {
      const tampered = check.problem?.includes('digest mismatch');
      return { ok: false, problem: tampered ? 'tampered: the signed bytes changed after signing (digest mismatch)' : (check.problem ?? 'invalid signature'), signer: check };
    }
    return { ok: true, problem: null, signer: check };
  } catch (e) {
    return { ok: false, problem: `the embedded signature is unreadable (${(e as Error).message})`, signer: null };
  }
}
