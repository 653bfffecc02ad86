/**
 * Natural name order ("db_2" before "db_10", issue 15 item 5) as a sort key:
 * a string whose plain code-point order (SQLite's BINARY collation compares
 * UTF-8 bytes, which is code-point order) is the natural order of the names.
 * The store keeps it in items.name_key (migration 008) so 100k items sort by
 * name on an index, never in JS and never through a per-query expression.
 *
 * The key is `primary + U+0001 + name`:
 * - primary: the name in NFKC, lower-cased (case and compatibility forms such
 *   as full-width letters compare equal first), C0 control characters as a
 *   space; every run of ASCII digits is replaced by its number, encoded so
 *   that text order is numeric order: leading zeros dropped ("0" kept for
 *   zero), then `c L d` where d is the digits, L the count of d's digits in
 *   decimal and c the count of L's digits (one character, 1–9). The
 *   encoding is self-delimiting, so two different numbers differ inside it;
 *   as it starts with a digit, a number sorts against text as a digit
 *   character does (after "-" and ".", before "_" and letters).
 *   Only the first PRIMARY_CHARS characters make the primary: names that long
 *   are already apart there, and a 12 Mi-character name (the importer's
 *   element limit) would otherwise be copied four times over to build a key.
 * - U+0001 then the name itself, unchanged: a tiebreak, so names equal in the
 *   primary ("DB-1", "db-01") still sort the same way every time and no two
 *   distinct names share a key (the name can be read back after the first
 *   U+0001, which the primary never holds). U+0001 is below every character
 *   the primary holds, so "db" sorts before "db-1".
 *
 * The version is in the name of the SQL function migration 008 registers
 * (vp_name_key_v1): a changed encoding needs a new migration that rewrites
 * the keys, since the index holds them (test/domain/natural-sort.test.ts pins it).
 */

const TIEBREAK = '\u0001';
/** How much of a name the primary reads (Azure names and friendly names are far shorter). */
export const PRIMARY_CHARS = 512;
/** C0 controls (U+0000–U+001F), the tiebreak's own range: built from codes so the pattern holds no control character. */
const CONTROL = new RegExp(`[${String.fromCharCode(0)}-${String.fromCharCode(0x1f)}]`, 'g');

function encodeNumber(digits: string): string {
  const d = digits.replace(/^0+/, '') || '0';
  const len = String(d.length);
  return `${len.length}${len}${d}`;
}

/** The natural sort key of a name (see the file comment). */
export function nameSortKey(name: string): string {
  let head = name.length > PRIMARY_CHARS ? name.slice(0, PRIMARY_CHARS) : name;
  // Never end the head on half of a surrogate pair.
  if (head.length < name.length && /[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
  const primary = head
    .normalize('NFKC')
    .toLowerCase()
    .replace(CONTROL, ' ')
    .replace(/[0-9]+/g, encodeNumber);
  return `${primary}${TIEBREAK}${name}`;
}

/** Code-point order (SQLite's BINARY order on UTF-8 text), unlike `<` on JS strings, which compares UTF-16 units. */
export function compareCodePoints(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(j)!;
    if (x !== y) return x < y ? -1 : 1;
    i += x > 0xffff ? 2 : 1;
    j += y > 0xffff ? 2 : 1;
  }
  if (i < a.length) return 1;
  return j < b.length ? -1 : 0;
}

/** Natural order of two names, as the store sorts them. */
export function compareNamesNaturally(a: string, b: string): number {
  return compareCodePoints(nameSortKey(a), nameSortKey(b));
}
