import { badInput } from '../errors.ts';

export type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16le-bom' | 'utf-16be-bom';

/** Detects the encoding from the byte-order mark; refuses text we would have to guess. */
export function detectEncoding(head: Buffer, file: string): Encoding {
  // UTF-32's BOM starts like UTF-16 LE's: look for it first.
  if (head.length >= 4 && ((head[0] === 0xff && head[1] === 0xfe && head[2] === 0 && head[3] === 0) || (head[0] === 0 && head[1] === 0 && head[2] === 0xfe && head[3] === 0xff))) {
    throw badInput(`${file}: UTF-32 text; Vaultproof reads UTF-8 and UTF-16 — re-save it as UTF-8`, { file });
  }
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8-bom';
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le-bom';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be-bom';
  // UTF-16 without a BOM: every other byte of ASCII text is NUL.
  const sample = head.subarray(0, Math.min(head.length, 512));
  let nulEven = 0;
  let nulOdd = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] !== 0) continue;
    if (i % 2 === 0) nulEven++;
    else nulOdd++;
  }
  if (sample.length >= 4 && (nulOdd > sample.length / 4 || nulEven > sample.length / 4)) {
    throw badInput(
      `${file}: looks like UTF-16 text without a byte-order mark; Vaultproof does not guess encodings — re-save it as UTF-8 (or UTF-16 with BOM, as Windows PowerShell writes)`,
      { file },
    );
  }
  if (sample.includes(0)) throw badInput(`${file}: binary data (NUL bytes), not a JSON or CSV export`, { file });
  return 'utf-8';
}

/** Decodes a whole buffer strictly: invalid UTF-8 is an error naming the byte offset. */
export function decodeText(buf: Buffer, file: string): { text: string; encoding: Encoding } {
  const encoding = detectEncoding(buf, file);
  try {
    switch (encoding) {
      case 'utf-8-bom':
        return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(3)), encoding };
      case 'utf-16le-bom':
        return { text: new TextDecoder('utf-16le', { fatal: true }).decode(buf.subarray(2)), encoding };
      case 'utf-16be-bom':
        return { text: new TextDecoder('utf-16be', { fatal: true }).decode(buf.subarray(2)), encoding };
      default:
        return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding };
    }
  } catch {
    if (encoding.startsWith('utf-16')) {
      const at = firstInvalidUtf16(buf, encoding === 'utf-16le-bom');
      const where = at === buf.length - 1 ? 'it ends in the middle of a character (truncated file?)' : `an unpaired surrogate at byte ${at}`;
      throw badInput(`${file}: not valid UTF-16 text: ${where}; expected a JSON or CSV export`, { file });
    }
    throw badInput(`${file}: not valid UTF-8 text (at byte ${firstInvalidUtf8(buf)}); expected a JSON or CSV export`, { file });
  }
}

/** Byte offset of the first code unit that is not part of well-formed UTF-16 (after the 2-byte BOM). */
function firstInvalidUtf16(buf: Buffer, le: boolean): number {
  const unit = (i: number) => (le ? buf[i]! | (buf[i + 1]! << 8) : (buf[i]! << 8) | buf[i + 1]!);
  let i = 2;
  while (i + 1 < buf.length) {
    const u = unit(i);
    if (u >= 0xd800 && u <= 0xdbff) {
      if (i + 3 >= buf.length) return buf.length - 1;
      const next = unit(i + 2);
      if (next < 0xdc00 || next > 0xdfff) return i;
      i += 4;
    } else if (u >= 0xdc00 && u <= 0xdfff) return i;
    else i += 2;
  }
  return i < buf.length ? buf.length - 1 : i;
}

function firstInvalidUtf8(buf: Buffer): number {
  // Binary search would need a streaming decoder; a linear scan of the lead bytes is enough for a message.
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    const n = b < 0x80 ? 1 : b >> 5 === 0x6 ? 2 : b >> 4 === 0xe ? 3 : b >> 3 === 0x1e ? 4 : 0;
    if (n === 0) return i;
    for (let k = 1; k < n; k++) if (i + k >= buf.length || buf[i + k]! >> 6 !== 0x2) return i;
    i += n;
  }
  return i;
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  const end = Math.min(pos, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: end - last };
}

/**
 * JSON.parse's complaint without the input it quotes (V8 adds `"root:x:0:0"...
 * is not valid JSON` and the offending character): an error names the place,
 * never the content, so a wrong file is not printed back.
 */
export function jsonProblem(message: string): string {
  return message
    .replace(/( in JSON)? at position \d+[\s\S]*$/, '')
    .replace(/,? "[\s\S]*"(\.\.\.)? is not valid JSON$/, '')
    .replace(/^Unexpected token [\s\S]*$/, 'Unexpected character')
    .replace(/^"[\s\S]*" is not valid JSON$/, 'Not valid JSON');
}

/** JSON.parse with an error that names the file, line and column. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    if (e instanceof RangeError) throw badInput(`${file}: the JSON is nested too deeply to read (${e.message})`, { file });
    const msg = (e as Error).message;
    const m = /position (\d+)/.exec(msg);
    const truncated = /end of JSON input|Unterminated string/i.test(msg) || (m !== null && Number(m[1]) >= text.trimEnd().length);
    // A truncated file is reported where it ends; anything else where the parser stopped.
    const pos = truncated || !m ? text.length : Number(m[1]);
    const { line, column } = lineColumn(text, pos);
    const what = truncated ? 'the JSON ends early (truncated file?)' : jsonProblem(msg);
    throw badInput(`${file}:${line}:${column}: invalid JSON: ${what}`, { file, line, column });
  }
}
