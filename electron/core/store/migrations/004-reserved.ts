import type { Migration } from './migration.ts';

/**
 * Reserves id 4, and changes nothing.
 *
 * Id 4 was once set aside for packs, which in the end needed no table, and
 * 005 was applied to stores without it. Ids are never renumbered (stores
 * recorded 005 by id and hash), so the gap is filled here instead. A store
 * that already applied 005 gets this one after it, a new store gets it
 * before 005: only a migration that touches nothing gives the same schema in
 * both orders, and no change in this round needed a schema change, so it is
 * an explicit no-op. It is still recorded (id, name, hash) like any other.
 *
 * Never edit it: the hash of this text is in every store that ran it. New
 * schema work takes the next free id.
 */
export const migration004Reserved: Migration = {
  id: 4,
  name: 'reserved',
  sql: `
-- 004 reserved: fills the gap between 003 and 005; no schema change.
`,
};
