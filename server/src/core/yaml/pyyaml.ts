/**
 * How PyYAML's SafeLoader (the loader truss uses) turns a scalar into a value: its YAML 1.1
 * implicit resolution of plain scalars and its constructors for the standard tags. Written from
 * PyYAML's documented behaviour; a failure is a message that never quotes the value.
 */

export const Y = 'tag:yaml.org,2002:';

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const FLOAT =
  /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
const TIMESTAMP =
  /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/;
const TIMESTAMP_PARTS =
  /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?)?$/;

/** The tag PyYAML gives a plain scalar (its implicit resolvers, tried in its order for the first character). */
export function resolvePlain(value: string): string {
  const c = value[0] ?? '';
  if ('yYnNtTfFoO'.includes(c) && c !== '' && BOOL.test(value)) return `${Y}bool`;
  if ('-+0123456789.'.includes(c) && c !== '') {
    if (FLOAT.test(value)) return `${Y}float`;
    if (c !== '.' && INT.test(value)) return `${Y}int`;
  }
  if (c === '<' && value === '<<') return `${Y}merge`;
  if ((c === '' || '~nN'.includes(c)) && NULL.test(value)) return `${Y}null`;
  if (c >= '0' && c <= '9' && TIMESTAMP.test(value)) return `${Y}timestamp`;
  if (c === '=' && value === '=') return `${Y}value`;
  return `${Y}str`;
}

export class ConstructError extends Error {}

/** Python's int(text, base) on text without underscores: optional spaces, sign and base prefix. */
function pyInt(text: string, base: number): number {
  let t = text.trim();
  let sign = 1n;
  if (t[0] === '-' || t[0] === '+') {
    if (t[0] === '-') sign = -1n;
    t = t.slice(1);
  }
  const prefix = { 2: /^0[bB]/, 8: /^0[oO]/, 16: /^0[xX]/ }[base as 2 | 8 | 16];
  if (prefix?.test(t)) t = t.slice(2);
  const digits = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[base as 2 | 8 | 10 | 16];
  if (!digits.test(t)) throw new ConstructError('not a number in that base');
  let n = 0n;
  for (const d of t.toLowerCase()) n = n * BigInt(base) + BigInt(parseInt(d, 16));
  return Number(sign * n);
}

/** Python's float(text). */
function pyFloat(text: string): number {
  const t = text.trim().toLowerCase();
  const m = /^([-+]?)(?:(inf|infinity)|(nan)|((?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[-+]?[0-9]+)?))$/.exec(t);
  if (!m) throw new ConstructError('not a float');
  const sign = m[1] === '-' ? -1 : 1;
  if (m[2]) return sign * Infinity;
  if (m[3]) return NaN;
  return sign * Number(m[4]);
}

function constructInt(source: string): number {
  let v = source.replace(/_/g, '');
  if (v === '') throw new ConstructError('empty');
  let sign = 1;
  if (v[0] === '-') sign = -1;
  if ('+-'.includes(v[0])) v = v.slice(1);
  if (v === '0') return 0;
  if (v.startsWith('0b')) return sign * pyInt(v.slice(2), 2);
  if (v.startsWith('0x')) return sign * pyInt(v.slice(2), 16);
  if (v[0] === '0') return sign * pyInt(v, 8);
  if (v.includes(':')) return sign * sexagesimal(v, (p) => pyInt(p, 10));
  return sign * pyInt(v, 10);
}

function constructFloat(source: string): number {
  let v = source.replace(/_/g, '').toLowerCase();
  if (v === '') throw new ConstructError('empty');
  let sign = 1;
  if (v[0] === '-') sign = -1;
  if ('+-'.includes(v[0])) v = v.slice(1);
  if (v === '.inf') return sign * Infinity;
  if (v === '.nan') return NaN;
  if (v.includes(':')) return sign * sexagesimal(v, pyFloat);
  return sign * pyFloat(v);
}

function sexagesimal(v: string, part: (p: string) => number): number {
  let total = 0;
  let base = 1;
  for (const p of v.split(':').reverse()) {
    total += part(p) * base;
    base *= 60;
  }
  return total;
}

function constructBool(source: string): boolean {
  const v = source.toLowerCase();
  if (v === 'yes' || v === 'true' || v === 'on') return true;
  if (v === 'no' || v === 'false' || v === 'off') return false;
  throw new ConstructError('not a boolean');
}

function constructTimestamp(source: string): Date {
  const m = TIMESTAMP_PARTS.exec(source);
  if (!m) throw new ConstructError('not a timestamp');
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const days = [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30];
  days.push(31, 30, 31);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > days[month - 1]) throw new ConstructError('bad date');
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  if (m[4] === undefined) return d;
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6])];
  if (hour > 23 || minute > 59 || second > 59) throw new ConstructError('bad time');
  const ms = Number(((m[7] ?? '') + '000').slice(0, 3));
  d.setUTCHours(hour, minute, second, ms);
  if (m[9]) {
    const offset = (Number(m[10]) * 60 + Number(m[11] ?? 0)) * (m[9] === '-' ? -1 : 1);
    if (Math.abs(offset) >= 24 * 60) throw new ConstructError('bad offset');
    d.setTime(d.getTime() - offset * 60_000);
  }
  return d;
}

/**
 * Bytes that are not UTF-8 text, from `!!binary`: pydantic takes UTF-8 bytes for a string and refuses
 * others, so only those stay bytes. `latin1` holds one character per byte.
 */
export class Bytes {
  constructor(readonly latin1: string) {}
}

/** UTF-8 bytes (one character per byte) as text, or undefined when they are not valid UTF-8. */
export function utf8(latin1: string): string | undefined {
  let out = '';
  for (let i = 0; i < latin1.length;) {
    const b = latin1.charCodeAt(i);
    const n = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (n < 0 || i + n >= latin1.length + (n ? 0 : 1)) return undefined;
    let cp = n ? b & (0x3f >> n) : b;
    for (let k = 1; k <= n; k++) {
      const c = latin1.charCodeAt(i + k);
      if ((c & 0xc0) !== 0x80) return undefined;
      cp = (cp << 6) | (c & 0x3f);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
    if ((n === 2 && cp < 0x800) || (n === 3 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) {
      return undefined;
    }
    out += String.fromCodePoint(cp);
    i += n + 1;
  }
  return out;
}

/** `!!binary`: its UTF-8 text, or Bytes (see there). */
function constructBinary(source: string): string | Bytes {
  const latin1 = decodeBase64(source);
  return utf8(latin1) ?? new Bytes(latin1);
}

/** Python's base64.decodebytes (not strict: other characters are skipped), as latin-1 text. */
function decodeBase64(source: string): string {
  for (const ch of source) if (ch.charCodeAt(0) > 0x7f) throw new ConstructError('not ASCII');
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const out: number[] = [];
  let quad = 0;
  let bits = 0;
  let pads = 0;
  for (const ch of source) {
    if (ch === '=') {
      if (quad >= 2 && quad + ++pads >= 4) return String.fromCharCode(...out);
      continue;
    }
    const v = alphabet.indexOf(ch);
    if (v < 0) continue;
    pads = 0;
    bits = (bits << 6) | v;
    quad = (quad + 1) % 4;
    if (quad === 2) out.push((bits >> 4) & 0xff);
    else if (quad === 3) out.push((bits >> 2) & 0xff);
    else if (quad === 0) out.push(bits & 0xff);
    if (quad === 0) bits = 0;
  }
  if (quad !== 0) throw new ConstructError('bad padding');
  return String.fromCharCode(...out);
}

/** The short name of a tag, as written in YAML: `!!int`, or the local tag itself. */
export function tagName(tag: string): string {
  return tag.startsWith(Y) ? `!!${tag.slice(Y.length)}` : tag;
}

/** Scalar tags SafeLoader constructs. */
export const SCALAR_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'binary', 'timestamp'].map((t) => Y + t));
/** Collection tags SafeLoader constructs, with the node kind each needs. */
export const COLLECTION_TAGS = new Map<string, 'map' | 'seq'>([
  [`${Y}map`, 'map'],
  [`${Y}set`, 'map'],
  [`${Y}seq`, 'seq'],
  [`${Y}omap`, 'seq'],
  [`${Y}pairs`, 'seq'],
]);

/** The value SafeLoader constructs for a scalar of this tag; throws ConstructError when it cannot. */
export function constructScalar(tag: string, source: string): unknown {
  switch (tag.slice(Y.length)) {
    case 'str':
      return source;
    case 'null':
      return null;
    case 'bool':
      return constructBool(source);
    case 'int':
      return constructInt(source);
    case 'float':
      return constructFloat(source);
    case 'timestamp':
      return constructTimestamp(source);
    case 'binary':
      return constructBinary(source);
  }
  throw new ConstructError('no constructor');
}

// ---------------------------------------------------------------- line breaks

/**
 * PyYAML's line breaks: `\n`, `\r\n`, `\r`, NEL (U+0085), LS (U+2028) and PS (U+2029). The first
 * three and NEL read as `\n` inside a scalar; LS and PS stay themselves and are never folded to a
 * space. `yaml` knows only `\n` and `\r\n`: the parse reads NEL, LS and PS as `\n` (same length, so
 * offsets hold), and the text of a scalar with LS or PS in it is made again here, as PyYAML makes it.
 */
export const UNICODE_BREAK = /[\x85\u2028\u2029]/;
const BREAK = /\r\n|[\r\n\x85\u2028\u2029]/y;

/** The break at `i` (normalised as scan_line_break does) and its length, or undefined. */
function breakAt(s: string, i: number): [string, number] | undefined {
  BREAK.lastIndex = i;
  const m = BREAK.exec(s);
  if (!m) return undefined;
  return [m[0] === '\u2028' || m[0] === '\u2029' ? m[0] : '\n', m[0].length];
}

/** Folds a run of line breaks between two pieces of a flow scalar, as scan_plain_spaces does. */
function fold(breaks: string[]): string {
  const [first, ...rest] = breaks;
  return (first !== '\n' ? first : rest.length ? '' : ' ') + rest.join('');
}

/** The text of a plain scalar written `raw` (from its first to its last character). */
export function plainText(raw: string): string {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    let j = i;
    while (j < raw.length && !breakAt(raw, j) && raw[j] !== ' ') j++;
    out += raw.slice(i, j);
    // Spaces, then maybe line breaks with spaces between.
    let k = j;
    while (raw[k] === ' ') k++;
    const breaks: string[] = [];
    for (let b = breakAt(raw, k); b; b = breakAt(raw, k)) {
      breaks.push(b[0]);
      k += b[1];
      while (raw[k] === ' ' || raw[k] === '\t') k++;
    }
    if (k >= raw.length) break;
    out += breaks.length ? fold(breaks) : raw.slice(j, k);
    i = k;
  }
  return out;
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\x08',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\x0b',
  f: '\x0c',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '\\': '\\',
  '/': '/',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};

/** The text of a quoted scalar written `raw` (quotes included), as scan_flow_scalar makes it. */
export function quotedText(raw: string): string {
  const double = raw[0] === '"';
  const s = raw.slice(1, -1);
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\t') {
      let k = i;
      while (s[k] === ' ' || s[k] === '\t') k++;
      if (!breakAt(s, k)) {
        out += s.slice(i, k);
        i = k;
        continue;
      }
      i = k;
    }
    const b = breakAt(s, i);
    if (b) {
      const breaks: string[] = [];
      for (let x = breakAt(s, i); x; x = breakAt(s, i)) {
        breaks.push(x[0]);
        i += x[1];
        while (s[i] === ' ' || s[i] === '\t') i++;
      }
      out += fold(breaks);
      continue;
    }
    if (!double && c === "'" && s[i + 1] === "'") {
      out += "'";
      i += 2;
    } else if (double && c === '\\') {
      const e = s[i + 1];
      const br = breakAt(s, i + 1);
      if (br) {
        i += 1 + br[1];
        while (s[i] === ' ' || s[i] === '\t') i++;
        for (let x = breakAt(s, i); x; x = breakAt(s, i)) {
          out += x[0];
          i += x[1];
          while (s[i] === ' ' || s[i] === '\t') i++;
        }
      } else if (e in ESCAPES) {
        out += ESCAPES[e];
        i += 2;
      } else {
        const n = { x: 2, u: 4, U: 8 }[e as 'x' | 'u' | 'U'];
        const code = n ? Number.parseInt(s.slice(i + 2, i + 2 + n), 16) : NaN;
        if (!n || !/^[0-9A-Fa-f]+$/.test(s.slice(i + 2, i + 2 + n)) || code > 0x10ffff) {
          throw new ConstructError('bad escape');
        }
        out += String.fromCodePoint(code);
        i += 2 + n;
      }
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/**
 * The text of a block scalar whose header starts at `start` in `text`, as scan_block_scalar makes
 * it; `parentIndent` is the column of the block collection that holds it (-1 at the top).
 */
export function blockText(text: string, start: number, parentIndent: number): string {
  const header = /^([|>])([-+]?)([1-9]?)([-+]?)/.exec(text.slice(start))!;
  const folded = header[1] === '>';
  const chomp = header[2] || header[4];
  const increment = header[3] ? Number(header[3]) : undefined;
  let i = start + header[0].length;
  while (i < text.length && !breakAt(text, i)) i++;
  const nl = breakAt(text, i);
  if (!nl) return '';
  i += nl[1];
  const minIndent = Math.max(parentIndent + 1, 1);
  let indent: number;
  let breaks: string[] = [];
  let col = 0;
  const skipSpaces = (upto: number) => {
    while (col < upto && text[i] === ' ') {
      i++;
      col++;
    }
  };
  if (increment === undefined) {
    let max = 0;
    for (;;) {
      if (text[i] === ' ') {
        i++;
        col++;
        max = Math.max(max, col);
        continue;
      }
      const b = breakAt(text, i);
      if (!b) break;
      breaks.push(b[0]);
      i += b[1];
      col = 0;
    }
    indent = Math.max(minIndent, max);
  } else {
    indent = minIndent + increment - 1;
    skipSpaces(indent);
    for (let b = breakAt(text, i); b; b = breakAt(text, i)) {
      breaks.push(b[0]);
      i += b[1];
      col = 0;
      skipSpaces(indent);
    }
  }
  let out = '';
  let lineBreak = '';
  while (col === indent && i < text.length) {
    out += breaks.join('');
    const leadingNonSpace = text[i] !== ' ' && text[i] !== '\t';
    let j = i;
    while (j < text.length && !breakAt(text, j)) j++;
    out += text.slice(i, j);
    i = j;
    const b = breakAt(text, i);
    lineBreak = b ? b[0] : '';
    if (b) i += b[1];
    col = 0;
    breaks = [];
    skipSpaces(indent);
    for (let x = breakAt(text, i); x; x = breakAt(text, i)) {
      breaks.push(x[0]);
      i += x[1];
      col = 0;
      skipSpaces(indent);
    }
    if (col === indent && i < text.length) {
      if (folded && lineBreak === '\n' && leadingNonSpace && text[i] !== ' ' && text[i] !== '\t') {
        if (!breaks.length) out += ' ';
      } else out += lineBreak;
    } else break;
  }
  if (chomp !== '-') out += lineBreak;
  if (chomp === '+') out += breaks.join('');
  return out;
}
