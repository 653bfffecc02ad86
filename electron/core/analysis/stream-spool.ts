/**
 * A spool of JSON lines on disk: what a streaming evaluation writes once and
 * its readers read back in pieces, so a 100k-item analysis is never held as
 * objects (issue 17). Compact JSON has no raw newline, so one value is one line.
 */
import fs from 'node:fs';

const CHUNK = 1 << 20;

/** Appends lines to a file, in 1 MB writes. */
export class LineWriter {
  private readonly fd: number;
  private parts: string[] = [];
  private pending = 0;

  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'wx', 0o600);
  }

  line(text: string): void {
    this.parts.push(text, '\n');
    this.pending += text.length + 1;
    if (this.pending >= CHUNK) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    fs.writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.pending = 0;
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}

/** The lines of a file, read in 1 MB pieces. */
export function* readLines(file: string): Generator<string> {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let rest: Buffer | null = null;
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      const chunk: Buffer = rest ? Buffer.concat([rest, buf.subarray(0, n)]) : buf.subarray(0, n);
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl >= 0; nl = chunk.indexOf(10, start)) {
        yield chunk.toString('utf8', start, nl);
        start = nl + 1;
      }
      // A copy: buf is reused by the next read.
      rest = start < chunk.length ? Buffer.from(chunk.subarray(start)) : null;
    }
    if (rest && rest.length > 0) yield rest.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
