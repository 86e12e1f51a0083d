/**
 * Differential test of our YAML reading against PyYAML, the loader truss uses.
 *
 * test/yaml-oracle.py loads each file as truss does (SafeLoader, keys constructed first). We mutate
 * real configs (../shared/corpus and test/rules) at the syntax level and require the same outcome:
 * both load or both fail, and when both load, the same value. Seeded and bounded here; a longer run:
 *   YAML_DIFF_CASES=20000 [YAML_DIFF_SEED=7] node scripts/test-some.mjs test/yaml-differential.test.ts
 * YAML_DIFF_OUT=file writes every disagreement (text, both verdicts) to a JSON file.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type Node, isMap, isPair, isScalar, isSeq, parseDocument, visit } from 'yaml';
import { PYYAML_DEPTH, ParsedDocument } from '../server/src/core/yaml/parse';
import { Bytes } from '../server/src/core/yaml/pyyaml';
import { ROOT } from './ruleFiles';

const CASES = Number(process.env.YAML_DIFF_CASES ?? 400);
const SEED = Number(process.env.YAML_DIFF_SEED ?? 1);
const ORACLE = join(ROOT, 'test', 'yaml-oracle.py');
const CORPUS = join(ROOT, '..', 'shared', 'corpus');

function pythonProblem(): string | undefined {
  const run = spawnSync('python3', ['-c', 'import yaml'], { encoding: 'utf8' });
  if (run.error) return 'python3 is not available';
  if (run.status !== 0) return 'PyYAML is not installed for python3';
  return undefined;
}

// ---------------------------------------------------------------- the two readings

type Plain = null | boolean | number | string | Plain[] | { [k: string]: Plain };
interface Verdict {
  ok: boolean;
  value?: Plain;
  /** A limit of ours that PyYAML does not have: the case is not compared. */
  limit?: string;
  error?: string;
}

/** Our reading: loads when there is no error-level YAML problem, a single document and a value. */
export function ourVerdict(text: string): Verdict {
  const parsed = new ParsedDocument(text);
  if (parsed.tooLarge) return { ok: false, limit: 'file too large' };
  const error = parsed.problems.find((p) => p.severity === 'error');
  if (error) return { ok: false, error: error.message.split('\n')[0] };
  if (parsed.extraDocuments.length) return { ok: false, error: 'several documents' };
  // Where PyYAML gives up depends on the form of the nesting and on the caller's stack (PYYAML_DEPTH).
  if (parsed.depth >= PYYAML_DEPTH - 4 && parsed.depth < PYYAML_DEPTH) return { ok: false, limit: 'PyYAML depth band' };
  const value = parsed.value;
  if (parsed.valueError) {
    if (/nested too deeply|billion laughs/.test(parsed.valueError)) return { ok: false, limit: parsed.valueError };
    return { ok: false, error: parsed.valueError };
  }
  return { ok: true, value: plain(value, []) };
}

/** The JSON-able form test/yaml-oracle.py prints (see its docstring). */
function plain(v: unknown, path: unknown[]): Plain {
  if (path.includes(v)) throw new Recursive();
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return { $float: 'nan' };
    if (!Number.isFinite(v)) return { $float: v > 0 ? 'inf' : '-inf' };
    return v;
  }
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return { $ts: v.toISOString() };
  if (v instanceof Bytes) return { $bytes: v.latin1 };
  const inner = [...path, v];
  if (v instanceof Set) {
    const items = [...v].map((x) => plain(x, inner));
    return { $set: items.sort((a, b) => cmp(canonical(a), canonical(b))) };
  }
  if (v instanceof Map) return [...v].map(([k, x]) => [plain(k, inner), plain(x, inner)]);
  if (Array.isArray(v)) return v.map((x) => plain(x, inner));
  if (typeof v === 'object') {
    const out: { [k: string]: Plain } = {};
    for (const [k, x] of Object.entries(v)) out[k] = plain(x, inner);
    return out;
  }
  return { $unknown: typeof v };
}
class Recursive extends Error {}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** JSON with sorted keys, so that key order does not matter. */
function canonical(v: Plain): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

function oracle(texts: string[]): Verdict[] {
  const dir = mkdtempSync(join(tmpdir(), 'yaml-diff-'));
  try {
    const files = texts.map((t, i) => {
      const f = join(dir, `${i}.yaml`);
      writeFileSync(f, t, 'utf8');
      return f;
    });
    const run = spawnSync('python3', [ORACLE], {
      input: JSON.stringify(files),
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    assert.equal(run.status, 0, `the oracle failed: ${run.stderr}`);
    const lines = run.stdout.split('\n').filter(Boolean);
    assert.equal(lines.length, texts.length);
    return lines.map((l) => {
      const r = JSON.parse(l) as Verdict & { message?: string };
      return { ok: r.ok, value: r.value, error: r.ok ? undefined : `${r.error}: ${r.message ?? ''}` };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- the inputs

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** A seeded generator (mulberry32). */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)];
  return { next, int, pick };
}
type Random = ReturnType<typeof random>;

/** Short documents with the constructs the mutations work on. */
const SNIPPETS = [
  'model_name: m\nmodel_metadata:\n  example_model_input: {"prompt": "hi", "max_tokens": 8}\n',
  'requirements:\n  - torch==2.3.0\n  - numpy\nresources:\n  cpu: "1"\n  use_gpu: true\n',
  'environment_variables:\n  A: yes\n  B: 0755\n  C: 1:30\n  D: 1e3\n  E: .inf\n  F: 2001-12-14\n  G: ~\n',
  'model_metadata:\n  example_model_input: {\n    "messages": [{"role": "user", "content": "hi"}],\n' +
    '    "stream": true\n}\npython_version: py311\n',
  'requirements: [\n  torch,\n  "numpy>=1",\n]\nmodel_name: x\n',
  'base: &base\n  cpu: "1"\n  memory: 2Gi\nresources:\n  <<: *base\n  use_gpu: false\n',
  'description: |\n  line one\n\n  line three\nnotes: >-\n  folded\n  text\n',
  'secrets:\n  hf_access_token: null\nmodel_metadata:\n  tags: [a, b]\n  when: 2024-01-02 10:00:00\n',
];

const TAGS = ['!!str', '!!int', '!!float', '!!bool', '!!null', '!!binary', '!!timestamp', '!Ref', '!', '!!python/none'];
const COLLECTION_TAGS = [
  '!!map',
  '!!seq',
  '!!set',
  '!!omap',
  '!!pairs',
  '!!str',
  '!!merge',
  '!!set',
  '!!omap',
  '!!pairs',
];
const SPECIAL = [
  'yes',
  'No',
  'on',
  'OFF',
  'y',
  'n',
  '0755',
  '0o17',
  '08',
  '09.5',
  '1:30',
  '-1:30:00',
  '1e3',
  '1.0e+3',
  '1.5E-2',
  '.inf',
  '-.Inf',
  '.NaN',
  '-.5',
  '._',
  '1_000',
  '0x1F',
  '0b101',
  '0b_',
  '+12',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '2001-13-45',
  '2002-12-14 21:59:43.1 Z',
  '~',
  'null',
  'Null',
  "''",
  '""',
  '=',
  '<<',
  'true',
  'TRUE',
  'tRue',
  '0.',
  '1.',
  '+.5',
  '12:30:45.5',
  '0',
  '-0',
  '00',
  '1__0',
];
const NOISE = ':-?[]{},#&*!|>\'"%@` \t';

/** Applies one syntax-level mutation; returns the new text and the mutation's name. */
function mutate(text: string, r: Random): [string, string] {
  const lines = text.split('\n');
  const nodes = nodesOf(text);
  const kind = r.pick(MUTATIONS);
  const line = r.int(lines.length);
  const indentOf = (l: string) => /^ */.exec(l)![0].length;
  switch (kind) {
    case 'indent': {
      const d = r.pick([-3, -2, -1, 1, 2, 3]);
      lines[line] = d > 0 ? ' '.repeat(d) + lines[line] : lines[line].slice(Math.min(-d, indentOf(lines[line])));
      return [lines.join('\n'), kind];
    }
    case 'tab': {
      const spaces = [...text.matchAll(/ /g)].map((m) => m.index);
      if (!spaces.length) break;
      const at = r.pick(spaces);
      return [text.slice(0, at) + '\t' + text.slice(at + 1), kind];
    }
    case 'to-flow': {
      const cols = nodes.filter((n) => (isMap(n.node) || isSeq(n.node)) && !n.flow);
      if (!cols.length) break;
      const n = r.pick(cols);
      const flow = renderFlow(n.js, r, r.pick([0, 0, 1, 2, 4]));
      return [splice(text, n.start, n.end, flow + (text[n.end - 1] === '\n' ? '\n' : '')), kind];
    }
    case 'to-block': {
      const cols = nodes.filter((n) => (isMap(n.node) || isSeq(n.node)) && n.flow && n.indent !== undefined);
      if (!cols.length) break;
      const n = r.pick(cols);
      const pad = ' '.repeat(n.indent! + r.pick([2, 2, 1, 4]));
      const block = renderBlock(n.js, pad);
      if (!block) break;
      return [splice(text, n.start, n.end, '\n' + block.replace(/\n$/, '')), kind];
    }
    case 'tag': {
      const scalars = nodes.filter((n) => isScalar(n.node));
      if (!scalars.length) break;
      const n = r.pick(scalars);
      return [splice(text, n.start, n.start, r.pick(TAGS) + ' '), kind];
    }
    case 'collection-tag': {
      const cols = nodes.filter((n) => isMap(n.node) || isSeq(n.node));
      if (!cols.length) break;
      const n = r.pick(cols);
      const at = n.flow ? n.start : n.colon;
      if (at === undefined) break;
      return [splice(text, at, at, n.flow ? r.pick(COLLECTION_TAGS) + ' ' : ' ' + r.pick(COLLECTION_TAGS)), kind];
    }
    case 'alias': {
      const values = nodes.filter((n) => n.isValue);
      if (values.length < 2) break;
      const [a, b] = [r.pick(values), r.pick(values)].sort((x, y) => x.start - y.start);
      if (a.end > b.start && a !== b) break;
      const name = r.pick(['a1', 'a1', 'a1', 'x']);
      const anchored = a.flow || isScalar(a.node) ? `&a1 ` : '';
      let out = anchored ? splice(text, a.start, a.start, anchored) : text;
      const shift = anchored.length;
      if (r.next() < 0.15) out = splice(out, b.start + shift, b.start + shift, '&a1 ');
      else if (b !== a)
        out = splice(out, b.start + shift, b.end + shift, `*${name}` + (out[b.end + shift - 1] === '\n' ? '\n' : ''));
      return [out, kind];
    }
    case 'merge': {
      const maps = nodes.filter((n) => isMap(n.node) && !n.flow);
      if (!maps.length) break;
      const m = r.pick(maps);
      const pad = ' '.repeat(m.col);
      const entry = r.pick([
        '<<: {cpu: "2"}',
        '<<: *a1',
        '<<: [{a: 1}, {b: 2}]',
        '"<<": 1',
        '? <<\n' + pad + ': {x: 1}',
      ]);
      const at = text.lastIndexOf('\n', m.start) + 1;
      return [splice(text, at, at, pad + entry + '\n'), kind];
    }
    case 'quote': {
      const scalars = nodes.filter((n) => isScalar(n.node));
      if (!scalars.length) break;
      const n = r.pick(scalars);
      const src = text.slice(n.start, n.endValue);
      const v = String((n.node as { value: unknown }).value);
      const q = r.pick(['single', 'double', 'strip', 'unclosed']);
      const out =
        q === 'single'
          ? `'${v.replace(/'/g, "''")}'`
          : q === 'double'
            ? JSON.stringify(v)
            : q === 'strip'
              ? src.replace(/^["']|["']$/g, '')
              : src.replace(/["']$/, '') || '"';
      return [splice(text, n.start, n.endValue, out), kind];
    }
    case 'comment': {
      const c = r.pick([' # note', '# note', ' #', '\t# note']);
      if (r.next() < 0.5) lines[line] += c;
      else lines.splice(line, 0, ' '.repeat(r.int(6)) + '# a comment line');
      return [lines.join('\n'), kind];
    }
    case 'block-scalar': {
      const scalars = nodes.filter((n) => isScalar(n.node) && n.isValue && n.indent !== undefined);
      if (!scalars.length) break;
      const n = r.pick(scalars);
      const header = r.pick(['|', '|-', '|+', '>', '>-', '>+', '|2', '>1-', '|-1', '| # c']);
      const pad = ' '.repeat(n.indent! + r.pick([2, 2, 1, 4]));
      const words = String((n.node as { value: unknown }).value).split(' ');
      const body = words.map((w, i) => (i % 3 === 2 ? '  ' : '') + w).join(r.pick(['\n', ' ', '\n\n']));
      const text2 = body
        .split('\n')
        .map((l) => (l ? pad + l : l))
        .join('\n');
      return [splice(text, n.start, n.endValue, header + '\n' + text2), kind];
    }
    case 'multiline': {
      const scalars = nodes.filter((n) => isScalar(n.node) && n.isValue);
      if (!scalars.length) break;
      const n = r.pick(scalars);
      const v = String((n.node as { value: unknown }).value);
      const pad = ' '.repeat(r.int(7));
      const q = r.pick(['', '"', "'"]);
      const body = v.replace(/ /g, () => (r.next() < 0.5 ? `\n${pad}` : ' '));
      return [splice(text, n.start, n.endValue, q + body + (r.next() < 0.3 ? `\n${pad}more` : '') + q), kind];
    }
    case 'crlf': {
      const how = r.pick(['all', 'some', 'cr']);
      if (how === 'all') return [text.replace(/\n/g, '\r\n'), kind];
      if (how === 'some') return [text.replace(/\n/g, () => (r.next() < 0.5 ? '\r\n' : '\n')), kind];
      lines[line] += '\r';
      return [lines.join('\n'), kind];
    }
    case 'bom':
      return [r.next() < 0.8 ? '\ufeff' + text : ((at) => splice(text, at, at, '\ufeff'))(r.int(text.length)), kind];
    case 'complex-key': {
      const maps = nodes.filter((n) => isMap(n.node) && !n.flow);
      if (!maps.length) break;
      const m = r.pick(maps);
      const pad = ' '.repeat(m.col);
      const entry = r.pick([
        '? [a, b]\n' + pad + ': 1',
        '{a: 1}: x',
        '[a, b]: c',
        'hf_access_token: {{HF_ACCESS_TOKEN}}',
        'example: { {"a": 1}, {"b": 2} }',
        '? |\n' + pad + '  block key\n' + pad + ': v',
        '? plain\n' + pad + ': v',
        '1: one',
        '1.0: float',
        'true: t',
        '~: n',
        '2001-01-01: d',
      ]);
      const at = text.lastIndexOf('\n', m.start) + 1;
      return [splice(text, at, at, pad + entry + '\n'), kind];
    }
    case 'special': {
      const scalars = nodes.filter((n) => isScalar(n.node));
      if (!scalars.length) break;
      const n = r.pick(scalars);
      return [splice(text, n.start, n.endValue, r.pick(SPECIAL)), kind];
    }
    case 'noise': {
      const at = r.int(text.length + 1);
      const how = r.int(4);
      if (how === 0) return [splice(text, at, at + 1, ''), kind];
      if (how === 1) return [splice(text, at, at, r.pick([...NOISE])), kind];
      if (how === 2) {
        lines.splice(line, 0, lines[line]);
        return [lines.join('\n'), kind];
      }
      if (line + 1 < lines.length) [lines[line], lines[line + 1]] = [lines[line + 1], lines[line]];
      return [lines.join('\n'), kind];
    }
    case 'line-break': {
      // PyYAML's other line breaks (NEL, LS, PS; CR and CRLF read as LF in text mode), anywhere.
      const br = r.pick(LINE_BREAKS);
      const how = r.int(4);
      if (how === 0) return [text.replace(/\n/g, () => (r.next() < 0.3 ? br : '\n')), kind];
      if (how === 1) {
        const spaces = [...text.matchAll(/ /g)].map((m) => m.index);
        if (!spaces.length) break;
        const at = r.pick(spaces);
        return [splice(text, at, at + 1, br + ' '.repeat(r.int(6))), kind];
      }
      if (how === 2) {
        lines[line] += ` # note${br}${r.next() < 0.5 ? '' : ' '.repeat(r.int(6)) + 'more'}`;
        return [lines.join('\n'), kind];
      }
      const at = r.int(text.length + 1);
      return [splice(text, at, at, br), kind];
    }
    case 'tagged-collection': {
      const [t, how] = generated(text, r, 'collection');
      if (how === 'none') break;
      return [t, `${kind} ${how}`];
    }
    case 'nest': {
      const [t, how] = generated(text, r, 'nesting');
      if (how === 'none') break;
      return [t, `${kind} ${how}`];
    }
    case 'document': {
      lines.splice(line, 0, r.pick(['---', '...', '--- # c', '%YAML 1.1', '--- |', '---x']));
      return [lines.join('\n'), kind];
    }
  }
  return [text, 'none'];
}

const MUTATIONS = [
  'indent',
  'tab',
  'to-flow',
  'to-block',
  'tag',
  'collection-tag',
  'alias',
  'merge',
  'quote',
  'comment',
  'block-scalar',
  'multiline',
  'crlf',
  'bom',
  'complex-key',
  'special',
  'noise',
  'document',
  'line-break',
  'tagged-collection',
  'nest',
] as const;

/** Every line break PyYAML knows. */
const LINE_BREAKS = ['\r', '\r\n', '\x85', '\u2028', '\u2029'];

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

interface NodeInfo {
  node: Node;
  js: unknown;
  start: number;
  /** End of the node's own text. */
  endValue: number;
  /** End of the node's range (a block node includes its trailing line break). */
  end: number;
  flow: boolean;
  isValue: boolean;
  /** Column of the node's first character. */
  col: number;
  /** Indentation of the line of the key that holds the node. */
  indent?: number;
  /** Offset just after the colon of the pair that holds the node. */
  colon?: number;
}

/** The nodes of a text that parses cleanly (a plain parse, only for positions). */
function nodesOf(text: string): NodeInfo[] {
  const doc = parseDocument(text, { version: '1.1', uniqueKeys: false, logLevel: 'silent' });
  if (doc.errors.length) return [];
  const out: NodeInfo[] = [];
  const lineStart = (o: number) => text.lastIndexOf('\n', o - 1) + 1;
  visit(doc, {
    Node(key, node, path) {
      if (!node.range) return;
      const parent = path[path.length - 1];
      const isValue = key === 'value';
      let indent: number | undefined;
      let colon: number | undefined;
      if (isPair(parent) && isValue && isScalar(parent.key) && parent.key.range) {
        const k = parent.key.range;
        indent = k[0] - lineStart(k[0]);
        const c = text.indexOf(':', k[1]);
        if (c >= 0 && c < node.range[0]) colon = c + 1;
      }
      let js: unknown;
      try {
        js = node.toJSON();
      } catch {
        return;
      }
      out.push({
        node,
        js,
        start: node.range[0],
        endValue: node.range[1],
        end: node.range[2],
        flow: !!(node as { flow?: boolean }).flow || isScalar(node),
        isValue: isValue || isSeq(parent),
        col: node.range[0] - lineStart(node.range[0]),
        indent,
        colon,
      });
    },
  });
  return out;
}

function renderFlow(v: unknown, r: Random, style: number): string {
  const json = JSON.stringify(v, (_k, x: unknown) => (x instanceof Date ? x.toISOString() : x)) ?? 'null';
  if (style === 0) return json;
  // Multi-line, with the closing bracket at column 0 or other odd indentation, as people write it.
  const pad = ' '.repeat(r.int(5));
  return json
    .replace(/([[{])/, '$1\n' + pad)
    .replace(/,(?=")/g, () => (r.next() < 0.5 ? ',\n' + ' '.repeat(r.int(6)) : ', '))
    .replace(/([\]}])$/, (m) => (style > 1 ? ',' : '') + '\n' + ' '.repeat(style === 4 ? r.int(3) : 0) + m);
}

function renderBlock(v: unknown, pad: string): string | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  const entries = Array.isArray(v)
    ? v.map((x) => ['-', x] as const)
    : Object.entries(v).map(([k, x]) => [k, x] as const);
  if (!entries.length) return undefined;
  return entries
    .map(([k, x]) => {
      const head = k === '-' && Array.isArray(v) ? '-' : `${JSON.stringify(k)}:`;
      return `${pad}${head} ${JSON.stringify(x) ?? 'null'}\n`;
    })
    .join('');
}

// ---------------------------------------------------------------- generated documents

/** Scalars for generated collections: plain and quoted half the time, else YAML 1.1 specials, tagged, anchored. */
function scalarItem(r: Random): string {
  if (r.next() < 0.5) return r.pick(['x', 'y', 'z', 'a b', '1', '2.5', '"q"', "'s'", '""', 'true', '~']);
  return r.pick([...SPECIAL, '!!str 1', '!!binary aGVsbG8=', '!!binary /w==', '!!int "7"', '"x\\ny"', '&k1 x']);
}

/** A flow node for inside generated collections: a scalar, or (not too deep) a collection, tagged or not. */
function flowItem(r: Random, depth: number): string {
  const roll = r.next();
  if (depth > 2 || roll < 0.6) return scalarItem(r);
  if (roll < 0.75) return taggedFlow(r, depth + 1);
  if (roll < 0.87) return `[${Array.from({ length: r.int(3) }, () => flowItem(r, depth + 1)).join(', ')}]`;
  return `{${Array.from({ length: r.int(3) }, () => `${scalarItem(r)}: ${flowItem(r, depth + 1)}`).join(', ')}}`;
}

const COLLECTION_KINDS = ['!!set', '!!omap', '!!pairs'] as const;

/** An entry of an ordered map or pairs, in flow: mostly a one-key mapping, sometimes another shape. */
function pairEntry(r: Random, depth: number): string {
  const k = scalarItem(r);
  const v = flowItem(r, depth + 1);
  if (r.next() < 0.85) return r.next() < 0.7 ? `${k}: ${v}` : `{${k}: ${v}}`;
  return r.pick([`{${k}: ${v}, ${scalarItem(r)}: 1}`, `[${k}, ${v}]`, k, `{}`]);
}

/** `!!set`, `!!omap` or `!!pairs` in flow form, right-shaped or not, with an anchor now and then. */
function taggedFlow(r: Random, depth = 0): string {
  const tag = r.pick(COLLECTION_KINDS);
  const n = r.int(4);
  const anchor = depth === 0 && r.next() < 0.2 ? '&c1 ' : '';
  const head = r.next() < 0.5 ? `${anchor}${tag}` : `${tag} ${anchor}`.trimEnd();
  let body: string;
  if (tag === '!!set') {
    const items = Array.from({ length: n }, () =>
      r.next() < 0.8 ? scalarItem(r) : `${scalarItem(r)}: ${flowItem(r, depth + 1)}`,
    );
    if (r.next() < 0.2 && items.length) items.push(items[0]);
    body = r.next() < 0.9 ? `{${items.join(', ')}}` : `[${items.join(', ')}]`;
  } else {
    const entries = Array.from({ length: n }, () => pairEntry(r, depth));
    if (r.next() < 0.2 && entries.length) entries.push(entries[0]);
    body = r.next() < 0.9 ? `[${entries.join(', ')}]` : `{${entries.filter((e) => e.includes(': ')).join(', ')}}`;
  }
  return `${head} ${body}`;
}

/** `!!set`, `!!omap` or `!!pairs` in block form, as the value of a key whose line is indented `indent`. */
function taggedBlock(r: Random, indent: number, depth = 0): string {
  const tag = r.pick(COLLECTION_KINDS);
  const pad = ' '.repeat(indent + r.pick([2, 2, 1, 4]));
  const n = 1 + r.int(4);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = scalarItem(r);
    const nested = depth < 1 && r.next() < 0.15;
    if (tag === '!!set') {
      if (nested) lines.push(`${pad}${k}:${taggedBlock(r, pad.length, depth + 1)}`);
      else lines.push(r.next() < 0.8 ? `${pad}? ${k}` : `${pad}${k}: ${flowItem(r, 1)}`);
    } else if (nested) lines.push(`${pad}- ${k}:${taggedBlock(r, pad.length + 2, depth + 1)}`);
    else if (r.next() < 0.85) lines.push(`${pad}- ${k}: ${flowItem(r, 1)}`);
    else
      lines.push(
        r.pick([`${pad}- ${k}: 1\n${pad}  ${scalarItem(r)}: 2`, `${pad}- [${k}, 1]`, `${pad}- ${k}`, `${pad}${k}: 1`]),
      );
  }
  if (r.next() < 0.15) lines.push(lines[0]);
  return ` ${depth === 0 && r.next() < 0.2 ? '&c1 ' : ''}${tag}\n${lines.join('\n')}`;
}

/** One level of nesting in flow form: what opens it and what closes it. */
const FLOW_LEVELS: Array<[string, string]> = [
  ['[', ']'],
  ['[', ']'],
  ['{k: ', '}'],
  ['[k: ', ']'],
  ['!!seq [', ']'],
  ['!!map {k: ', '}'],
  ['!!omap [k: ', ']'],
  ['!!pairs [k: ', ']'],
  ['[x, ', ', y]'],
];

/** Depths to nest to: shallow, around pydantic's 256 and around PyYAML's limit (PYYAML_DEPTH), and past it. */
function nestingDepth(r: Random): number {
  const roll = r.next();
  if (roll < 0.3) return 1 + r.int(12);
  if (roll < 0.45) return 250 + r.int(12);
  if (roll < 0.9) return PYYAML_DEPTH - 12 + r.int(20);
  return r.pick([600, 1000, 3000]);
}

/**
 * A value nested `n` deep: flow levels of every kind, or block mappings and sequences (a compact
 * `- - -` run now and then), ending in a scalar or a flow collection; `indent` is its key's column.
 */
function nestedValue(r: Random, n: number, indent: number): string {
  const leaf = r.pick(['x', '1', '[]', '{}', '!!set {a}', '[1, 2]', '~', '"s"']);
  // Block nesting past 600 levels makes lines of over a thousand columns: flow only there.
  if (n > 600 || r.next() < 0.5) {
    const levels = Array.from({ length: n }, () => r.pick(FLOW_LEVELS));
    return (
      ' ' +
      levels.map(([open]) => open).join('') +
      leaf +
      levels
        .map(([, close]) => close)
        .reverse()
        .join('')
    );
  }
  let out = '';
  let col = indent;
  let dash = false;
  for (let i = 0; i < n; i++) {
    const roll = r.next();
    if (dash && roll < 0.3) {
      // Compact, on the dash's line: `- - x` or `- k: x`, two columns on.
      out += roll < 0.2 ? ' -' : ' k:';
      col += 2;
      dash = roll < 0.2;
      continue;
    }
    col += r.pick([1, 2, 2, 3]);
    dash = roll >= 0.6;
    out += `\n${' '.repeat(col)}${dash ? '-' : 'k:'}`;
  }
  return `${out} ${leaf}`;
}

/** A generated document: a seed with a value replaced by a tagged collection or a deep nesting. */
function generated(seed: string, r: Random, what: 'collection' | 'nesting'): [string, string] {
  // Values of block mappings only: their key's line has no flow collection open before them.
  const values = nodesOf(seed).filter(
    (n) =>
      n.isValue && n.indent !== undefined && !/[[{]/.test(seed.slice(seed.lastIndexOf('\n', n.start - 1) + 1, n.start)),
  );
  if (!values.length) return [seed, 'none'];
  const n = r.pick(values);
  // The value replaces the old one after its key's colon (a block value needs the colon's line).
  const colon = seed.lastIndexOf(':', n.start);
  if (what === 'collection') {
    const block = r.next() < 0.5;
    let text = splice(seed, colon + 1, n.end, (block ? taggedBlock(r, n.indent!) : ` ${taggedFlow(r)}`) + '\n');
    // An alias to the collection, from a key of its own at the end.
    if (text.includes('&c1 ') && r.next() < 0.6) text = `${text.replace(/\n?$/, '\n')}alias_of_c1: *c1\n`;
    return [text, block ? 'block' : 'flow'];
  }
  const depth = nestingDepth(r);
  return [splice(seed, colon + 1, n.end, nestedValue(r, depth, n.indent!) + '\n'), `depth ${depth}`];
}

// ---------------------------------------------------------------- the test

interface Disagreement {
  text: string;
  mutations: string[];
  ours: Verdict;
  theirs: Verdict;
}

function compare(texts: Array<{ text: string; mutations: string[] }>) {
  const theirs = oracle(texts.map((t) => t.text));
  const disagreements: Disagreement[] = [];
  const limits: Record<string, number> = {};
  texts.forEach((t, i) => {
    let ours: Verdict;
    try {
      ours = ourVerdict(t.text);
    } catch (e) {
      if (!(e instanceof Recursive)) throw e;
      ours = { ok: true, value: { $recursive: true } };
    }
    if (ours.limit) {
      limits[ours.limit] = (limits[ours.limit] ?? 0) + 1;
      return;
    }
    const same =
      ours.ok === theirs[i].ok && (!ours.ok || canonical(ours.value ?? null) === canonical(theirs[i].value ?? null));
    if (!same) disagreements.push({ text: t.text, mutations: t.mutations, ours, theirs: theirs[i] });
  });
  return { disagreements, limits, loaded: theirs.filter((v) => v.ok).length };
}

function report(d: Disagreement[]): string {
  return d
    .slice(0, 5)
    .map(
      (x) =>
        `[${x.mutations.join(', ')}] ours ${x.ours.ok ? 'loads' : `fails (${x.ours.error})`}, ` +
        `PyYAML ${x.theirs.ok ? 'loads' : `fails (${x.theirs.error})`}\n${JSON.stringify(x.text).slice(0, 600)}`,
    )
    .join('\n\n');
}

/**
 * Documents built around each of PyYAML's line breaks (`{B}`), in plain, quoted and block scalars,
 * comments, keys and flow collections.
 */
const BREAK_TEMPLATES = [
  'a: x{B}b: y\n',
  'a: x{B}  y\n',
  'a: x{B}y\n',
  'a: x {B}  y {B}{B}  z\n',
  'a:\n  b: x{B}  y{B}c: 1\n',
  'a: "x{B}  y"\n',
  'a: "x {B}{B}y"\n',
  'a: "x\\{B}  y"\n',
  "a: 'x{B}  y'\n",
  "a: 'x{B}{B}  y '\n",
  'a: |{B}  x{B}  y{B}b: 1\n',
  'a: |-\n  x{B}  y\n',
  'a: |+\n  x{B}{B}b: 1\n',
  'a: >\n  x{B}  y{B}{B}  z\n',
  'a: >-{B}  x{B}   y{B}  z\n',
  'a: |2\n   x{B}  y\n',
  '- |\n  x{B}  y\n- >\n  x{B}  y\n',
  'a: x # c{B}b: y\n',
  'a: x # c{B}  y\n',
  '# c{B}a: 1\n',
  'a{B}: 1\n',
  '? a{B}: b\n',
  'a:{B}  b: 1\n',
  'a:{B}- 1{B}- 2\n',
  '- a{B}- b\n',
  '[a,{B} b]\n',
  '{a: 1,{B}b: 2}\n',
  'a: [x{B}, y]\n',
  'a: {b: "x{B}y"}\n',
  '---{B}a: 1\n',
  'a: 1{B}...{B}\n',
  '\ufeff{B}a: 1\n',
  'a: &x 1{B}b: *x\n',
  'a: !!str{B}  x\n',
  'a: x{B}',
];

/** Tagged collections (`!!set`, `!!omap`, `!!pairs`) in every form and where PyYAML refuses them; `!!binary`. */
const COLLECTION_CASES = [
  'a: !!set {x, y}\n',
  'a: !!set\n  ? x\n  ? y\n',
  'a: !!set {x: 1, y: 2}\n',
  'a: !!set {x, x}\n',
  'a: !!set {}\n',
  'a: !!set [x]\n',
  'a: !!set {[x]: 1}\n',
  'a: !!set {1, 1.0, true}\n',
  '!!set {a, b}\n',
  'a: !!omap [x: 1, y: 2]\n',
  'a: !!omap\n  - x: 1\n  - y: 2\n',
  'a: !!omap [x: 1, x: 2]\n',
  'a: !!omap []\n',
  'a: !!omap {x: 1}\n',
  'a: !!omap [[x, 1]]\n',
  'a: !!omap [{x: 1, y: 2}]\n',
  'a: !!omap [x]\n',
  'a: !!pairs [x: 1, x: 2]\n',
  'a: !!pairs\n  - x: 1\n  - x: 2\n',
  'a: !!pairs {x: 1}\n',
  'a: !!pairs [[x, 1]]\n',
  'a: !!pairs [x: [1, 2]]\n',
  'a: !!omap [x: !!set {y}]\n',
  'a: &s !!set {x}\nb: *s\n',
  '? !!set {x}\n: 1\n',
  '? !!omap [x: 1]\n: 1\n',
  'a: !!set {x: {y: 1}}\n',
  'a: !!set\n  x: 1\n',
  'a: !!binary aGVsbG8=\n',
  'a: !!binary /w==\n',
  'a: !!binary 4pyT\n',
  'a: !!binary |\n  aGVs\n  bG8=\n',
  '!!binary /w==: 1\n',
  '{!!binary aGVsbG8=: 1, hello: 2}\n',
  'a: !!set {!!binary /w==, !!binary aGVsbG8=}\n',
];

/**
 * What the long runs found (20,000 mutants, seed 7): a `:` or other text indented under a `?` key or
 * an empty key, which PyYAML reads as a new mapping (`yaml` took the `:` for the key's, or left the
 * text out); a block scalar's explicit indentation after a byte order mark, in a file with LS breaks.
 */
const FOUND_CASES = [
  '? plain\n : v\n',
  'a: 1\n\n : x\n',
  '? a\n: v\n',
  '? a\r\n: v\r\n',
  '? a\r\n  : v\r\n',
  '- ? a\n  : v\n',
  '- ? a\n   : v\n',
  'x:\n  ? a\n  : v\n',
  'x:\n  ? a\n   : v\n',
  '? a\n:\n',
  '?\n: v\n',
  '? "q"\n  08: x\n',
  '? ""\n ? s\n',
  'a: !!set\n  ? x\n  ? "q"\n    r: {s: 1}\n',
  '? a\n? b\n',
  '? a # c\n# d\n: v\n',
  '? |\n  q\n  r: x\n',
  '? a\n  b\n: c\n',
  'description: &a1 |\r\n  line one\r\n\n : line three\nnotes: *a1\r\n',
  '\ufeffr: [\u2028  torch,\n]\u2028m: |2\u2028    x\u2028',
  '\ufeffm: |1\u2028   x\u2028',
];

/** Nesting `n` deep, in block and flow forms (PyYAML stops at about 490: Python's recursion limit). */
function nested(form: string, n: number): string {
  switch (form) {
    case 'block map':
      return Array.from({ length: n }, (_, i) => `${' '.repeat(i)}a:\n`).join('') + `${' '.repeat(n)}x\n`;
    case 'block seq':
      return (
        'a:\n' +
        Array.from({ length: n }, (_, i) => `${' '.repeat(2 * i + 2)}-\n`).join('') +
        `${' '.repeat(2 * n + 2)}x\n`
      );
    case 'compact seq':
      return 'a:\n  ' + '- '.repeat(n) + 'x\n';
    case 'flow seq':
      return 'a: ' + '['.repeat(n) + ']'.repeat(n) + '\n';
    case 'flow seq leaf':
      return 'a: ' + '['.repeat(n) + '1' + ']'.repeat(n) + '\n';
    case 'flow map':
      return 'a: ' + '{a: '.repeat(n) + '1' + '}'.repeat(n) + '\n';
    default:
      return 'a:\n  b: ' + '['.repeat(n) + '{c: x}' + ']'.repeat(n) + '\n';
  }
}
const NESTING_FORMS = ['block map', 'block seq', 'compact seq', 'flow seq', 'flow seq leaf', 'flow map', 'mixed'];
const DEPTHS = [10, 256, 489, 490, 493, 494, 495, 1000];
/** With YAML_DIFF_CASES of 1000 or more: every depth around PyYAML's limit. */
/** Generated documents per run: a share of YAML_DIFF_CASES, with a floor for the quick run. */
const COLLECTION_CASES_GENERATED = Math.max(150, Math.round(CASES / 4));
const NESTING_CASES_GENERATED = Math.max(24, Math.round(CASES / 20));
const ALL_DEPTHS = [...DEPTHS, 100, 257, 480, 487, 488, 491, 492, 496, 500, 600, 2000];

const skip = pythonProblem();

describe('YAML reading, PyYAML as the oracle', { skip }, () => {
  const seeds = [...yamlFiles(CORPUS), ...yamlFiles(join(ROOT, 'test', 'rules'))].map((f) => readFileSync(f, 'utf8'));
  seeds.push(...SNIPPETS);

  it('reads every seed document as PyYAML does', () => {
    const { disagreements } = compare(seeds.map((text) => ({ text, mutations: [] })));
    assert.equal(disagreements.length, 0, report(disagreements));
  });

  it('reads every line break PyYAML knows, in scalars, comments, keys and collections, as PyYAML does', () => {
    const cases = BREAK_TEMPLATES.flatMap((t) =>
      ['\n', ...LINE_BREAKS].map((br) => ({ text: t.split('{B}').join(br), mutations: [JSON.stringify(br)] })),
    );
    const { disagreements } = compare(cases);
    console.log(`yaml differential: ${cases.length} line-break cases, ${disagreements.length} disagreements`);
    assert.equal(disagreements.length, 0, report(disagreements));
  });

  it('reads !!set, !!omap, !!pairs and !!binary as PyYAML does', () => {
    const { disagreements } = compare(COLLECTION_CASES.map((text) => ({ text, mutations: ['collection'] })));
    assert.equal(disagreements.length, 0, report(disagreements));
  });

  it('reads what the long runs found as PyYAML does', () => {
    const { disagreements } = compare(FOUND_CASES.map((text) => ({ text, mutations: ['found'] })));
    assert.equal(disagreements.length, 0, report(disagreements));
  });

  it("reads documents nested up to and beyond PyYAML's depth as PyYAML does", () => {
    const cases = NESTING_FORMS.flatMap((form) =>
      (CASES >= 1000 ? ALL_DEPTHS : DEPTHS).map((n) => ({ text: nested(form, n), mutations: [`${form} ${n}`] })),
    );
    const { disagreements, limits } = compare(cases);
    if (disagreements.length)
      console.log(
        disagreements
          .map((d) => `${d.mutations[0]}: ours ${d.ours.ok} ${d.ours.error ?? ''}, PyYAML ${d.theirs.ok}`)
          .join('\n'),
      );
    console.log(
      `yaml differential: ${cases.length} nesting cases, ${disagreements.length} disagreements, limits`,
      limits,
    );
    assert.equal(disagreements.length, 0, report(disagreements));
  });

  /** Generated documents, seeds with one value replaced; each generator's cases, by the generator's name. */
  function generatedCases(what: 'collection' | 'nesting', count: number, seed: number) {
    const r = random(seed);
    const cases: Array<{ text: string; mutations: string[] }> = [];
    while (cases.length < count) {
      const [text, how] = generated(r.pick(seeds), r, what);
      if (how !== 'none') cases.push({ text, mutations: [`${what} ${how}`] });
    }
    return cases;
  }

  it(`reads ${COLLECTION_CASES_GENERATED} generated !!set, !!omap and !!pairs values as PyYAML does`, (t) => {
    const cases = generatedCases('collection', COLLECTION_CASES_GENERATED, SEED);
    const { disagreements, loaded } = compare(cases);
    t.diagnostic(
      `yaml differential: ${cases.length} generated tagged collections (PyYAML loads ${loaded}), ` +
        `${disagreements.length} disagreements`,
    );
    assert.equal(disagreements.length, 0, report(disagreements));
  });

  it(`reads ${NESTING_CASES_GENERATED} generated deep nestings of mixed forms as PyYAML does`, (t) => {
    const cases = generatedCases('nesting', NESTING_CASES_GENERATED, SEED);
    const { disagreements, limits } = compare(cases);
    t.diagnostic(
      `yaml differential: ${cases.length} generated nestings, ${disagreements.length} disagreements, ` +
        `not compared: ${JSON.stringify(limits)}`,
    );
    assert.equal(disagreements.length, 0, report(disagreements));
  });

  it(`reads ${CASES} mutated documents as PyYAML does (seed ${SEED})`, () => {
    const r = random(SEED);
    const cases: Array<{ text: string; mutations: string[] }> = [];
    for (let i = 0; i < CASES; i++) {
      let text = r.next() < 0.3 ? r.pick(SNIPPETS) : r.pick(seeds);
      const mutations: string[] = [];
      for (let n = 1 + r.int(3); n > 0; n--) {
        const [t, m] = mutate(text, r);
        text = t;
        mutations.push(m);
      }
      cases.push({ text, mutations });
    }
    const all: Disagreement[] = [];
    const limits: Record<string, number> = {};
    for (let i = 0; i < cases.length; i += 2000) {
      const res = compare(cases.slice(i, i + 2000));
      all.push(...res.disagreements);
      for (const [k, n] of Object.entries(res.limits)) limits[k] = (limits[k] ?? 0) + n;
    }
    if (process.env.YAML_DIFF_OUT) writeFileSync(process.env.YAML_DIFF_OUT, JSON.stringify(all, null, 1));
    if (CASES >= 1000) console.log(`yaml differential: ${CASES} cases, ${all.length} disagreements, limits`, limits);
    assert.equal(all.length, 0, `${all.length} of ${CASES} disagree:\n${report(all)}`);
  });
});
