import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export type EmulatorTls = { cert: string; key: string; ca: string };

let cached: EmulatorTls | null = null;

/**
 * A self-signed server certificate for 127.0.0.1 (IP SAN, plus DNS
 * localhost). Clients trust it by passing `ca` in their TLS options, so no
 * test ever turns certificate checks off. The key pair comes from node:crypto
 * (forge's pure-JS RSA keygen takes seconds); forge only builds the cert.
 * One certificate per process is enough for every emulator it starts.
 */
export function emulatorTls(): EmulatorTls {
  if (cached) return cached;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  // Positive serial: a leading 0x00..0x7f byte.
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  const notBefore = new Date(Date.now() - 60 * 60 * 1000);
  const notAfter = new Date(Date.now() + 7 * 24 * 60 * 60 * 1000);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  const attrs = [
    { name: 'commonName', value: '127.0.0.1' },
    { name: 'organizationName', value: 'Vaultproof ARM emulator (tests only)' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 7, ip: '127.0.0.1' },
        { type: 2, value: 'localhost' },
      ],
    },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  const pem = forge.pki.certificateToPem(cert);
  cached = { cert: pem, key: privateKey, ca: pem };
  return cached;
}
