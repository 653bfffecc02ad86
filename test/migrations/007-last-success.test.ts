import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { sha256Hex } from '../../electron/core/store/canonical.ts';
import { computeContentHash } from '../../electron/core/store/content-hash.ts';
import { migrations } from '../../electron/core/store/migrations/index.ts';
import { lastSuccessSql, migration007LastSuccess } from '../../electron/core/store/migrations/007-last-success.ts';
import { openStore } from '../../electron/core/store/store.ts';
import { verifyStore } from '../../electron/core/store/verify.ts';
import { normaliseResource } from '../../shared/domain/normalise/index.ts';
import { lastSuccessfulBackup } from '../../shared/domain/last-success.ts';
import type { BackupItem } from '../../shared/domain/types.ts';
import { estateItems } from '../harness/estate.ts';

function temp(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vp-m007-')), 'vaultproof.db');
}

const upTo7 = { migrations: migrations.filter((m) => m.id <= 7) };

describe('migration 007 (last-success)', () => {
  it('upgrades a store holding items: backup first, content hashes kept, store verify clean, the value read from the indexes alone', () => {
    const p = temp();
    const old = openStore(p, { migrations: migrations.filter((m) => m.id <= 6) });
    let id: string;
    let recorded: string;
    try {
      const w = old.snapshots.begin(Date.parse('2026-11-21T00:00:00Z'));
      for (const raw of estateItems({ items: 400, subscriptions: 2, vaultsPerSubscription: 2, asOf: '2026-11-20T08:00:00Z' })) {
        const rec = normaliseResource(raw);
        if (rec) w.add(rec);
      }
      id = w.commit({
        label: null, createdAt: '2026-11-21T00:00:00.000Z', asOf: '2026-11-20T08:00:00.000Z', source: 'import', complete: true,
        provenance: { toolVersion: 'test', source: 'import', user: 't', createdAt: '2026-11-21T00:00:00.000Z', asOfSource: 'option', tenants: [], subscriptions: [] },
        coverage: [],
      }).id;
      recorded = old.db.prepare('SELECT content_hash FROM snapshots WHERE id = ?').pluck().get(id) as string;
    } finally {
      old.close();
    }
    const store = openStore(p, upTo7);
    try {
      assert.deepEqual(store.migration.applied, [7]);
      assert.ok(store.migration.backupPath && fs.existsSync(store.migration.backupPath), 'a backup was taken before the schema changed');
      assert.deepEqual(store.db.prepare('SELECT name, hash FROM schema_migrations WHERE id = 7').get(), { name: 'last-success', hash: sha256Hex(migration007LastSuccess.sql) });
      assert.equal(computeContentHash(store.db, id), recorded);
      const v = verifyStore(store);
      assert.equal(v.ok, true, JSON.stringify(v.problems.concat(v.snapshots.flatMap((s) => s.problems))));

      // The indexed value of every item is the domain's definition applied to its normalised record.
      const rows = store.db.prepare(`SELECT data, ${lastSuccessSql} AS ls FROM items INDEXED BY items_by_last_success WHERE snapshot_id = ?`).all(id) as Array<{ data: string; ls: string | null }>;
      assert.equal(rows.length, 400);
      let differs = 0;
      for (const r of rows) {
        const it = JSON.parse(r.data) as BackupItem;
        assert.equal(r.ls, lastSuccessfulBackup(it), it.key);
        if (it.lastBackupTime !== null && r.ls !== it.lastBackupTime) differs++;
      }
      // The estate has failed last backups and recovery points after the backup time: the column is not lastBackupTime.
      assert.ok(differs > 0);

      const plan = (sql: string) => (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(id) as Array<{ detail: string }>).map((r) => r.detail).join(' ');
      assert.match(plan(`SELECT COUNT(*) FROM items INDEXED BY items_ui WHERE snapshot_id = ? AND health_status = 'Passed' AND (${lastSuccessSql} IS NULL OR ${lastSuccessSql} < '2026-11-18')`), /COVERING INDEX items_ui/);
      assert.match(plan(`SELECT key FROM items WHERE snapshot_id = ? ORDER BY ${lastSuccessSql}, key LIMIT 100`), /COVERING INDEX items_by_last_success/);
    } finally {
      store.close();
    }
  });
});
