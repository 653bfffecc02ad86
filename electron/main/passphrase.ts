/**
 * Signing passphrases kept with Electron's safeStorage (OS keychain:
 * Keychain, DPAPI, libsecret/kwallet). On Linux without a keyring
 * safeStorage falls back to 'basic_text' — a hard-coded key, no protection —
 * so there nothing is stored and the UI asks each time. Plain code over a
 * SafeStorage-like interface so it is tested without Electron.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PassphraseStatus } from '../../shared/contract/shell.ts';

export type SafeStorageLike = {
  isEncryptionAvailable(): boolean;
  getSelectedStorageBackend?(): string;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
};

export type PassphraseKeeper = {
  status(identity: string): PassphraseStatus;
  save(identity: string, passphrase: string): { stored: boolean };
  get(identity: string): { passphrase: string | null };
  forget(identity: string): { forgotten: boolean };
};

/** 'secure' only when encryption is available and, on Linux, the backend is a real keyring. */
export function keychainBackend(safe: SafeStorageLike, platform: string): PassphraseStatus['backend'] {
  if (!safe.isEncryptionAvailable()) return 'basic_text';
  if (platform === 'linux') {
    const backend = safe.getSelectedStorageBackend?.() ?? 'unknown';
    if (backend === 'basic_text' || backend === 'unknown') return 'basic_text';
  }
  return 'secure';
}

type SecretsFile = { version: 1; passphrases: Record<string, string> };

/** Keys are prefixed so an identity named "__proto__" or "constructor" is just a name. */
const keyOf = (identity: string): string => `id:${identity}`;

export function createPassphraseKeeper(safe: SafeStorageLike, file: string, platform: string = process.platform): PassphraseKeeper {
  const read = (): SecretsFile => {
    try {
      const data = JSON.parse(fs.readFileSync(file, 'utf8')) as SecretsFile;
      if (data.version === 1 && data.passphrases && typeof data.passphrases === 'object') return data;
    } catch {
      // missing or unreadable: nothing kept
    }
    return { version: 1, passphrases: {} };
  };
  const write = (data: SecretsFile): void => {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, JSON.stringify(data), { mode: 0o600 });
    fs.renameSync(tmp, file);
  };
  const secure = (): boolean => keychainBackend(safe, platform) === 'secure';

  return {
    status(identity) {
      const backend = keychainBackend(safe, platform);
      return { backend, canStore: backend === 'secure', stored: backend === 'secure' && Object.hasOwn(read().passphrases, keyOf(identity)) };
    },
    save(identity, passphrase) {
      if (!secure()) return { stored: false };
      const data = read();
      data.passphrases[keyOf(identity)] = safe.encryptString(passphrase).toString('base64');
      write(data);
      return { stored: true };
    },
    get(identity) {
      // Never decrypt what a weaker backend might have produced: ask instead.
      if (!secure()) return { passphrase: null };
      const all = read().passphrases;
      const sealed = Object.hasOwn(all, keyOf(identity)) ? all[keyOf(identity)] : undefined;
      if (typeof sealed !== 'string') return { passphrase: null };
      try {
        return { passphrase: safe.decryptString(Buffer.from(sealed, 'base64')) };
      } catch {
        return { passphrase: null }; // keychain changed or entry damaged: ask the user
      }
    },
    forget(identity) {
      const data = read();
      if (!Object.hasOwn(data.passphrases, keyOf(identity))) return { forgotten: false };
      delete data.passphrases[keyOf(identity)];
      write(data);
      return { forgotten: true };
    },
  };
}
