/**
 * Shared by the hardening tests: a store that already holds a snapshot and an
 * annotation (so "nothing lost" is a real claim), and the checks every fault
 * ends with — SQLite integrity, `store verify`, `log verify`, no partial snapshot.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { cli, fixtures, storeState, tempDir } from '../harness/cli.ts';
import { packItemBody, unpackItemBody } from '../../electron/core/store/item-body.ts';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3') as typeof BetterSqlite3;

export const env = { VAULTPROOF_NOW: '2026-11-24T10:00:00Z', VAULTPROOF_USER: 'auditor1' };
export const goodExport = path.join(fixtures, 'import', 'arm-items-iaasvm.json');
export const badFixtures = path.join(fixtures, 'bad');

export type ErrorJson = { code: string; message: string; file?: string; line?: number; column?: number };

/** The `{error}` a `--json` command printed on stderr (its last line). */
export function errorOf(stderr: string): ErrorJson {
  const last = stderr.trim().split('\n').pop() ?? '';
  try {
    return (JSON.parse(last) as { error: ErrorJson }).error;
  } catch {
    throw new Error(`no JSON error on stderr: ${stderr.slice(0, 2000)}`);
  }
}

export type Seeded = { dir: string; store: string; snapshotId: string; itemKey: string };

/** A store with one imported snapshot (3 VMs) and one annotation log entry. */
export async function seededStore(prefix = 'vp-hard-'): Promise<Seeded> {
  const dir = tempDir(prefix);
  const store = path.join(dir, 'store.db');
  const imp = await cli(['import', goodExport, '--store', store, '--json', '--label', 'seed', '--as-of', '2026-11-01T00:00:00Z'], env);
  assert.equal(imp.code, 0, imp.stderr);
  const snapshotId = (JSON.parse(imp.stdout) as { snapshotId: string }).snapshotId;
  const items = JSON.parse((await cli(['items', snapshotId, '--store', store, '--json'], env)).stdout) as Array<{ key: string }>;
  const itemKey = items[0]!.key;
  const ann = await cli(['annotate', itemKey, '--owner', 'Bob Builder', '--reason', 'seed', '--store', store, '--json'], env);
  assert.equal(ann.code, 0, ann.stderr);
  return { dir, store, snapshotId, itemKey };
}

/** PRAGMA integrity_check on a fresh connection (recovers a hot WAL like the app would). */
export function integrity(storePath: string): string {
  const db = new Database(storePath, { fileMustExist: true });
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

export function query<T>(storePath: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(storePath, { fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Items or records whose snapshot row does not exist: a partial snapshot. */
export function orphanRows(storePath: string): number {
  const [r] = query<{ n: number }>(
    storePath,
    `SELECT (SELECT COUNT(*) FROM items WHERE snapshot_id NOT IN (SELECT id FROM snapshots))
          + (SELECT COUNT(*) FROM records WHERE snapshot_id NOT IN (SELECT id FROM snapshots)) AS n`,
  );
  return r!.n;
}

export function snapshotIds(storePath: string): string[] {
  return query<{ id: string }>(storePath, 'SELECT id FROM snapshots ORDER BY created_at, id').map((r) => r.id);
}

/**
 * What must hold after any fault: SQLite says the file is sound, every
 * snapshot recomputes to its content hash with all its items (so none is
 * partial), the annotation log's chain holds, and no row lacks its snapshot.
 */
export async function assertStoreSound(storePath: string, expected: { snapshots?: string[]; logEntries?: number } = {}): Promise<void> {
  assert.equal(integrity(storePath), 'ok', 'PRAGMA integrity_check');
  const v = await cli(['store', 'verify', '--store', storePath, '--json'], env);
  assert.equal(v.code, 0, `store verify: ${v.stdout}${v.stderr}`);
  const res = JSON.parse(v.stdout) as { ok: boolean; snapshots: Array<{ id: string; ok: boolean }> };
  assert.equal(res.ok, true);
  const log = await cli(['log', 'verify', '--store', storePath, '--json'], env);
  assert.equal(log.code, 0, `log verify: ${log.stdout}${log.stderr}`);
  const logRes = JSON.parse(log.stdout) as { ok: boolean; count: number };
  assert.equal(logRes.ok, true);
  assert.equal(orphanRows(storePath), 0, 'no item or record without its snapshot (no partial snapshot)');
  if (expected.snapshots) assert.deepEqual(res.snapshots.map((s) => s.id).sort(), [...expected.snapshots].sort(), 'exactly the expected snapshots');
  if (expected.logEntries !== undefined) assert.equal(logRes.count, expected.logEntries, 'annotation log entries');
}

/** Runs a command that must fail with a user error; returns its error and checks the store did not change. */
export async function expectUnchanged(storePath: string, run: () => Promise<{ code: number; stdout: string; stderr: string }>, code = 'BAD_INPUT'): Promise<ErrorJson> {
  const before = storeState(storePath);
  const r = await run();
  assert.equal(r.code, code === 'VERIFY_FAILED' ? 3 : 1, `exit code; stdout ${r.stdout.slice(0, 500)} stderr ${r.stderr.slice(0, 2000)}`);
  const err = errorOf(r.stderr);
  assert.equal(err.code, code, err.message);
  assert.equal(storeState(storePath), before, 'the store is exactly as it was');
  return err;
}

/** root ignores file modes; these tests drop to nobody with setpriv. */
export const dropPrivileges = ['/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
export function canDropPrivileges(): boolean {
  return process.getuid?.() === 0 && fs.existsSync(dropPrivileges[0]!);
}

/** A folder under /tmp that nobody (uid 65534) can use. */
export function sharedTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join('/tmp', prefix));
  fs.chmodSync(dir, 0o777);
  return dir;
}

export { cli, storeState, tempDir };

/**
 * Edits an item's stored texts as someone with the file and zlib can (the
 * body format is documented, electron/core/store/item-body.ts): unpacks its
 * body, applies `edit`, packs it again. Triggers must be dropped first.
 * Returns whether a row was changed.
 */
export function editItemTexts(db: BetterSqlite3.Database, snapshotId: string, key: string, edit: (t: { data: string; raw: string }) => { data: string; raw: string }): boolean {
  const body = db.prepare('SELECT body FROM items WHERE snapshot_id = ? AND key = ?').pluck().get(snapshotId, key) as Buffer | undefined;
  if (!body) return false;
  const t = edit(unpackItemBody(body));
  return db.prepare('UPDATE items SET body = ? WHERE snapshot_id = ? AND key = ?').run(packItemBody(t.data, t.raw), snapshotId, key).changes === 1;
}
