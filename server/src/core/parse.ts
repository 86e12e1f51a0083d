import {
  type Document,
  LineCounter,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
} from 'yaml';
import type { Tags } from 'yaml';
import type { Position, Range } from './types';

export interface SyntaxProblem {
  message: string;
  range: Range;
  severity: 'error' | 'warning';
}

/** Larger documents are not parsed: a clear finding instead of a slow answer. */
export const LIMITS = { bytes: 2_000_000, lines: 30_000 };

// PyYAML refuses any character outside its printable set, anywhere in the stream.
const NON_PRINTABLE = /[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

/** One parse of a document: the first YAML document, with positions. */
export class ParsedDocument {
  readonly lineCounter = new LineCounter();
  readonly doc: Document.Parsed | undefined;
  readonly problems: SyntaxProblem[] = [];
  /** Start offsets of the 2nd and later documents (truss reads only one). */
  readonly extraDocuments: number[] = [];
  /** Set when the document is over LIMITS and was not parsed. */
  readonly tooLarge: { bytes: number; lines: number } | undefined;
  readonly eol: '\n' | '\r\n';
  /** Why the JS value could not be built (an alias expanding too far). */
  valueError: string | undefined;
  private jsValue: unknown;
  private jsDone = false;

  constructor(readonly text: string) {
    this.eol = /\r\n/.test(text) ? '\r\n' : '\n';
    const lines = countLines(text);
    if (text.length > LIMITS.bytes || lines > LIMITS.lines) {
      this.tooLarge = { bytes: text.length, lines };
      this.lineCounter.addNewLine(0);
      return;
    }
    const docs = parseAllDocuments(text, {
      lineCounter: this.lineCounter,
      uniqueKeys: false,
      version: '1.1', // truss loads with PyYAML, a YAML 1.1 loader
      customTags: asPyYaml,
      prettyErrors: false,
      logLevel: 'silent', // its warnings quote the document: they must not reach a log
    });
    const bad = NON_PRINTABLE.exec(text);
    if (bad) {
      const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      this.problems.push({
        message: `Control character U+${code} is not allowed in YAML: PyYAML refuses to load the file`,
        range: this.range(bad.index, bad.index + 1),
        severity: 'error',
      });
    }
    if (!Array.isArray(docs)) return;
    this.doc = docs[0];
    for (const d of docs.slice(1)) this.extraDocuments.push(d.range[0]);
    for (const d of docs) {
      for (const e of d.errors) {
        const message = /call stack/i.test(e.message) ? 'the document is nested too deeply to check' : e.message;
        this.problems.push({ message, range: this.range(e.pos[0], e.pos[1]), severity: 'error' });
      }
      for (const w of d.warnings) {
        // PyYAML's safe loader cannot construct an unknown tag: truss fails to load the file.
        const severity = w.code === 'TAG_RESOLVE_FAILED' ? 'error' : 'warning';
        this.problems.push({ message: w.message, range: this.range(w.pos[0], w.pos[1]), severity });
      }
    }
  }

  get root(): Node | null {
    return (this.doc?.contents as Node | null) ?? null;
  }

  /** The root mapping, or undefined when the document is not a mapping. */
  get rootMap(): YAMLMap | undefined {
    return isMap(this.root) ? this.root : undefined;
  }

  /** The plain JS value truss would load, or undefined when it cannot be built (see valueError). */
  get value(): unknown {
    if (!this.jsDone) {
      this.jsDone = true;
      try {
        this.jsValue = this.doc ? this.doc.toJS({ maxAliasCount: 1000, reviver: binaryAsText }) : null;
      } catch (e) {
        this.jsValue = undefined;
        const message = e instanceof Error ? e.message : '';
        this.valueError =
          e instanceof RangeError
            ? 'the document is nested too deeply to check'
            : /alias/i.test(message)
              ? 'aliases expand too far (a "billion laughs" pattern), so the rest is not checked'
              : message.split('\n')[0] || 'the document cannot be read';
      }
    }
    return this.jsValue;
  }

  position(offset: number): Position {
    const p = this.lineCounter.linePos(Math.min(Math.max(offset, 0), this.text.length));
    return { line: p.line - 1, character: p.col - 1 };
  }

  offset(pos: Position): number {
    const starts = this.lineCounter.lineStarts;
    if (pos.line >= starts.length) return this.text.length;
    return Math.min(starts[pos.line] + pos.character, this.text.length);
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }

  /** Range of a node's own text (without trailing comments or line breaks). */
  nodeRange(node: Node | null | undefined): Range | undefined {
    if (!node || !node.range) return undefined;
    return this.range(node.range[0], this.trimEnd(node.range[0], node.range[1]));
  }

  private trimEnd(start: number, end: number): number {
    while (end > start && /\s/.test(this.text[end - 1])) end--;
    return end;
  }

  /** The offset just after a node's last character that is not white space. */
  contentEnd(node: Node): number {
    return this.trimEnd(node.range![0], node.range![1]);
  }

  /** Range of a pair's value, or of its key when the value is empty. */
  valueRange(pair: Pair): Range {
    const v = pair.value as Node | null;
    if (v && v.range && this.trimEnd(v.range[0], v.range[1]) > v.range[0]) return this.nodeRange(v)!;
    return this.keyRange(pair);
  }

  keyRange(pair: Pair): Range {
    return this.nodeRange(pair.key as Node) ?? this.range(0, 0);
  }

  /** Resolves an alias to the node it points at. */
  resolve(node: unknown): Node | null {
    if (isAlias(node)) return (this.doc && (node.resolve(this.doc) as Node | undefined)) ?? null;
    return (node as Node | null) ?? null;
  }
}

// Where `yaml`'s YAML 1.1 schema reads a plain scalar differently from PyYAML's resolver,
// use PyYAML's patterns: `y`/`n` are strings, `1e3` is a string, `08` is a string.
const PYYAML_TESTS: Array<[(t: { tag: string; format?: string; test?: RegExp }) => boolean, RegExp]> = [
  [(t) => t.tag.endsWith(':bool') && !!t.test?.test('true'), /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/],
  [(t) => t.tag.endsWith(':bool') && !!t.test?.test('false'), /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/],
  [
    (t) => t.tag.endsWith(':float') && t.format === 'EXP',
    /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*[eE][-+][0-9]+|\.[0-9_]+[eE][-+][0-9]+)$/,
  ],
  [(t) => t.tag.endsWith(':float') && !t.format && !!t.test?.test('1.5'), /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*|\.[0-9_]+)$/],
  [(t) => t.tag.endsWith(':int') && !t.format && !!t.test?.test('10'), /^[-+]?(?:0|[1-9][0-9_]*)$/],
];

function asPyYaml(tags: Tags): Tags {
  return tags.map((t) => {
    const fix = typeof t === 'object' ? PYYAML_TESTS.find(([match]) => match(t as never)) : undefined;
    return fix ? ({ ...(t as object), test: fix[1] } as typeof t) : t;
  });
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** `!!binary` reads as bytes, which pydantic takes as text: validate it as a string, not byte by byte. */
function binaryAsText(_key: unknown, value: unknown): unknown {
  return value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : value;
}

/** The string form of a mapping key, as a JSON pointer segment would name it. */
export function keyName(pair: Pair): string {
  const k = pair.key;
  if (isScalar(k)) return String(k.value);
  return String(k);
}

/** The last pair with this key (truss keeps the last of duplicate keys). */
export function findPair(map: YAMLMap | undefined, key: string): Pair | undefined {
  if (!map) return undefined;
  for (let i = map.items.length - 1; i >= 0; i--) {
    const p = map.items[i];
    if (isScalar(p.key) && String(p.key.value) === key) return p;
  }
  return undefined;
}

/** A scalar's string value, or undefined for non-strings. */
export function stringValue(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

export function isNullScalar(node: unknown): boolean {
  return node == null || (isScalar(node) && node.value === null);
}

export interface Located {
  pair?: Pair;
  node: Node | null;
}

/**
 * Walks a JSON-pointer path through the YAML tree. Returns the deepest node reached
 * and the pair that holds it (for a key range). Aliases are followed.
 */
export function locate(parsed: ParsedDocument, path: string[]): { found: Located; depth: number } {
  let found: Located = { node: parsed.root };
  let depth = 0;
  for (const seg of path) {
    const node = parsed.resolve(found.node);
    if (isMap(node)) {
      const pair = findPair(node, seg);
      if (!pair) break;
      found = { pair, node: parsed.resolve(pair.value) };
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (item === undefined) break;
      found = { node: parsed.resolve(item) };
    } else break;
    depth++;
  }
  return { found, depth };
}

export function pointerSegments(instancePath: string): string[] {
  if (!instancePath) return [];
  return instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export type { Node, Pair, Scalar, YAMLMap };

/** The mapping that holds the pair at a path of keys. */
export function parentMap(parsed: ParsedDocument, path: string[]): YAMLMap | undefined {
  const parent = path.length > 1 ? locate(parsed, path.slice(0, -1)) : { found: { node: parsed.root }, depth: 0 };
  if (parent.depth !== Math.max(0, path.length - 1)) return undefined;
  const node = parent.found.node;
  return isMap(node) ? node : undefined;
}

/** The range of the key at a path (or of the closest node found). */
export function keyRangeAt(parsed: ParsedDocument, path: string[]): Range {
  const { found } = locate(parsed, path);
  return (found.pair && parsed.keyRange(found.pair)) ?? parsed.nodeRange(found.node) ?? parsed.range(0, 0);
}

/** The range of the value at a path (its key when the value is empty). */
export function valueRangeAt(parsed: ParsedDocument, path: string[]): Range {
  const { found, depth } = locate(parsed, path);
  if (depth === path.length && !found.pair) return parsed.nodeRange(found.node) ?? parsed.range(0, 0);
  return (
    (found.pair && (depth === path.length ? parsed.valueRange(found.pair) : parsed.keyRange(found.pair))) ??
    parsed.range(0, 0)
  );
}
