/**
 * Files the user drops or picks in the UI arrive as bytes (web upload,
 * Electron files.stage). They are copied under the store's folder
 * (`staging/<random>/<name>`) so the import sees a real path and the
 * original name; provenance records their SHA-256 as for any imported file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { badInput } from './errors.ts';

export const maxStagedBytes = 4 * 1024 ** 3;
const keepStagedMs = 7 * 24 * 3600 * 1000;

/** A file name safe on every OS: no folders, no leading dots, no reserved characters. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  let clean = base.replace(/[^A-Za-z0-9._ ()+-]/g, '_').replace(/^[.\s]+/, '').trim().slice(-180);
  if (!clean || /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(clean)) clean = `file_${clean}`;
  return clean;
}

export function stagingDir(storePath: string): string {
  return path.join(path.dirname(storePath), 'staging');
}

function newStagedPath(storePath: string, name: string): string {
  const dir = path.join(stagingDir(storePath), crypto.randomBytes(8).toString('hex'));
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return path.join(dir, safeFileName(name));
}

export function stageBytes(storePath: string, name: string, bytes: Uint8Array): string {
  if (bytes.byteLength > maxStagedBytes) throw badInput(`${name} is larger than ${maxStagedBytes} bytes`);
  const target = newStagedPath(storePath, name);
  fs.writeFileSync(target, bytes, { mode: 0o600 });
  return target;
}

export async function stageStream(storePath: string, name: string, source: Readable, limit = maxStagedBytes): Promise<string> {
  const target = newStagedPath(storePath, name);
  let seen = 0;
  source.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > limit) source.destroy(badInput(`${name} is larger than ${limit} bytes`));
  });
  try {
    await pipeline(source, fs.createWriteStream(target, { mode: 0o600 }));
  } catch (err) {
    fs.rmSync(path.dirname(target), { recursive: true, force: true });
    throw err;
  }
  return target;
}

/** Removes staged files older than a week (called at start-up; failures are harmless). */
export function pruneStaging(storePath: string, nowMs: number): void {
  const root = stagingDir(storePath);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(root, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const dir = path.join(root, e.name);
    try {
      if (nowMs - fs.statSync(dir).mtimeMs > keepStagedMs) fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // another process may be pruning at the same time
    }
  }
}
