/**
 * The annotation log's limits (issue 14, item 4): what the chain proves by
 * itself, what only a head kept outside the store (a signed pack) proves, and
 * the immutability triggers that `store verify` and `log verify` now demand.
 * The store is forged with raw SQL (better-sqlite3), as someone holding the
 * file would; the rewritten chain is re-hashed with the published entry hash.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import type BetterSqlite3 from 'better-sqlite3';
import { entryHash } from '../../electron/core/annotations/hash.ts';
import { rowToEntry, type LogRow } from '../../electron/core/annotations/repository.ts';
import { expectedTriggers } from '../../electron/core/integrity/triggers.ts';
import { cli, tempDir } from '../harness/cli.ts';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3') as typeof BetterSqlite3;

type Demo = { store: string; pack: string; packId: string; ca: string; count: number; head: string };

const LOG_TRIGGERS = ['annotation_log_no_update', 'annotation_log_no_delete', 'annotation_log_heads_no_update', 'annotation_log_heads_no_delete'];

/** A fresh copy of the demo store and its pack. */
function copyDemo(from: Demo, name: string): Demo {
  const dir = tempDir(`vp-log-${name}-`);
  fs.cpSync(path.dirname(from.store), path.join(dir, 'store'), { recursive: true });
  return { ...from, store: path.join(dir, 'store', path.basename(from.store)) };
}

/** Drops the log's triggers, runs `edit`, and (unless told) recreates them exactly as Vaultproof made them. */
function forge(store: string, edit: (db: BetterSqlite3.Database) => void, recreate = true): void {
  const db = new Database(store);
  try {
    for (const t of LOG_TRIGGERS) db.exec(`DROP TRIGGER ${t}`);
    edit(db);
    if (recreate) for (const t of LOG_TRIGGERS) db.exec(`${expectedTriggers().get(t)!};`);
  } finally {
    db.close();
  }
}

/** Rewrites entry 1's reason and re-hashes the whole chain and the recorded heads: a wholesale rewrite. */
function rewriteWhole(db: BetterSqlite3.Database): void {
  const rows = db.prepare('SELECT * FROM annotation_log ORDER BY seq').all() as LogRow[];
  let prev = '0'.repeat(64);
  const byCount = new Map<number, string>();
  const update = db.prepare('UPDATE annotation_log SET reason = ?, prev_hash = ?, hash = ? WHERE seq = ?');
  for (const r of rows) {
    const e = rowToEntry(r);
    const reason = r.seq === 1 ? 'backdated by someone with the file' : e.reason;
    const { hash: _old, ...rest } = { ...e, reason, prevHash: prev };
    const hash = entryHash(rest);
    update.run(reason, prev, hash, r.seq);
    byCount.set(r.seq, hash);
    prev = hash;
  }
  for (const h of db.prepare('SELECT pack_id, count FROM annotation_log_heads').all() as Array<{ pack_id: string; count: number }>) {
    db.prepare('UPDATE annotation_log_heads SET hash = ? WHERE pack_id = ?').run(byCount.get(h.count), h.pack_id);
  }
}

describe('annotation log: what the chain proves alone, and with a pack', () => {
  let demo: Demo;
  const logVerify = async (d: Demo, extra: string[] = []) => {
    const r = await cli(['log', 'verify', '--store', d.store, '--json', ...extra]);
    return { code: r.code, res: JSON.parse(r.stdout) as { ok: boolean; firstBad?: { seq: number; reason: string }; problems: Array<{ seq: number; reason: string }>; against?: { ok: boolean; count: number; head: string } } };
  };
  const storeVerify = async (d: Demo) => {
    const r = await cli(['store', 'verify', '--store', d.store, '--json']);
    return { code: r.code, res: JSON.parse(r.stdout) as { ok: boolean; problems: string[] } };
  };

  before(async () => {
    const out = path.join(tempDir('vp-log-demo-'), 'demo');
    const r = await cli(['demo', '--out', out, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const d = JSON.parse(r.stdout) as { storePath: string; pack: { path: string; packId: string; annotationLog: { count: number; head: string } }; trustAnchor: string };
    demo = { store: d.storePath, pack: d.pack.path, packId: d.pack.packId, ca: d.trustAnchor, count: d.pack.annotationLog.count, head: d.pack.annotationLog.head };
    assert.ok(demo.count > 5, 'the demo records a log of several entries');
  });

  test('an untouched store holds the head its pack recorded', async () => {
    const { code, res } = await logVerify(demo, ['--against', demo.pack, '--trust', demo.ca]);
    assert.equal(code, 0, JSON.stringify(res));
    assert.deepEqual(res.against && { ok: res.against.ok, count: res.against.count, head: res.against.head }, { ok: true, count: demo.count, head: demo.head });
  });

  test('a log rewritten whole, triggers dropped and recreated, passes the chain alone but not against the pack', async () => {
    const d = copyDemo(demo, 'rewrite');
    forge(d.store, rewriteWhole);
    // The limit, stated in the README: a consistent rewrite chains perfectly.
    assert.equal((await logVerify(d)).code, 0);
    assert.equal((await storeVerify(d)).code, 0);
    const { code, res } = await logVerify(d, ['--against', demo.pack]);
    assert.equal(code, 3);
    assert.equal(res.firstBad!.seq, demo.count);
    assert.match(res.firstBad!.reason, new RegExp(`^entry ${demo.count} is not the entry pack ${demo.packId} recorded \\(store: [0-9a-f]{64}, pack: ${demo.head}\\), yet the store's chain is whole: the log was rewritten at or before entry ${demo.count}`));
  });

  test('the tail cut below the pack head, the store heads deleted too, is named against the pack', async () => {
    const d = copyDemo(demo, 'cut');
    forge(d.store, (db) => {
      db.prepare('DELETE FROM annotation_log WHERE seq > ?').run(demo.count - 3);
      db.prepare('DELETE FROM annotation_values WHERE seq > ?').run(demo.count - 3);
      db.prepare('DELETE FROM annotation_log_heads').run();
    });
    const { code, res } = await logVerify(d, ['--against', demo.pack]);
    assert.equal(code, 3);
    assert.deepEqual(res.firstBad, { seq: demo.count - 2, reason: `the log ends at entry ${demo.count - 3}, but pack ${demo.packId} recorded ${demo.count} entries (head ${demo.head}): entries ${demo.count - 2}..${demo.count} are gone` });
  });

  test('an edit in the middle is caught by the chain alone', async () => {
    const d = copyDemo(demo, 'middle');
    forge(d.store, (db) => db.prepare("UPDATE annotation_log SET reason = 'edited' WHERE seq = 2").run());
    const { code, res } = await logVerify(d);
    assert.equal(code, 3);
    assert.deepEqual(res.firstBad, { seq: 2, reason: 'entry 2 was altered: its content no longer matches its hash' });
  });

  test('missing immutability triggers fail store verify and log verify (was: a warning, exit 0)', async () => {
    const d = copyDemo(demo, 'no-triggers');
    forge(d.store, () => {}, false);
    const log = await logVerify(d);
    assert.equal(log.code, 3);
    assert.deepEqual(log.res.firstBad, { seq: 0, reason: 'trigger annotation_log_no_update is missing: the store was altered outside Vaultproof, and the rows it guards could have been rewritten' });
    assert.equal(log.res.problems.length, 4);
    const store = await storeVerify(d);
    assert.equal(store.code, 3);
    assert.deepEqual(store.res.problems, LOG_TRIGGERS.map((t) => `trigger ${t} is missing: the store was altered outside Vaultproof, and the rows it guards could have been rewritten`));
  });

  test('a trigger recreated as a no-op, or a snapshot trigger dropped, fails too', async () => {
    const d = copyDemo(demo, 'noop-trigger');
    const db = new Database(d.store);
    db.exec('DROP TRIGGER annotation_log_no_delete; CREATE TRIGGER annotation_log_no_delete BEFORE DELETE ON annotation_log BEGIN SELECT 1; END;');
    db.exec('DROP TRIGGER items_no_update');
    db.close();
    const log = await logVerify(d);
    assert.equal(log.code, 3);
    assert.deepEqual(log.res.firstBad, { seq: 0, reason: 'trigger annotation_log_no_delete differs from the one Vaultproof created: the store was altered outside Vaultproof' });
    const store = await storeVerify(d);
    assert.equal(store.code, 3);
    // In the order the migrations leave the triggers: 008 recreates items_no_update after 002's annotation triggers.
    assert.deepEqual(store.res.problems, [
      'trigger annotation_log_no_delete differs from the one Vaultproof created: the store was altered outside Vaultproof',
      'trigger items_no_update is missing: the store was altered outside Vaultproof, and the rows it guards could have been rewritten',
    ]);
  });

  test('a pack that does not verify cannot vouch for a head', async () => {
    const d = copyDemo(demo, 'bad-pack');
    const pack = path.join(tempDir('vp-log-pack-'), 'pack');
    fs.cpSync(demo.pack, pack, { recursive: true });
    const f = path.join(pack, 'data', 'annotations.json');
    fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('"owner": "Ben Okafor"', '"owner": "Ben Okafox"'));
    const { code, res } = await logVerify(d, ['--against', pack]);
    assert.equal(code, 3);
    assert.match(res.firstBad!.reason, /^the pack .* does not verify \(data\/annotations\.json: tampered: SHA-256 [0-9a-f]+ differs/);
    const otherCa = path.join(tempDir('vp-log-ca-'), 'other-ca.pem');
    fs.copyFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'packs-v1', 'demo-ca.pem'), otherCa);
    const untrusted = await logVerify(d, ['--against', demo.pack, '--trust', otherCa]);
    assert.equal(untrusted.code, 3, 'a pack whose signer does not chain to the given anchor vouches for nothing');
    assert.match(untrusted.res.firstBad!.reason, /does not verify \(a signer does not chain to a --trust anchor\)/);
  });
});
