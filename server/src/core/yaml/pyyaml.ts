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

/** Python's base64.decodebytes (not strict: other characters are skipped), as latin-1 text. */
function constructBinary(source: string): string {
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
