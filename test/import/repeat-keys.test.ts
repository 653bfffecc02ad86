/**
 * The count that lets the importer skip the duplicate-key scan
 * (electron/core/import/verbatim.ts mayRepeatKeys): it must never say "no
 * repeat" for a text whose scan finds one, whatever the escapes, whitespace
 * or strings that look like keys.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { mayRepeatKeys, scanElement } from '../../electron/core/import/verbatim.ts';

const may = (text: string) => mayRepeatKeys(text, JSON.parse(text) as unknown);

describe('mayRepeatKeys', () => {
  it('is false for texts without a repeated key, so the scan is skipped', () => {
    assert.equal(may('{"a":1,"b":{"a":2,"c":[{"a":3},{"a":4}]}}'), false);
    assert.equal(may('{\n  "a" : 1,\r\n\t"b":\t"x:y"\n}'), false);
    assert.equal(may('[1,"a",{"k":"v"}]'), false);
    assert.equal(may('"just a string"'), false);
  });

  it('is true for every repeat: plain, after whitespace, nested, in arrays, with escaped and backslash-ended keys', () => {
    assert.equal(may('{"a":1,"a":2}'), true);
    assert.equal(may('{"a" :1,"a"\n:\t2}'), true);
    assert.equal(may('{"x":{"p":1,"p":1}}'), true);
    assert.equal(may('[{"p":1},{"q":1,"q":2}]'), true);
    // "a\\" ends in an escaped backslash, so its closing quote is real; "\u0061" is "a" again.
    assert.equal(may('{"a\\\\":1,"b":1,"b":2}'), true);
    assert.equal(may('{"a":1,"\\u0061":2}'), true);
    assert.equal(may('{"__proto__":1,"__proto__":2}'), true);
  });

  it('a string value that looks like a key end ("\\":" or ":x") only makes it ask the scan', () => {
    assert.equal(may('{"a":":x"}'), true);
    assert.equal(may('{"a":"q\\":"}'), false); // the escaped quote is not counted
    assert.equal(scanElement('{"a":":x"}').duplicates.length, 0);
  });

  it('never misses a repeat scanElement finds (random objects)', () => {
    const key = fc.constantFrom('a', 'b', '"', '\\', 'a"', ':', '":', '\\":', '__proto__', '1', 'é', ' ', '\u0000');
    const ws = fc.constantFrom('', ' ', '\n', '\t ', '\r\n  ');
    const tree = fc.letrec<{ v: string; o: string; arr: string }>((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, fc.constantFrom('1', 'null', '":x"', '"\\":"', '"a\\\\"', '[]', '{}'), fc.string().map((s) => JSON.stringify(s)), tie('o'), tie('arr')),
      arr: fc.array(tie('v'), { maxLength: 3 }).map((xs) => `[${xs.join(',')}]`),
      o: fc
        .array(fc.tuple(key, ws, ws, tie('v'), fc.boolean()), { maxLength: 5 })
        .map((ps) => `{${ps.map(([k, w1, w2, v, escaped]) => `${escaped ? `"${[...k].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"` : JSON.stringify(k)}${w1}:${w2}${v}`).join(',')}}`),
    }));
    let repeats = 0;
    fc.assert(
      fc.property(tree.o, (text) => {
        const found = scanElement(text).duplicates.length > 0;
        if (found) repeats++;
        assert.ok(!found || may(text), text);
      }),
      { numRuns: 3000 },
    );
    assert.ok(repeats > 100, `only ${repeats} texts with a repeat were tried`);
  });
});
