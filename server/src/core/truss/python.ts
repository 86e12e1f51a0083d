/**
 * What Python does with text where truss's validators use it: `str.strip()`, `float()` and
 * `str.isdigit()` with `int()`. Python reads every Unicode decimal digit as a digit and trims every
 * Unicode space, so `"١٦"` is 16 to `float()` and a no-break space is trimmed.
 */

/** The characters `str.isspace()` is true for. */
const SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const STRIP = new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, 'gu');

/** `s.strip()`. */
export function pyStrip(s: string): string {
  return s.replace(STRIP, '');
}

const DECIMAL = /\p{Nd}/u;

/** The ASCII digit of a Unicode decimal digit (they come in runs of ten, from 0 to 9). */
function digitValue(c: string): string {
  let cp = c.codePointAt(0)!;
  let start = cp;
  while (DECIMAL.test(String.fromCodePoint(start - 1))) start--;
  cp -= start;
  return String(cp % 10);
}

/** The text with every Unicode decimal digit made ASCII. */
function asciiDigits(s: string): string {
  return s.replace(/\p{Nd}/gu, (c) => (c >= '0' && c <= '9' ? c : digitValue(c)));
}

const FLOAT_TEXT =
  /^[+-]?(?:[Ii][Nn][Ff](?:[Ii][Nn][Ii][Tt][Yy])?|[Nn][Aa][Nn]|(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?)$/;

/** Whether `float(s)` succeeds. */
export function pyFloatParses(s: string): boolean {
  return FLOAT_TEXT.test(asciiDigits(pyStrip(s)));
}

/** `int(s)` of a text that `s.isdigit()` accepts and `int()` can read (decimal digits only), or undefined. */
export function pyDigits(s: string): number | undefined {
  return /^\p{Nd}+$/u.test(s) ? Number(asciiDigits(s)) : undefined;
}
