/**
 * Streams the elements of the top-level JSON array of a document — a bare
 * array, or the `value` / `data` array of an object (ARM list, Resource
 * Graph) — as separate JSON texts, so big files are parsed one element at a
 * time with the native JSON.parse. Measured here: stream-json took 1.57 s
 * for a 17 MB list where JSON.parse took 0.16 s, so a 200 MB export would
 * have spent 18 s in the tokenizer alone.
 *
 * Only structure is tracked (strings, escapes, nesting); each element's
 * text is validated by JSON.parse afterwards. Each element text is exactly
 * the characters of the input between its delimiters (what the store keeps as
 * the record's raw JSON), and none may exceed `maxElementChars`: the memory
 * an import needs is bounded by that, not by the file.
 */

/**
 * The largest element (one resource's JSON text) any import reads, in
 * characters: 12 Mi. Importing one element takes about 30 times its size at
 * the peak (the text, the parsed value, the normalised record and the raw
 * JSON, each again as UTF-8 for SQLite and in the writer thread, and the name
 * again as its natural-sort key), so this is what keeps an import of any file
 * under 1.5 GB (README, "Import formats").
 */
export const MAX_ELEMENT_CHARS = 12 * 1024 * 1024;

/** Thrown when an element grows past the limit; it names the element's line and number. */
export class ElementTooLarge extends Error {
  constructor(
    readonly element: number,
    readonly line: number,
    readonly limit: number,
  ) {
    super(`item ${element} (starting on line ${line}) is larger than ${limit / 1024 / 1024} Mi characters, the most Vaultproof reads for one resource`);
  }
}

export class ArraySplitter {
  private depth = 0;
  private inString = false;
  private escape = false;
  /** Depth of the elements of the target array, once found. */
  private targetDepth = -1;
  private lastKeyAtDepth1: string | null = null;
  private keyStart = -1;
  private keyBuf = '';
  private elem = '';
  private elemStart = -1;
  private done = false;
  line = 1;
  chars = 0;
  /** Elements emitted so far. */
  count = 0;
  /** The line the current element started on. */
  private elemLine = 0;
  /** The key of the array whose elements are emitted (`value`, `data`), or null for a top-level array. */
  targetKey: string | null = null;
  private readonly maxElementChars: number;

  constructor(opts: { maxElementChars?: number } = {}) {
    this.maxElementChars = opts.maxElementChars ?? MAX_ELEMENT_CHARS;
  }

  private emit(out: string[], text: string): void {
    if (text.length > this.maxElementChars) throw new ElementTooLarge(this.count + 1, this.elemLine, this.maxElementChars);
    this.count++;
    out.push(text);
  }
  /** Whether the document's top level was an array (true) or an object (false). */
  topIsArray: boolean | null = null;

  /** Feeds one decoded chunk; returns the complete element texts found in it. */
  push(chunk: string): string[] {
    const out: string[] = [];
    let i = 0;
    const n = chunk.length;
    if (this.elemStart === -2) this.elemStart = 0; // element continued from the previous chunk
    for (; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 10) this.line++;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === 92) this.escape = true;
        else if (c === 34) {
          this.inString = false;
          if (this.keyStart !== -1) {
            this.keyBuf += chunk.slice(this.keyStart, i);
            this.keyStart = -1;
          }
        }
        continue;
      }
      if (c === 32 || c === 10 || c === 13 || c === 9) continue;
      if (this.done) throw this.error(`unexpected content after the end of the document`);
      if (this.depth === this.targetDepth && this.elemStart === -1 && c !== 44 && c !== 93) {
        this.elemStart = i; // first character of an element
        this.elemLine = this.line;
      }
      switch (c) {
        case 34: // "
          this.inString = true;
          if (this.depth === 1 && this.topIsArray === false && this.targetDepth === -1) {
            this.keyBuf = '';
            this.keyStart = i + 1;
          }
          break;
        case 58: // :
          if (this.depth === 1 && this.topIsArray === false) this.lastKeyAtDepth1 = this.keyBuf;
          break;
        case 123: // {
        case 91: // [
          if (this.depth === 0) {
            this.topIsArray = c === 91;
            if (c === 91) this.targetDepth = 1;
          } else if (this.depth === 1 && c === 91 && this.topIsArray === false && this.targetDepth === -1 && (this.lastKeyAtDepth1 === 'value' || this.lastKeyAtDepth1 === 'data')) {
            this.targetDepth = 2;
            this.targetKey = this.lastKeyAtDepth1;
          }
          this.depth++;
          break;
        case 125: // }
        case 93: // ]
          if (this.depth === 0) throw this.error(`unbalanced "${String.fromCharCode(c)}"`);
          if (this.depth === this.targetDepth && this.elemStart !== -1) {
            // a primitive element ended by the closing bracket
            this.emit(out, this.elem + chunk.slice(this.elemStart, i));
            this.elem = '';
            this.elemStart = -1;
          }
          this.depth--;
          if (this.depth === this.targetDepth && this.elemStart !== -1) {
            this.emit(out, this.elem + chunk.slice(this.elemStart, i + 1));
            this.elem = '';
            this.elemStart = -1;
          }
          if (this.depth === this.targetDepth - 1 && c === 93) this.targetDepth = -3; // target array closed
          if (this.depth === 0) this.done = true;
          break;
        case 44: // ,
          if (this.depth === this.targetDepth && this.elemStart !== -1) {
            this.emit(out, this.elem + chunk.slice(this.elemStart, i));
            this.elem = '';
            this.elemStart = -1;
          }
          break;
        default:
          break;
      }
    }
    if (this.elemStart >= 0) {
      // Checked per chunk, so an oversized element is refused after at most one chunk more than the limit.
      if (this.elem.length + (n - this.elemStart) > this.maxElementChars) throw new ElementTooLarge(this.count + 1, this.elemLine, this.maxElementChars);
      this.elem += chunk.slice(this.elemStart);
      this.elemStart = -2;
    }
    if (this.keyStart !== -1) {
      this.keyBuf += chunk.slice(this.keyStart);
      this.keyStart = 0;
    }
    this.chars += n;
    return out;
  }

  /** Checks the document ended properly. */
  end(): void {
    if (this.inString || this.depth !== 0 || this.topIsArray === null) throw this.error('the JSON ends early (truncated file?)');
  }

  get foundArray(): boolean {
    return this.targetDepth !== -1;
  }

  private error(msg: string): Error {
    const e = new Error(msg) as Error & { line: number };
    e.line = this.line;
    return e;
  }
}
