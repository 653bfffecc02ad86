/**
 * parseManifest's and checkSnapshotStream's problems name the place, never the content: a manifest.json
 * that is not JSON (or not a manifest) comes from whoever made the pack, and
 * verify prints the problem to a terminal.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseManifest } from '../../electron/core/packs/write/manifest.ts';

describe('parseManifest', () => {
  it('a manifest.json that is not JSON is said to be so without quoting it', () => {
    const r = parseManifest(Buffer.from('root:SECRET-HASH:19000:0:99999:7:::\n'));
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.match(r.problem, /^not valid JSON \(/);
    assert.doesNotMatch(r.problem, /SECRET|root:/);
  });

  it('JSON that is not a manifest names the field, with (root) for the whole value', () => {
    const r = parseManifest(Buffer.from('[1, 2]'));
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.problem, /^\(root\): /);
    const s = parseManifest(Buffer.from('{"schema": 7}'));
    assert.equal(s.ok, false);
    if (!s.ok) assert.match(s.problem, /^[a-zA-Z]+: /);
  });
});

describe('checkSnapshotStream (data/snapshot-*.json)', () => {
  it("a snapshot file whose header line is not JSON is said to be so without quoting it", async () => {
    const { Readable } = await import('node:stream');
    const { checkSnapshotStream } = await import('../../electron/core/packs/write/snapshot-data.ts');
    const head = '{"header":';
    const r = await checkSnapshotStream(Readable.from([`${head}root:SECRET-HASH:19000,"records":[\n]}\n`]));
    assert.equal(r.ok, false);
    assert.match(r.problem ?? '', /^line 1: /);
    assert.doesNotMatch(r.problem ?? '', /SECRET|root:/);
  });
});
