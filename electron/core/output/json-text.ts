/**
 * `--json` text of the big analysis reports (findings, cost), written without
 * building a second copy of the report. A 100k-item findings report is 179k
 * findings and 210 MB of text: mapping each finding into a fresh object and
 * handing the whole to the generic piecewise JSON.stringify (printJson) cost
 * ~0.8 s and a large part of the run's garbage. Here each element of the big
 * array is written field by field, straight from the report, by `pushPretty`:
 * the text is pushed as pieces (layout strings made once, the data's own
 * strings) and joined once per 48 elements into one flat ~57 KB string, which
 * stdout encodes in one pass (a string grown by `+=` is a rope of millions of
 * pieces that stdout had to flatten: writing cost 0.37 s of CPU, now ~0.12-0.2 s).
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
import { jsonSafeString, terminalSafe } from '../terminal-text.ts';

/** Elements of the big array per piece: about 57 KB of findings text, joined once into one flat string (300 KB pieces cost more system time: a pipe takes 64 KB at a time). */
export const ELEMENTS_PER_PIECE = 48;

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null || proto === Array.prototype;
}

// eslint-disable-next-line no-control-regex -- what jsonSafeString escapes: quote, backslash, C0, C1 and DEL, bidi controls, surrogates
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/;

/**
 * A member name's text, quoted, escaped and followed by ": ", made once
 * (every finding's evidence has the same few names), and the last plain string
 * value written under it: neighbouring findings repeat values (vault, state,
 * policy, asOf), and a repeat needs no second escape test. Bounded, since tags
 * bring names from data.
 */
type KeySlot = { readonly text: string; last: string | null };
const keySlots = new Map<string, KeySlot>();
function keySlot(k: string): KeySlot {
  let t = keySlots.get(k);
  if (t === undefined) {
    t = { text: `${jsonSafeString(k)}: `, last: null };
    if (keySlots.size < 4096) keySlots.set(k, t);
  }
  return t;
}

/**
 * Pushes the JSON text of a string, `jsonSafeString(s)`: a plain one (almost
 * all) as its quotes and itself, so no new string is made for it. Says
 * whether it was plain (nothing to escape).
 */
export function pushString(out: string[], s: string): boolean {
  if (NEEDS_ESCAPE.test(s)) {
    out.push(jsonSafeString(s));
    return false;
  }
  out.push('"', s, '"');
  return true;
}

/**
 * Pushes `terminalSafe(JSON.stringify(v, null, 2))` of a value whose text
 * starts at this indent (every line after the first is indented by it) onto
 * `out`, piece by piece; returns false, pushing nothing, where JSON.stringify
 * leaves the member out (undefined, a function, a symbol). Pieces are the
 * value's own strings and shared layout strings, so writing makes almost no
 * new strings; the caller joins them once.
 */
export function pushPretty(out: string[], v: unknown, indent: string): boolean {
  switch (typeof v) {
    case 'string':
      pushString(out, v);
      return true;
    case 'number':
      out.push(Number.isFinite(v) ? String(v) : 'null');
      return true;
    case 'boolean':
      out.push(v ? 'true' : 'false');
      return true;
    case 'object': {
      if (v === null) {
        out.push('null');
        return true;
      }
      if (!isPlain(v) || typeof (v as { toJSON?: unknown }).toJSON === 'function') {
        const s = JSON.stringify(v, null, 2) as string | undefined;
        if (s === undefined) return false;
        out.push(terminalSafe(s).replaceAll('\n', `\n${indent}`));
        return true;
      }
      const inner = `${indent}  `;
      if (Array.isArray(v)) {
        if (v.length === 0) {
          out.push('[]');
          return true;
        }
        for (let i = 0; i < v.length; i++) {
          out.push(i === 0 ? '[\n' : ',\n', inner);
          if (!pushPretty(out, v[i], inner)) out.push('null');
        }
        out.push('\n', indent, ']');
        return true;
      }
      const mark = out.length;
      for (const k in v) {
        if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
        const x = (v as Record<string, unknown>)[k];
        const slot = keySlot(k);
        const at = out.length;
        out.push(at === mark ? '{\n' : ',\n', inner, slot.text);
        if (typeof x === 'string') {
          if (x === slot.last) out.push('"', x, '"');
          else if (NEEDS_ESCAPE.test(x)) out.push(jsonSafeString(x));
          else {
            out.push('"', x, '"');
            slot.last = x;
          }
        } else if (!pushPretty(out, x, inner)) out.length = at;
      }
      if (out.length === mark) out.push('{}');
      else out.push('\n', indent, '}');
      return true;
    }
    case 'bigint':
      JSON.stringify(v); // throws, as JSON.stringify does
      return false;
    default:
      return false; // undefined, functions, symbols
  }
}

/**
 * `terminalSafe(JSON.stringify(v, null, 2))` of a value whose text starts at this indent
 * (every line after the first is indented by it); undefined where
 * JSON.stringify leaves the member out.
 */
export function pretty(v: unknown, indent: string): string | undefined {
  const out: string[] = [];
  return pushPretty(out, v, indent) ? out.join('') : undefined;
}

/**
 * One member of an object being written: the field of a fixed
 * shape, or nothing where JSON.stringify would leave it out.
 */
export type Member = readonly [key: string, value: unknown];

/**
 * How the big array's elements are written: `element` returns one element's
 * text; `push` pushes its pieces (pushPretty, pushElement) instead, so a piece
 * of many elements is joined once into one flat string. Elements sit at
 * indent + 4 spaces.
 */
export type BigArray<T> = { key: string; items: readonly T[] } & ({ element: (x: T, indent: string) => string } | { push: (out: string[], x: T, indent: string) => void });

/**
 * An object's text from its members in order (as `JSON.stringify` of an
 * object literal with those keys), where `big` names one member whose value
 * is an array written element by element (its elements sit at indent + 4
 * spaces). Pieces are yielded so the caller can honour stdout's back-pressure.
 */
export function objectPieces<T>(members: readonly Member[], big: BigArray<T>): EscapedPieces {
  return new EscapedPieces(objectWithArray(members, big.key, arrayTexts(big)));
}

/** The big array's text, "[" to "]", its elements joined ELEMENTS_PER_PIECE at a time into one flat piece. */
function* arrayTexts<T>(big: BigArray<T>): Generator<string> {
  if (big.items.length === 0) {
    yield '[]';
    return;
  }
  const push = 'push' in big ? big.push : (out: string[], x: T, indent: string) => void out.push(big.element(x, indent));
  let out: string[] = ['['];
  for (let i = 0; i < big.items.length; i++) {
    out.push(i === 0 ? '\n    ' : ',\n    ');
    push(out, big.items[i]!, '    ');
    if (i % ELEMENTS_PER_PIECE === ELEMENTS_PER_PIECE - 1) {
      yield out.join('');
      out = [];
    }
  }
  out.push('\n  ]');
  yield out.join('');
}

/**
 * An object's text from its members in order (as `JSON.stringify` of an
 * object literal with those keys), where the member `key` is an array whose
 * whole text, "[" to "]", comes from `array` piece by piece: objectPieces'
 * elements, or electron/core/analysis/findings-split.ts's, half of them as a
 * worker thread writes them. Its pieces must be escaped as this file's are.
 */
export async function* objectWithArray(members: readonly Member[], key: string, array: Iterable<string> | AsyncIterable<string | Uint8Array>): AsyncGenerator<string | Uint8Array> {
  let first = true;
  for (const [k, v] of members) {
    if (k === key) {
      yield `${first ? '{' : ','}\n  ${jsonSafeString(k)}: `;
      first = false;
      yield* array;
      continue;
    }
    const out: string[] = [];
    if (!pushPretty(out, v, '  ')) continue;
    yield `${first ? '{' : ','}\n  ${jsonSafeString(k)}: ${out.join('')}`;
    first = false;
  }
  yield first ? '{}' : '\n}';
}

/** A member's text already written (by `pretty` at the member's indent), such as a shared array's, made once; undefined leaves the member out. */
export class Verbatim {
  constructor(readonly text: string | undefined) {}
}

/**
 * Pushes the text of a fixed-shape element: its members in order, each
 * written by `pushPretty` (a member whose value is undefined is left out, as
 * JSON.stringify does).
 */
export function pushElement(out: string[], members: readonly unknown[], keys: Shape, indent: string): void {
  const inner = `${indent}  `;
  const mark = out.length;
  for (let i = 0; i < keys.length; i++) {
    const m = members[i];
    const at = out.length;
    out.push(at === mark ? '{\n' : ',\n', inner, keys[i]!);
    if (m instanceof Verbatim) {
      if (m.text === undefined) out.length = at;
      else out.push(m.text);
    } else if (!pushPretty(out, m, inner)) out.length = at;
  }
  if (out.length === mark) out.push('{}');
  else out.push('\n', indent, '}');
}

/** The text of a fixed-shape element (pushElement's pieces, joined). */
export function elementText(members: readonly unknown[], keys: Shape, indent: string): string {
  const out: string[] = [];
  pushElement(out, members, keys, indent);
  return out.join('');
}

declare const shapeBrand: unique symbol;
/** The keys of a fixed-shape element, each as its JSON text and ": ", made once. */
export type Shape = readonly string[] & { readonly [shapeBrand]: true };

export function shape(keys: readonly string[]): Shape {
  return keys.map((k) => `${jsonSafeString(k)}: `) as unknown as Shape;
}

/**
 * Pieces made only by this file's writers (`pretty`, `pushPretty`,
 * `pushElement` with `Verbatim` texts of `pretty`, their own ASCII layout):
 * every character from data is already escaped for a terminal, so the output
 * guard need not scan them again.
 */
export class EscapedPieces {
  /** The pieces, in order; an async source (findings-split.ts) yields as its thread's text arrives, as UTF-8 bytes. */
  constructor(readonly pieces: Iterable<string> | AsyncIterable<string | Uint8Array>) {}
}
