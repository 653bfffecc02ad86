/**
 * Evidence packs end to end, checked with tools we did not write: openssl,
 * pdfsig, pdftotext and LibreOffice. One pack is built for the whole file
 * (building costs seconds); tampering happens on copies.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import yazl from 'yazl';
import { addRestoreTest, authorFor, setAnnotations } from '../../electron/core/annotations/service.ts';
import { openPack } from '../../electron/core/packs/write/zip.ts';
import { openStore, type Store } from '../../electron/core/store/store.ts';
import { cli, tempDir } from '../harness/cli.ts';
import { startLocalTsa, type LocalTsa } from '../harness/tsa.ts';
import { CJK_NAME, FORMULA_NAMES, fixtureEstate } from './estate.ts';

const PASS = 'pack-test passphrase';

function copyDir(from: string, to: string): string {
  fs.cpSync(from, to, { recursive: true });
  return to;
}

function openssl(args: string[]): { code: number; out: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  return { code: r.status ?? 2, out: `${r.stdout}${r.stderr}` };
}

function pdfsig(file: string): string {
  const r = spawnSync('pdfsig', [file], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
}

describe('evidence pack', () => {
  let dir: string;
  let storePath: string;
  let store: Store;
  let pack: string;
  let ca: string;
  let estate: ReturnType<typeof fixtureEstate>;
  let tsa: LocalTsa;

  before(async () => {
    dir = tempDir('vp-pack-');
    storePath = path.join(dir, 'store', 'vaultproof.db');
    store = openStore(storePath);
    estate = fixtureEstate(store);
    const now = new Date();
    const author = authorFor(store, 'tester', now);
    const expires = new Date(now.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
    setAnnotations(store, { target: `item:${estate.keys.web}`, owner: 'Ana Silva', team: 'Web', criticality: 'high' }, author);
    setAnnotations(store, { target: `item:${estate.keys.app}`, owner: 'Ben Okafor', exception: { rule: 'protection-stopped', justification: 'Decommissioning; data kept for legal hold', approver: 'CISO', expires, ticket: 'CHG-1' } }, author);
    setAnnotations(store, { target: `item:${estate.keys.cjk}`, owner: '佐藤 花子' }, author);
    addRestoreTest(store, { target: `item:${estate.keys.web}`, date: '2025-10-15', recoveryPoint: '2025-10-14T22:00:00Z', outcome: 'passed', durationMin: 35 }, author);
    store.close();
    tsa = await startLocalTsa(path.join(dir, 'tsa'));
    pack = path.join(dir, 'pack');
    const r = await cli(
      ['pack', estate.current.id, '--compare', estate.baseline.id, '--out', pack, '--sign-self-signed', '--signer-name', 'Ada Auditor', '--signer-email', 'ada@example.com', '--passphrase-env', 'VP_PASS', '--sample', 'seed-1:5', '--store', storePath, '--json'],
      { VP_PASS: PASS },
    );
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { signer: { caPath: string }; packId: string };
    ca = out.signer.caPath;
  });

  after(async () => {
    await tsa.close();
  });

  test('holds the files of the layout, and the passphrase appears in none of them', () => {
    const files = fs.readdirSync(pack, { recursive: true }).map(String).sort();
    for (const f of ['report.pdf', 'workbook.xlsx', 'manifest.json', 'manifest.p7s', 'signer.pem', 'data/diff.json', 'data/findings.json', 'data/annotations.json', 'data/profile.json', 'data/ratecard.json', 'data/cost.json', 'data/sample.json', `data/snapshot-${estate.current.id}.json`, `data/snapshot-${estate.baseline.id}.json`]) {
      assert.ok(files.includes(f), `missing ${f} in ${files.join(', ')}`);
    }
    const idDir = path.join(path.dirname(storePath), 'identities');
    for (const f of [...files.map((x) => path.join(pack, x)), ...fs.readdirSync(idDir).map((x) => path.join(idDir, x))]) {
      if (fs.statSync(f).isFile()) assert.ok(!fs.readFileSync(f).includes(Buffer.from(PASS)), `${f} contains the passphrase`);
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(pack, 'manifest.json'), 'utf8')) as { snapshots: Array<{ contentHash: string; role: string }>; annotationLog: { count: number } };
    assert.equal(manifest.snapshots.find((s) => s.role === 'current')?.contentHash, estate.current.contentHash);
    assert.equal(manifest.snapshots.find((s) => s.role === 'baseline')?.contentHash, estate.baseline.contentHash);
    // One log entry per field set: web owner, team, criticality (3) + app owner, exception (2) + cjk owner (1) + a restore test (1).
    assert.equal(manifest.annotationLog.count, 7);
    const s = openStore(storePath);
    try {
      const heads = s.db.prepare('SELECT count FROM annotation_log_heads').pluck(true).all() as number[];
      assert.deepEqual(heads, [7]);
    } finally {
      s.close();
    }
  });

  test('openssl verifies the manifest signature, and refuses it after one byte of manifest.json changes', () => {
    const ok = openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', path.join(pack, 'manifest.p7s'), '-content', path.join(pack, 'manifest.json'), '-noverify', '-out', '/dev/null']);
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, /Verification successful/);
    const bad = path.join(dir, 'manifest-tampered.json');
    const bytes = fs.readFileSync(path.join(pack, 'manifest.json'));
    const at = bytes.indexOf('"complete"') + 2;
    bytes[at] = bytes[at]! ^ 0x01;
    fs.writeFileSync(bad, bytes);
    const no = openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', path.join(pack, 'manifest.p7s'), '-content', bad, '-noverify', '-out', '/dev/null']);
    assert.notEqual(no.code, 0);
    assert.match(no.out, /digest failure|verification failure/i);
  });

  test('the local CA chain verifies with openssl for S/MIME signing', () => {
    const r = openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', path.join(pack, 'manifest.p7s'), '-content', path.join(pack, 'manifest.json'), '-CAfile', ca, '-out', '/dev/null']);
    assert.equal(r.code, 0, r.out);
  });

  test('pdfsig reports the embedded signature valid, and Digest Mismatch after a signed byte changes', () => {
    const out = pdfsig(path.join(pack, 'report.pdf'));
    assert.match(out, /Signature Validation: Signature is Valid\./);
    assert.match(out, /Signer Certificate Common Name: Ada Auditor/);
    const pdf = fs.readFileSync(path.join(pack, 'report.pdf'));
    const range = /\/ByteRange \[0 (\d+) (\d+) (\d+)\]/.exec(pdf.toString('latin1'))!;
    // A byte well inside the second signed range (page content, after the signature).
    const at = Number(range[2]) + Math.floor(Number(range[3]) / 2);
    pdf[at] = pdf[at]! ^ 0x20;
    const bad = path.join(dir, 'tampered.pdf');
    fs.writeFileSync(bad, pdf);
    assert.match(pdfsig(bad), /Digest Mismatch/);
  });

  test('pdfsig calls the certificate trusted once the local CA is in its NSS database', () => {
    const nss = path.join(dir, 'nssdb');
    fs.mkdirSync(nss);
    execFileSync('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']);
    const before = spawnSync('pdfsig', ['-nssdir', `sql:${nss}`, path.join(pack, 'report.pdf')], { encoding: 'utf8' });
    assert.match(`${before.stdout}${before.stderr}`, /Signature is Valid[\s\S]*Certificate issuer isn't Trusted/);
    execFileSync('certutil', ['-A', '-n', 'vaultproof-local-ca', '-t', 'CT,C,C', '-i', ca, '-d', `sql:${nss}`]);
    const r = spawnSync('pdfsig', ['-nssdir', `sql:${nss}`, path.join(pack, 'report.pdf')], { encoding: 'utf8' });
    assert.match(`${r.stdout}${r.stderr}`, /Certificate Validation: Certificate is Trusted\./);
  });

  test('pdftotext finds the summary figures, the CJK item name and the pack id on every page', () => {
    const text = execFileSync('pdftotext', ['-layout', path.join(pack, 'report.pdf'), '-'], { encoding: 'utf8' });
    // 45 items, 28 protected → 62.2 %; 4 failed last backups (see fixtureEstate).
    assert.match(text, /Backup items[\s\S]{0,400}\b45\b/);
    assert.match(text, /62\.2 %/);
    assert.match(text, /28 of 45 items/);
    assert.ok(text.includes(CJK_NAME), 'CJK item name not extracted');
    assert.ok(text.includes('佐藤 花子'), 'CJK owner not extracted');
    const manifest = JSON.parse(fs.readFileSync(path.join(pack, 'manifest.json'), 'utf8')) as { packId: string };
    const pages = text.split('\f').filter((p) => p.trim() !== '');
    assert.ok(pages.length >= 5);
    for (const [i, p] of pages.entries()) {
      assert.ok(p.includes(manifest.packId), `page ${i + 1} lacks the pack id`);
      assert.ok(p.includes(`Page ${i + 1} of ${pages.length}`), `page ${i + 1} lacks its number`);
    }
    // Sections the issue asks for.
    for (const h of ['Executive summary', 'Charts', 'Changes since the baseline', 'Findings', 'By control', 'Audit sample', 'Exceptions register', 'Restore tests register', 'Cost', 'Collection completeness', 'Methodology and provenance', 'Item appendix']) {
      assert.ok(text.includes(h), `section "${h}" missing`);
    }
    assert.match(text, /vm-old-03\s+vault-prod\s+VM\s+gone/);
    assert.match(text, /Seed\s+seed-1/);
  });

  test('LibreOffice opens every sheet with the expected rows, autofilters, and formula-looking names as text', () => {
    const out = path.join(dir, 'csv');
    spawnSync('soffice', ['--headless', `-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`, '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1', '--outdir', out, path.join(pack, 'workbook.xlsx')], { encoding: 'utf8', timeout: 120_000 });
    const sheet = (name: string): string[][] => parse(fs.readFileSync(path.join(out, `workbook-${name}.csv`), 'utf8'), { relax_column_count: true }) as string[][];
    const findings = JSON.parse(fs.readFileSync(path.join(pack, 'data/findings.json'), 'utf8')) as { findings: unknown[] };
    // Header row + data rows, by construction of fixtureEstate and the annotations above.
    const expected: Record<string, number> = {
      Items: 1 + 45,
      Changes: 1 + 2 + 1 + 2, // added 2, removed 1, changed: vm-web-01 lastBackupStatus, vm-app-02 protectionState
      Exceptions: 1 + 1,
      'Restore tests': 1 + 1,
      Owners: 1 + 3,
      Cost: 1 + 45,
      Coverage: 1 + 13 + 13,
      Findings: 1 + findings.findings.length,
    };
    for (const [name, rows] of Object.entries(expected)) assert.equal(sheet(name).length, rows, `sheet ${name}`);
    assert.ok(sheet('Summary').length > 10);
    assert.ok(sheet('Provenance').length > 5);
    const names = sheet('Items').map((r) => r[0]);
    for (const f of FORMULA_NAMES) assert.ok(names.includes(f), `formula-looking name ${f} did not come back literally (got ${names.filter((n) => n?.startsWith('=') || n?.startsWith('@')).join(' | ')})`);
    assert.ok(names.includes(CJK_NAME));
    const changed = sheet('Changes').filter((r) => r[0] === 'changed').map((r) => `${r[1]}:${r[2]}:${r[3]}>${r[4]}`).sort();
    assert.deepEqual(changed, ['vm-app-02:protectionState:Protected>ProtectionStopped', 'vm-web-01:lastBackupStatus:Completed>Failed']);

    // The autofilter survives a LibreOffice round trip only with the hidden _FilterDatabase name.
    const fods = path.join(dir, 'fods');
    spawnSync('soffice', ['--headless', `-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`, '--convert-to', 'fods', '--outdir', fods, path.join(pack, 'workbook.xlsx')], { encoding: 'utf8', timeout: 120_000 });
    const xml = fs.readFileSync(path.join(fods, 'workbook.fods'), 'utf8');
    assert.match(xml, /table:database-range[^>]*table:target-range-address="Items\.A1:Items\.U46"[^>]*table:display-filter-buttons="true"/);
    assert.match(xml, /table:database-range[^>]*target-range-address="Findings\.A1:Findings\.K\d+"[^>]*display-filter-buttons="true"/);
  });

  test('verify: intact, and trusted only against the local CA', async () => {
    const plain = await cli(['verify', pack]);
    assert.equal(plain.code, 0, plain.stdout + plain.stderr);
    assert.match(plain.stdout, /manifest\.p7s \(preparer\): valid, signer not trusted/);
    assert.match(plain.stdout, /OK: intact/);
    const trusted = await cli(['verify', pack, '--trust', ca]);
    assert.equal(trusted.code, 0);
    assert.match(trusted.stdout, /manifest\.p7s \(preparer\): valid, signer trusted/);
    assert.match(trusted.stdout, /report\.pdf embedded signature: valid, signer trusted/);
    assert.match(trusted.stdout, /content hash recomputed and matching/);
    const required = await cli(['verify', pack, '--require-trusted']);
    assert.equal(required.code, 3);
    assert.equal((await cli(['verify', pack, '--require-trusted', '--trust', ca])).code, 0);
    const json = await cli(['verify', pack, '--json', '--trust', ca]);
    const v = JSON.parse(json.stdout) as { intact: boolean; allSignersTrusted: boolean; files: { checked: number; matching: number } };
    assert.equal(v.intact, true);
    assert.equal(v.allSignersTrusted, true);
    assert.equal(v.files.checked, v.files.matching);
  });

  test('verify names the tampered file and exits 3', async () => {
    const copy = copyDir(pack, path.join(dir, 'tamper-findings'));
    const f = path.join(copy, 'data', 'findings.json');
    fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('"high"', '"low"'));
    const r = await cli(['verify', copy]);
    assert.equal(r.code, 3);
    assert.match(r.stdout, /FAILED: data\/findings\.json: tampered/);

    const copy2 = copyDir(pack, path.join(dir, 'tamper-manifest'));
    const m = path.join(copy2, 'manifest.json');
    fs.writeFileSync(m, fs.readFileSync(m, 'utf8').replace('"complete": true', '"complete": false'));
    const r2 = await cli(['verify', copy2, '--json']);
    assert.equal(r2.code, 3);
    assert.equal((JSON.parse(r2.stdout) as { firstFailure: { file: string } }).firstFailure.file, 'manifest.json');

    const copy3 = copyDir(pack, path.join(dir, 'extra-file'));
    fs.writeFileSync(path.join(copy3, 'data', 'extra.json'), '{}');
    const r3 = await cli(['verify', copy3]);
    assert.equal(r3.code, 3);
    assert.match(r3.stdout, /FAILED: data\/extra\.json: not listed in the signed manifest/);
  });

  test('a reviewer co-signs; verify reports preparer and reviewer; a tampered pack is not co-signed', async () => {
    const copy = copyDir(pack, path.join(dir, 'cosigned'));
    const r = await cli(['cosign', copy, '--sign-self-signed', '--identity', 'reviewer', '--signer-name', 'Rita Reviewer', '--passphrase-env', 'VP_PASS', '--role', 'reviewer', '--store', storePath], { VP_PASS: PASS });
    assert.equal(r.code, 0, r.stderr);
    // Given an anchor, every signer must chain to one: the reviewer's CA is not given here.
    const v = await cli(['verify', copy, '--trust', ca]);
    assert.equal(v.code, 3, v.stdout);
    assert.match(v.stdout, /manifest\.p7s \(preparer\): valid, signer trusted — CN=Ada Auditor/);
    assert.match(v.stdout, /manifest\.reviewer\.p7s \(reviewer\): valid, signer not trusted — CN=Rita Reviewer/);
    assert.match(v.stdout, /FAILED: the pack is intact, but a signer does not chain to any --trust anchor given/);
    const reviewerCa = path.join(path.dirname(storePath), 'identities', 'reviewer-ca.pem');
    assert.equal((await cli(['verify', copy, '--trust', ca, '--trust', reviewerCa, '--require-trusted'])).code, 0);
    const again = await cli(['cosign', copy, '--sign-self-signed', '--identity', 'reviewer', '--passphrase-env', 'VP_PASS', '--role', 'reviewer', '--store', storePath], { VP_PASS: PASS });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already has a reviewer signature/);

    const bad = copyDir(pack, path.join(dir, 'cosign-tampered'));
    fs.appendFileSync(path.join(bad, 'signer.pem'), '\n');
    const refused = await cli(['cosign', bad, '--sign-self-signed', '--identity', 'reviewer', '--passphrase-env', 'VP_PASS', '--role', 'reviewer', '--store', storePath], { VP_PASS: PASS });
    assert.equal(refused.code, 3);
    assert.match(refused.stderr, /refusing to co-sign .*signer\.pem: tampered/);
    assert.ok(!fs.existsSync(path.join(bad, 'manifest.reviewer.p7s')));
  });

  test('a zipped pack with an RFC 3161 timestamp verifies; openssl still accepts the timestamped signature', async () => {
    const zipOut = path.join(dir, 'ts-pack');
    const r = await cli(['pack', estate.current.id, '--out', zipOut, '--zip', '--sign-self-signed', '--passphrase-env', 'VP_PASS', '--tsa', tsa.url, '--store', storePath, '--json'], { VP_PASS: PASS });
    assert.equal(r.code, 0, r.stderr);
    const built = JSON.parse(r.stdout) as { path: string; timestamp: { genTime: string; tsa: string } };
    assert.equal(built.path, `${zipOut}.zip`);
    assert.match(built.timestamp.tsa, /Test TSA/);
    assert.equal(tsa.requests, 1);
    const v = await cli(['verify', built.path, '--trust', ca, '--json']);
    assert.equal(v.code, 0, v.stdout);
    const res = JSON.parse(v.stdout) as { signatures: Array<{ role: string; timeSource: string; timestamp: { trusted: boolean } | null }> };
    const prep = res.signatures.find((s) => s.role === 'preparer')!;
    // A timestamp whose TSA is not among the --trust-tsa anchors is shown but ignored: the signer's clock decides.
    assert.equal(prep.timeSource, 'signer clock');
    assert.equal(prep.timestamp?.trusted, false);
    const withTsaRoot = JSON.parse((await cli(['verify', built.path, '--trust', ca, '--trust-tsa', tsa.caPem, '--json'])).stdout) as typeof res;
    assert.equal(withTsaRoot.signatures.find((s) => s.role === 'preparer')!.timestamp?.trusted, true);
    assert.equal(withTsaRoot.signatures.find((s) => s.role === 'preparer')!.timeSource, 'rfc3161');
    // openssl on the zip's members (read with our zip reader: unzip is not among the test tools).
    const unz = path.join(dir, 'unzipped');
    fs.mkdirSync(unz);
    const src = await openPack(built.path);
    for (const f of ['manifest.json', 'manifest.p7s']) fs.writeFileSync(path.join(unz, f), await src.read(f));
    await src.close();
    const o = openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', path.join(unz, 'manifest.p7s'), '-content', path.join(unz, 'manifest.json'), '-noverify', '-out', '/dev/null']);
    assert.equal(o.code, 0, o.out);
  });

  test('zip entries that climb out of the pack or are absolute are refused, naming the entry', async () => {
    for (const [name, evil] of [
      ['dotdot', '../evil.txt'],
      ['absolute', '/etc/evilx'],
    ] as const) {
      const zf = new yazl.ZipFile();
      zf.addBuffer(Buffer.from('{}'), 'manifest.json');
      // yazl refuses such names itself, so write a same-length placeholder and patch the bytes.
      const placeholder = 'x'.repeat(evil.length);
      zf.addBuffer(Buffer.from('boom'), placeholder);
      zf.end();
      const chunks: Buffer[] = [];
      for await (const c of zf.outputStream) chunks.push(c as Buffer);
      let buf = Buffer.concat(chunks);
      const from = Buffer.from(placeholder);
      const to = Buffer.from(evil);
      let i = buf.indexOf(from);
      while (i >= 0) {
        to.copy(buf, i);
        i = buf.indexOf(from, i + 1);
      }
      const file = path.join(dir, `${name}.zip`);
      fs.writeFileSync(file, buf);
      buf = Buffer.alloc(0);
      const r = await cli(['verify', file]);
      assert.equal(r.code, 3, `${name}: ${r.stdout}${r.stderr}`);
      assert.ok(r.stdout.includes(`zip entry "${evil}"`), r.stdout);
      assert.match(r.stdout, /refused/);
    }
  });

  test('a wrong passphrase, or an existing --out, leaves nothing behind', async () => {
    const out = path.join(dir, 'never');
    const wrong = await cli(['pack', estate.current.id, '--out', out, '--sign-self-signed', '--passphrase-env', 'VP_PASS', '--store', storePath], { VP_PASS: 'not the passphrase' });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /wrong passphrase/);
    const unset = await cli(['pack', estate.current.id, '--out', out, '--sign-self-signed', '--passphrase-env', 'VP_UNSET_VAR', '--store', storePath]);
    assert.equal(unset.code, 1);
    assert.match(unset.stderr, /VP_UNSET_VAR is not set/);
    const clash = await cli(['pack', estate.current.id, '--out', pack, '--sign-self-signed', '--passphrase-env', 'VP_PASS', '--store', storePath], { VP_PASS: PASS });
    assert.equal(clash.code, 1);
    assert.match(clash.stderr, /already exists/);
    assert.ok(!fs.existsSync(out));
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('.partial-')), []);
  });
});
