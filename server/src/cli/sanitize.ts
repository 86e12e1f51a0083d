/**
 * The one door between text we did not write (file and folder names, arguments, key names quoted in
 * messages, reasons from other modules) and a terminal or a CI log. A quoted YAML key can hold any
 * character, and a file name any but `/`: printed raw, a line break forges a line of the log, an escape
 * sequence drives the terminal, and a line that starts with `::` (after blanks) or holds `##[` is a
 * workflow command to a GitHub runner.
 *
 * - `printable(field)`: one field of a line, its characters that a terminal or a log viewer acts on
 *   shown escaped (`\n`, `\r`, `\x1b`, `\0`, `\u2028`…), and `##[` broken.
 * - `safeLines(text)`: lines of output, each made printable, none starting a workflow command: the
 *   guard at the boundary, on everything the checker and the Action write that is not an annotation.
 * - `safeJson(json)`: JSON text (the json and sarif formats) with the same characters as `\u` escapes,
 *   which reads back to the same value.
 *
 * Each is idempotent: text made safe stays as it is.
 */

type Write = (s: string) => void;

/**
 * What is never written raw: C0 controls (NUL, TAB, LF, CR, ESC…), DEL and the C1 controls (NEL
 * U+0085, CSI U+009B), the line and paragraph separators, bidirectional and zero-width formatting
 * characters, the byte order mark, interlinear annotation marks, and unpaired surrogates.
 */
const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex -- control characters are what it finds
  /[\0-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED: Record<string, string> = { '\0': '\\0', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escaped(c: string): string {
  const n = c.charCodeAt(0);
  return NAMED[c] ?? (n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`);
}

/** A GitHub runner reads `##[name]…` anywhere in a line as a (v1) workflow command. */
const V1_COMMAND = /##\[/g;

/** One field of a line of output: nothing in it acts on a terminal, a log viewer or a runner. */
export function printable(s: string): string {
  return s.replace(UNPRINTABLE, escaped).replace(V1_COMMAND, '#\\x23[');
}

/**
 * Lines of output: each printable, and none a workflow command (`::` first after blanks, which the
 * runner trims). Only the line breaks of the text itself stay; fields should be made printable
 * before they are put in a line, so that a line break in one shows as `\n` rather than splitting it.
 */
export function safeLines(text: string): string {
  return text
    .split('\n')
    .map((line) => printable(line).replace(/^(\s*):(?=:)/, '$1\\x3a'))
    .join('\n');
}

/** A writer whose every line goes through safeLines. */
export function safeWriter(write: Write): Write {
  return (s) => write(safeLines(s));
}

/** Characters JSON.stringify leaves raw that safeJson writes as `\u` escapes (they occur only in strings). */
const JSON_RAW = /[\x7f-\x9f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]|##\[/g;

/**
 * JSON text as JSON.stringify writes it, with the characters it leaves raw (DEL, C1 controls, line
 * separators, formatting characters) and the `#` of `##[` written as `\u` escapes: the same value when
 * read, nothing a terminal or a runner acts on when printed. C0 controls are escaped by JSON itself.
 */
export function safeJson(json: string): string {
  return json.replace(JSON_RAW, (c) =>
    c === '##[' ? '#\\u0023[' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A message of ours with each interpolated value (a file name, an argument, a reason) made printable. */
export function say(strings: TemplateStringsArray, ...values: unknown[]): string {
  return strings.reduce((out, s, i) => out + printable(String(values[i - 1])) + s);
}
