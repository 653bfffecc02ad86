/**
 * Re-indents JSON text for reading without parsing it: only whitespace
 * between tokens changes, every number, string and escape stays as written
 * (JSON.parse would turn 12345678901234567891 into 12345678901234567000, and
 * of two equal keys keep one). Text that is not well-formed comes back
 * unchanged rather than half re-indented.
 */
export function reindentJson(text: string, indent = '  '): string {
  let out = '';
  let depth = 0;
  let i = 0;
  const n = text.length;
  const newline = () => '\n' + indent.repeat(depth);
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= n) return text;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === '{' || c === '[') {
      // An empty object or array stays on one line.
      let j = i + 1;
      while (j < n && /\s/.test(text[j]!)) j++;
      if (text[j] === (c === '{' ? '}' : ']')) {
        out += c + text[j];
        i = j + 1;
        continue;
      }
      depth++;
      out += c + newline();
      i++;
      continue;
    }
    if (c === '}' || c === ']') {
      if (depth === 0) return text;
      depth--;
      out += newline() + c;
      i++;
      continue;
    }
    if (c === ',') {
      out += ',' + newline();
      i++;
      continue;
    }
    if (c === ':') {
      out += ': ';
      i++;
      continue;
    }
    // A literal (number, true, false, null): copied up to the next delimiter.
    let j = i;
    while (j < n && !/[\s,:{}[\]"]/.test(text[j]!)) j++;
    out += text.slice(i, j);
    i = j;
  }
  return depth === 0 ? out : text;
}
