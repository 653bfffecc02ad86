/**
 * The pack path hands its data files to the file writer in pieces: at 100k
 * items findings.json is ~250 MB of text, and writing it (or cost.json,
 * diff.json, a snapshot file) as one string held it whole, plus its Buffer.
 * Counted here on a few-thousand-item pack: the largest text handed to the
 * writer is a few KB while the files are megabytes, and the files are whole.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { buildPack } from '../../electron/core/packs/build.ts';
import { HashingFileWriter } from '../../electron/core/packs/write/snapshot-data.ts';
import { SnapshotFiles } from '../../electron/core/packs/write/snapshot-files.ts';
import { openStore } from '../../electron/core/store/store.ts';
import { syntheticItems, writeSnapshot } from '../packs/estate.ts';

test('a 3,000-item pack comparing two snapshots writes every data file in small pieces, and each file is complete', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-pack-pieces-'));
  const store = openStore(path.join(dir, 'store', 'vaultproof.db'));
  const largest = new Map<string, number>();
  const original = HashingFileWriter.prototype.write;
  // A build writes its snapshot files on a worker thread, where this spy cannot see; here they are written on this
  // thread, by the same writeSnapshotFile the worker runs (test/packs/snapshot-files checks the two give the same bytes).
  const start = SnapshotFiles.start.bind(SnapshotFiles);
  SnapshotFiles.start = () => null;
  HashingFileWriter.prototype.write = function (this: HashingFileWriter, s: string): void {
    const name = path.basename(this.path);
    largest.set(name, Math.max(largest.get(name) ?? 0, s.length));
    original.call(this, s);
  };
  try {
    const baseline = writeSnapshot(store, [...syntheticItems(3000)].map((it, i) => (i % 10 === 0 ? { ...it, protectionState: 'IRPending' } : it)), { asOf: '2025-09-30T06:00:00.000Z', nowMs: 1 });
    const current = writeSnapshot(store, syntheticItems(3000), { asOf: '2025-10-30T06:00:00.000Z', nowMs: 2 });
    const out = path.join(dir, 'pack');
    await buildPack(
      store,
      { snapshot: current.id, compare: baseline.id, out, signer: { kind: 'local', identity: 'pieces', commonName: 'Pieces Tester' }, passphrase: 'pieces passphrase' },
      { now: new Date('2025-11-01T09:00:00Z'), user: 'tester', toolVersion: '0.0.0-test' },
    );
    const dataDir = path.join(out, 'data');
    for (const name of ['findings.json', 'cost.json', 'diff.json', `snapshot-${current.id}.json`]) {
      const size = fs.statSync(path.join(dataDir, name)).size;
      const piece = largest.get(name) ?? 0;
      assert.ok(piece > 0, `${name} went through the file writer`);
      assert.ok(size > 100_000, `${name} is ${size} bytes`);
      // A run of elements at most, whatever the estate: bounded, not a share of the file.
      assert.ok(piece < 128 * 1024, `${name}: largest piece ${piece} characters of a ${size}-byte file`);
      if (name !== 'diff.json') assert.ok(size > 2_000_000 && piece < size / 20, `${name}: largest piece ${piece} characters of a ${size}-byte file`);
    }
    // Complete: every item is costed; every tenth item was IRPending in the baseline, which changed
    // unless its current state is IRPending too (i % 7 === 5, i.e. i ≡ 40 mod 70: 43 of the 300).
    const cost = JSON.parse(fs.readFileSync(path.join(dataDir, 'cost.json'), 'utf8')) as { items: unknown[]; baselineByVault: unknown[] };
    assert.equal(cost.items.length, 3000);
    assert.equal(cost.baselineByVault.length, 12);
    const diff = JSON.parse(fs.readFileSync(path.join(dataDir, 'diff.json'), 'utf8')) as { changed: unknown[]; unchanged: number };
    assert.equal(diff.changed.length, 257);
    assert.equal(diff.unchanged, 2743);
    const findings = JSON.parse(fs.readFileSync(path.join(dataDir, 'findings.json'), 'utf8')) as { findings: unknown[]; counts: { total: number } };
    assert.equal(findings.findings.length, findings.counts.total);
  } finally {
    HashingFileWriter.prototype.write = original;
    SnapshotFiles.start = start;
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
