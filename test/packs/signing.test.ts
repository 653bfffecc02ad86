/**
 * Signing identities, detached CMS signatures and RFC 3161 timestamps,
 * checked against openssl and a local timestamp authority.
 */
import assert from 'node:assert/strict';
import { X509Certificate, createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { UserError } from '../../electron/core/errors.ts';
import { signDetached, signDetachedNative, verifyDetached } from '../../electron/core/packs/sign/cms.ts';
import { createLocalIdentity, listIdentities, loadLocalIdentity, loadP12File, passphraseFromEnv, type IdentityInfo, type SigningIdentity } from '../../electron/core/packs/sign/identity.ts';
import { chainToAnchor, readTrustAnchors } from '../../electron/core/packs/sign/trust.ts';
import { children, parseDer, whole } from '../../electron/core/packs/sign/der.ts';
import { checkTimestampToken, fetchTimestamp, timestampOf, timestampRequest, timestampSignature } from '../../electron/core/packs/sign/tsa.ts';
import { cli, tempDir } from '../harness/cli.ts';
import { startLocalTsa, type LocalTsa } from '../harness/tsa.ts';

const PASS = 'correct horse battery';

function openssl(args: string[], cwd?: string): { code: number; out: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8', ...(cwd ? { cwd } : {}) });
  return { code: r.status ?? 2, out: `${r.stdout}${r.stderr}` };
}

function cmsVerify(p7s: Buffer, content: Buffer, dir: string, extra: string[] = ['-noverify']): { code: number; out: string } {
  const sig = path.join(dir, `s-${Math.random().toString(36).slice(2)}.p7s`);
  const data = path.join(dir, `d-${Math.random().toString(36).slice(2)}.bin`);
  fs.writeFileSync(sig, p7s);
  fs.writeFileSync(data, content);
  return openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', sig, '-content', data, ...extra, '-out', '/dev/null']);
}

describe('signing', () => {
  let dir: string;
  let info: IdentityInfo;
  let id: SigningIdentity;
  let tsa: LocalTsa;

  before(async () => {
    dir = tempDir('vp-sign-');
    const [i, t] = await Promise.all([
      createLocalIdentity({ storeDir: dir, name: 'local', commonName: 'Ada Auditor', email: 'ada@example.com', passphrase: PASS, now: new Date() }),
      startLocalTsa(path.join(dir, 'tsa')),
    ]);
    info = i;
    tsa = t;
    id = loadLocalIdentity(dir, 'local', PASS);
  });

  after(async () => {
    await tsa.close();
  });

  test('a local identity is a CA plus a signing certificate, kept as an AES-256 PKCS#12 that needs the passphrase', () => {
    const p12 = path.join(dir, 'identities', 'local.p12');
    assert.equal(info.p12Path, p12);
    assert.equal(fs.statSync(p12).mode & 0o777, 0o600);
    assert.ok(!fs.readFileSync(p12).includes(Buffer.from(PASS)));
    const good = openssl(['pkcs12', '-in', p12, '-passin', `pass:${PASS}`, '-info', '-noout']);
    assert.equal(good.code, 0, good.out);
    assert.match(good.out, /PBES2, PBKDF2, AES-256-CBC/);
    assert.notEqual(openssl(['pkcs12', '-in', p12, '-passin', 'pass:wrong', '-info', '-noout']).code, 0);

    const leafPem = path.join(dir, 'leaf.pem');
    fs.writeFileSync(leafPem, id.cert ? `${(openssl(['pkcs12', '-in', p12, '-passin', `pass:${PASS}`, '-clcerts', '-nokeys']).out.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/) ?? [''])[0]}\n` : '');
    const text = openssl(['x509', '-in', leafPem, '-noout', '-text']).out;
    assert.match(text, /Digital Signature, Non Repudiation/);
    assert.match(text, /E-mail Protection/);
    assert.match(text, /CA:FALSE/);
    const chain = openssl(['verify', '-CAfile', info.caPath, '-purpose', 'smimesign', leafPem]);
    assert.equal(chain.code, 0, chain.out);
    const ca = new X509Certificate(fs.readFileSync(info.caPath));
    assert.equal(ca.ca, true);
    assert.equal(info.caFingerprint, ca.fingerprint256.replace(/:/g, '').toLowerCase());
  });

  test('a wrong passphrase, a short one, an unset variable and an existing name are refused with a message', async () => {
    assert.throws(() => loadLocalIdentity(dir, 'local', 'nope'), (e: unknown) => e instanceof UserError && /wrong passphrase/.test(e.message));
    await assert.rejects(createLocalIdentity({ storeDir: dir, name: 'short', commonName: 'X', passphrase: 'abc', now: new Date() }), /at least 8 characters/);
    await assert.rejects(createLocalIdentity({ storeDir: dir, name: 'local', commonName: 'X', passphrase: PASS, now: new Date() }), /already exists/);
    await assert.rejects(createLocalIdentity({ storeDir: dir, name: '../escape', commonName: 'X', passphrase: PASS, now: new Date() }), /not allowed/);
    assert.throws(() => passphraseFromEnv('VP_TEST_NOT_SET', {}), /VP_TEST_NOT_SET is not set/);
    assert.equal(passphraseFromEnv('VP_X', { VP_X: 's3cret!' }), 's3cret!');
    const list = listIdentities(dir);
    assert.deepEqual(list.map((i) => [i.name, i.fingerprint]), [['local', info.fingerprint]]);
  });

  test('an organisation PKCS#12 made by openssl signs; one whose certificate may not sign is refused', () => {
    const org = path.join(dir, 'org');
    fs.mkdirSync(org);
    const mk = (name: string, ku: string): string => {
      assert.equal(openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-subj', `/CN=${name}`, '-days', '30', '-addext', `keyUsage=critical,${ku}`], org).code, 0);
      assert.equal(openssl(['pkcs12', '-export', '-inkey', `${name}.key`, '-in', `${name}.pem`, '-out', `${name}.p12`, '-passout', `pass:${PASS}`], org).code, 0);
      return path.join(org, `${name}.p12`);
    };
    const signer = loadP12File(mk('Org Signer', 'digitalSignature'), PASS);
    const data = Buffer.from('{"pack":"org"}\n');
    assert.equal(cmsVerify(signDetached(data, signer, new Date()), data, dir).code, 0);
    assert.throws(() => loadP12File(mk('Org CA', 'keyCertSign'), PASS), /not allowed to sign/);
  });

  test('detached signatures (forge and native) verify with openssl, and fail after one byte changes', () => {
    const data = Buffer.from('{"files":[{"path":"report.pdf"}],"note":"día 東京"}\n');
    const forgeSig = signDetached(data, id, new Date());
    const nativeSig = signDetachedNative([data.subarray(0, 10), data.subarray(10)], id, new Date());
    for (const sig of [forgeSig, nativeSig]) {
      const ok = cmsVerify(sig, data, dir);
      assert.equal(ok.code, 0, ok.out);
      assert.equal(cmsVerify(sig, data, dir, ['-CAfile', info.caPath]).code, 0);
      const changed = Buffer.from(data);
      changed[5] = changed[5]! ^ 0x01;
      assert.notEqual(cmsVerify(sig, changed, dir).code, 0);
      const v = verifyDetached(sig, [data]);
      assert.equal(v.ok, true, v.problem ?? '');
      assert.equal(v.cert?.subject.includes('CN=Ada Auditor'), true);
      const bad = verifyDetached(sig, [changed]);
      assert.equal(bad.ok, false);
      assert.match(bad.problem ?? '', /digest mismatch/);
      // A flipped bit in the signature value itself.
      const broken = Buffer.from(sig);
      const at = broken.lastIndexOf(v.signature.subarray(0, 8));
      broken[at + 3] = broken[at + 3]! ^ 0x01;
      assert.match(verifyDetached(broken, [data]).problem ?? '', /does not verify/);
    }
  });

  test('trust: the signer chains to its local CA, not to an unrelated one', () => {
    const sig = signDetached(Buffer.from('x'), id, new Date());
    const v = verifyDetached(sig, [Buffer.from('x')]);
    assert.equal(chainToAnchor(v.cert!, v.certs, readTrustAnchors([info.caPath]), new Date()).trusted, true);
    assert.equal(chainToAnchor(v.cert!, v.certs, readTrustAnchors([tsa.caPem]), new Date()).trusted, false);
    assert.equal(chainToAnchor(v.cert!, v.certs, [], new Date()).trusted, false);
  });

  test('an RFC 3161 timestamp from a local openssl TSA covers the signature; openssl still verifies it', async () => {
    const data = Buffer.from('{"manifest":true}\n');
    const sig = signDetached(data, id, new Date());
    const before = Date.now();
    const { p7s, info: ts } = await timestampSignature(sig, tsa.url);
    const genTime = Date.parse(ts.genTime);
    assert.ok(genTime >= before - 2000 && genTime <= Date.now() + 2000, ts.genTime);
    assert.match(ts.tsa, /CN=Test TSA/);
    const ok = cmsVerify(p7s, data, dir);
    assert.equal(ok.code, 0, ok.out);
    const v = verifyDetached(p7s, [data]);
    assert.equal(v.ok, true);
    assert.equal(timestampOf(v)?.genTime, ts.genTime);
    assert.equal(timestampOf(verifyDetached(sig, [data])), null);
    // The token belongs to this signature value, not to another one.
    const other = signDetached(Buffer.from('other'), id, new Date());
    const { token } = await fetchTimestamp(tsa.url, verifyDetached(sig, [data]).signature);
    assert.throws(() => checkTimestampToken(token, verifyDetached(other, [Buffer.from('other')]).signature), /imprint mismatch/);
  });

  test('the nonce check holds whatever the nonce’s first byte (DER drops leading zero bytes)', async () => {
    const sig = Buffer.from('a signature value');
    const imprint = createHash('sha256').update(sig).digest();
    for (const first of [0x00, 0x01, 0x0a, 0x7f]) {
      const nonce = Buffer.from([first, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66]);
      const res = await fetch(tsa.url, { method: 'POST', headers: { 'content-type': 'application/timestamp-query' }, body: timestampRequest(imprint, nonce) });
      const token = Buffer.from(whole(children(parseDer(Buffer.from(await res.arrayBuffer())))[1]!));
      assert.doesNotThrow(() => checkTimestampToken(token, sig, nonce.toString('hex')), `first byte 0x${first.toString(16)}`);
      assert.throws(() => checkTimestampToken(token, sig, 'ff00112233445566'), /does not echo our nonce/);
    }
  });

  test('identities create / identities list through the CLI; the passphrase never comes from an argument', async () => {
    const storePath = path.join(dir, 'cli-store', 'vaultproof.db');
    const made = await cli(['identities', 'create', 'team', '--signer-name', 'Team Signer', '--signer-email', 'team@example.com', '--passphrase-env', 'VP_ID_PASS', '--store', storePath, '--json'], { VP_ID_PASS: PASS });
    assert.equal(made.code, 0, made.stderr);
    const created = JSON.parse(made.stdout) as { name: string; subject: string; caPath: string };
    assert.equal(created.name, 'team');
    assert.match(created.subject, /CN=Team Signer/);
    assert.ok(fs.existsSync(created.caPath));
    const listed = JSON.parse((await cli(['identities', '--store', storePath, '--json'])).stdout) as Array<{ name: string }>;
    assert.deepEqual(listed.map((i) => i.name), ['team']);
    const noPass = await cli(['identities', 'create', 'other', '--signer-name', 'X', '--store', storePath]);
    assert.equal(noPass.code, 1);
    assert.match(noPass.stderr, /--passphrase-env VAR/);
    const asArg = await cli(['identities', 'create', 'other', '--signer-name', 'X', '--passphrase', PASS, '--store', storePath]);
    assert.equal(asArg.code, 1);
  });

  test('a timestamp authority that fails is reported, not ignored', async () => {
    const server = http.createServer((_req, res) => res.writeHead(503).end('down'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      await assert.rejects(timestampSignature(signDetached(Buffer.from('x'), id, new Date()), url), /answered HTTP 503/);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
