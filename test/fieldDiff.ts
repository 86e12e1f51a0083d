/**
 * The field-level differential test's machinery (test/field-differential.test.ts).
 *
 * The fields come from truss's own model: test/truss-fields.py walks `TrussConfig` and prints every
 * field path with its types, enum values, default, examples, constraints and validators. For every
 * field that takes a scalar, values are generated from that description: what truss accepts (its
 * default, examples, enum values, constraint bounds, what the corpus holds there) and near misses of
 * each (white space at the ends and inside, case, units, floats for ints, zero, negative and huge
 * numbers, YAML 1.1 booleans, unicode, tags, anchors and aliases, every line break PyYAML knows).
 * Each value is written as YAML text into a valid corpus config in place of that one field, truss's
 * verdict comes from ../shared/reference/truss-verdict.py and ours from `analyze`.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  type Disagreement,
  type Json,
  type Obj,
  SHARED,
  type Verdict,
  clone,
  disagreement,
  isObj,
  loadSeeds,
  ourErrors,
  rng,
  shuffle,
  trussVerdicts,
} from './configDiff';
import { ROOT } from './ruleFiles';

/** One field of truss's model, as test/truss-fields.py prints it. */
export interface Field {
  path: string[];
  types: string[];
  enum: Json[];
  strict: boolean;
  constraints: { ge?: number; gt?: number; le?: number; lt?: number; min_length?: number; pattern?: string };
  default?: Json;
  examples?: Json[];
  required: boolean;
  model: string | null;
  validators: string[];
  string_model?: string;
}

export const FIELDS_SCRIPT = join(ROOT, 'test', 'truss-fields.py');

/** Every field of truss's model (test/truss-fields.py). */
export function loadFields(): Field[] {
  const run = spawnSync('python3', [FIELDS_SCRIPT, join(SHARED, 'reference')], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (run.status !== 0) throw new Error(`truss-fields.py failed: ${run.stderr.slice(0, 400)}`);
  const fields = (JSON.parse(run.stdout) as { fields: Field[] }).fields;
  // A list's examples are examples of its items.
  const byPath = new Map(fields.map((f) => [key(f.path), f]));
  for (const f of fields) {
    const list = f.path.at(-1) === '*' ? byPath.get(key(f.path.slice(0, -1))) : undefined;
    const items = (list?.examples ?? []).flatMap((e) => (Array.isArray(e) ? e : []));
    if (items.length) f.examples = [...(f.examples ?? []), ...items];
  }
  return fields;
}

const SCALAR = new Set(['str', 'int', 'float', 'bool', 'enum', 'literal', 'any']);

/** A field that holds a scalar (or, for `resources.accelerator`, a model that takes a string). */
export function isScalarField(f: Field): boolean {
  return f.types.some((t) => SCALAR.has(t)) || f.string_model !== undefined;
}

export const key = (path: readonly string[]) => path.join('.');

// ---------------------------------------------------------------- values

/** A value written as YAML text: `\n` continues at the value's column, INDENT is that column. */
export interface Value {
  label: string;
  yaml: string;
  /** Written with an anchor in `model_metadata` and an alias at the field. */
  alias?: boolean;
}
export const INDENT = '<<INDENT>>';

/** Every line break PyYAML knows; `\r` and `\r\n` are turned into `\n` by the file's text mode. */
export const BREAKS: Array<[string, string]> = [
  ['CR', '\r'],
  ['CRLF', '\r\n'],
  ['NEL', '\x85'],
  ['LS', '\u2028'],
  ['PS', '\u2029'],
];

/** A double-quoted YAML scalar; `raw` keeps the characters JSON would escape as they are. */
function dq(s: string, raw = false): string {
  if (raw) return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return JSON.stringify(s).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
const sq = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The ways to write a text value: plain, single-quoted, double-quoted. */
function textForms(label: string, s: string): Value[] {
  return [
    { label: `${label} plain`, yaml: s },
    { label: `${label} 'quoted'`, yaml: sq(s) },
    { label: `${label} "quoted"`, yaml: dq(s) },
  ];
}

/** Near misses of a text truss accepts: white space, case, units, digits, characters. */
function nearMisses(s: string): Array<[string, string]> {
  const out: Array<[string, string]> = [
    ['leading space', ` ${s}`],
    ['trailing space', `${s} `],
    ['spaces around', ` ${s} `],
    ['leading tab', `\t${s}`],
    ['trailing newline', `${s}\n`],
    ['lower case', s.toLowerCase()],
    ['upper case', s.toUpperCase()],
    ['no-break space', `${s}\u00a0`],
    ['zero-width space', `${s}\u200b`],
    ['doubled', `${s}${s}`],
    ['empty', ''],
  ];
  // Inner white space at each boundary of letters, digits and punctuation (`16 Gi`, `A10G :2`).
  const cls = (c: string) => (/[0-9]/.test(c) ? 'd' : /[A-Za-z]/.test(c) ? 'a' : 'p');
  for (let i = 1; i < s.length && i < 40; i++) {
    if (cls(s[i - 1]) !== cls(s[i])) {
      out.push([`space at ${i}`, `${s.slice(0, i)} ${s.slice(i)}`]);
      out.push([`tab at ${i}`, `${s.slice(0, i)}\t${s.slice(i)}`]);
    }
  }
  // A number with a unit: other units, case, spaces, other numbers.
  const unit = /^([0-9.]*)([A-Za-z]+)$/.exec(s);
  if (unit) {
    const [, n, u] = unit;
    for (const v of [`${u}B`, u.replace(/i$/, ''), `${u}i`, u.toLowerCase(), u.toUpperCase(), `${u[0]}b`, `${u} `]) {
      out.push([`unit ${JSON.stringify(v)}`, `${n}${v}`]);
    }
    for (const m of ['', '0', '.5', '1.5', '-1', '1e3', '1_0', '0x10', '1.2.3', '..', '\u0661\u0666', '\uff11\uff16']) {
      out.push([`number ${JSON.stringify(m)}`, `${m}${u}`]);
    }
  }
  // A text with a count (`T4:2`): other counts, spaces around the colon, more parts.
  const count = /^([^:]+):(.*)$/.exec(s);
  if (count) {
    const [, a, b] = count;
    for (const c of ['0', '-1', '1.5', '2.0', '+2', '02', ' 2', '2 ', '', '2:3', '\u0663', '\u00b2', 'x']) {
      out.push([`count ${JSON.stringify(c)}`, `${a}:${c}`]);
    }
    out.push(['space before colon', `${a} :${b}`], ['space after colon', `${a}: ${b}`], ['no count', `${a}:`]);
  } else if (/^[A-Za-z0-9_]+$/.test(s) && s.length < 30) {
    out.push(['with a count', `${s}:2`], ['with count 0', `${s}:0`]);
  }
  // Digits: other numerals Python reads as digits, signs, exponents.
  if (/^[0-9.]+[a-z]?$/.test(s)) {
    const digit = (d: string, base: number) => d.replace(/[0-9]/g, (c) => String.fromCharCode(base + Number(c)));
    out.push(
      ['Arabic-Indic digits', digit(s, 0x660)],
      ['full-width digits', digit(s, 0xff10)],
      ['minus', `-${s}`],
      ['plus', `+${s}`],
      ['exponent', `${s.replace(/[a-z]$/, '')}e1${s.match(/[a-z]$/)?.[0] ?? ''}`],
      ['underscore', s.length > 1 ? `${s[0]}_${s.slice(1)}` : `${s}_0`],
      ['trailing dot', `${s}.`],
      ['leading zero', `0${s}`],
    );
  }
  return out;
}

/** Values a YAML reader can make of any scalar position, whatever the field's type. */
const GENERIC: Value[] = [
  ...['0', '1', '-1', '1.5', '1.0', '0.0', '-0', '1e3', '1.0e+3', '1e400', '0x1F', '0o17', '017', '1_000', '1:30'].map(
    (y) => ({ label: `number ${y}`, yaml: y }),
  ),
  ...['9223372036854775808', '100000000000000000000000000000', '-9223372036854775809', '2147483648'].map((y) => ({
    label: 'huge number',
    yaml: y,
  })),
  ...[
    '.inf',
    '-.inf',
    '.nan',
    'true',
    'false',
    'yes',
    'No',
    'on',
    'OFF',
    'y',
    'n',
    'null',
    '~',
    'Null',
    '""',
    "''",
  ].map((y) => ({ label: `scalar ${y}`, yaml: y })),
  ...['2024-01-02', '2024-01-02 10:00:00', '2001-12-14t21:59:43.10-05:00'].map((y) => ({
    label: 'timestamp',
    yaml: y,
  })),
  { label: 'empty value', yaml: '' },
  { label: 'empty list', yaml: '[]' },
  { label: 'empty mapping', yaml: '{}' },
  { label: 'list', yaml: '[a, 1]' },
  { label: 'mapping', yaml: '{a: 1}' },
  { label: '!!str number', yaml: '!!str 1' },
  { label: '!!str bool', yaml: '!!str yes' },
  { label: '!!str empty', yaml: '!!str' },
  { label: '!!int text', yaml: '!!int "12"' },
  { label: '!!int bad', yaml: '!!int "1.5"' },
  { label: '!!float text', yaml: '!!float "1"' },
  { label: '!!float int', yaml: '!!float 2' },
  { label: '!!bool text', yaml: '!!bool "on"' },
  { label: '!!null text', yaml: '!!null ""' },
  { label: '!!binary ascii', yaml: '!!binary aGVsbG8=' },
  { label: '!!binary not utf-8', yaml: '!!binary /w==' },
  { label: '!!timestamp', yaml: '!!timestamp 2024-01-02' },
  { label: '!!set', yaml: '!!set {a, b}' },
  { label: '!!omap', yaml: '!!omap [a: 1, b: 2]' },
  { label: '!!pairs', yaml: '!!pairs [a: 1, a: 2]' },
  { label: '!!seq', yaml: '!!seq [a]' },
  { label: '!!map', yaml: '!!map {a: 1}' },
  { label: 'local tag', yaml: '!x 1' },
  { label: 'block literal', yaml: '|\nline one\nline two' },
  { label: 'block folded', yaml: '>-\nfolded\ntext' },
  { label: 'block keep', yaml: '|+\nx\n' },
  { label: 'unicode', yaml: '"é—中文"' },
  { label: 'emoji', yaml: '"\u{1F680}"' },
  { label: 'escaped NEL', yaml: '"a\\Nb"' },
  { label: 'escaped LS', yaml: '"a\\Lb"' },
  { label: 'escaped null', yaml: '"a\\0b"' },
  { label: 'long text', yaml: 'x'.repeat(300) },
  { label: 'deep flow', yaml: '['.repeat(40) + ']'.repeat(40) },
];

/** Values of a field's own type, and the bounds of its constraints. */
function typed(f: Field): Value[] {
  const out: Value[] = [];
  const push = (label: string, ...ys: string[]) => ys.forEach((yaml) => out.push({ label, yaml }));
  const c = f.constraints;
  if (f.types.includes('int') || f.types.includes('float')) {
    const bounds = [c.ge, c.gt, c.le, c.lt].filter((b): b is number => typeof b === 'number');
    for (const b of bounds) push('bound', String(b), String(b - 1), String(b + 1), `${b}.0`, dq(String(b)));
    push('int', '2', '8', '64', '65', '8080', '60000', '1000', '4096', '2048', '2049', '131072', '1048577');
    push('int as text', '"4"', '" 4 "', '"4.0"', '"1e3"', '"0x10"', '"4_0"', '"+4"', '"-4"', '"٤"', '"4 "');
    push('float for int', '4.0', '4.5', '0.5', '-0.5', '1.5e3', '65.0', '2048.0');
    push('bool for int', 'true', 'false', 'yes', 'off');
    push('float as text', '"0.5"', '"inf"', '"nan"', '"1e-3"', '" 0.5 "', '"-inf"');
    push('fraction', '0.9', '1e-3', '0.95');
  }
  if (f.types.includes('bool')) {
    push('bool', 'true', 'false', 'True', 'FALSE', 'yes', 'No', 'on', 'OFF', 'y', 'n', 'Y', 'N');
    push(
      'bool as text',
      ...['true', 'false', 'yes', 'no', 'on', 'off', 't', 'f', '1', '0', '2', 'True ', ' yes', 'none'].map((s) =>
        dq(s),
      ),
    );
    push('number for bool', '1', '0', '2', '-1', '1.0', '0.0', '0.5');
  }
  if (f.types.includes('enum') || f.types.includes('literal')) {
    for (const e of f.enum) {
      if (typeof e !== 'string') continue;
      push('allowed', e, dq(e), sq(e));
      for (const [label, s] of nearMisses(e).slice(0, 12)) push(`allowed, ${label}`, dq(s), s.trim() === s ? s : dq(s));
      push('allowed, title case', e[0].toUpperCase() + e.slice(1).toLowerCase());
      push('allowed, dashes', e.replace(/_/g, '-'));
    }
  }
  if (f.types.includes('any')) {
    // Free-form values are written out as JSON at push: pydantic stops at 256 levels.
    for (const n of [254, 255, 256])
      push(`nested ${n}`, '['.repeat(n) + ']'.repeat(n), '{a: '.repeat(n) + '1' + '}'.repeat(n));
  }
  if (f.types.includes('str')) {
    push('text', 'x', '"x"', 'model', '/abs/path', 'rel/path', './rel', 'a b', '"a\\tb"', '"é"', '"\u00a0"');
  }
  return out;
}

/** Values at a field's path in the corpus's accepted configs. */
export type CorpusValues = Map<string, Json[]>;

/** Every value this generator makes for a field; `seen` are the field's values in the corpus. */
export function valuesFor(f: Field, seen: Json[], all: Map<string, Field>): Value[] {
  const goods: string[] = [];
  const addGood = (v: Json | undefined) => {
    if (typeof v === 'string' && !goods.includes(v)) goods.push(v);
    if (typeof v === 'number' && !goods.includes(String(v))) goods.push(String(v));
  };
  addGood(f.default);
  for (const e of f.examples ?? []) addGood(e);
  for (const e of f.enum) addGood(e);
  for (const s of seen.slice(0, 4)) addGood(s);
  // A model that takes a string (`resources.accelerator`): its own fields' values, and TYPE:COUNT.
  if (f.string_model) {
    for (const child of all.values()) {
      if (child.path.length !== f.path.length + 1 || key(child.path.slice(0, -1)) !== key(f.path)) continue;
      for (const e of child.enum.slice(0, 20)) addGood(e);
    }
  }
  const out: Value[] = [];
  for (const g of goods.slice(0, 8)) out.push(...textForms(`good ${JSON.stringify(g)}`, g));
  for (const g of goods.slice(0, 3)) {
    for (const [label, s] of nearMisses(g)) {
      const name = `${JSON.stringify(g)}, ${label}`;
      out.push({ label: `${name} "quoted"`, yaml: dq(s) });
      if (!/[\n\t]/.test(s) && s.trim() === s && s !== '') out.push({ label: `${name} plain`, yaml: s });
      else out.push({ label: `${name} 'quoted'`, yaml: sq(s) });
    }
  }
  out.push(...typed(f));
  out.push(...GENERIC);
  const g = goods.find((x) => x.trim() !== '') ?? 'x';
  // Anchors and aliases, tags on a good value.
  out.push(
    { label: 'anchored', yaml: `&fa ${g}` },
    { label: 'alias', yaml: g, alias: true },
    { label: 'alias to quoted', yaml: dq(g), alias: true },
    { label: '!!str good', yaml: `!!str ${g}` },
    { label: '!!str quoted good', yaml: `!!str ${dq(g)}` },
    { label: '!!int good', yaml: `!!int ${dq(g)}` },
    { label: '!!float good', yaml: `!!float ${dq(g)}` },
    { label: '!!binary good', yaml: `!!binary ${Buffer.from(g, 'latin1').toString('base64')}` },
    { label: 'comment after', yaml: `${g} # a comment` },
    { label: 'block literal good', yaml: `|-\n${g}` },
    { label: 'block folded good', yaml: `>\n${g}` },
  );
  // Every line break PyYAML knows, in and around the value: plain, quoted, block, comment.
  for (const [name, br] of BREAKS) {
    out.push(
      { label: `${name} after`, yaml: `${g}${br}` },
      { label: `${name} inside plain`, yaml: `${g}${br}${g}` },
      { label: `${name} inside plain, indented`, yaml: `${g}${br}${INDENT}${g}` },
      { label: `${name} inside "quoted"`, yaml: `"${g}${br}${g}"` },
      { label: `${name} inside "quoted", indented`, yaml: `"${g}${br}${INDENT}${g}"` },
      { label: `${name} inside 'quoted'`, yaml: `'${g}${br}${INDENT}${g}'` },
      { label: `${name} raw in "quoted"`, yaml: dq(`${g}${br}`, true) },
      { label: `${name} in block`, yaml: `|\n${g}${br}${INDENT}${g}` },
      { label: `${name} after block header`, yaml: `|${br}${INDENT}${g}` },
      { label: `${name} in comment`, yaml: `${g} # note${br}` },
      { label: `${name} in comment, then text`, yaml: `${g} # note${br}${INDENT}more` },
      { label: `${name} before value`, yaml: `${br}${INDENT}${g}` },
    );
  }
  return out;
}

/** Values for a mapping key (`secrets.{key}`): one line, as keys are. */
export function keyValuesFor(seen: Json[]): Value[] {
  const goods = ['hf_access_token', ...seen.filter((s): s is string => typeof s === 'string').slice(0, 3)];
  const out: Value[] = [];
  for (const g of goods.slice(0, 2)) {
    out.push(...textForms(`good key ${JSON.stringify(g)}`, g));
    for (const [label, s] of nearMisses(g).slice(0, 12)) out.push({ label: `key, ${label}`, yaml: dq(s) });
  }
  for (const y of [
    '1',
    '1.5',
    'true',
    'null',
    '~',
    '2024-01-02',
    '!!binary aGVsbG8=',
    '!!str 1',
    '""',
    '"a b"',
    'a b',
  ]) {
    out.push({ label: `key ${y}`, yaml: y });
  }
  for (const y of ['DOCKER_REGISTRY_https://index.docker.io/v1/', '"."', '"a/b"', 'é', 'a:b']) {
    out.push({ label: 'key text', yaml: y });
  }
  out.push({ label: 'key 254 long', yaml: 'a'.repeat(254) }, { label: 'key 253 long', yaml: 'a'.repeat(253) });
  for (const [name, br] of BREAKS) out.push({ label: `key ${name} after`, yaml: `${goods[0]}${br}` });
  return out;
}

// ---------------------------------------------------------------- configs

const SENTINEL = '__TRUSS_FIELD_VALUE__';
const ANCHOR = '__TRUSS_FIELD_ANCHOR__';

/** The corpus's accepted configs and the values they hold at each field path. */
export interface World {
  fields: Map<string, Field>;
  seeds: Obj[];
  values: CorpusValues;
}

export function loadWorld(): World {
  const fields = new Map(loadFields().map((f) => [key(f.path), f]));
  const seeds = loadSeeds().configs;
  const values: CorpusValues = new Map();
  const add = (k: string, v: Json) => {
    const list = values.get(k) ?? [];
    if (list.length < 40 && !list.some((x) => JSON.stringify(x) === JSON.stringify(v))) list.push(v);
    values.set(k, list);
  };
  const walk = (v: Json, path: string[]) => {
    const f = fields.get(key(path));
    if (path.length && f) add(key(path), v);
    if (isObj(v)) {
      const dict = f?.types.includes('dict');
      for (const [k, c] of Object.entries(v)) {
        if (dict) add(key([...path, '{key}']), k);
        walk(c, [...path, dict ? '{}' : k]);
      }
    } else if (Array.isArray(v)) v.forEach((c) => walk(c, [...path, '*']));
  };
  for (const s of seeds) walk(s, []);
  return { fields, seeds, values };
}

/** Text shapes to try at a text field the model and the corpus give no value for. */
const SHAPES = ['x', '1.0.0', '10.0.0.0/8', 'example.com', 'org/model', '/abs/path', 'https://example.com/x'];

/**
 * Values truss may accept at a field, best first: its default, examples and enum values in the model,
 * what the corpus holds there, the bounds of its constraints, and for text the common shapes.
 */
function goods(world: World, f: Field): Json[] {
  const out: Json[] = [];
  const add = (v: Json | undefined) => {
    if (v === undefined || (v !== null && typeof v === 'object')) return;
    if (!out.some((x) => x === v)) out.push(v);
  };
  if (f.default !== null) add(f.default);
  for (const v of world.values.get(key(f.path)) ?? []) add(v);
  for (const e of f.examples ?? []) add(e);
  for (const e of f.enum) add(e);
  const c = f.constraints;
  if (f.types.includes('int')) add(c.ge ?? (c.gt !== undefined ? c.gt + 1 : 1));
  if (f.types.includes('float')) add(0.5);
  if (f.types.includes('bool')) [false, true].forEach(add);
  if (f.types.includes('str') || f.types.includes('any')) SHAPES.forEach(add);
  return out;
}

/** A value truss accepts for a field, to fill a required field or a section on the way. */
function goodValue(world: World, path: string[]): Json {
  const f = world.fields.get(key(path));
  if (!f) return 'x';
  if (f.types.some((t) => t.startsWith('model:')) && !f.string_model) return fillModel(world, path, {});
  const first = goods(world, f)[0];
  if (first !== undefined) return first;
  if (f.types.includes('list')) return [];
  if (f.types.includes('dict')) return {};
  return null;
}

/** The fields a model at `path` has (its direct children in the model). */
function childrenOf(world: World, path: readonly string[]): Field[] {
  return [...world.fields.values()].filter(
    (f) => f.path.length === path.length + 1 && key(f.path.slice(0, -1)) === key(path),
  );
}

/** A mapping for the model at `path`, with its required fields filled. */
function fillModel(world: World, path: string[], obj: Obj): Obj {
  for (const f of childrenOf(world, path)) {
    const name = f.path[f.path.length - 1];
    if (f.required && obj[name] === undefined && !name.startsWith('{')) obj[name] = goodValue(world, f.path);
  }
  return obj;
}

/**
 * A change to a mapping on the way to the field (`depth` 0 is the document, 1 the first section…):
 * a key set to a value, after emptying the mapping down to its required fields when `reset`.
 */
interface Tweak {
  depth: number;
  key: string;
  value: Json;
  reset?: boolean;
}

/**
 * `config` with the field at `path` set to the sentinel, building what is missing on the way (a
 * section, a list entry, a dict key) and applying the tweaks to the mappings it passes; `own` is the
 * scalar the seed held there. Undefined when the path cannot be made.
 */
function place(
  world: World,
  config: Obj,
  path: string[],
  r: () => number,
  tweaks: Tweak[] = [],
): { config: Obj; own?: Json } | undefined {
  const out = clone(config);
  let cur: Json = out;
  for (let i = 0; i < path.length; i++) {
    for (const t of tweaks) {
      if (t.depth !== i || !isObj(cur)) continue;
      if (t.reset) {
        for (const k of Object.keys(cur)) delete cur[k];
        fillModel(world, path.slice(0, i), cur);
      }
      cur[t.key] = clone(t.value);
    }
    const seg = path[i];
    const last = i === path.length - 1;
    const here = path.slice(0, i + 1);
    const f = world.fields.get(key(here));
    const container = (): Json => {
      if (path[i + 1] === '*') return [];
      if (f?.types.some((t) => t.startsWith('model:'))) return fillModel(world, here, {});
      return {};
    };
    const scalar = (v: Json | undefined) => (v === null || typeof v !== 'object' ? v : undefined);
    if (seg === '*') {
      if (!Array.isArray(cur)) return undefined;
      if (last) {
        cur.push(SENTINEL);
        return { config: out };
      }
      if (!cur.length || r() < 0.2) cur.push(container());
      const idx = Math.floor(r() * cur.length);
      if (!isObj(cur[idx]) && !Array.isArray(cur[idx])) cur[idx] = container();
      cur = cur[idx];
    } else if (seg === '{key}') {
      if (!isObj(cur)) return undefined;
      cur[SENTINEL] = goodValue(world, [...path.slice(0, i), '{}']);
      return { config: out };
    } else if (seg === '{}') {
      if (!isObj(cur)) return undefined;
      const keys: string[] = Object.keys(cur).filter((k) => k !== SENTINEL);
      const k: string = keys.length && r() < 0.7 ? keys[Math.floor(r() * keys.length)] : 'field_diff_key';
      if (last) {
        const own = scalar(cur[k]);
        cur[k] = SENTINEL;
        return { config: out, own };
      }
      if (!isObj(cur[k]) && !Array.isArray(cur[k])) cur[k] = container();
      cur = cur[k];
    } else {
      if (!isObj(cur)) return undefined;
      if (last) {
        const own = scalar(cur[seg]);
        cur[seg] = SENTINEL;
        return { config: out, own };
      }
      const child: Json | undefined = cur[seg];
      const wantList = path[i + 1] === '*';
      if (child === undefined || child === null || Array.isArray(child) !== wantList || typeof child !== 'object') {
        cur[seg] = container();
      }
      cur = cur[seg];
    }
  }
  return { config: out };
}

/** The YAML text of a placed config with the sentinel replaced by `value`. */
export function render(config: Obj, value: Value): string {
  let c = config;
  if (value.alias) {
    const meta = isObj(config.model_metadata) ? config.model_metadata : {};
    const { model_metadata: _drop, ...rest } = config;
    void _drop;
    c = { model_metadata: { field_diff_anchor: ANCHOR, ...meta }, ...rest };
  }
  let text = stringify(c, { version: '1.1', lineWidth: 0 });
  const put = (marker: string, yaml: string) => {
    const at = text.indexOf(marker);
    if (at < 0) throw new Error(`no ${marker} in ${text}`);
    const col = at - (text.lastIndexOf('\n', at) + 1);
    const pad = ' '.repeat(col);
    const body = yaml.replace(/\n/g, `\n${INDENT}`).split(INDENT).join(pad);
    text = text.slice(0, at) + body + text.slice(at + marker.length);
  };
  if (value.alias) {
    put(ANCHOR, `&fa ${value.yaml}`);
    put(SENTINEL, '*fa');
  } else put(SENTINEL, value.yaml);
  return text;
}

// ---------------------------------------------------------------- the run

export interface FieldDisagreement extends Omit<Disagreement, 'ops'> {
  field: string;
  label: string;
}

/** One row of the coverage table. */
export interface FieldStats {
  field: string;
  /** The field's types in the model. */
  types: string;
  /** Accepted contexts (a config with the field at a value truss accepts) the values ran in. */
  contexts: number;
  /** Values the generator makes for the field. */
  generated: number;
  /** Cases run: the values sampled in each context, and the baselines tried. */
  cases: number;
  rejected: number;
  agreements: number;
  disagreements: number;
  /** For a field never reached: what truss said of its first baseline. */
  why?: string;
}

export interface Options {
  /** Values per field per context (all of them when Infinity). */
  values: number;
  /** Accepted contexts per field. */
  contexts: number;
  seed: number;
  /** Only the fields whose path matches. */
  only?: RegExp;
  /** Our verdict's disagreement with truss's (the config differential's, or a planted one). */
  judge?: typeof disagreement;
}

/**
 * Both verdicts on each text: truss's (one python process per batch of 4,000) and ours, computed while
 * python runs.
 */
async function verdicts(texts: string[]): Promise<Array<{ truss: Verdict; ours: ReturnType<typeof ourErrors> }>> {
  const out: Array<{ truss: Verdict; ours: ReturnType<typeof ourErrors> }> = [];
  for (let i = 0; i < texts.length; i += 4000) {
    const batch = texts.slice(i, i + 4000);
    const pending = trussVerdicts(batch);
    const ours = batch.map(ourErrors);
    const truss = await pending;
    batch.forEach((_, j) => out.push({ truss: truss[j], ours: ours[j] }));
  }
  return out;
}

/** The mappings at a path of a value (every entry of a list, every value of a dict). */
function objectsAt(v: Json, path: string[]): Obj[] {
  if (!path.length) return isObj(v) ? [v] : [];
  const [s, ...rest] = path;
  if (s === '*') return Array.isArray(v) ? v.flatMap((x) => objectsAt(x, rest)) : [];
  if (s === '{}') return isObj(v) ? Object.values(v).flatMap((x) => objectsAt(x, rest)) : [];
  return isObj(v) && s in v ? objectsAt(v[s], rest) : [];
}

/** Does the value hold something at the path? */
function holds(v: Json, path: string[]): boolean {
  if (!path.length) return true;
  const [s, ...rest] = path;
  if (s === '*') return Array.isArray(v) && v.some((x) => holds(x, rest));
  if (s === '{}' || s === '{key}') return isObj(v) && Object.values(v).some((x) => holds(x, rest));
  return isObj(v) && s in v && holds(v[s], rest);
}

interface Candidate {
  field: Field;
  config: Obj;
  good: Json;
  text: string;
}

/**
 * Tweaks that may make a field reachable: each value of an enum field beside the field or beside a
 * section on its way (`auth_method`, `inference_stack`), alone or with one other field of the
 * field's own model set to a good value (`AWS_OIDC` wants a role and a region).
 */
function tweaksFor(world: World, f: Field): Tweak[][] {
  const out: Tweak[][] = [];
  const parent = f.path.slice(0, -1);
  // Nearest first: the field's own model, then the sections on its way up.
  const siblings = childrenOf(world, parent).filter(
    (s) => s !== f && !s.path.at(-1)!.startsWith('{') && isScalarField(s) && !s.string_model,
  );
  for (let depth = f.path.length - 1; depth >= 0; depth--) {
    for (const e of childrenOf(world, f.path.slice(0, depth))) {
      if (e === f || !e.enum.length || key(e.path) === key(f.path.slice(0, depth + 1))) continue;
      for (const v of e.enum) {
        const base = { depth, key: e.path.at(-1)!, value: v };
        out.push([base]);
        if (depth !== f.path.length - 1) continue;
        // In the field's own model: the enum value with only the required fields, and one other.
        out.push([{ ...base, reset: true }]);
        for (const s of siblings) {
          const g = goods(world, s)[0];
          if (s !== e && g !== undefined)
            out.push([
              { ...base, reset: true },
              { depth, key: s.path.at(-1)!, value: g },
            ]);
        }
      }
    }
  }
  return out;
}

/**
 * Runs the field-level differential: for every scalar field, contexts (corpus configs holding the
 * field's section, or given one) whose baseline truss accepts, then the field's values in each.
 */
export async function runFieldDifferential(world: World, opts: Options) {
  const r = rng(opts.seed);
  const judge = opts.judge ?? disagreement;
  const scalar = [...world.fields.values()]
    .filter(isScalarField)
    .filter((f) => !opts.only || opts.only.test(key(f.path)));
  const disagreements: FieldDisagreement[] = [];
  const stats = new Map<string, FieldStats>();
  for (const f of scalar) {
    stats.set(key(f.path), {
      field: key(f.path),
      types: [...f.types, ...(f.string_model ? ['str'] : [])].join(', ') + (f.strict ? ' (strict)' : ''),
      contexts: 0,
      generated: 0,
      cases: 0,
      rejected: 0,
      agreements: 0,
      disagreements: 0,
    });
  }
  const count = (field: string, label: string, text: string, v: Awaited<ReturnType<typeof verdicts>>[number]) => {
    const s = stats.get(field)!;
    s.cases++;
    if (!v.truss.push_ok) s.rejected++;
    const d = judge(v.ours, v.truss);
    if (d) {
      disagreements.push({ ...d, field, label, text });
      s.disagreements++;
    } else s.agreements++;
  };

  // Phase 1: contexts, each with the field at a value truss accepts. First the seeds holding the
  // field's section with what they hold there (or a good value); for a field still not reached,
  // other good values and tweaks of the enum fields on its way.
  const accepted = new Map<string, Candidate[]>();
  const tries = opts.contexts + 1;
  const round = async (make: (f: Field) => Candidate[]) => {
    const todo = scalar.filter((f) => (accepted.get(key(f.path))?.length ?? 0) < opts.contexts);
    const candidates = todo.flatMap(make);
    const got = await verdicts(candidates.map((c) => c.text));
    candidates.forEach((c, i) => {
      const k = key(c.field.path);
      count(k, `baseline ${JSON.stringify(c.good)}`, c.text, got[i]);
      const list = accepted.get(k) ?? [];
      if (got[i].truss.push_ok && list.length < opts.contexts) list.push(c);
      else if (!got[i].truss.push_ok && !list.length) stats.get(k)!.why ??= got[i].truss.errors[0]?.slice(0, 160);
      accepted.set(k, list);
    });
  };
  const candidate = (f: Field, seed: Obj, tweaks: Tweak[], pickGood: (own: Json | undefined) => Json[]) => {
    const placed = place(world, seed, f.path, r, tweaks);
    if (!placed) return [];
    return pickGood(placed.own).map((good) => ({
      field: f,
      config: placed.config,
      good,
      text: render(placed.config, { label: 'baseline', yaml: JSON.stringify(good) }),
    }));
  };
  // The seeds that hold most of the way to the field first (`trt_llm.build.speculator` for a field of
  // its `checkpoint_repository`), then those whose mapping there has most fields of the field's own
  // class (a `trt_llm` of `inference_stack: v2` for a field only v2 has), in a seeded order.
  const seedsFor = (f: Field, n: number) => {
    const parent = f.path.slice(0, -1);
    const own = new Set(
      childrenOf(world, parent)
        .filter((c) => c.model === f.model)
        .map((c) => c.path.at(-1)!),
    );
    const rank = (s: Obj) => {
      let depth = 0;
      while (depth < f.path.length && holds(s, f.path.slice(0, depth + 1))) depth++;
      const kin = Math.max(0, ...objectsAt(s, parent).map((o) => Object.keys(o).filter((k) => own.has(k)).length));
      return depth * 1000 + kin;
    };
    return shuffle(world.seeds, r)
      .map((s) => ({ s, rank: rank(s) }))
      .sort((a, b) => b.rank - a.rank)
      .slice(0, n)
      .map((x) => x.s);
  };
  await round((f) =>
    seedsFor(f, tries).flatMap((seed) => candidate(f, seed, [], (own) => [own ?? goods(world, f)[0] ?? 'x'])),
  );
  await round((f) => {
    const out = seedsFor(f, 2).flatMap((seed) => candidate(f, seed, [], () => goods(world, f).slice(0, 6)));
    for (const tweaks of tweaksFor(world, f).slice(0, 40)) {
      const good = goods(world, f)[0] ?? 'x';
      out.push(...candidate(f, seedsFor(f, 1)[0], tweaks, () => [good]));
    }
    return out;
  });

  // Phase 2: the values of each field in its accepted contexts.
  const cases: Array<{ field: string; label: string; text: string }> = [];
  for (const f of scalar) {
    const k = key(f.path);
    const contexts = accepted.get(k) ?? [];
    const seen = [...contexts.map((c) => c.good), ...(world.values.get(k) ?? [])];
    const all = f.path.at(-1) === '{key}' ? keyValuesFor(seen) : valuesFor(f, seen, world.fields);
    const s = stats.get(k)!;
    s.generated = all.length;
    s.contexts = contexts.length;
    if (contexts.length) delete s.why;
    for (const c of contexts) {
      const chosen = Number.isFinite(opts.values) ? shuffle(all, r).slice(0, opts.values) : all;
      for (const v of chosen) cases.push({ field: k, label: v.label, text: render(c.config, v) });
    }
  }
  const got = await verdicts(cases.map((c) => c.text));
  cases.forEach((c, i) => count(c.field, c.label, c.text, got[i]));
  return {
    /** Every field of the model, and those that hold a scalar. */
    all: world.fields.size,
    scalar: scalar.length,
    stats: [...stats.values()],
    disagreements,
    cases: [...stats.values()].reduce((n, s) => n + s.cases, 0),
  };
}
