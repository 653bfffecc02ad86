import os from 'node:os';
import path from 'node:path';
import type { ProgressEvent } from '../../shared/contract/events.ts';
import { openStore, type Store, type UpgradeEvent } from './store/store.ts';

/**
 * The store file when nothing else is given: the OS user-data directory.
 * The desktop app passes the same folder to Electron (app.setPath), so the
 * CLI and the app always open the same store.
 */
export function defaultUserDataDir(): string {
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Vaultproof');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Vaultproof');
  return path.join(process.env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'vaultproof');
}

export function defaultStorePath(): string {
  return path.join(defaultUserDataDir(), 'vaultproof.db');
}

export function resolveStorePath(explicit?: string): string {
  if (explicit) return path.resolve(explicit);
  if (process.env.VAULTPROOF_STORE) return path.resolve(process.env.VAULTPROOF_STORE);
  return defaultStorePath();
}

/** Deterministic clock and user for tests: VAULTPROOF_NOW, VAULTPROOF_USER. */
export function now(): Date {
  const fixed = process.env.VAULTPROOF_NOW;
  if (fixed) {
    const t = Date.parse(fixed);
    if (!Number.isNaN(t)) return new Date(t);
  }
  return new Date();
}

export function currentUser(): string {
  if (process.env.VAULTPROOF_USER) return process.env.VAULTPROOF_USER;
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

export type CoreContext = {
  storePath: string;
  /** Opens the store on first use; the same connection afterwards. */
  store(): Store;
  now(): Date;
  user(): string;
  close(): void;
};

export function createCoreContext(
  opts: {
    storePath?: string;
    /** told once, when the store is first opened (e.g. to report a migration backup) */
    onStoreOpened?: (store: Store) => void;
    /** told what an upgrade of the store does as it goes, while the store is first opened (store.ts UpgradeEvent) */
    onUpgrade?: (e: UpgradeEvent) => void;
  } = {},
): CoreContext {
  const storePath = resolveStorePath(opts.storePath);
  let store: Store | null = null;
  return {
    storePath,
    store() {
      if (!store) {
        store = openStore(storePath, opts.onUpgrade ? { onUpgrade: opts.onUpgrade } : {});
        opts.onStoreOpened?.(store);
      }
      return store;
    },
    now,
    user: currentUser,
    close() {
      store?.close();
      store = null;
    },
  };
}

/** What a handler gets for one call: the core plus progress and cancel for long work. */
export type CallContext = {
  core: CoreContext;
  emit(event: Omit<ProgressEvent, 'job'>): void;
  signal: AbortSignal;
};
