/**
 * The grid's jumps in a sort without an index of its own (every sort but name
 * and key since migration 011) are served from a kept order of the whole
 * snapshot: each page must be exactly the page SQL's own ORDER BY … LIMIT …
 * OFFSET gives, for every sort, direction, filter and position, and a kept
 * order must never answer for another filter or snapshot.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { browseItems, type BrowseQuery } from '../../electron/core/browse/browse.ts';
import { lastSuccessSql } from '../../electron/core/store/migrations/010-promoted-fields.ts';
import { openStore } from '../../electron/core/store/store.ts';
import { estateItems } from '../harness/estate.ts';
import { tempStorePath, writeRawSnapshot } from '../migrations/support.ts';

const SORTS = { vaultName: 'vault_name', protectionState: 'protection_state', lastBackupTime: 'last_backup_time', lastSuccessTime: lastSuccessSql, workloadType: 'workload_type' } as const;

describe('grid jumps in sorts without an index (kept orders)', () => {
  it('every page at every position equals SQL\'s own ORDER BY … LIMIT … OFFSET, per sort, direction and filter', () => {
    const store = openStore(tempStorePath('vp-kept-'));
    try {
      const raws = [...estateItems({ items: 700, subscriptions: 2, vaultsPerSubscription: 3, asOf: '2026-11-20T08:00:00Z' })] as Array<Record<string, unknown>>;
      // Ties and NULLs in every sort: some items lose their last backup time and state.
      raws.forEach((r, i) => {
        const p = r.properties as Record<string, unknown>;
        if (i % 9 === 0) delete p.lastBackupTime;
        if (i % 13 === 0) delete p.protectionState;
      });
      const a = writeRawSnapshot(store, raws);
      const b = writeRawSnapshot(store, raws.slice(0, 350));
      const reference = (sid: string, col: string, desc: boolean, where: string, offset: number, limit: number): string[] => {
        const dir = desc ? 'DESC' : 'ASC';
        return store.db.prepare(`SELECT key FROM items WHERE snapshot_id = ? ${where} ORDER BY ${col} ${dir}, key ${dir} LIMIT ? OFFSET ?`).pluck(true).all(sid, limit, offset) as string[];
      };
      let pages = 0;
      for (const [sort, col] of Object.entries(SORTS) as Array<[keyof typeof SORTS, string]>) {
        for (const desc of [false, true]) {
          for (const [filter, where] of [[{}, ''], [{ where: [{ field: 'workloadType' as const, value: 'VM' }] }, "AND workload_type = 'VM' COLLATE NOCASE"]] as Array<[Partial<BrowseQuery>, string]>) {
            for (const sid of [a, b]) {
              for (const offset of [1, 7, 60, 233, 349, 500, 699, 800]) {
                const page = browseItems(store.db, sid, { sort, desc, limit: 25, offset, ...filter }, false);
                assert.deepEqual(page.items.map((it) => it.key), reference(sid, col, desc, where, offset, 25), `${sort} ${desc ? 'desc' : 'asc'} ${where || 'all'} ${sid === a ? 'a' : 'b'} @${offset}`);
                // The next cursor names the page's last row, with its sort value, when more follow.
                const more = reference(sid, col, desc, where, offset + 25, 1).length > 0;
                assert.equal(page.next !== null, more);
                if (page.next) assert.equal(page.next.key, page.items[page.items.length - 1]!.key);
                pages++;
              }
            }
          }
        }
      }
      assert.equal(pages, 5 * 2 * 2 * 2 * 8);
    } finally {
      store.close();
    }
  });
});
