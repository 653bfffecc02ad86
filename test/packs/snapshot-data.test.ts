/**
 * data/snapshot-<id>.json: verify recomputes the snapshot's content hash from
 * the file alone, the way the store computes it.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { checkSnapshotStream, writeSnapshotFile } from '../../electron/core/packs/write/snapshot-data.ts';
import { computeContentHash } from '../../electron/core/store/content-hash.ts';
import { openStore, type Store } from '../../electron/core/store/store.ts';
import type { SnapshotSummary } from '../../shared/domain/types.ts';
import { tempDir } from '../harness/cli.ts';
import { editItemTexts } from '../hardening/helpers.ts';
import { CJK_NAME, makeItem, syntheticItems, writeSnapshot } from './estate.ts';

async function check(file: string): ReturnType<typeof checkSnapshotStream> {
  return checkSnapshotStream(fs.createReadStream(file));
}

function rewrite(file: string, to: string, change: (lines: string[]) => string[]): string {
  fs.writeFileSync(to, change(fs.readFileSync(file, 'utf8').split('\n')).join('\n'));
  return to;
}

describe('snapshot data file', () => {
  let dir: string;
  let store: Store;
  let snap: SnapshotSummary;
  let file: string;

  before(() => {
    dir = tempDir('vp-snapdata-');
    store = openStore(path.join(dir, 'vp.db'));
    snap = writeSnapshot(store, [makeItem('vm-a'), makeItem('vm-b', { name: CJK_NAME, tags: { 'cost centre': 'CC-1 "quoted"' } }), ...syntheticItems(20)], { asOf: '2025-10-30T06:00:00.000Z' });
    file = path.join(dir, 'snapshot.json');
    writeSnapshotFile(store, store.snapshots.detail(snap.id), file);
  });

  test('is valid JSON whose recomputed hash equals the store’s content hash', async () => {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { header: { contentHash: string; itemCount: number }; records: Array<{ type: string }> };
    assert.equal(parsed.header.contentHash, snap.contentHash);
    assert.equal(parsed.records.filter((r) => r.type === 'item').length, 22);
    // 22 items and the vaults they live in: vault-prod plus vault-00 … vault-11.
    assert.equal(parsed.records.filter((r) => r.type === 'vault').length, 13);
    const r = await check(file);
    assert.equal(r.ok, true, r.problem ?? '');
    assert.equal(r.contentHash, snap.contentHash);
    assert.equal(r.contentHash, computeContentHash(store.db, snap.id));
    assert.equal(r.records, 35);
  });

  test('a changed normalised value changes the recomputed hash', async () => {
    const f = rewrite(file, path.join(dir, 'changed.json'), (lines) => {
      const i = lines.findIndex((l) => l.includes('"name":"vm-a"'));
      lines[i] = lines[i]!.replace('"protectionState":"Protected"', '"protectionState":"ProtectionStopped"');
      return lines;
    });
    const r = await check(f);
    assert.equal(r.ok, false);
    assert.match(r.problem ?? '', /recomputed content hash [0-9a-f]{64} differs from the recorded/);
  });

  test('a changed raw JSON no longer matches its rawSha256', async () => {
    const f = rewrite(file, path.join(dir, 'raw.json'), (lines) => {
      const i = lines.findIndex((l) => l.includes('"name":"vm-a"'));
      // Canonical form 2 carries the raw JSON as a string: its quotes are escaped.
      lines[i] = lines[i]!.replace('\\"friendlyName\\":\\"vm-a\\"', '\\"friendlyName\\":\\"vm-z\\"');
      return lines;
    });
    assert.match((await check(f)).problem ?? '', /raw JSON of item .*vm-a does not match its rawSha256/);
  });

  test('records out of order, a truncated file and a foreign file are refused', async () => {
    const swapped = rewrite(file, path.join(dir, 'swapped.json'), (lines) => {
      const a = lines[1]!;
      lines[1] = lines[2]!;
      lines[2] = a;
      return lines;
    });
    assert.match((await check(swapped)).problem ?? '', /out of order/);
    const cut = rewrite(file, path.join(dir, 'cut.json'), (lines) => lines.slice(0, 10));
    assert.match((await check(cut)).problem ?? '', /truncated/);
    const other = path.join(dir, 'other.json');
    fs.writeFileSync(other, '{"value":[]}\n');
    assert.match((await check(other)).problem ?? '', /not a Vaultproof snapshot file/);
  });

  test('a store altered behind the content hash is refused and no file is left', () => {
    store.db.exec('DROP TRIGGER items_no_update');
    const key = store.db.prepare("SELECT key FROM items WHERE snapshot_id = ? AND name = 'vm-a'").pluck().get(snap.id) as string;
    assert.ok(editItemTexts(store.db, snap.id, key, (t) => ({ ...t, data: t.data.replace('"Protected"', '"IRPending"') })));
    const out = path.join(dir, 'from-altered-store.json');
    assert.throws(() => writeSnapshotFile(store, store.snapshots.detail(snap.id), out), /no longer matches its recorded content hash/);
    assert.equal(fs.existsSync(out), false);
  });
});
