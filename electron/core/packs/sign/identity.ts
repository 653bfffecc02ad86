/**
 * Signing identities. Either an organisation's PKCS#12, or a local identity
 * created on request: a local CA plus a signing certificate issued by it
 * (digitalSignature, nonRepudiation, emailProtection). pdfsig and most
 * verifiers only report "trusted" for such a two-tier chain; a bare
 * self-signed certificate gives "unknown issuer" even when the reader trusts it.
 *
 * A local identity lives in `<store folder>/identities/<name>.p12`, encrypted
 * with the passphrase (PBES2 / PBKDF2-SHA256 / AES-256). The CA's private key
 * is discarded once the leaf is issued: nobody, not even this machine, can
 * issue another certificate under that CA. Beside the .p12 we keep
 * `<name>-ca.pem` (the CA certificate, to hand to readers as a trust anchor)
 * and `<name>.json` (public metadata, so listing needs no passphrase).
 * The passphrase itself is never written anywhere.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import type { IdentitySummary } from '../../../../shared/contract/methods/packs.ts';
import { UserError } from '../../errors.ts';
import { signingUsageProblem } from './trust.ts';

export type SigningIdentity = {
  /** Where it came from: a file path, or `local:<name>`. */
  source: string;
  key: forge.pki.rsa.PrivateKey;
  cert: forge.pki.Certificate;
  /** Issuer certificates found beside the signing certificate (may be empty). */
  chain: forge.pki.Certificate[];
};

/** What `identities` lists: the contract's shape, so the handler passes it through. */
export type IdentityInfo = IdentitySummary;

/** PBKDF2 rounds for the key bag. node-forge runs them in JS: 50k ≈ 0.5 s per open on the build machines. */
const P12_ITERATIONS = 50_000;
export const MIN_PASSPHRASE_LENGTH = 8;

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function identitiesDir(storeDir: string): string {
  return path.join(storeDir, 'identities');
}

export function checkIdentityName(name: string): string {
  if (!NAME_RE.test(name)) {
    throw new UserError('BAD_INPUT', `identity name "${name}" is not allowed: use letters, digits, dot, dash or underscore (at most 64 characters)`);
  }
  return name;
}

/** Reads a passphrase from the named environment variable; never from an argument, so it stays out of shell history. */
export function passphraseFromEnv(varName: string, env: NodeJS.ProcessEnv = process.env): string {
  const v = env[varName];
  if (v === undefined || v === '') {
    throw new UserError('BAD_INPUT', `environment variable ${varName} is not set or empty (--passphrase-env names the variable that holds the passphrase)`);
  }
  return v;
}

function randomSerial(): string {
  const b = crypto.randomBytes(16);
  b[0] = b[0]! & 0x7f; // positive INTEGER
  if (b[0] === 0) b[0] = 0x01;
  return b.toString('hex');
}

type KeyPair = { key: forge.pki.rsa.PrivateKey; pub: forge.pki.rsa.PublicKey };

/**
 * RSA-3072 from node:crypto (forge's JS keygen takes many seconds). Prime
 * search time varies a lot; generating asynchronously lets the CA and leaf
 * keys come from two threads at once.
 */
async function rsaKeyPair(): Promise<KeyPair> {
  const privateKey = await new Promise<crypto.KeyObject>((resolve, reject) =>
    crypto.generateKeyPair('rsa', { modulusLength: 3072 }, (err, _pub, priv) => (err ? reject(err) : resolve(priv))),
  );
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()) as forge.pki.rsa.PrivateKey;
  return { key, pub: forge.pki.setRsaPublicKey(key.n, key.e) };
}

export function certFingerprint(cert: forge.pki.Certificate): string {
  return crypto.createHash('sha256').update(certDer(cert)).digest('hex');
}

export function certDer(cert: forge.pki.Certificate): Buffer {
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
}

export function certPem(cert: forge.pki.Certificate): string {
  return forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n');
}

export function subjectString(cert: forge.pki.Certificate): string {
  return cert.subject.attributes.map((a) => `${a.shortName ?? a.name ?? a.type}=${String(a.value)}`).join(', ');
}

function addYears(d: Date, years: number): Date {
  const r = new Date(d.getTime());
  r.setUTCFullYear(r.getUTCFullYear() + years);
  return r;
}

export type NewLocalIdentity = {
  storeDir: string;
  name: string;
  commonName: string;
  email?: string | null;
  organisation?: string | null;
  passphrase: string;
  now: Date;
};

/** Creates a local CA and a signing certificate, and writes the encrypted PKCS#12. Refuses to overwrite. */
export async function createLocalIdentity(opts: NewLocalIdentity): Promise<IdentityInfo> {
  const name = checkIdentityName(opts.name);
  if (opts.passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new UserError('BAD_INPUT', `the passphrase for a new identity must have at least ${MIN_PASSPHRASE_LENGTH} characters`);
  }
  if (!opts.commonName.trim()) throw new UserError('BAD_INPUT', 'a new identity needs a name for its certificate (common name)');
  const dir = identitiesDir(opts.storeDir);
  const p12Path = path.join(dir, `${name}.p12`);
  if (fs.existsSync(p12Path)) throw new UserError('CONFLICT', `identity "${name}" already exists (${p12Path}); choose another name`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });

  // Backdate a little so a reader whose clock lags slightly still sees a valid certificate.
  const notBefore = new Date(opts.now.getTime() - 60 * 60 * 1000);
  const org = opts.organisation?.trim() || null;
  const subjectBase = (cn: string): forge.pki.CertificateField[] => [
    { name: 'commonName', value: cn },
    ...(org ? [{ name: 'organizationName', value: org }] : []),
  ];

  const [ca, leaf] = await Promise.all([rsaKeyPair(), rsaKeyPair()]);
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = ca.pub;
  caCert.serialNumber = randomSerial();
  caCert.validity.notBefore = notBefore;
  caCert.validity.notAfter = addYears(opts.now, 10);
  const caSubject = subjectBase(`${opts.commonName.trim()} (Vaultproof local CA)`);
  caCert.setSubject(caSubject);
  caCert.setIssuer(caSubject);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.key, forge.md.sha256.create());

  const cert = forge.pki.createCertificate();
  cert.publicKey = leaf.pub;
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = addYears(opts.now, 3);
  const email = opts.email?.trim() || null;
  cert.setSubject([...subjectBase(opts.commonName.trim()), ...(email ? [{ name: 'emailAddress', value: email }] : [])]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'extKeyUsage', emailProtection: true },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
    ...(email ? [{ name: 'subjectAltName', altNames: [{ type: 1, value: email }] }] : []),
  ]);
  cert.sign(ca.key, forge.md.sha256.create());

  const p12 = toP12(leaf.key, [cert, caCert], opts.passphrase, name);
  const caPath = path.join(dir, `${name}-ca.pem`);
  const info: IdentityInfo = {
    name,
    subject: subjectString(cert),
    email,
    fingerprint: certFingerprint(cert),
    notBefore: cert.validity.notBefore.toISOString(),
    notAfter: cert.validity.notAfter.toISOString(),
    createdAt: opts.now.toISOString(),
    p12Path,
    caPath,
    caFingerprint: certFingerprint(caCert),
  };
  // Write the key last and exclusively: a crash leaves at most public files behind.
  fs.writeFileSync(caPath, certPem(caCert));
  fs.writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify({ ...info, p12Path: undefined, caPath: undefined }, null, 2)}\n`);
  fs.writeFileSync(p12Path, p12, { flag: 'wx', mode: 0o600 });
  return info;
}

function toP12(key: forge.pki.rsa.PrivateKey, certs: forge.pki.Certificate[], passphrase: string, friendlyName: string): Buffer {
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, certs, passphrase, {
    algorithm: 'aes256',
    count: P12_ITERATIONS,
    friendlyName,
    // @types/node-forge omits prfAlgorithm, which forge passes on to PBES2.
    ...({ prfAlgorithm: 'sha256' } as object),
  });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

/** Opens a PKCS#12 (an organisation's, or a local identity's). */
export function loadP12(bytes: Buffer, passphrase: string, source: string): SigningIdentity {
  let pfx: forge.pkcs12.Pkcs12Pfx;
  try {
    pfx = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(bytes.toString('binary'))), false, passphrase);
  } catch (e) {
    const msg = (e as Error).message;
    if (/mac could not be verified|invalid password|decrypt/i.test(msg)) {
      throw new UserError('BAD_INPUT', `cannot open ${source}: wrong passphrase`, { file: source });
    }
    throw new UserError('BAD_INPUT', `cannot open ${source}: not a readable PKCS#12 file (${msg})`, { file: source });
  }
  const keyBags = [
    ...(pfx.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? []),
    ...(pfx.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag!] ?? []),
  ];
  const key = keyBags.find((b) => b.key)?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key || typeof (key as { n?: unknown }).n !== 'object') {
    throw new UserError('BAD_INPUT', `${source} holds no RSA private key (Vaultproof signs with RSA keys)`, { file: source });
  }
  const certs = (pfx.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag!] ?? []).flatMap((b) => (b.cert ? [b.cert] : []));
  const cert = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n?.compareTo(key.n) === 0 && pub.e?.compareTo(key.e) === 0;
  });
  if (!cert) throw new UserError('BAD_INPUT', `${source}: no certificate in the file matches its private key`, { file: source });
  const ku = cert.getExtension('keyUsage') as { digitalSignature?: boolean; nonRepudiation?: boolean } | null;
  if (ku && !ku.digitalSignature && !ku.nonRepudiation) {
    throw new UserError('BAD_INPUT', `${source}: the certificate "${subjectString(cert)}" is not allowed to sign (keyUsage lacks digitalSignature and nonRepudiation)`, { file: source });
  }
  // verify refuses a signer whose extended key usage is for something else (TLS, timestamping): refuse it before signing.
  const usage = signingUsageProblem(new crypto.X509Certificate(certDer(cert)));
  if (usage) throw new UserError('BAD_INPUT', `${source}: the certificate "${subjectString(cert)}" is not allowed to sign evidence: ${usage}`, { file: source });
  // The passphrase is not kept: the key is decrypted now and held only in memory for this run.
  return { source, key, cert, chain: certs.filter((c) => c !== cert) };
}

export function loadP12File(file: string, passphrase: string): SigningIdentity {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new UserError('BAD_INPUT', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file });
  }
  return loadP12(bytes, passphrase, file);
}

export function loadLocalIdentity(storeDir: string, name: string, passphrase: string): SigningIdentity {
  const p12Path = path.join(identitiesDir(storeDir), `${checkIdentityName(name)}.p12`);
  if (!fs.existsSync(p12Path)) throw new UserError('NOT_FOUND', `no local identity "${name}" in ${identitiesDir(storeDir)} (create one with \`vaultproof identities create\` or --sign-self-signed)`);
  const id = loadP12File(p12Path, passphrase);
  return { ...id, source: `local:${name}` };
}

/**
 * The local identity for --sign-self-signed: opened when it exists, created
 * (with the same passphrase) when it does not.
 */
export async function localIdentityForSigning(opts: { storeDir: string; name: string; passphrase: string; commonName: string; email?: string | null; now: Date }): Promise<{
  identity: SigningIdentity;
  created: IdentityInfo | null;
}> {
  const p12Path = path.join(identitiesDir(opts.storeDir), `${checkIdentityName(opts.name)}.p12`);
  let created: IdentityInfo | null = null;
  if (!fs.existsSync(p12Path)) {
    created = await createLocalIdentity({ storeDir: opts.storeDir, name: opts.name, commonName: opts.commonName, email: opts.email ?? null, passphrase: opts.passphrase, now: opts.now });
  }
  return { identity: loadLocalIdentity(opts.storeDir, opts.name, opts.passphrase), created };
}

export function listIdentities(storeDir: string): IdentityInfo[] {
  const dir = identitiesDir(storeDir);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: IdentityInfo[] = [];
  for (const f of names.filter((n) => n.endsWith('.p12')).sort()) {
    const name = f.slice(0, -4);
    const caPath = path.join(dir, `${name}-ca.pem`);
    let meta: Partial<IdentityInfo> = {};
    try {
      meta = JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')) as Partial<IdentityInfo>;
    } catch {
      // An identity copied in by hand may lack its metadata; list what we know.
    }
    out.push({
      name,
      subject: meta.subject ?? '',
      email: meta.email ?? null,
      fingerprint: meta.fingerprint ?? '',
      notBefore: meta.notBefore ?? '',
      notAfter: meta.notAfter ?? '',
      createdAt: meta.createdAt ?? '',
      p12Path: path.join(dir, f),
      caPath: fs.existsSync(caPath) ? caPath : '',
      caFingerprint: meta.caFingerprint ?? '',
    });
  }
  return out;
}

/** signer.pem: the signing certificate followed by its issuers, as found in the identity. */
export function signerPem(id: SigningIdentity): string {
  return [id.cert, ...id.chain].map(certPem).join('');
}
