import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
// eslint-disable-next-line vaultproof/import-runtime -- the keeper is plain code over a safeStorage-like interface, tested with a fake one
import { createPassphraseKeeper, keychainBackend, type SafeStorageLike } from '../../electron/main/passphrase.ts';

/** A stand-in for Electron's safeStorage: XOR "encryption" with a marker, so the file never holds the plain text. */
function fakeSafe(backend: string | undefined, available = true): SafeStorageLike & { decrypts: number } {
  const safe = {
    decrypts: 0,
    isEncryptionAvailable: () => available,
    encryptString: (s: string) => Buffer.from(`SEALED:${Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)).toString('base64')}`),
    decryptString: (b: Buffer) => {
      safe.decrypts++;
      const text = b.toString();
      if (!text.startsWith('SEALED:')) throw new Error('bad ciphertext');
      return Buffer.from(Buffer.from(text.slice(7), 'base64').map((x) => x ^ 0x5a)).toString('utf8');
    },
    ...(backend !== undefined ? { getSelectedStorageBackend: () => backend } : {}),
  };
  return safe;
}

function tempFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vp-pass-')), 'passphrases.json');
}

describe('signing passphrase keeper', () => {
  it('keeps and returns a passphrase with a real keyring, never writing it in clear', () => {
    const file = tempFile();
    const keeper = createPassphraseKeeper(fakeSafe('gnome_libsecret'), file, 'linux');
    assert.deepEqual(keeper.status('audit-2026'), { backend: 'secure', canStore: true, stored: false });
    assert.deepEqual(keeper.save('audit-2026', 'correct horse battery'), { stored: true });
    assert.deepEqual(keeper.status('audit-2026'), { backend: 'secure', canStore: true, stored: true });
    assert.deepEqual(keeper.get('audit-2026'), { passphrase: 'correct horse battery' });
    assert.equal(fs.readFileSync(file, 'utf8').includes('correct horse'), false);
    assert.deepEqual(keeper.forget('audit-2026'), { forgotten: true });
    assert.deepEqual(keeper.get('audit-2026'), { passphrase: null });
    assert.deepEqual(keeper.forget('audit-2026'), { forgotten: false });
  });

  it('stores nothing and asks each time when Linux has no keyring (basic_text)', () => {
    const file = tempFile();
    const keeper = createPassphraseKeeper(fakeSafe('basic_text'), file, 'linux');
    assert.deepEqual(keeper.status('id'), { backend: 'basic_text', canStore: false, stored: false });
    assert.deepEqual(keeper.save('id', 'secret'), { stored: false });
    assert.equal(fs.existsSync(file), false);
    assert.deepEqual(keeper.get('id'), { passphrase: null });
  });

  it('does not hand out a passphrase kept earlier once the keyring is gone', () => {
    const file = tempFile();
    createPassphraseKeeper(fakeSafe('kwallet5'), file, 'linux').save('id', 'secret');
    const safe = fakeSafe('basic_text');
    const later = createPassphraseKeeper(safe, file, 'linux');
    assert.deepEqual(later.get('id'), { passphrase: null });
    assert.equal(safe.decrypts, 0);
    assert.equal(later.status('id').stored, false);
  });

  it('treats an unknown Linux backend or unavailable encryption as no keyring', () => {
    assert.equal(keychainBackend(fakeSafe('unknown'), 'linux'), 'basic_text');
    assert.equal(keychainBackend(fakeSafe('gnome_libsecret', false), 'linux'), 'basic_text');
    assert.equal(keychainBackend(fakeSafe(undefined), 'win32'), 'secure');
    assert.equal(keychainBackend(fakeSafe(undefined), 'darwin'), 'secure');
  });

  it('answers null for a damaged entry and treats __proto__ as a plain name', () => {
    const file = tempFile();
    const keeper = createPassphraseKeeper(fakeSafe(undefined), file, 'win32');
    fs.writeFileSync(file, JSON.stringify({ version: 1, passphrases: { 'id:broken': Buffer.from('garbage').toString('base64') } }));
    assert.deepEqual(keeper.get('broken'), { passphrase: null });
    assert.deepEqual(keeper.get('constructor'), { passphrase: null });
    assert.deepEqual(keeper.save('__proto__', 'p1'), { stored: true });
    assert.deepEqual(keeper.get('__proto__'), { passphrase: 'p1' });
    assert.equal(keeper.status('toString').stored, false);
  });
});
