/**
 * `vaultproof demo`: the bundled estate becomes a signed pack that verifies,
 * and the pack shows what the estate was built to show.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { DemoResult } from '../../shared/contract/methods/packs.ts';
import { cli, tempDir } from '../harness/cli.ts';

test('demo imports two snapshots, builds a signed pack showing the estate’s story, and verifies it', async () => {
  const out = path.join(tempDir('vp-demo-'), 'demo');
  const r = await cli(['demo', '--out', out, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const d = JSON.parse(r.stdout) as DemoResult;
  assert.equal(d.snapshots.length, 2);
  assert.equal(d.verify.intact, true);
  assert.equal(d.verify.allSignersTrusted, true);
  assert.equal(d.pack.baselineId, d.snapshots[0]);
  assert.ok(d.storePath.startsWith(out));

  const pack = d.pack.path;
  const diff = JSON.parse(fs.readFileSync(path.join(pack, 'data/diff.json'), 'utf8')) as { added: string[]; removed: Array<{ key: string; reason: string }>; changed: Array<{ key: string; fields: Record<string, unknown> }> };
  // The retirement: vm-legacy-03 is gone; vm-web-02 is new.
  assert.deepEqual(diff.removed.map((x) => [x.key.split(';').pop(), x.reason]), [['vm-legacy-03', 'gone']]);
  assert.deepEqual(diff.added.map((k) => k.split(';').pop()), ['vm-web-02']);
  const findings = JSON.parse(fs.readFileSync(path.join(pack, 'data/findings.json'), 'utf8')) as { findings: Array<{ rule: string; key: string; excepted: boolean }> };
  const has = (rule: string, vm: string, excepted: boolean): boolean => findings.findings.some((f) => f.rule === rule && f.key.endsWith(`;${vm}`) && f.excepted === excepted);
  assert.ok(has('last-backup-failed', 'vm-web-01', false), 'the failed backup');
  assert.ok(has('protection-stopped', 'vm-app-02', true), 'the stopped VM, excepted');
  const cost = JSON.parse(fs.readFileSync(path.join(pack, 'data/cost.json'), 'utf8')) as { items: Array<{ key: string; total: number | string; status: string }> };
  const stopped = cost.items.find((i) => i.key.endsWith(';vm-app-02'))!;
  // Stopped but data retained: still billed. 220 GB front end → $10 fee; 540 GB storage at the card's GRS rate.
  assert.equal(typeof stopped.total, 'number');
  assert.ok((stopped.total as number) > 10, String(stopped.total));

  const text = execFileSync('pdftotext', [path.join(pack, 'report.pdf'), '-'], { encoding: 'utf8' });
  assert.ok(text.includes('財務サーバー-東京'), 'the CJK item name comes back from the PDF');
  assert.ok(text.includes('佐藤 花子'));
  assert.match(text, /Grace Hopper/);

  // The demo never reuses a folder that holds something.
  const again = await cli(['demo', '--out', out]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /not empty/);
});
