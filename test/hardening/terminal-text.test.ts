import assert from 'node:assert/strict';
import { test } from 'node:test';
import { terminalSafe } from '../../electron/core/terminal-text.ts';

test('terminalSafe escapes every character a terminal acts on, at any place in the text, and leaves the rest', () => {
  // One of each class, written by hand: ESC (C0), DEL, CSI (C1), RLO (bidi override), LRI (isolate); tab and newline stay.
  assert.equal(terminalSafe('a\u001b[2Jb'), 'a\\u001b[2Jb');
  assert.equal(terminalSafe('\u007f'), '\\u007f');
  assert.equal(terminalSafe('x\u009by'), 'x\\u009by');
  assert.equal(terminalSafe('exe.\u202etxt'), 'exe.\\u202etxt');
  assert.equal(terminalSafe('\u2066end'), '\\u2066end');
  assert.equal(terminalSafe('col\tcol\nrow'), 'col\tcol\nrow');
  // Far into a long piece (the CLI writes 64 KiB at a time), after plenty of plain text.
  const long = `${'{"name": "vm-1"},\n'.repeat(4000)}"\u001b]0;owned\u0007"`;
  assert.equal(terminalSafe(long), `${'{"name": "vm-1"},\n'.repeat(4000)}"\\u001b]0;owned\\u0007"`);
  // Text with nothing to escape comes back as it is; twice in a row (a regex test with state would alternate).
  const plain = 'vm-01 Protected 2026-11-20T08:00:00Z — 財務';
  assert.equal(terminalSafe(plain), plain);
  assert.equal(terminalSafe(plain), plain);
  assert.equal(terminalSafe('\u001b'), '\\u001b');
  assert.equal(terminalSafe('\u001b'), '\\u001b');
});
