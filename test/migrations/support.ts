/**
 * What the migration tests share: private temporary store paths, removed
 * after the file's tests, and the snapshot metadata a test writer commits.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { migrations } from '../../electron/core/store/migrations/index.ts';
import { openStore, type Store } from '../../electron/core/store/store.ts';
import { normaliseResource } from '../../shared/domain/normalise/index.ts';
import { estateItems } from '../harness/estate.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A new store path in its own temporary folder (the folder also takes backups/ and the WAL). */
export function tempStorePath(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return path.join(dir, 'vaultproof.db');
}

/** A snapshot's metadata as an import on 2026-11-21 of an estate as of 2026-11-20 08:00 records it. */
export const testSnapshotMeta = {
  label: null, createdAt: '2026-11-21T00:00:00.000Z', asOf: '2026-11-20T08:00:00.000Z', source: 'import' as const, complete: true,
  provenance: { toolVersion: 'test', source: 'import' as const, user: 't', createdAt: '2026-11-21T00:00:00.000Z', asOfSource: 'option' as const, tenants: [], subscriptions: [] },
  coverage: [],
};

/** Writes one snapshot of raw ARM resources (normalised as an import does) through the store's own writer; returns its id. */
export function writeRawSnapshot(store: Store, raws: Array<Record<string, unknown>>): string {
  const w = store.snapshots.begin(Date.parse('2026-11-21T00:00:00Z'));
  for (const raw of raws) {
    const rec = normaliseResource(raw);
    if (rec) w.add(rec);
  }
  return w.commit(testSnapshotMeta).id;
}

/**
 * A store left by the version before migration 011 (migrations up to 010) at
 * this path: two snapshots of 1,500 and 1,000 estate items (2,500 item rows),
 * written by that version's writer. Opening it runs 011, a migration that works
 * row by row.
 */
export function writeStore010(storePath: string): void {
  const old = openStore(storePath, { migrations: migrations.filter((m) => m.id <= 10) });
  try {
    const items = (n: number, seed: number) => [...estateItems({ items: n, subscriptions: 2, vaultsPerSubscription: 2, seed, asOf: '2026-11-20T08:00:00Z' })] as Array<Record<string, unknown>>;
    writeRawSnapshot(old, items(1500, 1));
    writeRawSnapshot(old, items(1000, 2));
    const rows = old.db.prepare('SELECT count(*) FROM items').pluck(true).get();
    if (rows !== 2500) throw new Error(`the 010 store holds ${String(rows)} item rows, not 2,500`);
    old.db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    old.close();
  }
}
