/**
 * The words for a store upgrade as it goes (store.ts UpgradeEvent) and once
 * it is done, the same in the CLI's stderr and in the app's notice.
 */
import { migrationIdsText as ids } from './migrations/migration.ts';
import type { MigrationInfo, UpgradeEvent } from './store.ts';

const MB = 1024 * 1024;
const count = (n: number): string => n.toLocaleString('en-US');

/** One step of an upgrade. */
export function upgradeText(e: UpgradeEvent): string {
  switch (e.step) {
    case 'start': {
      const free = e.freeBytes === null ? 'free space unknown' : `${count(Math.floor(e.freeBytes / MB))} MB free`;
      return `upgrading the store's schema (migration ${ids(e.migrations.map((m) => m.id))}); it needs about ${count(Math.ceil(e.diskNeededBytes / MB))} MB free beside the store (${free})`;
    }
    case 'backup':
      return `backing up the store first, to ${e.path}`;
    case 'migration': {
      const what = `migration ${ids([e.id])} ${e.name}`;
      return e.total === null ? what : `${what}: ${count(e.done)} of ${count(e.total)} item rows`;
    }
    case 'compact':
      return 'compacting the store (the upgrade left free pages)';
  }
}

/** What an upgrade of a store that held data did, once the store is open; null when none ran (a new store's schema is no upgrade). */
export function upgradedText(m: MigrationInfo): string | null {
  if (!m.backupPath) return null;
  return `upgraded the store's schema (migration ${ids(m.applied)}); the store as it was before is backed up at ${m.backupPath}`;
}
