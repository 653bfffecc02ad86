/**
 * Records collected so far, grouped by the part of the collection that
 * produced them (vault + part, subscription listing, …). Pages are kept in
 * memory while the records held stay under a budget (a page usually goes to
 * the writer within a second of arriving, and serialising it to disk and back
 * costs more CPU than normalising it); beyond the budget they are written to
 * a file (one JSON line each), so memory stays bounded however big the tenant.
 *
 * A group is held back until it is sealed (its part finished without
 * error); a sealed group is released, page by page in the order its pages
 * were appended, to the snapshot writer, which writes it while the network
 * is still busy. A failed part's group is dropped and never reaches the
 * writer, so a vault's items are all in or all out even though the write
 * overlaps the collection. Groups nobody sealed are released by `finish()`
 * when the network phase ends (parts whose success is only known then).
 * Dropping a group that was already released is refused (fail closed): its
 * records may already be in the transaction.
 *
 * The spool folder is removed on dispose, on abort and on process exit.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

/** One appended page: in memory, or its lines' place in the spool file. */
type Segment = { records: NormalisedRecord[] } | { pos: number; len: number; count: number };

/** Records held in memory at most (about 5–10 kB each, raw and normalised); more go to the file. */
const MEMORY_RECORDS = Number(process.env.VAULTPROOF_SPOOL_MEMORY_RECORDS ?? 8000);

type Group = {
  segments: Segment[];
  counts: Map<string, number>;
  state: 'open' | 'released' | 'dropped';
};

export class RecordSpool {
  readonly dir: string;
  private readonly file: string;
  private fd: number | null;
  private readonly groups = new Map<string, Group>();
  /** Released segments the writer has not read yet, oldest first. */
  private readonly queue: Array<Segment | null> = [];
  private head = 0;
  private finished = false;
  private wakers: Array<() => void> = [];
  /** Bytes written to the spool file. */
  private fileBytes = 0;
  /** Records held in memory (pending or released, not yet taken). */
  private memRecords = 0;
  /** Records appended (every group, dropped ones included). */
  records = 0;
  /** Records released to the writer and not yet taken by it. */
  released = 0;

  constructor(parent: string = os.tmpdir()) {
    this.dir = fs.mkdtempSync(path.join(parent, 'vaultproof-collect-'));
    fs.chmodSync(this.dir, 0o700);
    this.file = path.join(this.dir, 'records.ndjson');
    this.fd = fs.openSync(this.file, 'w+', 0o600);
    live.add(this.dir);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on('exit', () => {
        for (const d of [...live]) removeDir(d);
      });
    }
  }

  private group(name: string): Group {
    let g = this.groups.get(name);
    if (!g) {
      g = { segments: [], counts: new Map(), state: 'open' };
      this.groups.set(name, g);
    }
    return g;
  }

  append(group: string, records: NormalisedRecord[]): void {
    if (this.fd === null) throw new Error('spool closed');
    if (records.length === 0) return;
    const g = this.group(group);
    if (g.state === 'dropped') return;
    for (const r of records) g.counts.set(r.type, (g.counts.get(r.type) ?? 0) + 1);
    this.records += records.length;
    let seg: Segment;
    if (this.memRecords + records.length <= MEMORY_RECORDS) {
      seg = { records };
      this.memRecords += records.length;
    } else {
      let text = '';
      for (const r of records) text += `${JSON.stringify(r)}\n`;
      const buf = Buffer.from(text, 'utf8');
      fs.writeSync(this.fd, buf, 0, buf.length, this.fileBytes);
      seg = { pos: this.fileBytes, len: buf.length, count: records.length };
      this.fileBytes += buf.length;
    }
    // A page that arrives for a group already released follows it to the writer.
    if (g.state === 'released') this.enqueue(seg);
    else {
      g.segments.push(seg);
      this.notify();
    }
  }

  /** The group is complete: its records go to the writer. A dropped group stays dropped. */
  seal(group: string): void {
    const g = this.group(group);
    if (g.state !== 'open') return;
    g.state = 'released';
    for (const s of g.segments) this.enqueue(s);
    g.segments = [];
  }

  /** Drops every record of this group; refused once the group was released (its records may already be written). */
  drop(group: string): void {
    const g = this.group(group);
    if (g.state === 'released') throw new Error(`internal error: ${group} was dropped after its records were released to the snapshot writer`);
    g.state = 'dropped';
    for (const seg of g.segments) if ('records' in seg) this.memRecords -= seg.records.length;
    g.segments = [];
  }

  count(group: string, type: string): number {
    const g = this.groups.get(group);
    if (!g || g.state === 'dropped') return 0;
    return g.counts.get(type) ?? 0;
  }

  /** The network phase is over: every group not dropped is released (in the order the groups began), and no more come. */
  finish(): void {
    for (const name of this.groups.keys()) this.seal(name);
    this.finished = true;
    this.notify();
  }

  private enqueue(seg: Segment): void {
    this.queue.push(seg);
    this.released += 'records' in seg ? seg.records.length : seg.count;
    this.notify();
  }

  private notify(): void {
    for (const w of this.wakers.splice(0)) w();
  }

  /** True once finish() or dispose() was called: nothing more will be released. */
  get done(): boolean {
    return this.finished;
  }

  /** Resolves at the next append, release or finish. */
  changed(): Promise<void> {
    if (this.finished) return Promise.resolve();
    return new Promise((resolve) => this.wakers.push(resolve));
  }

  /** Released records waiting to be read, without waiting; [] when none. */
  takeReleased(): NormalisedRecord[] {
    if (this.head >= this.queue.length) return [];
    const seg = this.queue[this.head]!;
    // Taken pages must not stay reachable from the queue: their records would live until the end.
    this.queue[this.head++] = null;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    if ('records' in seg) {
      this.memRecords -= seg.records.length;
      this.released -= seg.records.length;
      return seg.records;
    }
    this.released -= seg.count;
    return this.read(seg);
  }

  private read(seg: { pos: number; len: number }): NormalisedRecord[] {
    if (this.fd === null) throw new Error('spool closed');
    const buf = Buffer.allocUnsafe(seg.len);
    let off = 0;
    while (off < seg.len) {
      const n = fs.readSync(this.fd, buf, off, seg.len - off, seg.pos + off);
      if (n === 0) throw new Error('spool file ended early');
      off += n;
    }
    const out: NormalisedRecord[] = [];
    // Each segment is whole lines (a page), so it decodes on its own.
    for (const line of buf.toString('utf8').split('\n')) if (line !== '') out.push(JSON.parse(line) as NormalisedRecord);
    return out;
  }

  dispose(): void {
    this.finished = true;
    this.notify();
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
