/**
 * The content hash the parallel writer's parsing thread works out from the
 * texts it sends (electron/core/store/hash-spool.ts) must be the hash
 * computeContentHash makes from the stored rows: same elements, same order
 * (type, then key in UTF-8 byte order as SQLite's ORDER BY key), whatever
 * order the records arrive in.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalJson, sha256Hex } from '../../electron/core/store/canonical.ts';
import { HashSpool } from '../../electron/core/store/hash-spool.ts';
import { openStore } from '../../electron/core/store/store.ts';
import { computeContentHash } from '../../electron/core/store/content-hash.ts';
import { tempStorePath } from '../migrations/support.ts';

/** Keys whose UTF-16 order and UTF-8 byte order disagree: U+FF5E sorts before U+1F600 by code unit, after it by byte. */
const AWKWARD_KEYS = ['/a/\uff5etilde', '/a/\u{1f600}smile', '/a/plain', '/a/\u00e9', '/a/\ue000private', '/A/upper'];

function records(keys: string[]): Array<{ type: string; key: string; data: unknown; raw: string }> {
  const types = ['job', 'vault', 'policy', 'recoveryPoint'];
  return keys.map((key, i) => ({ type: types[i % types.length]!, key, data: { n: i, key, note: 'é\u2028😀' }, raw: ` {"n": ${i}}\n` }));
}

describe('content hash worked out while preparing (hash spool)', () => {
  it('equals the hash of the stored rows, for records arriving in any order, awkward keys included', () => {
    const store = openStore(tempStorePath('vp-spool-'));
    try {
      const db = store.db;
      fc.assert(
        fc.property(fc.shuffledSubarray([...AWKWARD_KEYS, ...Array.from({ length: 30 }, (_, i) => `/k/${(i * 7919) % 101}`)], { minLength: 1 }), fc.integer(), (keys, seed) => {
          const sid = `s-${(seed >>> 0).toString(16)}-${keys.length}`;
          const spool = new HashSpool();
          db.exec('BEGIN');
          try {
            const ins = db.prepare('INSERT INTO records (snapshot_id, type, key, row_hash, data, raw, raw_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)');
            for (const r of records(keys)) {
              const data = canonicalJson(r.data);
              spool.add(r.type, r.key, data, sha256Hex(r.raw));
              ins.run(sid, r.type, r.key, sha256Hex(data), data, r.raw, sha256Hex(r.raw));
            }
            assert.equal(spool.digest(), computeContentHash(db, sid));
          } finally {
            db.exec('ROLLBACK');
          }
        }),
        { numRuns: 60 },
      );
    } finally {
      store.close();
    }
  });

  it('answers null (the writer then hashes the stored rows) for a text SQLite would not keep as given, and leaves no file behind', () => {
    const before = new Set(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('vaultproof-hash-')));
    const spool = new HashSpool();
    spool.add('job', '/k/1', canonicalJson({ a: 1 }), sha256Hex('{}'));
    spool.add('job', '/k/2', `{"a":"${'\ud800'}"}`, sha256Hex('{}'));
    assert.equal(spool.digest(), null);
    const unknownType = new HashSpool();
    unknownType.add('nonsense', '/k/1', '{}', sha256Hex('{}'));
    assert.equal(unknownType.digest(), null);
    const discarded = new HashSpool();
    discarded.add('job', '/k/1', '{}', sha256Hex('{}'));
    discarded.discard();
    const after = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('vaultproof-hash-') && !before.has(f));
    assert.deepEqual(after, []);
  });
});
