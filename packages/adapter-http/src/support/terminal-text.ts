/**
 * Text from requests (an event type, an order key, a detail) printed on a support person's terminal. Whoever holds
 * the hook token chooses that text, so it must not be able to act on the terminal: a newline would forge a line of
 * `journal list` (`#9999 ... created 200`), an ANSI sequence could clear the screen or retitle the window, a bidi
 * override could make a key read backwards. Escaped, as `\xNN` or `\uNNNN`:
 * - C0 controls (tab and newline included), DEL, and the C1 controls U+0080..U+009F;
 * - the bidi embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069) and marks (U+200E, U+200F, U+061C);
 * - the line and paragraph separators U+2028, U+2029 (some terminals and tools break lines there);
 * - lone surrogates (no character: a terminal shows garbage, a UTF-8 encoder U+FFFD);
 * - the backslash itself, so that an escape printed here is never confused with text that looks like one.
 * Everything else, Cyrillic included, is printed as it is, so the output stays what support scripts read today.
 */
const UNSAFE =
  // eslint-disable-next-line no-control-regex -- the control characters are what this pattern escapes
  /[\\\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

const escapeOne = (char: string): string => {
  if (char === '\\') return '\\\\'
  const code = char.charCodeAt(0)
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
}

/** The text with every character that could act on a terminal written as an escape instead (see above). */
export const terminalSafe = (text: string): string => text.replace(UNSAFE, escapeOne)

/** What JSON.stringify leaves as it is but a terminal acts on: C1 controls, bidi controls and marks, U+2028, U+2029. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

/**
 * A value as one line of JSON that a terminal shows as it is: JSON.stringify escapes C0 controls and lone surrogates
 * already; the characters of `UNSAFE_IN_JSON` are written as `\uNNNN` too, which any JSON parser reads back as the
 * same text (`--json` of the support commands, README "Support").
 */
export const terminalSafeJson = (value: unknown): string =>
  JSON.stringify(value).replace(UNSAFE_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
