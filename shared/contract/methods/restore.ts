/** The restore.* methods: the restore catalog (what can be restored per item, how, and with which commands). */
import { z } from 'zod';
import type { RestoreEntry } from '../../domain/restore/catalog.ts';
import type { SnapshotRefInfo } from './analysis.ts';
import { snapshotRef } from './snapshots.ts';

export const restoreMethods = {
  'restore.catalog': {
    input: z
      .object({
        snapshot: snapshotRef,
        /** One item by its key (the item drawer). */
        key: z.string().min(1).max(2000).optional(),
        /** Only the items of vaults with this name (case-insensitive). */
        vault: z.string().min(1).max(200).optional(),
        /** At most this many entries (by key); total says how many there are. */
        limit: z.number().int().min(1).max(100_000).optional(),
      })
      .strict(),
  },
} as const;

export type RestoreCatalogRun = {
  snapshot: SnapshotRefInfo;
  /** Items matching the filter. */
  total: number;
  /** Vaults whose recovery points the snapshot lists (0: every entry shows what the item record says). */
  listedVaults: number;
  entries: RestoreEntry[];
};

export type RestoreOutputs = {
  'restore.catalog': RestoreCatalogRun;
};
