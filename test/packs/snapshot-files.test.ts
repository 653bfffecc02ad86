/**
 * A pack's snapshot files are written on a worker thread beside the rest of
 * the build (electron/core/packs/write/snapshot-files.ts). Checked here: the
 * files a pack holds are byte for byte what writeSnapshotFile writes on the
 * build's own thread and the manifest's figures are those bytes' SHA-256 and
 * size; a store altered behind a content hash still stops the build with the
 * refusal writeSnapshotFile gives, leaving nothing; a cancelled build leaves
 * nothing, and nothing appears after it.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildPack } from '../../electron/core/packs/build.ts';
import { writeSnapshotFile } from '../../electron/core/packs/write/snapshot-data.ts';
import { SnapshotFiles } from '../../electron/core/packs/write/snapshot-files.ts';
import { openStore, type Store } from '../../electron/core/store/store.ts';
import type { SnapshotSummary } from '../../shared/domain/types.ts';
import { tempDir } from '../harness/cli.ts';
import { editItemTexts } from '../hardening/helpers.ts';
import { fixtureEstate } from './estate.ts';

const env = { now: new Date('2025-11-01T09:00:00Z'), user: 'tester', toolVersion: '0.0.0-test' };
const signer = { kind: 'local' as const, identity: 'snapfiles', commonName: 'Snapshot Files Tester' };
const PASS = 'snapshot-files passphrase';

type ManifestFile = { path: string; sha256: string; size: number };

describe('pack snapshot files on their own thread', () => {
  let dir: string;
  let store: Store;
  let estate: { baseline: SnapshotSummary; current: SnapshotSummary };

  // Every build here must write its snapshot files on the worker (a silent fall-back to the build's thread would pass the rest).
  const start = SnapshotFiles.start.bind(SnapshotFiles);
  let onWorker = 0;
  SnapshotFiles.start = (...a: Parameters<typeof start>) => {
    const started = start(...a);
    if (started) onWorker++;
    return started;
  };
  after(() => {
    SnapshotFiles.start = start;
    assert.equal(onWorker, 3, 'each of the three builds wrote its snapshot files on the worker');
  });

  before(() => {
    dir = tempDir('vp-snapfiles-');
    store = openStore(path.join(dir, 'store', 'vaultproof.db'));
    estate = fixtureEstate(store);
  });
  after(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** What is left in a folder besides the given names (a staging folder or zip would show here). */
  const leftovers = (parent: string, keep: string[] = []): string[] => fs.readdirSync(parent).filter((n) => !keep.includes(n));

  test('the files are what the build thread would write, and the manifest states their bytes', async () => {
    const out = path.join(dir, 'packs', 'pack');
    const r = await buildPack(store, { snapshot: estate.current.id, compare: estate.baseline.id, out, signer, passphrase: PASS }, env);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { files: ManifestFile[] };
    for (const s of [estate.current, estate.baseline]) {
      const rel = `data/snapshot-${s.id}.json`;
      const inThread = path.join(dir, `in-thread-${s.id}.json`);
      writeSnapshotFile(store, store.snapshots.detail(s.id), inThread);
      const bytes = fs.readFileSync(path.join(out, ...rel.split('/')));
      assert.ok(bytes.equals(fs.readFileSync(inThread)), `${rel} equals the build thread's`);
      const stated = manifest.files.find((f) => f.path === rel);
      assert.deepEqual(stated, { path: rel, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length });
      assert.deepEqual(r.files.find((f) => f.path === rel), stated);
      assert.equal((fs.statSync(path.join(out, ...rel.split('/'))).mode & 0o777).toString(8), '600');
    }
    assert.deepEqual(leftovers(path.dirname(out)), ['pack']);
  });

  test('a cancelled build leaves nothing, and nothing appears after it', async () => {
    const parent = path.join(dir, 'cancelled');
    const ac = new AbortController();
    const build = buildPack(store, { snapshot: estate.current.id, compare: estate.baseline.id, out: path.join(parent, 'pack'), signer, passphrase: PASS }, {
      ...env,
      signal: ac.signal,
      onProgress: (e) => {
        if (e.phase === 'analyse') ac.abort();
      },
    });
    await assert.rejects(build, /cancelled/);
    assert.deepEqual(leftovers(parent), []);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(leftovers(parent), [], 'the worker wrote nothing after the build ended');
  });

  test('a store altered behind a content hash stops the build with writeSnapshotFile’s refusal, and leaves nothing', async () => {
    store.db.exec('DROP TRIGGER items_no_update');
    const key = store.db.prepare('SELECT key FROM items WHERE snapshot_id = ? ORDER BY key LIMIT 1').pluck().get(estate.baseline.id) as string;
    assert.ok(editItemTexts(store.db, estate.baseline.id, key, (t) => ({ ...t, data: t.data.replace('"Protected"', '"IRPending"') })));
    const parent = path.join(dir, 'altered');
    await assert.rejects(
      buildPack(store, { snapshot: estate.current.id, compare: estate.baseline.id, out: path.join(parent, 'pack'), signer, passphrase: PASS }, env),
      (e: Error & { code?: string }) => e.code === 'VERIFY_FAILED' && e.message.includes(`snapshot ${estate.baseline.id} in the store no longer matches its recorded content hash`),
    );
    assert.deepEqual(leftovers(parent), []);
  });
});
