/**
 * `pack --redact-principals` leaves no principal in any file of the pack
 * (folder and zip), the manifest says what was redacted, and `verify` says
 * what it then cannot prove while checking the rest; redaction the signed
 * manifest does not declare fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { cli, fixtures, tempDir } from '../harness/cli.ts';
import { pseudonymiser } from '../../electron/core/packs/access.ts';
import { recordRedactor } from '../../electron/core/packs/redact.ts';
import { resignPack, selfSigned } from '../packs/verify-forge.ts';

const root = path.join(fixtures, '..', '..');
const demo = (name: string) => path.join(root, 'assets', 'demo', '2025-10-30', name);
const env = { VAULTPROOF_NOW: '2026-11-24T10:00:00Z', VAULTPROOF_USER: 'auditor1', VP_PASS: 'correct horse battery staple' };

// Every principal the fixtures name, read off test/fixtures/access/az-role-assignments.json and test/fixtures/redact/vault-rsv-dev-weu-owned.json.
const NAMES = ['mg.admin@contoso.com', 'alice@contoso.com', 'Backup Admins', 'bob@contoso.com', 'carol@contoso.com', 'dave_fabrikam.com#EXT#@contoso.onmicrosoft.com', 'erin@contoso.com', 'frank@contoso.com', 'sp-iam-automation'];
const LOCAL_PARTS = ['mg.admin@', 'alice@', 'bob@', 'carol@', 'dave_fabrikam', 'erin@', 'frank@'];
const IDS = [...Array.from({ length: 9 }, (_, i) => `11111111-aaaa-4bbb-8ccc-00000000000${i + 1}`), '0e6f3a2b-1111-4c1d-9a2b-3c4d5e6f7a8b', '22222222-bbbb-4ccc-8ddd-000000000001'];
const NEEDLES = [...NAMES, ...LOCAL_PARTS, ...IDS].map((s) => s.toLowerCase());

async function estate(dir: string): Promise<string> {
  const store = path.join(dir, 'v.db');
  const files = [
    demo('protected-items-rsv-prod-weu.json'),
    demo('protected-items-rsv-dev-weu.json'),
    demo('vault-rsv-prod-weu.json'),
    path.join(fixtures, 'redact', 'vault-rsv-dev-weu-owned.json'),
    path.join(fixtures, 'access', 'az-role-assignments.json'),
    path.join(fixtures, 'access', 'az-role-definitions-custom.json'),
  ];
  const imp = await cli(['import', ...files, '--as-of', '2025-10-30T06:00:00Z', '--store', store, '--json'], env);
  assert.equal(imp.code, 0, imp.stderr);
  return store;
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Every text a reader could get out of a file: its bytes, a PDF's extracted text, every part inside an xlsx. */
function textsOf(file: string, scratch: string): Array<[string, string]> {
  const out: Array<[string, string]> = [[file, fs.readFileSync(file).toString('latin1')]];
  if (file.endsWith('.pdf')) out.push([`${file} (pdftotext)`, execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })]);
  if (file.endsWith('.xlsx')) {
    const x = fs.mkdtempSync(path.join(scratch, 'xlsx-'));
    execFileSync('unzip', ['-q', file, '-d', x]);
    for (const part of walk(x)) out.push([`${file}:${path.relative(x, part)}`, fs.readFileSync(part, 'utf8')]);
  }
  return out;
}

function leaks(dir: string, scratch: string): string[] {
  const found: string[] = [];
  for (const f of walk(dir)) {
    for (const [where, text] of textsOf(f, scratch)) {
      const lower = text.toLowerCase();
      for (const n of NEEDLES) if (lower.includes(n)) found.push(`${path.relative(dir, where)}: ${n}`);
    }
  }
  return found;
}

type SnapLine = { data: Record<string, unknown>; key: string; raw: string; rawSha256: string; type: string; redacted?: true };
function snapshotLines(file: string): SnapLine[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.startsWith('{"data"'))
    .map((l) => JSON.parse(l.endsWith(',') ? l.slice(0, -1) : l) as SnapLine);
}

test('a redacted pack, folder and zip, names no principal in any file; verify says the content hash is not recomputed and checks the rest', async () => {
  const dir = tempDir('vp-redact-');
  const store = await estate(dir);
  const scratch = fs.mkdtempSync(path.join(dir, 'scratch-'));

  // The same estate unredacted: the names are there (the grep can find them) and the hash recomputes as before.
  const plain = path.join(dir, 'plain');
  assert.equal((await cli(['pack', 'latest', '--out', plain, '--sign-self-signed', '--passphrase-env', 'VP_PASS', '--store', store], env)).code, 0);
  assert.ok(leaks(plain, scratch).some((l) => l.startsWith('data/snapshot-') && l.endsWith('alice@contoso.com')), 'the unredacted snapshot file names alice');
  const pv = await cli(['verify', plain], env);
  assert.equal(pv.code, 0, pv.stdout);
  assert.match(pv.stdout, /content hash recomputed and matching/);
  assert.doesNotMatch(pv.stdout, /not recomputed/);

  const red = path.join(dir, 'red');
  const q = await cli(['pack', 'latest', '--out', red, '--redact-principals', '--sign-self-signed', '--passphrase-env', 'VP_PASS', '--store', store], env);
  assert.equal(q.code, 0, q.stderr);
  assert.deepEqual(leaks(red, scratch), []);

  const zipBase = path.join(dir, 'redzip');
  assert.equal((await cli(['pack', 'latest', '--out', zipBase, '--zip', '--redact-principals', '--sign-self-signed', '--passphrase-env', 'VP_PASS', '--store', store], env)).code, 0);
  const unz = path.join(dir, 'redzip-extracted');
  execFileSync('unzip', ['-q', `${zipBase}.zip`, '-d', unz]);
  assert.ok(fs.existsSync(path.join(unz, 'manifest.json')));
  assert.deepEqual(leaks(unz, scratch), []);
  assert.deepEqual(leaks(path.dirname(`${zipBase}.zip`), scratch).filter((l) => l.startsWith('redzip.zip')), []);

  // The manifest: 9 role assignments (each names its principal and creator) and the owned dev vault (tags, identity, systemData); the prod vault and the items name nobody.
  const m = JSON.parse(fs.readFileSync(path.join(red, 'manifest.json'), 'utf8')) as {
    redaction: { what: string; files: string[]; pseudonym: string; fields: string };
    snapshots: Array<{ id: string; file: string; contentHash: string; redactedRecords: Record<string, number> }>;
  };
  assert.equal(m.redaction.what, 'principals');
  assert.match(m.redaction.pseudonym, /HMAC-SHA256/);
  assert.match(m.redaction.fields, /principalName/);
  assert.deepEqual(m.snapshots[0]!.redactedRecords, { roleAssignment: 9, vault: 1 });
  assert.ok(m.redaction.files.includes(m.snapshots[0]!.file));
  const pm = JSON.parse(fs.readFileSync(path.join(plain, 'manifest.json'), 'utf8')) as { redaction?: unknown; snapshots: Array<{ contentHash: string; redactedRecords?: unknown }> };
  assert.equal(pm.redaction, undefined);
  assert.equal(pm.snapshots[0]!.redactedRecords, undefined);
  // The stated hash is the original snapshot's.
  assert.equal(m.snapshots[0]!.contentHash, pm.snapshots[0]!.contentHash);

  // The snapshot file: redacted records carry the pack's pseudonyms (the same as findings.json's), their rawSha256 is of the redacted text; every other record is byte for byte the unredacted pack's.
  const rl = snapshotLines(path.join(red, m.snapshots[0]!.file));
  const pl = snapshotLines(path.join(plain, m.snapshots[0]!.file));
  assert.equal(rl.length, pl.length);
  for (const [i, r] of rl.entries()) {
    if (r.redacted) {
      assert.equal(createHash('sha256').update(r.raw).digest('hex'), r.rawSha256);
      assert.notEqual(r.raw, pl[i]!.raw);
    } else assert.deepEqual(r, pl[i]);
  }
  const findings = JSON.parse(fs.readFileSync(path.join(red, 'data', 'findings.json'), 'utf8')) as { findings: Array<{ evidence: { principals?: Array<{ objectId: string; role: string; scope: string }> } }> };
  const aliceAssignment = rl.find((r) => r.type === 'roleAssignment' && r.key.endsWith('1c0a9b8e-0002-4000-8000-000000000002'))!;
  assert.match(String(aliceAssignment.data.principalId), /^principal-[0-9a-f]{12}$/);
  assert.equal(aliceAssignment.data.principalName, aliceAssignment.data.principalId);
  const rawAlice = JSON.parse(aliceAssignment.raw) as Record<string, string>;
  assert.equal(rawAlice.principalName, aliceAssignment.data.principalId);
  assert.equal(rawAlice.roleDefinitionName, 'Owner', 'what the evidence is about stays');
  const owners = findings.findings.flatMap((f) => f.evidence.principals ?? []).filter((p) => p.role === 'Owner' && p.scope === '/subscriptions/5b1f4c2a-7d3e-4f60-9a8b-1c2d3e4f5a6b');
  assert.ok(owners.length > 0);
  for (const o of owners) assert.equal(o.objectId, aliceAssignment.data.principalId);
  const vault = rl.find((r) => r.redacted && r.type === 'vault')!;
  const tags = (JSON.parse(vault.raw) as { tags: Record<string, string> }).tags;
  assert.equal(tags.owner, aliceAssignment.data.principalId, "alice's UPN in a tag is alice's pseudonym");
  assert.match(tags['backup-contact']!, /^principal-[0-9a-f]{12} \(principal-[0-9a-f]{12}\)$/);
  assert.equal(tags.env, 'dev');

  for (const [pack, label] of [
    [red, 'folder'],
    [`${zipBase}.zip`, 'zip'],
  ] as const) {
    const v = await cli(['verify', pack], env);
    assert.equal(v.code, 0, `${label}: ${v.stdout}`);
    assert.match(v.stdout, /files: 9 of 9 match the manifest/);
    assert.match(v.stdout, /content hash not recomputed \(principals redacted; see the warning\)/);
    assert.ok(
      v.stdout.includes("snapshot content hash not recomputed: principals redacted in 9 roleAssignment record(s), 1 vault record(s); the stated hash is the original snapshot's"),
      v.stdout,
    );
    const j = await cli(['verify', pack, '--json'], env);
    const r = JSON.parse(j.stdout) as { intact: boolean; snapshots: Array<{ recomputed: string | null; ok: boolean; redacted?: Record<string, number> }> };
    assert.equal(r.intact, true);
    assert.deepEqual(r.snapshots.map((s) => [s.recomputed, s.ok, s.redacted]), [[null, true, { roleAssignment: 9, vault: 1 }]]);
  }

  // Fail closed. An edit to the signed manifest (dropping the redaction claim) breaks its signature.
  const unsigned = path.join(dir, 'unsigned');
  fs.cpSync(red, unsigned, { recursive: true });
  const mj = path.join(unsigned, 'manifest.json');
  fs.writeFileSync(mj, fs.readFileSync(mj, 'utf8').replace('"what": "principals"', '"what": "principalz"'));
  const u = await cli(['verify', unsigned], env);
  assert.notEqual(u.code, 0);
  assert.match(u.stdout, /FAILED: manifest\.json: tampered/);

  // A forger re-signing a manifest that no longer declares the redaction: the file's redacted records are refused, whoever signed.
  const forger = selfSigned(path.join(dir, 'forger'), 'f', '/CN=forger', ['keyUsage=critical,digitalSignature']);
  const undeclared = path.join(dir, 'undeclared');
  fs.cpSync(red, undeclared, { recursive: true });
  resignPack(undeclared, forger, (p) => {
    const mm = JSON.parse(fs.readFileSync(path.join(p, 'manifest.json'), 'utf8')) as Record<string, unknown> & { snapshots: Array<Record<string, unknown>> };
    delete mm.redaction;
    for (const s of mm.snapshots) delete s.redactedRecords;
    fs.writeFileSync(path.join(p, 'manifest.json'), JSON.stringify(mm));
  });
  const f1 = await cli(['verify', undeclared], env);
  assert.notEqual(f1.code, 0);
  // (report.pdf also fails: it is signed by the real signer, not the forger.)
  assert.match(f1.stdout, /(FAILED|also): data\/snapshot-[^:]+\.json: tampered: holds redacted records, but the signed manifest declares no redaction/);

  // Declared, but fewer than the file holds: one more record marked redacted (an item, to escape the content hash) is refused.
  const extra = path.join(dir, 'extra');
  fs.cpSync(red, extra, { recursive: true });
  resignPack(extra, forger, (p) => {
    const file = path.join(p, m.snapshots[0]!.file);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const i = lines.findIndex((l) => l.includes('"type":"item"'));
    lines[i] = lines[i]!.replace(/,"type":"item"\}/, ',"redacted":true,"type":"item"}');
    fs.writeFileSync(file, lines.join('\n'));
  });
  const f2 = await cli(['verify', extra], env);
  assert.notEqual(f2.code, 0);
  assert.match(f2.stdout, /tampered: 1 redacted item record\(s\), the manifest declares 0/);
});

test('the redactor rewrites only the strings that name a principal, byte for byte elsewhere', () => {
  const pseudo = pseudonymiser(Buffer.alloc(32, 7));
  const r = recordRedactor(
    [
      { principalId: '11111111-aaaa-4bbb-8ccc-000000000002', principalName: 'alice@contoso.com', principalType: 'User', createdBy: '0e6f3a2b-1111-4c1d-9a2b-3c4d5e6f7a8b' },
      { principalId: '11111111-aaaa-4bbb-8ccc-000000000010', principalName: 'rsv-prod-weu', principalType: 'ServicePrincipal' },
    ],
    pseudo,
  );
  const alice = pseudo('11111111-aaaa-4bbb-8ccc-000000000002');
  // A number past 2^53 and the source's spacing survive; malice@ is another person; the vault's own name (a managed identity's name) stays outside role assignments.
  const raw = '{"name":"rsv-prod-weu", "size": 12345678901234567891,"tags":{"owner":"Alice@Contoso.com","x":"malice@contoso.com"},\n "systemData":{"createdBy":"alice@contoso.com","lastModifiedBy":"someone@else.com"},"list":["principalId","0e6f3a2b-1111-4c1d-9a2b-3c4d5e6f7a8b"]}';
  const out = r.redact('vault', '{"name":"rsv-prod-weu"}', raw)!;
  assert.equal(out.data, '{"name":"rsv-prod-weu"}');
  assert.equal(
    out.raw,
    `{"name":"rsv-prod-weu", "size": 12345678901234567891,"tags":{"owner":"${alice}","x":"malice@contoso.com"},\n "systemData":{"createdBy":"${alice}","lastModifiedBy":"${pseudo('someone@else.com')}"},"list":["principalId","${pseudo('0e6f3a2b-1111-4c1d-9a2b-3c4d5e6f7a8b')}"]}`,
  );
  // In a role assignment the service principal's name is its name, and goes.
  const ra = r.redact('roleAssignment', '{"principalId":"11111111-aaaa-4bbb-8ccc-000000000010","principalName":"rsv-prod-weu"}', '{"description":"granted to rsv-prod-weu"}')!;
  const sp = pseudo('11111111-aaaa-4bbb-8ccc-000000000010');
  assert.equal(ra.data, `{"principalId":"${sp}","principalName":"${sp}"}`);
  assert.equal(ra.raw, `{"description":"granted to ${sp}"}`);
  assert.equal(r.redact('item', '{"name":"vm-web-01"}', '{"name":"vm-web-01"}'), null);
});
