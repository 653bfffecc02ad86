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

type Frame = { array: boolean; path: string; index: number; keys: Set<string> | null; key: string | null };

function child(path: string, f: Frame): string {
  if (f.array) return `${path}[${f.index}]`;
  const k = f.key ?? '';
  return path ? `${path}.${k}` : k;
}

/** Scans one element's JSON text; stops counting duplicates at `maxDuplicates`. */
export function scanElement(text: string, maxDuplicates = 20): ElementScan {
  const out: ElementScan = { duplicates: [] };
  const stack: Frame[] = [];
  let top: Frame | null = null;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      const start = i + 1;
      let j = start;
      let escaped = false;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (d === 92) {
          escaped = true;
          j++;
        } else if (d === 34) break;
      }
      if (top && !top.array && top.key === null) {
        // A key: decoded only when it holds escapes (the common case is a plain slice).
        const raw = text.slice(start, j);
        const key = escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
        top.key = key;
        if (top.keys!.has(key)) {
          if (out.duplicates.length < maxDuplicates) out.duplicates.push({ path: top.path ? `${top.path}.${key}` : key, key });
        } else top.keys!.add(key);
      }
      i = j;
      continue;
    }
    if (c === 123 || c === 91) {
      const path: string = top ? child(top.path, top) : '';
      if (top) stack.push(top);
      top = { array: c === 91, path, index: 0, keys: c === 123 ? new Set() : null, key: null };
    } else if (c === 125 || c === 93) {
      top = stack.pop() ?? null;
    } else if (c === 44 && top) {
      if (top.array) top.index++;
      else top.key = null;
    }
  }
  return out;
}
