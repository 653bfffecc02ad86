/**
 * A report.pdf that stands alone (issue 14, item 5): its signature certifies
 * the document (DocMDP, no changes permitted), pdfsig still validates it, and
 * `vaultproof verify report.pdf` checks a lone PDF and fails on any byte
 * after the signed range. The appended update is written by hand
 * (verify-forge.ts), not by a PDF library of ours.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { PREDATES } from '../../electron/core/packs/verify.ts';
import { cli, tempDir } from '../harness/cli.ts';
import { V1_CA, V1_PACK, appendRetitle } from './verify-forge.ts';

function pdfsig(file: string): string {
  const r = spawnSync('pdfsig', [file], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
}

describe('report.pdf: a certification signature that stands alone', () => {
  let dir: string;
  let pack: string;
  let ca: string;
  let report: string;

  before(async () => {
    dir = tempDir('vp-verify-pdf-');
    const r = await cli(['demo', '--out', path.join(dir, 'demo'), '--json']);
    assert.equal(r.code, 0, r.stderr);
    const d = JSON.parse(r.stdout) as { pack: { path: string }; trustAnchor: string };
    pack = d.pack.path;
    ca = d.trustAnchor;
    report = path.join(dir, 'report.pdf');
    fs.copyFileSync(path.join(pack, 'report.pdf'), report);
  });

  test('the signature dictionary carries the DocMDP transform (P 1) and the catalog names it in /Perms', () => {
    const text = fs.readFileSync(report).toString('latin1');
    const sig = /(\d+) 0 obj\s*<<\s*\/Type \/Sig[\s\S]*?endobj/.exec(text);
    assert.ok(sig, 'a signature dictionary');
    assert.match(sig[0], /\/Reference \[<<\s*\/Type \/SigRef\s*\/TransformMethod \/DocMDP\s*\/TransformParams <<\s*\/Type \/TransformParams\s*\/P 1\s*\/V \/1\.2/);
    assert.match(text, new RegExp(`/Perms <<\\s*/DocMDP ${sig[1]} 0 R\\s*>>`));
  });

  test('pdfsig still validates the whole document', () => {
    const out = pdfsig(report);
    assert.match(out, /Signature Validation: Signature is Valid\./);
    assert.match(out, /Total document signed/);
  });

  test('verify report.pdf on its own: intact and trusted against the CA, certified, nothing predated', async () => {
    const r = await cli(['verify', report, '--trust', ca]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^report .*report\.pdf \(a lone PDF: its embedded signature only\)$/m);
    assert.match(r.stdout, /report\.pdf embedded signature: valid, signer trusted — CN=Vaultproof Demo Auditor/);
    assert.match(r.stdout, /^ {4}SHA-256 [0-9a-f]{64}$/m);
    assert.doesNotMatch(r.stdout, /made before a newer check/);
    const j = JSON.parse((await cli(['verify', report, '--json'])).stdout) as { kind: string; predates: string[]; ok: boolean };
    assert.deepEqual([j.kind, j.predates, j.ok], ['pdf', [], true]);
  });

  test('the whole pack verifies with no predated check', async () => {
    const j = JSON.parse((await cli(['verify', pack, '--trust', ca, '--json'])).stdout) as { ok: boolean; predates: string[] };
    assert.deepEqual([j.ok, j.predates], [true, []]);
  });

  test('an appended incremental update that retitles the report fails verify (exit 3); pdfsig only says "Not total document signed"', async () => {
    const forged = path.join(dir, 'retitled.pdf');
    const original = fs.readFileSync(report);
    fs.writeFileSync(forged, appendRetitle(original, 'All backups verified'));
    assert.match(pdfsig(forged), /Not total document signed/);
    assert.match(spawnSync('pdfinfo', [forged], { encoding: 'utf8' }).stdout, /Title:\s+All backups verified/, 'readers see the new title');
    const r = await cli(['verify', forged, '--trust', ca]);
    assert.equal(r.code, 3, r.stdout);
    assert.match(r.stdout, new RegExp(`FAILED: report\\.pdf: embedded signature: the signed byte range \\[0 \\d+ \\d+ \\d+\\] does not cover the whole file \\(${fs.statSync(forged).size} bytes\\): content was added or cut after signing`));
  });

  test('a lone v1 report.pdf still verifies, saying it predates certification', async () => {
    const r = await cli(['verify', path.join(V1_PACK, 'report.pdf'), '--trust', V1_CA]);
    assert.equal(r.code, 0, r.stdout);
    assert.ok(r.stdout.includes(`made before a newer check: ${PREDATES.certification}`), r.stdout);
  });
});
