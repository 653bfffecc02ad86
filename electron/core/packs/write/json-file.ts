/**
 * The pack's analysis data files (data/findings.json, cost.json, diff.json…)
 * written piece by piece. At 100k items findings.json is ~250 MB of text:
 * JSON.stringify made it one string, and the file writer then one Buffer of
 * it, ~0.7 GB at once on top of the analysis. Here each element of a large
 * array is stringified on its own and handed to the writer, so the peak is
 * one element. The bytes are exactly those of `JSON.stringify(value, null, 2)`
 * (a test compares them), so nothing a reader or a verifier sees changes.
 */

type Sink = { write(s: string): void };

const GAP = '  ';
/** Containers this deep and deeper are stringified whole: the big arrays sit at depth 1. */
const LEAF_DEPTH = 2;

/** Leaf elements stringified per call: big enough to amortise the call, small enough to stay a small piece. */
const CHUNK = 64;

function hasToJson(v: unknown): boolean {
  return v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function';
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** As JSON.stringify applies it: toJSON(key) first. */
function prepared(v: unknown, key: string): unknown {
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') return (v as { toJSON(k: string): unknown }).toJSON(key);
  return v;
}

/** The value's JSON text at this depth, or undefined where JSON.stringify would leave it out. */
function leaf(v: unknown, indent: string): string | undefined {
  const s = JSON.stringify(v, null, 2) as string | undefined;
  if (s === undefined) return undefined;
  // JSON text never holds a raw newline inside a string, so each newline is a line break to indent.
  return indent === '' ? s : s.replaceAll('\n', `\n${indent}`);
}

/** The pieces of the value's JSON text at this depth, in order; returns false where JSON.stringify would leave it out (nothing yielded). */
function* emit(v: unknown, depth: number, indent: string): Generator<string, boolean> {
  if (depth >= LEAF_DEPTH || v === null || typeof v !== 'object' || (!Array.isArray(v) && !isPlainObject(v))) {
    const s = leaf(v, indent);
    if (s === undefined) return false;
    yield s;
    return true;
  }
  const inner = indent + GAP;
  if (Array.isArray(v)) {
    if (v.length === 0) {
      yield '[]';
      return true;
    }
    yield '[';
    for (let i = 0; i < v.length; i += CHUNK) {
      const slice = v.slice(i, i + CHUNK);
      if (depth + 1 >= LEAF_DEPTH && !slice.some(hasToJson)) {
        // A run of leaf elements in one JSON.stringify call ("[\n  a,\n  b\n]"): its lines moved
        // to this depth. (toJSON gets its index as key, so elements with one go one by one.)
        const body = (JSON.stringify(slice, null, 2) as string).slice(2, -2);
        yield `${i === 0 ? '\n' : ',\n'}${indent}${body.replaceAll('\n', `\n${indent}`)}`;
        continue;
      }
      for (let j = i; j < i + slice.length; j++) {
        yield j === 0 ? `\n${inner}` : `,\n${inner}`;
        if (!(yield* emit(prepared(v[j], String(j)), depth + 1, inner))) yield 'null';
      }
    }
    yield `\n${indent}]`;
    return true;
  }
  let first = true;
  for (const k of Object.keys(v)) {
    const x = prepared((v as Record<string, unknown>)[k], k);
    if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
    yield `${first ? '{' : ','}\n${inner}${JSON.stringify(k)}: `;
    first = false;
    yield* emit(x, depth + 1, inner);
  }
  yield first ? '{}' : `\n${indent}}`;
  return true;
}

/**
 * The pieces of `JSON.stringify(value, null, 2)`, one at a time, so a consumer
 * can pause between them (the CLI waits for stdout to drain); the generator
 * returns false when that would be undefined (nothing yielded).
 */
export function prettyJsonPieces(value: unknown): Generator<string, boolean> {
  return emit(prepared(value, ''), 0, '');
}

/** Writes `JSON.stringify(value, null, 2)` to the sink in pieces; false when that would be undefined (nothing written). */
export function writePrettyJson(w: Sink, value: unknown): boolean {
  const g = prettyJsonPieces(value);
  for (let r = g.next(); ; r = g.next()) {
    if (r.done) return r.value;
    w.write(r.value);
  }
}

/**
 * Writes `JSON.stringify(value, null, 2)` where each `value[key]` named in
 * `streams` is the array of the elements given there as a stream: the
 * object's other members are written as writePrettyJson writes them, the
 * arrays one element at a time, so a 200k-element array is never held
 * (issue 17). Each key must name a member of the top-level object.
 */
export function writePrettyJsonStreaming(w: Sink, value: Record<string, unknown>, streams: Record<string, Iterable<unknown>>): void {
  const byMarker = new Map<string, Iterable<unknown>>();
  const withMarkers: Record<string, unknown> = { ...value };
  for (const [key, elements] of Object.entries(streams)) {
    if (!(key in value)) throw new Error(`writePrettyJsonStreaming: no member ${key}`);
    const marker = `\u0000vp-stream:${key}\u0000`;
    withMarkers[key] = marker;
    byMarker.set(JSON.stringify(marker), elements);
  }
  const g = prettyJsonPieces(withMarkers);
  for (let r = g.next(); !r.done; r = g.next()) {
    const elements = byMarker.get(r.value);
    if (elements === undefined) {
      w.write(r.value);
      continue;
    }
    byMarker.delete(r.value);
    // An array at depth 1: elements indented by two levels, as JSON.stringify lays them out.
    let n = 0;
    for (const el of elements) {
      const s = JSON.stringify(el, null, 2) as string | undefined;
      w.write(`${n === 0 ? '[\n    ' : ',\n    '}${s === undefined ? 'null' : s.replaceAll('\n', '\n    ')}`);
      n++;
    }
    w.write(n === 0 ? '[]' : '\n  ]');
  }
  if (byMarker.size > 0) throw new Error('writePrettyJsonStreaming: a streamed member was not written');
}
