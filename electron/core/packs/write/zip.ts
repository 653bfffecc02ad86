/**
 * A pack is a folder or a zip of that folder. PackSource reads either the
 * same way; zips are read with yauzl, which refuses `..` and absolute entry
 * names (we refuse them again, and duplicates, before reading anything).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { UserError } from '../../errors.ts';
import { hasControlCharacters, terminalSafeName } from '../../terminal-text.ts';

export type PackSource = {
  /** What the user named (folder or zip). */
  location: string;
  kind: 'folder' | 'zip';
  /** Every file, as a pack-relative path with forward slashes. */
  files: string[];
  /** The file's size as the folder or the zip's directory states it, before reading (yauzl then holds the entry to it). */
  size(p: string): number;
  /** Reads a whole file; refuses one larger than MAX_READ_BYTES without reading it (a zip bomb). */
  read(p: string): Promise<Buffer>;
  stream(p: string): Promise<Readable>;
  close(): Promise<void>;
};

/** Thrown when a pack's structure is unsafe or unreadable: verification fails (exit 3), naming the entry. */
export class PackStructureError extends Error {
  readonly entry: string;
  constructor(entry: string, message: string) {
    super(message);
    this.entry = entry;
  }
}

/** No file a pack reads whole (manifest, signatures, report.pdf) comes near this; a bigger one is refused unread. */
export const MAX_READ_BYTES = 256 * 1024 * 1024;

function tooBig(p: string, size: number): PackStructureError {
  return new PackStructureError(p, `${p} unpacks to ${size} bytes, more than any pack file Vaultproof reads whole (${MAX_READ_BYTES}); refused without reading it (a zip bomb?)`);
}

/**
 * A pack holds a few dozen files; a zip or folder with more entries than this
 * is refused before any entry is read, so verify's time and memory stay bounded.
 */
export const MAX_PACK_ENTRIES = 10_000;

function tooMany(where: string, n: number): PackStructureError {
  return new PackStructureError(where, `${where} holds ${n} entries, more than any evidence pack (${MAX_PACK_ENTRIES}); refused without reading them`);
}

export function unsafeEntryReason(name: string): string | null {
  if (hasControlCharacters(name)) return 'contains control characters';
  if (name.includes('\\')) return 'contains a backslash';
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return 'is an absolute path';
  if (name.split('/').includes('..')) return 'climbs out of the pack (..)';
  if (name.includes('\0')) return 'contains a NUL byte';
  return null;
}

function walkFolder(root: string): string[] {
  const out: string[] = [];
  let seen = 0;
  const walk = (dir: string, rel: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (++seen > MAX_PACK_ENTRIES) throw tooMany(path.basename(root), seen);
      const r = rel ? `${rel}/${e.name}` : e.name;
      const shown = terminalSafeName(r);
      if (hasControlCharacters(e.name)) throw new PackStructureError(shown, `"${shown}" has control characters in its name; refused`);
      if (e.isSymbolicLink()) throw new PackStructureError(shown, `${shown} is a symbolic link; a pack holds plain files only`);
      if (e.isDirectory()) walk(path.join(dir, e.name), r);
      else if (e.isFile()) out.push(r);
      // A FIFO would block the reader forever and a device could be anything: neither is evidence.
      else throw new PackStructureError(shown, `${shown} is not a regular file (${e.isFIFO() ? 'a named pipe' : e.isSocket() ? 'a socket' : 'a device'}); a pack holds plain files only`);
    }
  };
  walk(root, '');
  return out.sort();
}

function folderSource(dir: string): PackSource {
  const files = walkFolder(dir);
  const known = new Set(files);
  const full = (p: string): string => {
    if (!known.has(p)) throw new PackStructureError(p, `${p} is missing`);
    return path.join(dir, ...p.split('/'));
  };
  const size = (p: string): number => fs.statSync(full(p)).size;
  return {
    location: dir,
    kind: 'folder',
    files,
    size,
    read: async (p) => {
      const n = size(p);
      if (n > MAX_READ_BYTES) throw tooBig(p, n);
      return fs.promises.readFile(full(p));
    },
    stream: async (p) => fs.createReadStream(full(p)),
    close: async () => {},
  };
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (err, zf) => (err || !zf ? reject(err ?? new Error('cannot open zip')) : resolve(zf)));
  });
}

async function zipSource(file: string): Promise<PackSource> {
  let zf: yauzl.ZipFile;
  try {
    zf = await openZip(file);
  } catch (e) {
    throw new PackStructureError(path.basename(file), `${file} is not a readable zip (${(e as Error).message})`);
  }
  const entries = new Map<string, yauzl.Entry>();
  if (zf.entryCount > MAX_PACK_ENTRIES) {
    zf.close();
    throw tooMany(path.basename(file), zf.entryCount);
  }
  try {
    await new Promise<void>((resolve, reject) => {
      zf.on('entry', (e: yauzl.Entry) => {
        const name = e.fileName;
        const bad = unsafeEntryReason(name);
        if (bad) {
          const shown = terminalSafeName(name);
          reject(new PackStructureError(shown, `zip entry "${shown}" ${bad}; refused`));
          return;
        }
        // A folder entry carries no data; bytes hidden in one are outside every check.
        if (name.endsWith('/') && (e.uncompressedSize > 0 || e.compressedSize > (e.compressionMethod === 8 ? 2 : 0))) {
          reject(new PackStructureError(name, `zip entry "${name}" is a folder entry holding ${e.uncompressedSize || e.compressedSize} bytes; refused`));
          return;
        }
        if (!name.endsWith('/')) {
          if (entries.has(name)) {
            reject(new PackStructureError(name, `zip entry "${name}" appears twice; refused`));
            return;
          }
          entries.set(name, e);
        }
        zf.readEntry();
      });
      zf.on('end', () => resolve());
      zf.on('error', (err: Error) => {
        const m = /^(?:invalid relative path|absolute path|invalid characters in fileName): (.*)$/.exec(err.message);
        const shown = m ? terminalSafeName(m[1]!) : '';
        reject(m ? new PackStructureError(shown, `zip entry "${shown}" ${err.message.startsWith('absolute') ? 'is an absolute path' : err.message.startsWith('invalid relative') ? 'climbs out of the pack (..)' : 'has invalid characters'}; refused`) : err);
      });
      zf.readEntry();
    });
  } catch (e) {
    zf.close();
    if (e instanceof PackStructureError) throw e;
    throw new PackStructureError(path.basename(file), `${file}: ${(e as Error).message}`);
  }
  // A zip made from the pack folder itself may put everything under one top folder.
  let prefix = '';
  if (!entries.has('manifest.json')) {
    const tops = new Set([...entries.keys()].map((n) => n.split('/')[0]));
    const only = [...tops][0];
    if (tops.size === 1 && only && entries.has(`${only}/manifest.json`)) prefix = `${only}/`;
  }
  const byPath = new Map<string, yauzl.Entry>();
  for (const [n, e] of entries) byPath.set(prefix ? n.slice(prefix.length) : n, e);
  const openEntry = (p: string): Promise<Readable> => {
    const e = byPath.get(p);
    if (!e) return Promise.reject(new PackStructureError(p, `${p} is missing`));
    return new Promise((resolve, reject) => zf.openReadStream(e, (err, s) => (err || !s ? reject(err ?? new Error('no stream')) : resolve(s))));
  };
  return {
    location: file,
    kind: 'zip',
    files: [...byPath.keys()].sort(),
    size: (p) => {
      const e = byPath.get(p);
      if (!e) throw new PackStructureError(p, `${p} is missing`);
      return e.uncompressedSize;
    },
    stream: openEntry,
    read: async (p) => {
      const n = byPath.get(p)?.uncompressedSize ?? 0;
      if (n > MAX_READ_BYTES) throw tooBig(p, n);
      const s = await openEntry(p);
      const chunks: Buffer[] = [];
      for await (const c of s) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    },
    close: async () => zf.close(),
  };
}

export async function openPack(location: string): Promise<PackSource> {
  let st: fs.Stats;
  try {
    st = fs.statSync(location);
  } catch {
    throw new UserError('NOT_FOUND', `no pack at ${location}`, { file: location });
  }
  if (st.isDirectory()) return folderSource(location);
  // A pipe or device given as the pack would block the reader or be anything at all.
  if (!st.isFile()) throw new PackStructureError(path.basename(location), `${location} is neither a pack folder nor a file`);
  return zipSource(location);
}

/** Zips a pack folder (entries at the zip's root). Already-compressed files are stored, JSON is deflated. */
export async function zipFolder(dir: string, files: string[], zipFile: string, mtime: Date): Promise<void> {
  const z = new yazl.ZipFile();
  for (const f of files) {
    const compress = !/\.(pdf|xlsx|zip)$/i.test(f);
    z.addFile(path.join(dir, ...f.split('/')), f, { compress, mtime, mode: 0o100644 });
  }
  z.end();
  await new Promise<void>((resolve, reject) => {
    const out = fs.createWriteStream(zipFile, { flags: 'wx', mode: 0o600 });
    z.outputStream.pipe(out).on('close', () => resolve()).on('error', reject);
    z.outputStream.on('error', reject);
  });
}

/** Rewrites a zip with one more file (cosign on a zipped pack). */
export async function addToZip(zipFile: string, name: string, data: Buffer, mtime: Date): Promise<void> {
  const src = await zipSource(zipFile);
  const tmp = `${zipFile}.${process.pid}.tmp`;
  try {
    if (src.files.includes(name)) throw new UserError('CONFLICT', `${zipFile} already holds ${name}`);
    const z = new yazl.ZipFile();
    for (const f of src.files) {
      const bytes = await src.read(f);
      z.addBuffer(bytes, f, { compress: !/\.(pdf|xlsx|zip)$/i.test(f), mtime, mode: 0o100644 });
    }
    z.addBuffer(data, name, { compress: true, mtime, mode: 0o100644 });
    z.end();
    await new Promise<void>((resolve, reject) => {
      const out = fs.createWriteStream(tmp, { flags: 'wx', mode: 0o600 });
      z.outputStream.pipe(out).on('close', () => resolve()).on('error', reject);
    });
    await src.close();
    fs.renameSync(tmp, zipFile);
  } catch (e) {
    await src.close();
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
