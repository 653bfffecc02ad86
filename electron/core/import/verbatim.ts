/**
 * What JSON.parse hides about one element's text: a key given twice in the
 * same object. JSON.parse keeps the last value and says nothing; the raw text
 * the store keeps still holds both, and the importer warns, naming the key
 * and the record. One pass over the text, which JSON.parse has already
 * accepted (so it is well-formed): only strings, escapes and nesting are
 * tracked. (Unpaired surrogate escapes are refused on the parsed value, in
 * shape.ts, so CSV and table rows are covered too.)
 */

export type ElementScan = {
  /** Each repeated key, where it is (a path like `properties.policyId`), in text order. */
  duplicates: Array<{ path: string; key: string }>;
};

/** One open object or array; its path is built only when a duplicate is reported. */
type Frame = { array: boolean; parent: Frame | null; index: number; keys: Set<string> | null; key: string | null };

function pathOf(f: Frame | null): string {
  if (!f?.parent) return '';
  const p = f.parent;
  const base = pathOf(p);
  if (p.array) return `${base}[${p.index}]`;
  return base ? `${base}.${p.key ?? ''}` : (p.key ?? '');
}

/** Scans one element's JSON text; stops counting duplicates at `maxDuplicates`. */
export function scanElement(text: string, maxDuplicates = 20): ElementScan {
  const out: ElementScan = { duplicates: [] };
  let top: Frame | null = null;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // Jump to the closing quote (indexOf is much faster than a character loop over long values): a quote
      // preceded by an odd number of backslashes is escaped.
      const start = i + 1;
      let j = text.indexOf('"', start);
      for (;;) {
        if (j < 0) {
          j = n;
          break;
        }
        let b = 0;
        while (text.charCodeAt(j - 1 - b) === 92) b++;
        if (b % 2 === 0) break;
        j = text.indexOf('"', j + 1);
      }
      if (top && !top.array && top.key === null) {
        // A key: decoded only when it holds escapes (the common case is a plain slice).
        const raw = text.slice(start, j);
        const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        top.key = key;
        if (top.keys!.has(key)) {
          if (out.duplicates.length < maxDuplicates) {
            const base = pathOf(top);
            out.duplicates.push({ path: base ? `${base}.${key}` : key, key });
          }
        } else top.keys!.add(key);
      }
      i = j;
      continue;
    }
    if (c === 123 || c === 91) {
      top = { array: c === 91, parent: top, index: 0, keys: c === 123 ? new Set() : null, key: null };
    } else if ((c === 125 || c === 93) && top !== null) {
      const closed: Frame = top;
      top = closed.parent;
    } else if (c === 44 && top) {
      if (top.array) top.index++;
      else top.key = null;
    }
  }
  return out;
}

/** Keys written in a JSON text: each key's closing quote is a `"` after an even run of backslashes, then JSON whitespace and `:`. */
const KEY_END = /"[ \t\r\n]*:/g;

function keysInText(text: string): number {
  let n = 0;
  KEY_END.lastIndex = 0;
  for (let m = KEY_END.exec(text); m !== null; m = KEY_END.exec(text)) {
    let b = 0;
    while (text.charCodeAt(m.index - 1 - b) === 92) b++;
    if (b % 2 === 0) n++;
  }
  return n;
}

/** Own keys of every object in a parsed JSON value; iterative, as deep as the value is. */
function keysInValue(root: unknown): number {
  let n = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null) continue;
    if (Array.isArray(v)) {
      for (const c of v) if (typeof c === 'object' && c !== null) stack.push(c);
      continue;
    }
    const o = v as Record<string, unknown>;
    for (const k in o) {
      n++;
      const c = o[k];
      if (typeof c === 'object' && c !== null) stack.push(c);
    }
  }
  return n;
}

/**
 * Whether an element's text may hold a key twice, from a count instead of a
 * scan (issue 17: scanElement was a tenth of the parsing thread's time).
 * `value` is JSON.parse of `text`, which keeps one key of each repeated set,
 * so it has as many keys as the text minus the repeats. The count of the text
 * is never below its real number of keys (every key's closing quote is
 * counted; an opening quote followed by `:`, as in `":x"`, adds a spurious
 * one), so equal counts mean no key repeats; anything else asks scanElement,
 * which finds and names the repeats, if any.
 */
export function mayRepeatKeys(text: string, value: unknown): boolean {
  return keysInText(text) !== keysInValue(value);
}
