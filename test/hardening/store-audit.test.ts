/**
 * `vaultproof store verify` as an auditor runs it on a store someone may
 * have edited with raw SQL (dropping the triggers first): each kind of
 * change is named — an item's raw JSON, a normalised column, an annotation
 * log entry — and an untouched store says nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { cli, editItemTexts, env, seededStore } from './helpers.ts';

type VerifyJson = { ok: boolean; snapshots: Array<{ id: string; ok: boolean; problems: string[] }>; problems: string[] };

async function verify(store: string): Promise<{ code: number; res: VerifyJson; text: string }> {
  const r = await cli(['store', 'verify', '--store', store, '--json'], env);
  const text = await cli(['store', 'verify', '--store', store], env);
  return { code: r.code, res: JSON.parse(r.stdout) as VerifyJson, text: text.stdout };
}

describe('store verify names what was changed behind Vaultproof’s back', () => {
  it('one raw JSON, one normalised column and one annotation log entry, in one run', async () => {
    const s = await seededStore('vp-audit-');
    for (const [opt, value] of [['--team', 'Ops'], ['--cost-centre', 'CC-1']] as const) {
      const r = await cli(['annotate', s.itemKey, opt, value, '--reason', 'audit', '--store', s.store, '--json'], env);
      assert.equal(r.code, 0, r.stderr);
    }
    const clean = await verify(s.store);
    assert.equal(clean.code, 0, clean.text);
    assert.deepEqual(clean.res.problems, []);

    const db = new Database(s.store);
    db.exec('DROP TRIGGER items_no_update; DROP TRIGGER annotation_log_no_update;');
    const keys = db.prepare('SELECT key FROM items WHERE snapshot_id = ? ORDER BY key').pluck().all(s.snapshotId) as string[];
    const rawKey = keys.find((k) => k !== s.itemKey)!;
    const columnKey = keys.find((k) => k !== s.itemKey && k !== rawKey)!;
    // The raw text is kept byte-exact as the export had it (spacing included), so
    // the edit goes where any export has it: the "properties" key.
    let edited = false;
    assert.ok(editItemTexts(db, s.snapshotId, rawKey, (t) => {
      const raw = t.raw.replace('"properties"', '"edited":true,"properties"');
      edited = raw !== t.raw;
      return { ...t, raw };
    }));
    assert.ok(edited, 'the raw JSON was really edited');
    db.prepare("UPDATE items SET last_backup_status = 'Completed (edited)' WHERE snapshot_id = ? AND key = ?").run(s.snapshotId, columnKey);
    // Entry 2 set team "Ops"; make it say "Platform".
    assert.equal(db.prepare("UPDATE annotation_log SET new_value = '\"Platform\"' WHERE seq = 2").run().changes, 1);
    db.close();

    const bad = await verify(s.store);
    assert.equal(bad.code, 3, 'verification failed: exit 3');
    assert.equal(bad.res.ok, false);
    const snap = bad.res.snapshots.find((x) => x.id === s.snapshotId)!;
    assert.ok(snap.problems.includes(`item ${rawKey}: raw JSON does not match its SHA-256 (raw JSON changed)`), snap.problems.join('\n'));
    assert.ok(snap.problems.includes(`item ${columnKey}: column last_backup_status is "Completed (edited)" but the normalised record says "Completed"`), snap.problems.join('\n'));
    assert.ok(bad.res.problems.includes('annotation log: entry 2: entry 2 was altered: its content no longer matches its hash'), bad.res.problems.join('\n'));
    // The human output names all three too.
    assert.match(bad.text, new RegExp(`raw JSON does not match its SHA-256`));
    assert.match(bad.text, /column last_backup_status is "Completed \(edited\)"/);
    assert.match(bad.text, /PROBLEM {2}annotation log: entry 2: entry 2 was altered/);
    assert.match(bad.text, /store verification FAILED\n$/);
  });

  it('a log entry deleted from the middle, and a current value changed outside the log', async () => {
    const s = await seededStore('vp-audit-');
    for (const team of ['Ops', 'Web', 'Data']) {
      const r = await cli(['annotate', s.itemKey, '--team', team, '--reason', 'audit', '--store', s.store, '--json'], env);
      assert.equal(r.code, 0, r.stderr);
    }
    const db = new Database(s.store);
    db.exec('DROP TRIGGER annotation_log_no_delete;');
    db.prepare('DELETE FROM annotation_log WHERE seq = 3').run();
    db.close();
    const gap = await verify(s.store);
    assert.equal(gap.code, 3);
    assert.ok(gap.res.problems.includes('annotation log: entry 3: entry 3 is missing from the log (deleted); the chain continues at entry 4'), gap.res.problems.join('\n'));

    const t = await seededStore('vp-audit-');
    const db2 = new Database(t.store);
    db2.prepare("UPDATE annotation_values SET value = '\"Mallory\"' WHERE field = 'owner'").run();
    db2.close();
    const edited = await verify(t.store);
    assert.equal(edited.code, 3);
    assert.ok(
      edited.res.problems.includes(`annotation log: entry 1: current value of owner on item:${t.itemKey} does not match log entry 1 (changed outside the log)`),
      edited.res.problems.join('\n'),
    );
  });
});
