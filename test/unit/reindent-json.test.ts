/**
 * The item drawer's "Formatted" view of the raw text (shared/domain/reindent-json.ts) changes
 * whitespace only: every token of the stored text survives as written.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reindentJson } from '../../shared/domain/reindent-json.ts';

test('re-indents without parsing: big numbers, exponents, duplicate keys and escapes stay as written', () => {
  const raw = '{"id":"a","id":"b","n":12345678901234567891,"tiny":1e-400,"s":"q\\"}{[,:\\\\","e":{},"a":[ ],"l":[1,true,null]}';
  assert.equal(
    reindentJson(raw),
    [
      '{',
      '  "id": "a",',
      '  "id": "b",',
      '  "n": 12345678901234567891,',
      '  "tiny": 1e-400,',
      '  "s": "q\\"}{[,:\\\\",',
      '  "e": {},',
      '  "a": [],',
      '  "l": [',
      '    1,',
      '    true,',
      '    null',
      '  ]',
      '}',
    ].join('\n'),
  );
});

test('text that is not well-formed comes back unchanged, never half re-indented', () => {
  for (const bad of ['{"a":1', '{"a":"unterminated}', '{"a":1}}', ']']) assert.equal(reindentJson(bad), bad);
});
