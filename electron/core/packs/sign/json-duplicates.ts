/**
 * Finds a repeated key in JSON text, chunk by chunk. JSON.parse keeps the
 * last of two equal keys in silence, so a pack JSON holding `"owner"` twice
 * reads differently in different tools; verify refuses it instead. Keys are
 * compared after their escapes are decoded ("a" and "\u0061" are the same
 * key). The text is assumed to be JSON otherwise (the hash and the schema
 * checks catch the rest); this scanner only tracks strings and nesting, in one
 * pass with memory bounded by the nesting depth and the keys of open objects.
 */

type Frame = { kind: 'object'; keys: Set<string>; key: string | null; expectKey: boolean } | { kind: 'array'; index: number };

export type DuplicateKey = { key: string; at: string };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export class DuplicateKeyScanner {
  private readonly stack: Frame[] = [];
  private inString = false;
  private escaped = false;
  /** Bytes of the key being read, across chunks; null inside a value string. */
  private keyBytes: Buffer[] | null = null;
  private found: DuplicateKey | null = null;

  /** The first repeated key so far, or null. */
  get duplicate(): DuplicateKey | null {
    return this.found;
  }

  push(chunk: Buffer): void {
    if (this.found) return;
    let i = 0;
    const n = chunk.length;
    // The next backslash at or after a position, found once and reused: searching afresh for every string scans the chunk again and again.
    let bs = -2;
    const backslashFrom = (j: number): number => {
      if (bs !== -1 && bs < j) bs = chunk.indexOf(BACKSLASH, j);
      return bs;
    };
    while (i < n) {
      if (this.inString) {
        let j = i;
        if (this.escaped) {
          this.escaped = false;
          j++;
        }
        // Jump to the next quote or backslash natively: strings are most of the bytes.
        for (;;) {
          const q = chunk.indexOf(QUOTE, j);
          const b = backslashFrom(j);
          if (b !== -1 && (q === -1 || b < q)) {
            if (b + 1 < n) {
              j = b + 2;
              continue;
            }
            this.keyBytes?.push(chunk.subarray(i, n));
            this.escaped = true;
            return;
          }
          if (q === -1) {
            this.keyBytes?.push(chunk.subarray(i, n));
            return;
          }
          this.keyBytes?.push(chunk.subarray(i, q));
          this.inString = false;
          i = q + 1;
          if (this.keyBytes) this.endKey();
          if (this.found) return;
          break;
        }
        continue;
      }
      const c = chunk[i++]!;
      const top = this.stack[this.stack.length - 1];
      switch (c) {
        case QUOTE:
          this.inString = true;
          this.keyBytes = top?.kind === 'object' && top.expectKey ? [] : null;
          break;
        case 0x7b: // {
          this.stack.push({ kind: 'object', keys: new Set(), key: null, expectKey: true });
          break;
        case 0x5b: // [
          this.stack.push({ kind: 'array', index: 0 });
          break;
        case 0x7d: // }
        case 0x5d: // ]
          this.stack.pop();
          break;
        case 0x3a: // :
          if (top?.kind === 'object') top.expectKey = false;
          break;
        case 0x2c: // ,
          if (top?.kind === 'object') top.expectKey = true;
          else if (top?.kind === 'array') top.index++;
          break;
        default:
          break;
      }
    }
  }

  private endKey(): void {
    const parts = this.keyBytes!;
    const raw = (parts.length === 1 ? parts[0]! : Buffer.concat(parts)).toString('utf8');
    this.keyBytes = null;
    let key = raw;
    if (raw.includes('\\')) {
      try {
        key = JSON.parse(`"${raw}"`) as string;
      } catch {
        // Not valid JSON escapes: compared as written (the schema or the hash refuses the file anyway).
      }
    }
    const top = this.stack[this.stack.length - 1];
    if (top?.kind !== 'object') return;
    if (top.keys.has(key)) {
      top.key = key;
      this.found = { key, at: this.path() };
      return;
    }
    top.keys.add(key);
    top.key = key;
  }

  private path(): string {
    let p = '$';
    for (const f of this.stack) {
      if (f.kind === 'array') p += `[${f.index}]`;
      else if (f.key !== null) p += /^[A-Za-z_$][\w$]*$/.test(f.key) ? `.${f.key}` : `[${JSON.stringify(f.key)}]`;
    }
    return p;
  }
}

/** The first repeated key in a whole JSON text, or null. */
export function findDuplicateKey(bytes: Buffer): DuplicateKey | null {
  const s = new DuplicateKeyScanner();
  s.push(bytes);
  return s.duplicate;
}
