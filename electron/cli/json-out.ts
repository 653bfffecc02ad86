/**
 * Writing a big `--json` report to stdout: the pieces come from the JSON
 * text writers of electron/core/output/json-text.ts (findings, cost) or from
 * the generic piecewise JSON.stringify (run.ts printJson).
 */
import { asEscaped } from '../core/terminal-text.ts';
import { EscapedPieces } from '../core/output/json-text.ts';
import type { CliIo } from './types.ts';

const decoder = new TextDecoder();

/** Text is handed to stdout in pieces of at least this much (the big array's pieces are larger, flat strings). */
const PIECE = 1 << 16;

/**
 * Writes the pieces and a newline to stdout, small pieces gathered to about
 * 64 KB and a big piece as it is (a flat string: a string grown by `+=` is a
 * rope that stdout must flatten, which cost more than encoding it), waiting
 * for drain() when a write says stdout is full. EscapedPieces go through the
 * output guard's stdoutEscaped where it has one; any other text through
 * stdout (which the CLI's guard scans). Their source may be async (a
 * worker's text arriving), and may hold bytes: the UTF-8 of escaped text,
 * written as they are (stdoutBytes).
 */
export async function printPieces(io: CliIo, pieces: Iterable<string> | EscapedPieces): Promise<void> {
  const escaped = pieces instanceof EscapedPieces;
  const write: (t: string) => unknown = escaped && io.stdoutEscaped ? (t) => io.stdoutEscaped!(asEscaped(t)) : (t) => io.stdout(t);
  let buf = '';
  const flush = async (t: string): Promise<void> => {
    if (write(t) === false && io.drain) await io.drain();
  };
  for await (const p of escaped ? pieces.pieces : pieces) {
    if (typeof p !== 'string') {
      // Escaped text as UTF-8 bytes (only EscapedPieces carry them).
      if (buf !== '') await flush(buf);
      buf = '';
      if (io.stdoutBytes) {
        if (io.stdoutBytes(p) === false && io.drain) await io.drain();
      } else await flush(decoder.decode(p));
      continue;
    }
    if (p.length >= PIECE) {
      if (buf !== '') await flush(buf);
      buf = '';
      await flush(p);
      continue;
    }
    buf += p;
    if (buf.length >= PIECE) {
      await flush(buf);
      buf = '';
    }
  }
  await flush(`${buf}\n`);
}
