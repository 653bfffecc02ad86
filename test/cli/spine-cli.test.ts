import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { cli, cliProcess, fixtures, tempDir } from '../harness/cli.ts';
import { editItemTexts } from '../hardening/helpers.ts';

const env = { VAULTPROOF_NOW: '2026-11-24T10:00:00Z', VAULTPROOF_USER: 'auditor1' };
const f = (n: string) => path.join(fixtures, 'import', n);

async function twoSnapshots() {
  const store = path.join(tempDir(), 's.db');
  const a = JSON.parse((await cli(['import', f('arm-items-iaasvm.json'), '--store', store, '--json', '--label', 'October', '--as-of', '2026-10-01T00:00:00Z'], env)).stdout) as { snapshotId: string };
  const b = JSON.parse((await cli(['import', f('arm-items-afs-softdeleted.json'), f('arm-vault.json'), '--store', store, '--json', '--label', 'November', '--as-of', '2026-11-01T00:00:00Z'], { ...env, VAULTPROOF_NOW: '2026-11-24T11:00:00Z' })).stdout) as { snapshotId: string };
  return { store, a: a.snapshotId, b: b.snapshotId };
}

describe('vaultproof CLI (spine)', () => {
  it('snapshots --json lists id, label, times, source, item count, hash and completeness', async () => {
    const { store, a, b } = await twoSnapshots();
    const r = await cli(['snapshots', '--store', store, '--json'], env);
    assert.equal(r.code, 0);
    const list = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    assert.deepEqual(list.map((s) => s.id), [a, b]);
    assert.deepEqual(Object.keys(list[0]!).sort(), ['asOf', 'complete', 'completeness', 'contentHash', 'createdAt', 'id', 'itemCount', 'label', 'source'].sort());
    assert.equal(list[0]!.label, 'October');
    assert.equal(list[0]!.asOf, '2026-10-01T00:00:00.000Z');
    assert.equal(list[0]!.source, 'import');
    assert.equal(list[0]!.itemCount, 3);
    assert.equal(list[0]!.complete, true);
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'UUIDv7');
  });

  it('accepts a unique prefix and `latest`, and refuses unknown or ambiguous references', async () => {
    const { store, a, b } = await twoSnapshots();
    const byPrefix = JSON.parse((await cli(['items', a.slice(0, 13), '--store', store, '--json'], env)).stdout) as unknown[];
    assert.equal(byPrefix.length, 3);
    const latest = JSON.parse((await cli(['items', 'latest', '--store', store, '--json'], env)).stdout) as Array<{ vaultName: string }>;
    assert.equal(latest.length, 3);
    assert.ok(latest.every((i) => i.vaultName === 'afsbvtcrrlonghaulvaultne'), `latest is ${b}`);
    const unknown = await cli(['items', 'ffffffff', '--store', store], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no snapshot matches "ffffffff"/);
    const ambiguous = await cli(['items', a.slice(0, 4), '--store', store], env);
    assert.equal(ambiguous.code, 1);
    assert.match(ambiguous.stderr, /ambiguous/);
  });

  it('items --json carries the documented fields and --where filters', async () => {
    const { store, b } = await twoSnapshots();
    const all = JSON.parse((await cli(['items', b, '--store', store, '--json'], env)).stdout) as Array<Record<string, unknown>>;
    for (const k of ['key', 'name', 'vaultName', 'subscriptionId', 'resourceGroup', 'workloadType', 'backupManagementType', 'protectionState', 'healthStatus', 'lastBackupStatus', 'lastBackupTime', 'policyName', 'sourceResourceId', 'softDeleted']) {
      assert.ok(k in all[0]!, k);
    }
    const stopped = JSON.parse((await cli(['items', b, '--store', store, '--json', '--where', 'protectionState=ProtectionStopped'], env)).stdout) as Array<{ name: string }>;
    assert.deepEqual(stopped.map((i) => i.name), ['afs1hrtestfs']);
    const bad = await cli(['items', b, '--store', store, '--where', 'colour=blue'], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /FIELD must be one of/);
  });

  it('show prints one item with its raw JSON verbatim', async () => {
    const { store, a } = await twoSnapshots();
    const [first] = JSON.parse((await cli(['items', a, '--store', store, '--json'], env)).stdout) as Array<{ key: string }>;
    const r = await cli(['show', a, first!.key.toUpperCase(), '--store', store, '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const d = JSON.parse(r.stdout) as { item: { key: string }; raw: { id: string; properties: { lastBackupTime: string } } };
    assert.equal(d.item.key, first!.key);
    assert.match(d.raw.properties.lastBackupTime, /\.\d{7}Z$/, 'raw keeps the service 7-digit fraction');
  });

  it('store verify passes on an intact store and names a changed raw JSON, column and normalised record', async () => {
    const { store, a } = await twoSnapshots();
    const ok = await cli(['store', 'verify', '--store', store, '--json'], env);
    assert.equal(ok.code, 0, ok.stdout);
    const db = new Database(store);
    // An attacker with the file can drop the triggers; verify must still notice.
    db.exec('DROP TRIGGER items_no_update');
    const keys = db.prepare('SELECT key FROM items WHERE snapshot_id = ? ORDER BY key').pluck().all(a) as string[];
    assert.ok(editItemTexts(db, a, keys[0]!, (t) => ({ ...t, raw: t.raw.replace('Completed', 'Failed!') })));
    db.prepare("UPDATE items SET protection_state = 'Protected-ish' WHERE snapshot_id = ? AND key = ?").run(a, keys[1]);
    assert.ok(editItemTexts(db, a, keys[2]!, (t) => ({ ...t, data: t.data.replace('"Passed"', '"Fine"') })));
    db.close();
    const r = await cli(['store', 'verify', '--store', store, '--json'], env);
    assert.equal(r.code, 3);
    const res = JSON.parse(r.stdout) as { ok: boolean; snapshots: Array<{ id: string; ok: boolean; problems: string[] }> };
    const bad = res.snapshots.find((s) => s.id === a)!;
    assert.equal(bad.ok, false);
    const text = bad.problems.join('\n');
    assert.match(text, new RegExp(`item ${keys[0]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: raw JSON does not match its SHA-256`));
    assert.match(text, /column protection_state is "Protected-ish"/);
    assert.match(text, new RegExp(`item ${keys[2]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: normalised record does not match its row hash`));
    assert.match(text, /content hash mismatch/);
    assert.equal(res.snapshots.filter((s) => s.ok).length, 1, 'the untouched snapshot still verifies');
  });

  it('exit codes and error shapes: unknown command, bad option, --json error on stderr', async () => {
    const unknown = await cli(['frobnicate'], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
    const badOpt = await cli(['snapshots', '--colour'], env);
    assert.equal(badOpt.code, 1);
    assert.match(badOpt.stderr, /Unknown option '--colour'/);
    const store = path.join(tempDir(), 's.db');
    const err = await cli(['items', 'latest', '--store', store, '--json'], env);
    assert.equal(err.code, 1);
    assert.equal(err.stdout, '');
    const parsed = JSON.parse(err.stderr) as { error: { code: string; message: string } };
    assert.equal(parsed.error.code, 'NOT_FOUND');
    assert.match(parsed.error.message, /no snapshot yet/);
  });

  it('the installed bin runs as a separate process: --help, and VAULTPROOF_STORE picks the store', async () => {
    const help = cliProcess(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /store verify/);
    const dir = tempDir();
    const imp = cliProcess(['import', f('arm-items-iaasvm.json'), '--json', '--as-of', '2026-11-01T00:00:00Z'], { env: { ...env, VAULTPROOF_STORE: path.join(dir, 'env.db') } });
    assert.equal(imp.code, 0, imp.stderr);
    const list = cliProcess(['snapshots', '--json', '--store', path.join(dir, 'env.db')]);
    assert.equal((JSON.parse(list.stdout) as unknown[]).length, 1);
  });
});
