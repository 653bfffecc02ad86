/**
 * canonicalJson (electron/core/store/canonical.ts) remembers each object
 * shape's sorted keys and quotes plain strings without JSON.stringify; the
 * text must stay RFC 8785's whatever the shapes and strings are. (The
 * property test against the `canonicalize` package is in
 * keys-normalise.test.ts; these aim at the shortcuts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { canonicalJson } from '../../electron/core/store/canonical.ts';

const require = createRequire(import.meta.url);
const reference = require('canonicalize') as (v: unknown) => string;

test('every UTF-16 code unit, alone and inside text, is written as JSON.stringify writes it', () => {
  for (let c = 0; c <= 0xffff; c++) {
    const ch = String.fromCharCode(c);
    for (const s of [ch, `vm ${ch} 01`]) assert.equal(canonicalJson({ [s]: s }), `{${JSON.stringify(s)}:${JSON.stringify(s)}}`, `U+${c.toString(16)}`);
  }
});

test('objects whose remembered shapes collide (same size, first and last key) are each sorted by their own keys', () => {
  // Same count, same first and last key in insertion order, different middles and orders.
  const objects = [
    { z: 1, m: 2, a: 3 },
    { z: 1, b: 2, a: 3 },
    { z: 1, m: 2, a: 3 },
    { z: 1, '\u00e9': 2, a: 3 },
    { z: 1, a: 3 },
    { z: 1, A: 2, a: 3 },
  ];
  for (let round = 0; round < 2; round++) {
    assert.deepEqual(
      objects.map((o) => canonicalJson(o)),
      ['{"a":3,"m":2,"z":1}', '{"a":3,"b":2,"z":1}', '{"a":3,"m":2,"z":1}', '{"a":3,"z":1,"é":2}', '{"a":3,"z":1}', '{"A":2,"a":3,"z":1}'],
    );
  }
  // Undefined, function and symbol members are left out in a shape already seen with them defined.
  assert.equal(canonicalJson({ z: 1, m: 2, a: 3 }), '{"a":3,"m":2,"z":1}');
  assert.equal(canonicalJson({ z: 1, m: undefined, a: () => 3 }), '{"z":1}');
});

test('many objects of few shapes, as a snapshot gives them, agree with the reference implementation', () => {
  const keys = fc.constantFrom('id', 'name', 'properties', 'tags', 'é', 'Z', '', '__proto__x', 'a\u0000b');
  const shaped = fc.array(fc.dictionary(keys, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }), { minLength: 1, maxLength: 30 });
  fc.assert(
    fc.property(shaped, (objs) => {
      for (const o of objs) assert.equal(canonicalJson(o), reference(o));
    }),
    { numRuns: 500 },
  );
});
