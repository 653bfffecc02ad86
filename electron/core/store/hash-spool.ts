import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RecordType } from '../../../shared/domain/types.ts';
import { RECORD_TYPES_IN_HASH_ORDER, hashElement } from './content-hash.ts';

/**
 * A snapshot's content hash worked out by the thread that prepares its
 * records, while the writer thread places them (issue 17: at commit the
 * writer spent 2.2 s of a 100k import unpacking every body again to hash it,
 * with the parsing thread idle).
 *
 * Each record's hash element (content-hash.ts, the same text
 * computeContentHash makes from the stored rows) is appended to a private
 * file as the record is prepared, in arrival order, with its type, key and
 * place remembered; `digest` reads the elements back in content-hash order
 * (type, then key in UTF-8 byte order, as SQLite's ORDER BY key) and hashes
 * them. The file is unlinked as soon as it is open (where the system allows),
 * else removed by `digest` and `discard`.
 *
 * `store verify` and every pack recompute the hash from the stored rows, as
 * before. A record whose texts SQLite would not store as given (a lone
 * surrogate, which it replaces) makes `digest` answer null, and the writer
 * then hashes the stored rows itself.
 */
export class HashSpool {
  private readonly dir: string;
  private readonly fd: number;
  private pending = '';
  private pendingBytes = 0;
  private written = 0;
  private readonly types: number[] = [];
  private readonly keys: string[] = [];
  private readonly starts: number[] = [];
  private readonly lengths: number[] = [];
  private unsure = false;
  private closed = false;

  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaultproof-hash-'));
    fs.chmodSync(this.dir, 0o700);
    const file = path.join(this.dir, 'elements');
    this.fd = fs.openSync(file, 'w+', 0o600);
    // Where the system allows it (not Windows), the file and its folder go at once: the open handle
    // keeps the data, and a process killed mid-import leaves no copy of the records behind.
    try {
      fs.unlinkSync(file);
      fs.rmdirSync(this.dir);
    } catch {
      // Removed by discard instead.
    }
  }

  add(type: string, key: string, dataCanonical: string, rawSha256: string): void {
    const t = RECORD_TYPES_IN_HASH_ORDER.indexOf(type as RecordType);
    const element = hashElement(type, key, dataCanonical, rawSha256);
    if (t < 0 || !(element as unknown as { isWellFormed(): boolean }).isWellFormed()) this.unsure = true;
    const bytes = Buffer.byteLength(element);
    this.types.push(t);
    this.keys.push(key);
    this.starts.push(this.written + this.pendingBytes);
    this.lengths.push(bytes);
    this.pending += element;
    this.pendingBytes += bytes;
    if (this.pending.length >= 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.pending === '') return;
    const buf = Buffer.from(this.pending, 'utf8');
    let off = 0;
    while (off < buf.length) off += fs.writeSync(this.fd, buf, off, buf.length - off, this.written + off);
    this.written += buf.length;
    this.pending = '';
    this.pendingBytes = 0;
  }

  /** The content hash of every record added, or null when it must be worked out from the stored rows. */
  digest(): string | null {
    try {
      if (this.unsure) return null;
      this.flush();
      const n = this.keys.length;
      const order = Array.from({ length: n }, (_, i) => i);
      const wide = this.keys.map((k) => /[\ud800-\uffff]/.test(k));
      order.sort((a, b) => {
        const dt = this.types[a]! - this.types[b]!;
        if (dt !== 0) return dt;
        const ka = this.keys[a]!;
        const kb = this.keys[b]!;
        // UTF-16 order is UTF-8 byte order except between a surrogate pair and U+E000-U+FFFF.
        if (wide[a] || wide[b]) return Buffer.compare(Buffer.from(ka, 'utf8'), Buffer.from(kb, 'utf8'));
        return ka < kb ? -1 : ka > kb ? 1 : 0;
      });
      const h = createHash('sha256');
      h.update('[');
      let buf = Buffer.allocUnsafe(64 * 1024);
      order.forEach((i, at) => {
        const len = this.lengths[i]!;
        if (len > buf.length) buf = Buffer.allocUnsafe(len);
        let got = 0;
        while (got < len) {
          const r = fs.readSync(this.fd, buf, got, len - got, this.starts[i]! + got);
          if (r === 0) throw new Error('the content hash spool ended early');
          got += r;
        }
        if (at > 0) h.update(',');
        h.update(buf.subarray(0, len));
      });
      h.update(']');
      return h.digest('hex');
    } finally {
      this.discard();
    }
  }

  discard(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      fs.closeSync(this.fd);
    } finally {
      fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
