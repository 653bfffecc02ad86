/**
 * `--json` text of the big analysis reports (findings, cost), written without
 * building a second copy of the report. A 100k-item findings report is 179k
 * findings and 210 MB of text: mapping each finding into a fresh object and
 * handing the whole to the generic piecewise JSON.stringify (printJson) cost
 * ~0.8 s and a large part of the run's garbage. Here each element of the big
 * array is written field by field, straight from the report, by `pretty`.
 *
 * The bytes are exactly `terminalSafe(JSON.stringify(value, null, 2))` of the
 * object the command prints, which is what printJson writes through the
 * output guard (test/analysis/cli-json.test.ts compares them on hand-made
 * reports with awkward values and on random ones). Every string, key included,
 * is escaped where it is written (`jsonSafeString`), so the text goes out
 * without the guard's second scan over the whole output. `pretty` writes plain data itself (strings,
 * finite and non-finite numbers, booleans, null, arrays, plain objects,
 * undefined members left out as JSON.stringify does); anything else (a Date, a
 * value with toJSON, a Map) is given to JSON.stringify at its place.
 */
import { asEscaped, jsonSafeString, terminalSafe } from '../core/terminal-text.ts';
import type { CliIo } from './types.ts';

/** The most text handed to stdout in one write (printJson writes through printPieces too). */
const PIECE = 1 << 16;

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null || proto === Array.prototype;
}

/** Member names repeat (every finding's evidence has the same few): their text, quoted and escaped, made once. Bounded, since tags bring names from data. */
const keyTexts = new Map<string, string>();
function keyText(k: string): string {
  let t = keyTexts.get(k);
  if (t === undefined) {
    t = `${jsonSafeString(k)}: `;
    if (keyTexts.size < 4096) keyTexts.set(k, t);
  }
  return t;
}

/**
 * `terminalSafe(JSON.stringify(v, null, 2))` of a value whose text starts at this indent
 * (every line after the first is indented by it); undefined where
 * JSON.stringify leaves the member out.
 */
export function pretty(v: unknown, indent: string): string | undefined {
  switch (typeof v) {
    case 'string':
      return jsonSafeString(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      if (v === null) return 'null';
      if (!isPlain(v) || typeof (v as { toJSON?: unknown }).toJSON === 'function') {
        const s = JSON.stringify(v, null, 2) as string | undefined;
        return s === undefined ? undefined : terminalSafe(s).replaceAll('\n', `\n${indent}`);
      }
      const inner = `${indent}  `;
      if (Array.isArray(v)) {
        if (v.length === 0) return '[]';
        let out = '[';
        for (let i = 0; i < v.length; i++) out += `${i === 0 ? '\n' : ',\n'}${inner}${pretty(v[i], inner) ?? 'null'}`;
        return `${out}\n${indent}]`;
      }
      let out = '';
      for (const k in v) {
        if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
        const s = pretty((v as Record<string, unknown>)[k], inner);
        if (s === undefined) continue;
        out += `${out === '' ? '{\n' : ',\n'}${inner}${keyText(k)}${s}`;
      }
      return out === '' ? '{}' : `${out}\n${indent}}`;
    }
    case 'bigint':
      return JSON.stringify(v); // throws, as JSON.stringify does
    default:
      return undefined; // undefined, functions, symbols
  }
}

/**
 * One member of an object being written at `indent`: the field of a fixed
 * shape, or nothing where JSON.stringify would leave it out.
 */
export type Member = readonly [key: string, value: unknown];

/**
 * An object's text from its members in order (as `JSON.stringify` of an
 * object literal with those keys), where `big` names one member whose value
 * is an array written element by element with `element` (its elements sit at
 * indent + 4 spaces). Pieces are yielded so the caller can honour stdout's
 * back-pressure.
 */
export function objectPieces<T>(members: readonly Member[], big: { key: string; items: readonly T[]; element: (x: T, indent: string) => string }): EscapedPieces {
  return new EscapedPieces(objectTexts(members, big));
}

function* objectTexts<T>(members: readonly Member[], big: { key: string; items: readonly T[]; element: (x: T, indent: string) => string }): Generator<string> {
  let first = true;
  for (const [k, v] of members) {
    if (k === big.key) {
      yield `${first ? '{' : ','}\n  ${jsonSafeString(k)}: `;
      first = false;
      if (big.items.length === 0) {
        yield '[]';
        continue;
      }
      let buf = '[';
      for (let i = 0; i < big.items.length; i++) {
        buf += `${i === 0 ? '\n' : ',\n'}    ${big.element(big.items[i]!, '    ')}`;
        if (buf.length >= PIECE) {
          yield buf;
          buf = '';
        }
      }
      yield `${buf}\n  ]`;
      continue;
    }
    const s = pretty(v, '  ');
    if (s === undefined) continue;
    yield `${first ? '{' : ','}\n  ${jsonSafeString(k)}: ${s}`;
    first = false;
  }
  yield first ? '{}' : '\n}';
}

/** A member's text already written (by `pretty` at the member's indent), such as a shared array's, made once; undefined leaves the member out. */
export class Verbatim {
  constructor(readonly text: string | undefined) {}
}

/**
 * The text of a fixed-shape element: its members in order, each written by
 * `pretty` (a member whose value is undefined is left out, as JSON.stringify does).
 */
export function elementText(members: readonly unknown[], keys: Shape, indent: string): string {
  const inner = `${indent}  `;
  let out = '';
  for (let i = 0; i < keys.length; i++) {
    const m = members[i];
    const s = m instanceof Verbatim ? m.text : pretty(m, inner);
    if (s === undefined) continue;
    out += `${out === '' ? '{\n' : ',\n'}${inner}${keys[i]}${s}`;
  }
  return out === '' ? '{}' : `${out}\n${indent}}`;
}

declare const shapeBrand: unique symbol;
/** The keys of a fixed-shape element, each as its JSON text and ": ", made once. */
export type Shape = readonly string[] & { readonly [shapeBrand]: true };

export function shape(keys: readonly string[]): Shape {
  return keys.map((k) => `${jsonSafeString(k)}: `) as unknown as Shape;
}

/**
 * Pieces made only by this file's writers (`pretty`, `elementText` with
 * `Verbatim` texts of `pretty`, their own ASCII layout): every character from
 * data is already escaped for a terminal, so the output guard need not scan
 * them again.
 */
export class EscapedPieces implements Iterable<string> {
  constructor(private readonly pieces: Iterable<string>) {}
  [Symbol.iterator](): Iterator<string> {
    return this.pieces[Symbol.iterator]();
  }
}

/**
 * Writes the pieces and a newline to stdout in pieces of about 64 KB, waiting
 * for drain() when a write says stdout is full. EscapedPieces go through the
 * output guard's stdoutEscaped where it has one; any other text through stdout
 * (which the CLI's guard scans).
 */
export async function printPieces(io: CliIo, pieces: Iterable<string> | EscapedPieces): Promise<void> {
  const write: (t: string) => unknown = pieces instanceof EscapedPieces && io.stdoutEscaped ? (t) => io.stdoutEscaped!(asEscaped(t)) : (t) => io.stdout(t);
  let buf = '';
  for (const p of pieces) {
    buf += p;
    if (buf.length >= PIECE) {
      const more = write(buf);
      buf = '';
      if (more === false && io.drain) await io.drain();
    }
  }
  const more = write(`${buf}\n`);
  if (more === false && io.drain) await io.drain();
}
