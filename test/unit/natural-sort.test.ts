import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareCodePoints, compareNamesNaturally, nameSortKey } from '../../shared/domain/natural-sort.ts';

/** SQLite's BINARY collation: memcmp of the UTF-8 bytes. */
function sqliteOrder(a: string, b: string): number {
  return Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
}

function sortNatural(names: string[]): string[] {
  return [...names].sort((a, b) => sqliteOrder(nameSortKey(a), nameSortKey(b)));
}

describe('nameSortKey', () => {
  it('encodes digit runs as count-of-length, length, digits, then U+0001 and the name (worked by hand)', () => {
    // "db_2": "2" has 1 digit, "1" has 1 digit → "1" "1" "2".
    assert.equal(nameSortKey('db_2'), 'db_112\u0001db_2');
    // "db_10": 2 digits → "1" "2" "10".
    assert.equal(nameSortKey('db_10'), 'db_1210\u0001db_10');
    // Leading zeros dropped; zero stays "0".
    assert.equal(nameSortKey('vm-007'), 'vm-117\u0001vm-007');
    assert.equal(nameSortKey('x000'), 'x110\u0001x000');
    // A 12-digit run: length "12" has 2 digits → "2" "12" then the digits.
    assert.equal(nameSortKey('n123456789012'), 'n212123456789012\u0001n123456789012');
    // Lower-cased primary, the name unchanged after the tiebreak.
    assert.equal(nameSortKey('VM-11'), 'vm-1211\u0001VM-11');
    assert.equal(nameSortKey(''), '\u0001');
    // Non-Latin text stays as it is (NFKC: half-width katakana would become full-width; these already are).
    assert.equal(nameSortKey('財務サーバー-東京'), '財務サーバー-東京\u0001財務サーバー-東京');
    // Full-width digits are digits after NFKC.
    assert.equal(nameSortKey('ｄｂ２'), 'db112\u0001ｄｂ２');
    // A control character cannot be mistaken for the tiebreak.
    assert.equal(nameSortKey('a\u0001b'), 'a b\u0001a\u0001b');
  });

  it('db_2 before db_10, vm-9 < vm-10 < VM-11, a2b < a10b, whatever the input order', () => {
    assert.deepEqual(sortNatural(['db_10', 'db_2', 'db_1']), ['db_1', 'db_2', 'db_10']);
    assert.deepEqual(sortNatural(['VM-11', 'vm-10', 'vm-9']), ['vm-9', 'vm-10', 'VM-11']);
    assert.deepEqual(sortNatural(['a10b', 'a2b']), ['a2b', 'a10b']);
    // Plain text order would put these the other way round (the test checks something).
    assert.equal(sqliteOrder('db_10', 'db_2'), -1);
    assert.equal(sqliteOrder('VM-11', 'vm-10'), -1);
  });

  it('case first compares equal, then the tiebreak orders by the name itself (upper case first)', () => {
    assert.deepEqual(sortNatural(['db-b', 'DB-A', 'db-a', 'Db-a']), ['DB-A', 'Db-a', 'db-a', 'db-b']);
  });

  it('leading zeros compare by value; equal values tie-break on the name ("01" before "1")', () => {
    assert.deepEqual(sortNatural(['vm-10', 'vm-1', 'vm-01', 'vm-002', 'vm-0']), ['vm-0', 'vm-01', 'vm-1', 'vm-002', 'vm-10']);
  });

  it('a name sorts before its extensions; numbers against text as a digit character would', () => {
    assert.deepEqual(sortNatural(['db-1', 'db', 'db1', 'db_1', 'dba']), ['db', 'db-1', 'db1', 'db_1', 'dba']);
    assert.deepEqual(sortNatural(['', 'a']), ['', 'a']);
  });

  it('long digit runs compare numerically (beyond any JS number)', () => {
    const big = '99999999999999999999';
    const bigger = '100000000000000000000';
    assert.deepEqual(sortNatural([`x${bigger}`, `x${big}`, 'x9']), ['x9', `x${big}`, `x${bigger}`]);
  });

  it('unicode names order by code point after the ASCII ones, and several digit runs each compare', () => {
    assert.deepEqual(sortNatural(['財務サーバー-東京', '財務サーバー-大阪', 'zeta']), ['zeta', '財務サーバー-大阪', '財務サーバー-東京']);
    assert.deepEqual(sortNatural(['s10-d2', 's2-d10', 's2-d9']), ['s2-d9', 's2-d10', 's10-d2']);
  });

  it('distinct names never share a key', () => {
    const names = ['db', 'DB', 'db1', 'db01', 'db001', 'Db1', 'ｄｂ1', 'db 1', 'db\t1', 'db\u00001', '', ' '];
    assert.equal(new Set(names.map(nameSortKey)).size, names.length);
  });
  it('reads only the first 512 characters for the primary: a 12 Mi-character name costs one copy, and the name still breaks ties', () => {
    const big = 'A'.repeat(12 * 1024 * 1024);
    const k = nameSortKey(big);
    // 512 lower-case a's, U+0001, then the name unchanged.
    assert.equal(k.length, 512 + 1 + big.length);
    assert.equal(k.slice(0, 513), `${'a'.repeat(512)}\u0001`);
    // Two names equal in their first 512 characters differ after the tiebreak, in the name's own order.
    const a = `${'x'.repeat(600)}2`;
    const b = `${'x'.repeat(600)}10`;
    assert.ok(compareCodePoints(nameSortKey(b), nameSortKey(a)) < 0, '"…10" before "…2": past 512 characters the name itself decides');
    // A surrogate pair across the cut is not split: the head stops before it.
    const astral = `${'y'.repeat(511)}\u{1F600}z`;
    assert.equal(nameSortKey(astral).slice(0, 512), `${'y'.repeat(511)}\u0001`);
  });
});

describe('compareCodePoints', () => {
  it('orders as SQLite BINARY does where UTF-16 order does not (astral vs U+E000–U+FFFF)', () => {
    const astral = '\u{1F600}'; // UTF-16 D83D DE00, UTF-8 F0 9F 98 80
    const high = '\uFF21'; // full-width A, UTF-8 EF BC A1
    assert.equal(astral < high, true, 'JS string order puts the surrogate first');
    assert.equal(sqliteOrder(astral, high), 1);
    assert.equal(compareCodePoints(astral, high), 1);
    assert.equal(compareCodePoints('ab', 'abc'), -1);
    assert.equal(compareCodePoints('abc', 'ab'), 1);
    assert.equal(compareCodePoints('ab', 'ab'), 0);
    assert.equal(compareNamesNaturally('db_2', 'db_10'), -1);
  });
});
