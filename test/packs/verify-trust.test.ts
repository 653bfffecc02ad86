/**
 * Trust decisions an attacker cannot steer (issue 14, item 1). Every forgery
 * is made with openssl (test/packs/verify-forge.ts) from the genuine pack v1
 * wrote (test/fixtures/packs-v1), never with Vaultproof's signing code.
 */
import assert from 'node:assert/strict';
import type { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { UserError } from '../../electron/core/errors.ts';
import { loadP12File } from '../../electron/core/packs/sign/identity.ts';
import { readTrustAnchors } from '../../electron/core/packs/sign/trust.ts';
import { PREDATES, verifyPack } from '../../electron/core/packs/verify.ts';
import { tempDir } from '../harness/cli.ts';
import { startLocalTsa, type LocalTsa } from '../harness/tsa.ts';
import {
  V1_CA,
  V1_PACK,
  cmsSign,
  copyPack,
  forgeTimestampToken,
  graftTimestamp,
  issue,
  makeCa,
  openssl,
  resignPack,
  resignPdf,
  selfSigned,
  signatureValue,
  type KeyPair,
} from './verify-forge.ts';

/** The demo signer's subject, copied by the look-alike. */
const LOOK_ALIKE_SUBJECT = '/CN=Vaultproof Demo Auditor/emailAddress=auditor@contoso.example';
const SIGNER_EXT = ['keyUsage=critical,digitalSignature,nonRepudiation', 'extendedKeyUsage=emailProtection'];
/** When the v1 fixture was signed (its signingTime) and its certificate's validity. */
const V1_SIGNED = '2026-12-04T17:35:44.000Z';
const V1_CERT_NOT_AFTER = Date.parse('2029-12-04T17:35:44Z');

describe('verify: trust decisions an attacker cannot steer', () => {
  let dir: string;
  let demoCa: X509Certificate[];
  let lookAlike: KeyPair;
  let tsa: LocalTsa;

  /** Changes what the pack says: one owner renamed in the annotations. */
  const editOwner = (pack: string): void => {
    const f = path.join(pack, 'data', 'annotations.json');
    fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('"owner": "Ben Okafor"', '"owner": "Mallory"'));
  };

  before(async () => {
    dir = tempDir('vp-verify-trust-');
    demoCa = readTrustAnchors([V1_CA]);
    lookAlike = selfSigned(path.join(dir, 'forger'), 'look-alike', LOOK_ALIKE_SUBJECT, SIGNER_EXT);
    tsa = await startLocalTsa(path.join(dir, 'tsa'));
  });

  after(async () => {
    await tsa.close();
  });

  test('the v1 pack verifies intact and trusted against its CA, and says which newer checks it predates', async () => {
    const r = await verifyPack(V1_PACK, { trust: demoCa });
    assert.equal(r.ok, true, JSON.stringify(r.failures));
    assert.equal(r.intact, true);
    assert.equal(r.allSignersTrusted, true);
    assert.deepEqual(r.predates, [PREDATES.certification]);
    assert.deepEqual(r.signatures.map((s) => [s.role, s.fingerprint]), [
      ['preparer', 'b4da762eea7d23ce015a0239192294aaa49f1fd2755799327a7b00947f3c07ea'],
      ['pdf', 'b4da762eea7d23ce015a0239192294aaa49f1fd2755799327a7b00947f3c07ea'],
    ]);
  });

  test('without any anchor an intact pack still passes, and says its signers are not trusted', async () => {
    const r = await verifyPack(V1_PACK);
    assert.equal(r.ok, true);
    assert.equal(r.allSignersTrusted, false);
    assert.equal(r.trustRequired, false);
    assert.deepEqual(r.signatures.map((s) => s.trustReason), ['no trust anchor given (--trust CA.pem)', 'no trust anchor given (--trust CA.pem)']);
  });

  test('a pack re-signed with a look-alike self-signed certificate fails once --trust is given (was: exit 0 "OK: intact")', async () => {
    const pack = copyPack(path.join(dir, 'look-alike'));
    resignPack(pack, lookAlike, (p) => {
      editOwner(p);
      resignPdf(path.join(p, 'report.pdf'), lookAlike, dir);
    });
    // openssl itself accepts the forgery's signature: only trust can tell.
    openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', path.join(pack, 'manifest.p7s'), '-content', path.join(pack, 'manifest.json'), '-noverify', '-out', '/dev/null']);
    const trusting = await verifyPack(pack, { trust: demoCa });
    assert.equal(trusting.intact, true, JSON.stringify(trusting.failures));
    assert.equal(trusting.ok, false);
    assert.equal(trusting.trustRequired, true);
    assert.equal(trusting.signatures[0]!.subject, 'CN=Vaultproof Demo Auditor, emailAddress=auditor@contoso.example');
    assert.equal(trusting.signatures[0]!.fingerprint, lookAlike.fingerprint);
    assert.equal(trusting.signatures[0]!.trustReason, 'does not chain to any --trust anchor');
    const open = await verifyPack(pack);
    assert.equal(open.ok, true, 'without an anchor nothing is claimed about who signed');
    assert.equal(open.allSignersTrusted, false);
  });

  test('--trust given twice: a preparer CA and a reviewer CA; a reviewer outside both fails', async () => {
    const pack = copyPack(path.join(dir, 'reviewed'));
    const reviewerCa = makeCa(path.join(dir, 'reviewer'), 'rca', 'Reviewer Org CA');
    const reviewer = issue(path.join(dir, 'reviewer'), reviewerCa, 'reviewer', '/CN=Rita Reviewer', 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=emailProtection\n');
    cmsSign(path.join(pack, 'manifest.json'), reviewer, path.join(pack, 'manifest.reviewer.p7s'));
    const both = await verifyPack(pack, { trust: [...demoCa, ...readTrustAnchors([reviewerCa.cert])] });
    assert.equal(both.ok, true, JSON.stringify(both.signatures.map((s) => s.trustReason)));
    assert.deepEqual(both.signatures.map((s) => [s.role, s.trusted]), [['preparer', true], ['reviewer', true], ['pdf', true]]);
    const one = await verifyPack(pack, { trust: demoCa });
    assert.equal(one.intact, true);
    assert.equal(one.ok, false);
    assert.deepEqual(one.signatures.map((s) => s.trusted), [true, false, true]);
  });

  test('a report.pdf signed by another certificate than the manifest is a failure, not a warning', async () => {
    const pack = copyPack(path.join(dir, 'pdf-other'));
    const other = selfSigned(path.join(dir, 'forger'), 'other', '/CN=Someone Else', SIGNER_EXT);
    resignPack(pack, lookAlike, (p) => resignPdf(path.join(p, 'report.pdf'), other, dir));
    const r = await verifyPack(pack);
    assert.equal(r.intact, false);
    assert.deepEqual(r.firstFailure, { file: 'report.pdf', reason: `signed by a different certificate (SHA-256 ${other.fingerprint}) than the manifest names (${lookAlike.fingerprint})` });
    assert.equal(r.signatures.find((s) => s.role === 'pdf')!.valid, true, 'the PDF signature itself holds');
  });

  test('a signer certificate whose key usage forbids signing, or whose EKU names another purpose, fails', async () => {
    const cases: Array<[string, string[], string]> = [
      ['key-enc', ['keyUsage=critical,keyEncipherment'], 'its key usage allows neither digitalSignature nor nonRepudiation'],
      ['tls', ['keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth'], 'its extended key usage (1.3.6.1.5.5.7.3.1) names no document-signing purpose'],
    ];
    for (const [name, ext, why] of cases) {
      const pack = copyPack(path.join(dir, `usage-${name}`));
      const bad = selfSigned(path.join(dir, 'forger'), name, '/CN=Vaultproof Demo Auditor', ext);
      resignPack(pack, bad, (p) => resignPdf(path.join(p, 'report.pdf'), bad, dir));
      const r = await verifyPack(pack);
      assert.equal(r.intact, false, name);
      assert.equal(r.firstFailure!.file, 'manifest.p7s');
      assert.ok(r.firstFailure!.reason.startsWith(`the signer certificate may not sign: ${why}`), r.firstFailure!.reason);
      assert.ok(r.failures.some((f) => f.file === 'report.pdf' && f.reason.includes(why)), JSON.stringify(r.failures));
    }
  });

  test('a PKCS#12 whose certificate is for TLS only is refused before it signs anything', () => {
    const d = path.join(dir, 'p12');
    const tls = selfSigned(d, 'tls', '/CN=www.contoso.example', ['keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth']);
    openssl(['pkcs12', '-export', '-inkey', tls.key, '-in', tls.cert, '-out', path.join(d, 'tls.p12'), '-passout', 'pass:p12-passphrase']);
    assert.throws(
      () => loadP12File(path.join(d, 'tls.p12'), 'p12-passphrase'),
      (e: unknown) => e instanceof UserError && /is not allowed to sign evidence: its extended key usage \(1\.3\.6\.1\.5\.5\.7\.3\.1\) names no document-signing purpose/.test(e.message),
    );
  });

  describe('RFC 3161 timestamps', () => {
    let forgedTsa: KeyPair;
    let forgedRoot: KeyPair;
    const grafted = (name: string, token: Buffer): string => {
      const pack = copyPack(path.join(dir, name));
      const p7s = path.join(pack, 'manifest.p7s');
      fs.writeFileSync(p7s, graftTimestamp(fs.readFileSync(p7s), token));
      return pack;
    };
    const v1Signature = (): Buffer => signatureValue(fs.readFileSync(path.join(V1_PACK, 'manifest.p7s')));

    before(() => {
      const d = path.join(dir, 'fake-tsa');
      fs.mkdirSync(d, { recursive: true });
      forgedRoot = makeCa(d, 'root', 'Totally Real TSA Root');
      forgedTsa = issue(d, forgedRoot, 'tsa', '/CN=Totally Real TSA', 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n', 3650);
    });

    test('a self-made TSA grafted into manifest.p7s is ignored and said so; the signer clock decides (was: shown as an RFC 3161 time)', async () => {
      const pack = grafted('ts-forged', forgeTimestampToken(dir, forgedTsa, v1Signature(), new Date('2026-12-04T17:36:44Z')));
      const r = await verifyPack(pack, { trust: demoCa });
      assert.equal(r.ok, true, JSON.stringify(r.failures));
      const s = r.signatures[0]!;
      assert.equal(s.timeSource, 'signer clock');
      assert.equal(s.signingTime, V1_SIGNED);
      assert.deepEqual(s.timestamp, { genTime: '2026-12-04T17:36:44.000Z', tsa: 'CN=Totally Real TSA', trusted: false });
      assert.deepEqual(r.warnings, [
        `manifest.p7s: timestamp not trusted — ignored (TSA "CN=Totally Real TSA": no trust anchor given (--trust-tsa CA.pem)); the signing time is the signer's own clock`,
      ]);
    });

    test('a forged genTime in 2035 neither fails a genuine pack nor, under --trust-tsa of its own root, counts (was: exit 3)', async () => {
      const at = new Date('2035-06-01T00:00:00Z');
      assert.ok(at.getTime() > V1_CERT_NOT_AFTER, 'the forged time lies after the signer certificate expires');
      const pack = grafted('ts-2035', forgeTimestampToken(dir, forgedTsa, v1Signature(), at));
      const plain = await verifyPack(pack, { trust: demoCa, requireTrusted: true });
      assert.equal(plain.ok, true, JSON.stringify(plain.signatures.map((s) => s.trustReason)));
      assert.equal(plain.signatures[0]!.timeSource, 'signer clock');
      const trustingForger = await verifyPack(pack, { trust: demoCa, trustTsa: readTrustAnchors([forgedRoot.cert]) });
      assert.equal(trustingForger.ok, true);
      assert.equal(trustingForger.signatures[0]!.timeSource, 'signer clock');
      assert.match(trustingForger.warnings[0]!, /timestamp not trusted — ignored \(its time 2035-06-01T00:00:00.000Z is in the future\)/);
    });

    test('a timestamp whose imprint is another signature, or whose TSA lacks the timeStamping EKU, is ignored even from a trusted root', async () => {
      const noEku = issue(path.join(dir, 'fake-tsa'), forgedRoot, 'no-eku', '/CN=Not A TSA', 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n', 3650);
      const cases: Array<[string, Buffer, RegExp]> = [
        ['ts-imprint', forgeTimestampToken(dir, forgedTsa, v1Signature(), new Date('2026-12-04T17:37:44Z'), Buffer.from('another signature')), /imprint mismatch/],
        ['ts-no-eku', forgeTimestampToken(dir, noEku, v1Signature(), new Date('2026-12-04T17:38:44Z')), /no timeStamping extended key usage/],
      ];
      for (const [name, token, why] of cases) {
        const r = await verifyPack(grafted(name, token), { trust: demoCa, trustTsa: readTrustAnchors([forgedRoot.cert]) });
        assert.equal(r.ok, true, name);
        assert.equal(r.signatures[0]!.timeSource, 'signer clock', name);
        assert.match(r.warnings[0]!, why, name);
      }
    });

    test('a real timestamp whose TSA chains to --trust-tsa decides the signing time', async () => {
      const sig = path.join(dir, 'v1-signature.bin');
      fs.writeFileSync(sig, v1Signature());
      openssl(['ts', '-query', '-data', sig, '-sha256', '-cert', '-out', path.join(dir, 'real.tsq')]);
      openssl(['ts', '-reply', '-config', path.join(tsa.dir, 'tsa.cnf'), '-queryfile', path.join(dir, 'real.tsq'), '-token_out', '-out', path.join(dir, 'real.tok')]);
      const before = Date.now();
      const pack = grafted('ts-real', fs.readFileSync(path.join(dir, 'real.tok')));
      const r = await verifyPack(pack, { trust: demoCa, trustTsa: readTrustAnchors([tsa.caPem]) });
      assert.equal(r.ok, true, JSON.stringify(r.failures));
      const s = r.signatures[0]!;
      assert.equal(s.timeSource, 'rfc3161');
      assert.equal(s.timestamp!.trusted, true);
      assert.equal(s.timestamp!.tsa, 'CN=Test TSA');
      assert.ok(Math.abs(Date.parse(s.signingTime!) - before) < 120_000, s.signingTime!);
      assert.deepEqual(r.warnings, []);
      const untrusted = await verifyPack(pack, { trust: demoCa });
      assert.equal(untrusted.signatures[0]!.timeSource, 'signer clock');
    });
  });
});
