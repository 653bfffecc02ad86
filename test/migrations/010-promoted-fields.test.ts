/**
 * Migration 010: the normalised fields analysis reads become columns
 * (electron/core/store/migrations/010-promoted-fields.ts), filled by the
 * migration for stored rows and by the writer for new ones, each what
 * `data->>'$.member'` gave; the three indexes that held JSON expressions are
 * rebuilt over the columns. Expected values of the real fixture are worked out
 * by hand from its raw payload (test/fixtures/import/arm-items-iaasvm.json).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { J } from '../../electron/core/analysis/load.ts';
import { itemTextSql } from '../../electron/core/store/item-body.ts';
import { sha256Hex } from '../../electron/core/store/canonical.ts';
import { computeContentHash } from '../../electron/core/store/content-hash.ts';
import { migrations } from '../../electron/core/store/migrations/index.ts';
import { lastSuccessSql, migration010PromotedFields } from '../../electron/core/store/migrations/010-promoted-fields.ts';
import { PROMOTED_FIELDS } from '../../electron/core/store/rows.ts';
import { openStore, type Store } from '../../electron/core/store/store.ts';
import { verifyStore } from '../../electron/core/store/verify.ts';
import { estateItems } from '../harness/estate.ts';
import { tempStorePath, writeRawSnapshot } from './support.ts';

const temp = (): string => tempStorePath('vp-m010-');

const fixture = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'import', 'arm-items-iaasvm.json'), 'utf8')) as { value: Array<Record<string, unknown>> };

/** Raw items with awkward values where the promoted fields come from: tags of every kind, counts, flags, a location. */
function rawItems(): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [...fixture.value];
  let i = 0;
  for (const raw of estateItems({ items: 200, subscriptions: 2, vaultsPerSubscription: 2, asOf: '2026-11-20T08:00:00Z' })) {
    const r = raw as Record<string, unknown>;
    const p = { ...(r.properties as Record<string, unknown>) };
    if (i % 7 === 0) r.tags = { 'Owner "x"': 'é\\ü \u2028 😀', 'cost/centre': '42', empty: '' };
    if (i % 11 === 0) r.location = 'westeurope';
    if (i % 13 === 0) p.recoveryPointCount = i % 2 ? 3 : 1.5;
    if (i % 17 === 0) p.isArchiveEnabled = true;
    out.push({ ...r, properties: p });
    i++;
  }
  return out;
}

const writeSnapshot = writeRawSnapshot;

/** Rows whose promoted columns differ from SQLite's own reading of their JSON. */
function disagreeing(store: Store): number {
  // Since migration 011 the JSON is read from the packed body.
  const data = itemTextSql(store.db).data;
  const cond = PROMOTED_FIELDS.map(([c, m, op]) => `${c} IS NOT ${data}${op}'$.${m}'`).join(' OR ');
  return store.db.prepare(`SELECT COUNT(*) FROM items WHERE ${cond}`).pluck(true).get() as number;
}

const HIAGA = '/subscriptions/38304e13-357e-405e-9e9a-220351dcce8c/resourcegroups/hiagarg/providers/microsoft.recoveryservices/vaults/hiagavault/backupfabrics/azure/protectioncontainers/iaasvmcontainer;iaasvmcontainerv2;hiagarg;hiaga-adhoc-vm/protecteditems/vm;iaasvmcontainerv2;hiagarg;hiaga-adhoc-vm';

function checkHandWorked(store: Store): void {
  const row = store.db.prepare(`SELECT ${PROMOTED_FIELDS.map(([c]) => c).join(', ')} FROM items WHERE key = ?`).get(HIAGA) as Record<string, unknown>;
  // From the raw payload: lastRecoveryPoint 2025-10-27T23:08:47.8335014Z (kept to the millisecond), isArchiveEnabled false,
  // softDeleteRetentionPeriod 0, the vault's DefaultPolicy, no health status, no deferred delete, no tags, no location, no point count.
  assert.deepEqual(row, {
    protected_item_health_status: null,
    never_backed_up: 0,
    last_recovery_point: '2025-10-27T23:08:47.833Z',
    recovery_point_count: null,
    deferred_delete_time: null,
    soft_delete_retention_days: 0,
    policy_id: '/subscriptions/38304e13-357e-405e-9e9a-220351dcce8c/resourceGroups/hiagarg/providers/Microsoft.RecoveryServices/vaults/hiagaVault/backupPolicies/DefaultPolicy',
    tags: '{}',
    archive_enabled: 0,
    location: null,
  });
}

describe('migration 010 (promoted-fields)', () => {
  it('upgrades a store holding items: backup first, columns filled from the JSON, data and content hashes untouched, store verify clean', () => {
    const p = temp();
    const old = openStore(p, { migrations: migrations.filter((m) => m.id <= 9) });
    let id: string;
    let recorded: string;
    let rowsBefore: string;
    try {
      id = writeSnapshot(old, rawItems());
      recorded = computeContentHash(old.db, id);
      rowsBefore = sha256Hex(JSON.stringify(old.db.prepare('SELECT key, data, raw, raw_sha256, row_hash FROM items ORDER BY key').raw(true).all()));
    } finally {
      old.close();
    }
    const store = openStore(p, { migrations: migrations.filter((m) => m.id <= 10) });
    try {
      assert.deepEqual(store.migration.applied, [10]);
      assert.ok(store.migration.backupPath && fs.existsSync(store.migration.backupPath), 'a backup was taken before the schema changed');
      assert.deepEqual(store.db.prepare('SELECT name, hash FROM schema_migrations WHERE id = 10').get(), { name: 'promoted-fields', hash: sha256Hex(migration010PromotedFields.sql) });
      assert.equal(sha256Hex(JSON.stringify(store.db.prepare('SELECT key, data, raw, raw_sha256, row_hash FROM items ORDER BY key').raw(true).all())), rowsBefore);
      assert.equal(computeContentHash(store.db, id), recorded);
      assert.equal(disagreeing(store), 0);
      checkHandWorked(store);
      // The awkward tags arrive as the JSON text `->` gives.
      assert.ok((store.db.prepare(`SELECT COUNT(*) FROM items WHERE tags LIKE '%Owner \\"x\\"%'`).pluck(true).get() as number) > 0);
      const v = verifyStore(store);
      assert.equal(v.ok, true, JSON.stringify(v.problems.concat(v.snapshots.flatMap((s) => s.problems))));
      assert.throws(() => store.db.prepare("UPDATE items SET policy_id = 'x'").run(), /snapshot items are immutable/);

      // No index holds a JSON expression any more; analysis and the grid's last-success sort stay covered.
      const exprIndexes = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'items' AND sql LIKE '%data->%'").pluck(true).all();
      assert.deepEqual(exprIndexes, []);
      const plan = (sql: string) => (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(id) as Array<{ detail: string }>).map((r) => r.detail).join(' ');
      // (Migration 011 later reads these from the clustered table; at 010 the covering index held them.)
      assert.match(plan(`SELECT key, row_hash, name, ${Object.values(J).join(', ')} FROM items INDEXED BY items_analysis WHERE snapshot_id = ? ORDER BY key`), /COVERING INDEX items_analysis/);
      assert.match(plan(`SELECT key, ${lastSuccessSql} FROM items INDEXED BY items_by_last_success WHERE snapshot_id = ? ORDER BY ${lastSuccessSql}, key LIMIT 60`), /COVERING INDEX items_by_last_success/);
      assert.doesNotMatch(plan(`SELECT key, ${lastSuccessSql} FROM items INDEXED BY items_by_last_success WHERE snapshot_id = ? ORDER BY ${lastSuccessSql}, key LIMIT 60`), /TEMP B-TREE/);
    } finally {
      store.close();
    }
  });

  it('a new store: the writer fills the columns as the JSON reads, and store verify names a column that disagrees', () => {
    const store = openStore(temp());
    try {
      writeSnapshot(store, rawItems());
      assert.equal(disagreeing(store), 0);
      checkHandWorked(store);
      assert.equal(verifyStore(store).ok, true);
      const trigger = store.db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'items_no_update'").pluck(true).get() as string;
      store.db.exec(`DROP TRIGGER items_no_update; UPDATE items SET last_recovery_point = '2099-01-01T00:00:00.000Z' WHERE key = '${HIAGA}'; ${trigger};`);
      const tampered = verifyStore(store);
      assert.equal(tampered.ok, false);
      assert.match(tampered.snapshots[0]!.problems.join('\n'), /column last_recovery_point is "2099-01-01T00:00:00.000Z" but the normalised record says "2025-10-27T23:08:47.833Z"/);
    } finally {
      store.close();
    }
  });

  it('random tags, counts, flags and locations: the writer agrees with the JSON for every one', () => {
    const value = fc.record({
      tags: fc.option(fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 8 }), { maxKeys: 4 })),
      location: fc.option(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 })),
      count: fc.option(fc.oneof(fc.integer({ min: 0, max: 1e9 }), fc.double({ min: 0, max: 1e6, noNaN: true }))),
      archive: fc.option(fc.boolean()),
    });
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 8 }), (vals) => {
        const store = openStore(temp());
        try {
          const base = fixture.value[0]!;
          writeSnapshot(store, vals.map((v, i) => ({
            ...base,
            id: `${base.id as string}${i}`,
            ...(v.tags === null ? {} : { tags: v.tags }),
            ...(v.location === null ? {} : { location: v.location }),
            properties: { ...(base.properties as Record<string, unknown>), ...(v.count === null ? {} : { recoveryPointCount: v.count }), ...(v.archive === null ? {} : { isArchiveEnabled: v.archive }) },
          })));
          assert.equal(disagreeing(store), 0);
        } finally {
          store.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
