/**
 * Records collected so far, on disk (one JSON line each), until the
 * collection ends. The snapshot is then written in one pass, so the store's
 * write transaction is open for seconds rather than for the whole network
 * phase (minutes against a big tenant, during which the app must stay able
 * to write annotations), and memory stays bounded. Replay is synchronous, so
 * nothing else on the store's connection interleaves with a small snapshot's
 * transaction. Records carry a group tag (vault + part); a failed part's
 * group is dropped at replay, so a vault's items are all in or all out.
 * The spool folder is removed on finish, on abort and on process exit.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { NormalisedRecord } from '../../../shared/domain/types.ts';

const live = new Set<string>();
let exitHookInstalled = false;

function removeDir(dir: string): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true });
  } catch {
    // best effort: a leftover temp folder holds no secret (backup metadata only)
  }
  live.delete(dir);
}

export class RecordSpool {
  readonly dir: string;
  private readonly file: string;
  private fd: number | null;
  private readonly dropped = new Set<string>();
  private readonly byGroup = new Map<string, Map<string, number>>();
  bytes = 0;

  constructor(parent: string = os.tmpdir()) {
    this.dir = fs.mkdtempSync(path.join(parent, 'vaultproof-collect-'));
    fs.chmodSync(this.dir, 0o700);
    this.file = path.join(this.dir, 'records.ndjson');
    this.fd = fs.openSync(this.file, 'w', 0o600);
    live.add(this.dir);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on('exit', () => {
        for (const d of [...live]) removeDir(d);
      });
    }
  }

  append(group: string, records: NormalisedRecord[]): void {
    if (this.fd === null) throw new Error('spool closed');
    if (records.length === 0) return;
    let counts = this.byGroup.get(group);
    if (!counts) {
      counts = new Map();
      this.byGroup.set(group, counts);
    }
    let text = '';
    for (const r of records) {
      text += `${JSON.stringify({ g: group, r })}\n`;
      counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    }
    const buf = Buffer.from(text, 'utf8');
    fs.writeSync(this.fd, buf);
    this.bytes += buf.length;
  }

  /** Drops every record of this group at replay. */
  drop(group: string): void {
    this.dropped.add(group);
  }

  count(group: string, type: string): number {
    if (this.dropped.has(group)) return 0;
    return this.byGroup.get(group)?.get(type) ?? 0;
  }

  /** The kept records, in the order they were appended (synchronous on purpose, see above). */
  *replay(): Generator<NormalisedRecord> {
    if (this.fd !== null) {
      fs.closeSync(this.fd);
      this.fd = null;
    }
    const fd = fs.openSync(this.file, 'r');
    try {
      const chunk = Buffer.alloc(1 << 20);
      // A multi-byte character may straddle two reads.
      const decoder = new StringDecoder('utf8');
      let rest = '';
      for (;;) {
        const n = fs.readSync(fd, chunk, 0, chunk.length, null);
        if (n === 0) break;
        const text = rest + decoder.write(chunk.subarray(0, n));
        const lines = text.split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) {
          if (line === '') continue;
          const { g, r } = JSON.parse(line) as { g: string; r: NormalisedRecord };
          if (!this.dropped.has(g)) yield r;
        }
      }
      if (rest.trim() !== '') {
        const { g, r } = JSON.parse(rest) as { g: string; r: NormalisedRecord };
        if (!this.dropped.has(g)) yield r;
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  dispose(): void {
    if (this.fd !== null) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = null;
    }
    removeDir(this.dir);
  }
}
