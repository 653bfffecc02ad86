/**
 * Forgeries for the verification tests, made with openssl and node:crypto
 * only — never with Vaultproof's own signing or DER code — so that a forgery
 * is independent of the verifier it attacks. The genuine pack they start
 * from is the v1 demo pack in test/fixtures/packs-v1.
 */
import { spawnSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export const V1_PACK = path.join(import.meta.dirname, '..', 'fixtures', 'packs-v1', 'demo');
export const V1_CA = path.join(import.meta.dirname, '..', 'fixtures', 'packs-v1', 'demo-ca.pem');

export function openssl(args: string[], cwd?: string, input?: Buffer): Buffer {
  const r = spawnSync('openssl', args, { ...(cwd ? { cwd } : {}), ...(input ? { input } : {}), maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr.toString()}`);
  return r.stdout;
}

export type KeyPair = { cert: string; key: string; fingerprint: string };

function fingerprintOf(certPem: string): string {
  return new X509Certificate(fs.readFileSync(certPem)).fingerprint256.replace(/:/g, '').toLowerCase();
}

/** A self-signed certificate; `ext` lines go to -addext (e.g. keyUsage=critical,digitalSignature). */
export function selfSigned(dir: string, name: string, subj: string, ext: string[], days = 30): KeyPair {
  fs.mkdirSync(dir, { recursive: true });
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-subj', subj, '-days', String(days), ...ext.flatMap((e) => ['-addext', e])], dir);
  const cert = path.join(dir, `${name}.pem`);
  return { cert, key: path.join(dir, `${name}.key`), fingerprint: fingerprintOf(cert) };
}

export function makeCa(dir: string, name: string, cn: string): KeyPair {
  return selfSigned(dir, name, `/CN=${cn}`, ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'], 3650);
}

/** A certificate issued by `ca`; `ext` is the extension file's text. */
export function issue(dir: string, ca: KeyPair, name: string, subj: string, ext: string, days = 30): KeyPair {
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj], dir);
  fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-out', `${name}.pem`, '-days', String(days), '-extfile', `${name}.ext`], dir);
  const cert = path.join(dir, `${name}.pem`);
  return { cert, key: path.join(dir, `${name}.key`), fingerprint: fingerprintOf(cert) };
}

export function copyPack(to: string, from = V1_PACK): string {
  fs.cpSync(from, to, { recursive: true });
  return to;
}

type ManifestShape = { signing: { signer: string; signerFingerprint: string }; files: Array<{ path: string; sha256: string; size: number }> } & Record<string, unknown>;

export function readManifest(pack: string): ManifestShape {
  return JSON.parse(fs.readFileSync(path.join(pack, 'manifest.json'), 'utf8')) as ManifestShape;
}

/** Re-lists every file's hash and size, as a forger who rewrites the manifest would. */
export function relist(pack: string, m: ManifestShape): ManifestShape {
  for (const f of m.files) {
    const bytes = fs.readFileSync(path.join(pack, ...f.path.split('/')));
    f.sha256 = createHash('sha256').update(bytes).digest('hex');
    f.size = bytes.length;
  }
  return m;
}

/** A detached CMS signature over `file` made by openssl (signingTime and messageDigest signed). */
export function cmsSign(file: string, signer: KeyPair, out: string, chain: string[] = []): void {
  const certfile = chain.length ? ['-certfile', chain[0]!] : [];
  openssl(['cms', '-sign', '-binary', '-md', 'sha256', '-nosmimecap', '-outform', 'DER', '-signer', signer.cert, '-inkey', signer.key, ...certfile, '-in', file, '-out', out]);
}

/**
 * The look-alike attack: change what the pack says (`edit`), re-list the
 * hashes, name the forger's certificate in the manifest and signer.pem, and
 * re-sign manifest.json with it.
 */
export function resignPack(pack: string, signer: KeyPair, edit: (pack: string) => void = () => {}, opts: { manifestName?: string; chain?: string[] } = {}): void {
  edit(pack);
  fs.copyFileSync(signer.cert, path.join(pack, 'signer.pem'));
  const m = relist(pack, readManifest(pack));
  m.signing.signerFingerprint = signer.fingerprint;
  fs.writeFileSync(path.join(pack, 'manifest.json'), `${JSON.stringify(m, null, 2)}\n`);
  cmsSign(path.join(pack, 'manifest.json'), signer, path.join(pack, opts.manifestName ?? 'manifest.p7s'), opts.chain);
}

// ---- a minimal DER walker and writer (the verifier's own is not used here) ----

type Tlv = { tag: number; start: number; body: number; end: number };

function readTlv(buf: Buffer, at: number): Tlv {
  const tag = buf[at]!;
  let p = at + 1;
  const first = buf[p++]!;
  let len = first;
  if (first & 0x80) {
    len = 0;
    for (let i = 0; i < (first & 0x7f); i++) len = len * 256 + buf[p++]!;
  }
  return { tag, start: at, body: p, end: p + len };
}

function kids(buf: Buffer, t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let p = t.body; p < t.end; ) {
    const c = readTlv(buf, p);
    out.push(c);
    p = c.end;
  }
  return out;
}

export function der(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const n = body.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : n < 0x10000 ? Buffer.from([0x82, n >> 8, n & 0xff]) : Buffer.from([0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, body]);
}

export function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes = [a! * 40 + b!];
  for (const v of rest) {
    const enc = [v & 0x7f];
    for (let x = v >>> 7; x > 0; x >>>= 7) enc.unshift((x & 0x7f) | 0x80);
    bytes.push(...enc);
  }
  return der(0x06, Buffer.from(bytes));
}

function genTime(d: Date): Buffer {
  return der(0x18, Buffer.from(`${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`, 'latin1'));
}

/** The one SignerInfo of a CMS SignedData: its byte span and its signature value. */
function signerInfoOf(p7s: Buffer): { ci: Tlv; sd: Tlv; sis: Tlv; si: Tlv; signature: Buffer } {
  const ci = readTlv(p7s, 0);
  const wrapper = kids(p7s, ci)[1]!;
  const sd = kids(p7s, wrapper)[0]!;
  const sis = kids(p7s, sd).at(-1)!;
  const si = kids(p7s, sis)[0]!;
  const sig = kids(p7s, si).find((c) => c.tag === 0x04)!;
  return { ci, sd, sis, si, signature: p7s.subarray(sig.body, sig.end) };
}

export function signatureValue(p7s: Buffer): Buffer {
  return signerInfoOf(p7s).signature;
}

/**
 * A self-made "TSA": a TSTInfo with any genTime over `signature`, signed by
 * openssl cms as id-ct-TSTInfo content. With a timeStamping EKU unless told.
 */
export function forgeTimestampToken(dir: string, tsa: KeyPair, signature: Buffer, at: Date, imprintOf: Buffer = signature): Buffer {
  const tst = der(
    0x30,
    der(0x02, Buffer.from([1])),
    oid('1.2.3.4.1'),
    der(0x30, der(0x30, oid('2.16.840.1.101.3.4.2.1'), der(0x05)), der(0x04, createHash('sha256').update(imprintOf).digest())),
    der(0x02, Buffer.from([0x42])),
    genTime(at),
  );
  const tstFile = path.join(dir, `tst-${at.getTime()}.der`);
  fs.writeFileSync(tstFile, tst);
  const out = path.join(dir, `token-${at.getTime()}.der`);
  openssl(['cms', '-sign', '-nodetach', '-binary', '-md', 'sha256', '-nosmimecap', '-econtent_type', '1.2.840.113549.1.9.16.1.4', '-outform', 'DER', '-signer', tsa.cert, '-inkey', tsa.key, '-in', tstFile, '-out', out]);
  return fs.readFileSync(out);
}

/** Grafts a timestamp token into the SignerInfo's unsigned attributes: outside the signature, so it still verifies. */
export function graftTimestamp(p7s: Buffer, token: Buffer): Buffer {
  const { ci, sd, sis, si } = signerInfoOf(p7s);
  const siParts = kids(p7s, si).filter((c) => c.tag !== 0xa1).map((c) => p7s.subarray(c.start, c.end));
  const attr = der(0x30, oid('1.2.840.113549.1.9.16.2.14'), der(0x31, token));
  const newSi = der(0x30, ...siParts, der(0xa1, attr));
  const sdParts = kids(p7s, sd).map((c) => (c.start === sis.start ? der(0x31, newSi) : p7s.subarray(c.start, c.end)));
  const typeNode = kids(p7s, ci)[0]!;
  return der(0x30, p7s.subarray(typeNode.start, typeNode.end), der(0xa0, der(0x30, ...sdParts)));
}

// ---- PDF forgeries ----

/** Re-signs report.pdf in place with another certificate: same byte range, the forger's CMS in /Contents. */
export function resignPdf(pdfFile: string, signer: KeyPair, dir: string): void {
  const pdf = fs.readFileSync(pdfFile);
  const text = pdf.toString('latin1');
  const m = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text.slice(text.lastIndexOf('/ByteRange')))!;
  const [b, c] = [Number(m[2]), Number(m[3])];
  const signed = path.join(dir, 'pdf-signed-ranges.bin');
  fs.writeFileSync(signed, Buffer.concat([pdf.subarray(0, b), pdf.subarray(c)]));
  const sig = path.join(dir, 'pdf.p7s');
  cmsSign(signed, signer, sig);
  const hex = fs.readFileSync(sig).toString('hex');
  const room = c - b - 2;
  if (hex.length > room) throw new Error('forged signature does not fit the placeholder');
  Buffer.from(`<${hex}${'0'.repeat(room - hex.length)}>`, 'latin1').copy(pdf, b);
  fs.writeFileSync(pdfFile, pdf);
}

/** Appends an incremental update that gives the document a new /Info title: the signed bytes stay untouched. */
export function appendRetitle(pdf: Buffer, title: string): Buffer {
  const text = pdf.toString('latin1');
  const startxref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)![1]);
  const trailer = text.slice(text.lastIndexOf('trailer'));
  const size = Number(/\/Size\s+(\d+)/.exec(trailer)![1]);
  const root = /\/Root\s+(\d+\s+\d+\s+R)/.exec(trailer)![1]!;
  const obj = `${size} 0 obj\n<< /Title (${title}) /Producer (forger) >>\nendobj\n`;
  const objAt = pdf.length + 1;
  const xrefAt = objAt + Buffer.byteLength(obj, 'latin1');
  const update = `\n${obj}xref\n${size} 1\n${String(objAt).padStart(10, '0')} 00000 n \ntrailer\n<< /Size ${size + 1} /Root ${root} /Info ${size} 0 R /Prev ${startxref} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.concat([pdf, Buffer.from(update, 'latin1')]);
}

// ---- hostile zips (yazl refuses to write these) ----

export type RawEntry = { name: string | Buffer; data: Buffer; mode?: number };

const u16 = (n: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};
const u64 = (n: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
};

/** A stored (uncompressed) zip with any names; past 65,535 entries it writes the zip64 end records. */
export function rawZip(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.isBuffer(e.name) ? e.name : Buffer.from(e.name, 'utf8');
    const crc = zlibCrc32(e.data);
    const common = Buffer.concat([u16(20), u16(0x0800), u16(0), u16(0), u16(0x21), u32(crc), u32(e.data.length), u32(e.data.length), u16(name.length), u16(0)]);
    const local = Buffer.concat([u32(0x04034b50), common, name, e.data]);
    centrals.push(Buffer.concat([u32(0x02014b50), u16((3 << 8) | 45), common, u16(0), u16(0), u16(0), u32((e.mode ?? 0o100644) * 0x10000), u32(offset), name]));
    locals.push(local);
    offset += local.length;
  }
  const cd = Buffer.concat(centrals);
  const n = entries.length;
  const tail: Buffer[] = [];
  if (n > 0xffff) {
    const eocd64At = offset + cd.length;
    tail.push(Buffer.concat([u32(0x06064b50), u64(44), u16(45), u16(45), u32(0), u32(0), u64(n), u64(n), u64(cd.length), u64(offset)]));
    tail.push(Buffer.concat([u32(0x07064b50), u32(0), u64(eocd64At), u32(1)]));
  }
  const count = Math.min(n, 0xffff);
  tail.push(Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(count), u16(count), u32(cd.length), u32(offset), u16(0)]));
  return Buffer.concat([...locals, cd, ...tail]);
}

function zlibCrc32(b: Buffer): number {
  return zlib.crc32(b);
}

/** The v1 pack's files as raw zip entries, plus `extra`. */
export function v1ZipEntries(extra: RawEntry[] = [], from = V1_PACK): RawEntry[] {
  const out: RawEntry[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(dir, e.name), r);
      else out.push({ name: r, data: fs.readFileSync(path.join(dir, e.name)) });
    }
  };
  walk(from, '');
  return [...out, ...extra];
}
