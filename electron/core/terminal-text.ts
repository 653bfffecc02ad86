/**
 * Text from data (item names, labels, file and zip entry names, messages that
 * quote them) must never reach a terminal raw: an ESC sequence can clear the
 * screen and print a fake "OK: intact", set the window title or colours; a
 * C1 control does the same in 8-bit form; bidi controls reorder what is shown
 * (a name that reads "exe.txt" but is "txt.exe"). Each such character is
 * written as a visible \uXXXX escape instead.
 */

/** C0 controls except tab and newline, DEL, C1 controls, and the bidi embedding, override and isolate controls. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_IN_NAME = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function escapeChar(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

// eslint-disable-next-line no-control-regex -- the same class as UNSAFE, for a test that allocates nothing
const ANY_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/**
 * Escapes what a terminal would act on; newlines and tabs stay (the output's own layout).
 * Almost all text has nothing to escape: a plain test first (210 MB of `findings --json`: ~0.4 s instead of ~0.6 s).
 */
export function terminalSafe(text: string): string {
  return ANY_UNSAFE.test(text) ? text.replace(UNSAFE, escapeChar) : text;
}

/** Escapes every control character, newlines and tabs included: for a name shown on one line. */
export function terminalSafeName(name: string): string {
  return name.replace(/[\t\n]/g, escapeChar).replace(UNSAFE, escapeChar);
}

/**
 * Wraps an output pair so every text written through it is terminalSafe. In
 * JSON output the escape is the JSON escape of the same character, so the
 * value a JSON reader gets is unchanged.
 */
export function terminalSafeIo<T extends { stdout(text: string): unknown; stderr(text: string): void }>(io: T): T & { stdoutEscaped(text: EscapedText): unknown } {
  return { ...io, stdout: (t: string) => io.stdout(terminalSafe(t)), stderr: (t: string) => io.stderr(terminalSafe(t)), stdoutEscaped: (t: EscapedText) => io.stdout(t) };
}

declare const escapedBrand: unique symbol;
/**
 * Text whose every character from data was escaped where it was made (by
 * `jsonSafeString` and `terminalSafe`): the rest is the writer's own layout
 * (ASCII punctuation, spaces, newlines). Only such text may skip the output
 * guard's second scan (`terminalSafeIo`'s stdoutEscaped).
 */
export type EscapedText = string & { readonly [escapedBrand]: true };

/** Marks text the caller made only from jsonSafeString, terminalSafe and its own ASCII layout. */
export function asEscaped(text: string): EscapedText {
  return text as EscapedText;
}

// eslint-disable-next-line no-control-regex -- what JSON.stringify would escape (quote, backslash, C0, lone surrogates) or a terminal would act on
const JSON_OR_TERMINAL = /["\\\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/;

/**
 * `terminalSafe(JSON.stringify(s))`: the JSON text of a string with every
 * character a terminal would act on written as its JSON escape (so a JSON
 * reader gets the same value). A string with nothing to escape, almost all of
 * them, is quoted as it is, after one test (writing 100k findings: the guard's
 * second pass over 250 MB of output, ~0.3 s, is not needed).
 */
export function jsonSafeString(s: string): string {
  return JSON_OR_TERMINAL.test(s) ? terminalSafe(JSON.stringify(s)) : `"${s}"`;
}

/** True when a name holds a control or bidi character (zip entry and file names in a pack may not). */
export function hasControlCharacters(name: string): boolean {
  return UNSAFE_IN_NAME.test(name);
}

/** What report.pdf and workbook.xlsx print after a value whose hidden characters they show escaped. */
export const HIDDEN_CHARACTERS_FLAG = ' [hidden control characters shown escaped]';

/**
 * Text for the PDF and the workbook: control and bidi characters escaped and
 * the value flagged, so a name that displays as "exe.txt" cannot pass for
 * one; data/*.json keeps the value itself.
 */
export function shownInReport(text: string): string {
  const shown = terminalSafe(text);
  return shown === text ? text : `${shown}${HIDDEN_CHARACTERS_FLAG}`;
}
