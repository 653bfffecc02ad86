/**
 * Checks the signature embedded in a PDF: the /ByteRange must cover the whole
 * file except the /Contents hex string, and the CMS in /Contents must verify
 * over those two ranges. Only the last signature is checked (Vaultproof
 * writes one); a PDF altered after signing fails either the range or the digest.
 */
import { verifyDetached, type SignerCheck } from './cms.ts';

export type PdfSignatureCheck = {
  ok: boolean;
  problem: string | null;
  signer: SignerCheck | null;
  /** The DocMDP permission (1: no changes) when the signature certifies the document; null for an approval signature. */
  certification: { permission: number } | null;
};

/**
 * A certification signature: its dictionary has a /Reference with
 * /TransformMethod /DocMDP, and the catalog's /Perms names that dictionary.
 * Both sit inside the signed bytes, so neither can be added or removed later.
 */
function certificationOf(text: string, byteRangeAt: number): PdfSignatureCheck['certification'] {
  const objStart = text.lastIndexOf(' obj', byteRangeAt);
  const objEnd = text.indexOf('endobj', byteRangeAt);
  if (objStart < 0 || objEnd < 0) return null;
  const num = /(\d+)\s+0$/.exec(text.slice(Math.max(0, objStart - 20), objStart));
  const dict = text.slice(objStart, objEnd).replace(/\/Contents\s*<[0-9a-fA-F]*>/, '');
  if (!num || !/\/TransformMethod\s*\/DocMDP/.test(dict)) return null;
  const perms = new RegExp(`/Perms\\s*<<\\s*/DocMDP\\s+${num[1]}\\s+0\\s+R`).test(text);
  if (!perms) return null;
  const p = /\/TransformParams\s*<<[^>]*\/P\s+(\d)/.exec(dict);
  return { permission: p ? Number(p[1]) : 2 };
}

export function checkPdfSignature(pdf: Buffer): PdfSignatureCheck {
  const tail = pdf.toString('latin1');
  const at = tail.lastIndexOf('/ByteRange');
  if (at < 0) return { ok: false, problem: 'the PDF carries no embedded signature', signer: null, certification: null };
  const m = /^\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(tail.slice(at, at + 120));
  if (!m) return { ok: false, problem: 'the signature /ByteRange is unreadable', signer: null, certification: null };
  const certification = certificationOf(tail, at);
  const [a, b, c, d] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  if (a !== 0 || c + d !== pdf.length || b >= c) {
    return { ok: false, problem: `the signed byte range [${a} ${b} ${c} ${d}] does not cover the whole file (${pdf.length} bytes): content was added or cut after signing`, signer: null, certification };
  }
  const hole = tail.slice(b, c);
  if (!/^<[0-9a-fA-F]*>$/.test(hole)) return { ok: false, problem: 'the unsigned gap of the byte range is not the signature contents', signer: null, certification };
  const raw = Buffer.from(hole.slice(1, -1), 'hex');
  // /Contents is zero-padded to the placeholder size: the DER's own length says where it ends.
  const lenByte = raw[1] ?? 0;
  const total = lenByte < 0x80 ? lenByte + 2 : lenByte === 0x81 ? (raw[2] ?? 0) + 3 : lenByte === 0x82 ? raw.readUInt16BE(2) + 4 : lenByte === 0x83 ? raw.readUIntBE(2, 3) + 5 : -1;
  if (raw[0] !== 0x30 || total < 0 || total > raw.length) return { ok: false, problem: 'the embedded signature is not a CMS structure', signer: null, certification };
  const der = raw.subarray(0, total);
  try {
    const check = verifyDetached(der, [pdf.subarray(0, b), pdf.subarray(c, c + d)]);
    if (!check.ok) {
      const tampered = check.problem?.includes('digest mismatch');
      return { ok: false, problem: tampered ? 'tampered: the signed bytes changed after signing (digest mismatch)' : (check.problem ?? 'invalid signature'), signer: check, certification };
    }
    return { ok: true, problem: null, signer: check, certification };
  } catch (e) {
    return { ok: false, problem: `the embedded signature is unreadable (${(e as Error).message})`, signer: null, certification };
  }
}
