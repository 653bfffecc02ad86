/**
 * verify reads big snapshot files on worker threads (electron/core/packs/verify-files.ts).
 * Checked here, with the size floor lowered so the fixture's files go to workers: the
 * report is the same as when verify reads everything itself, for an intact pack, a pack
 * whose snapshot file had one byte changed (same size), one whose snapshot file grew
 * past its signed size (never read), and a zipped pack; and the workers did answer.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildPack } from '../../electron/core/packs/build.ts';
import { verifyPack } from '../../electron/core/packs/verify.ts';
import { SnapshotFileWork } from '../../electron/core/packs/verify-files.ts';
import { openStore, type Store } from '../../electron/core/store/store.ts';
import { tempDir } from '../harness/cli.ts';
import { fixtureEstate } from './estate.ts';

const FLOOR = 'VAULTPROOF_TEST_VERIFY_OFFLOAD_BYTES';

/** verify's report with every snapshot file on a worker, and with none (the floor above any file). */
async function bothWays(location: string): Promise<{ offloaded: unknown; inThread: unknown; answered: number }> {
  const hash = SnapshotFileWork.prototype.hash;
  let answered = 0;
  SnapshotFileWork.prototype.hash = async function (this: SnapshotFileWork, file: string) {
    const v = await hash.call(this, file);
    if (v) answered++;
    return v;
  };
  try {
    process.env[FLOOR] = '0';
    const offloaded = await verifyPack(location);
    process.env[FLOOR] = String(2 ** 40);
    const inThread = await verifyPack(location);
    return { offloaded, inThread, answered };
  } finally {
    SnapshotFileWork.prototype.hash = hash;
    delete process.env[FLOOR];
  }
}

describe('verify with snapshot files on workers', () => {
  let dir: string;
  let store: Store;
  let pack: string;
  let snapFiles: string[];

  before(async () => {
    dir = tempDir('vp-verify-offload-');
    store = openStore(path.join(dir, 'store', 'vaultproof.db'));
    const estate = fixtureEstate(store);
    pack = path.join(dir, 'pack');
    const env = { now: new Date('2025-11-01T09:00:00Z'), user: 'tester', toolVersion: '0.0.0-test' };
    await buildPack(store, { snapshot: estate.current.id, compare: estate.baseline.id, out: pack, signer: { kind: 'local', identity: 'offload', commonName: 'Offload Tester' }, passphrase: 'offload passphrase' }, env);
    await buildPack(store, { snapshot: estate.current.id, compare: estate.baseline.id, out: `${pack}.zip`, zip: true, signer: { kind: 'local', identity: 'offload' }, passphrase: 'offload passphrase' }, env);
    snapFiles = [estate.current.id, estate.baseline.id].map((id) => `data/snapshot-${id}.json`);
  });
  after(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('an intact pack, folder and zip: the same report, intact, with both files answered by workers', async () => {
    for (const where of [pack, `${pack}.zip`]) {
      const r = await bothWays(where);
      assert.deepEqual(r.offloaded, r.inThread);
      assert.deepEqual((r.offloaded as { failures: unknown[] }).failures, []);
      assert.equal((r.offloaded as { snapshots: Array<{ ok: boolean }> }).snapshots.filter((s) => s.ok).length, 2);
      assert.equal(r.answered, 2, where);
    }
  });

  test('one byte of a snapshot file changed: the same failures, naming that file', async () => {
    const copy = path.join(dir, 'tampered');
    fs.cpSync(pack, copy, { recursive: true });
    const file = path.join(copy, ...snapFiles[1]!.split('/'));
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace('"Protected"', '"Protectex"'));
    assert.equal(fs.statSync(file).size, Buffer.byteLength(text));
    const r = await bothWays(copy);
    assert.deepEqual(r.offloaded, r.inThread);
    const failures = (r.offloaded as { failures: Array<{ file: string; reason: string }> }).failures;
    assert.deepEqual(failures.map((f) => f.file), [snapFiles[1], snapFiles[1]]);
    assert.match(failures[0]!.reason, /^tampered: SHA-256 [0-9a-f]{64} differs from the manifest's/);
    assert.match(failures[1]!.reason, /^tampered: recomputed content hash [0-9a-f]{64} differs from the recorded [0-9a-f]{64}$/);
  });

  test('a snapshot file grown past its signed size is refused unread, by verify itself', async () => {
    const copy = path.join(dir, 'grown');
    fs.cpSync(pack, copy, { recursive: true });
    fs.appendFileSync(path.join(copy, ...snapFiles[0]!.split('/')), ' ');
    const r = await bothWays(copy);
    assert.deepEqual(r.offloaded, r.inThread);
    assert.equal(r.answered, 1, 'only the other file went to a worker');
    assert.match((r.offloaded as { failures: Array<{ file: string; reason: string }> }).failures[0]!.reason, /^tampered: \d+ bytes where the manifest says \d+ \(not read\)$/);
  });
});
