import {
  type Alias,
  CST,
  Composer,
  type Document,
  Lexer,
  LineCounter,
  type Node,
  type Pair,
  Parser,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  visit,
} from 'yaml';
import type { Tags } from 'yaml';
import { COLLECTION_TAGS, ConstructError, SCALAR_TAGS, constructScalar, resolvePlain, tagName } from './pyyaml';
import type { Position, Range } from './types';
import { type ParsedLine, reuseTree } from './reparse';

export interface SyntaxProblem {
  message: string;
  range: Range;
  severity: 'error' | 'warning';
}

/** Larger documents are not parsed: a clear finding instead of a slow answer. */
export const LIMITS = { bytes: 2_000_000, lines: 30_000 };
/** Nodes an alias may bring in, all aliases together: more is a "billion laughs" document, not checked. */
const ALIAS_EXPANSION_LIMIT = 100_000;

// PyYAML refuses any character outside its printable set, anywhere in the stream.
const NON_PRINTABLE = /[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;
const Y = 'tag:yaml.org,2002:';

// `yaml` reads the structure; PyYAML's rules for tags and scalars are applied afterwards (see check()).
// These keep `yaml` from building standard tags its own way: every scalar stays text here.
const PASS_THROUGH: Tags = [
  ...['int', 'float', 'bool', 'null', 'binary', 'timestamp', 'merge', 'value'].map((t) => ({
    tag: Y + t,
    resolve: (s: string) => s,
  })),
  ...['set', 'omap', 'pairs'].map((t) => ({
    tag: Y + t,
    collection: t === 'set' ? 'map' : 'seq',
    resolve: (n: unknown) => n as never,
  })),
];

const OPTIONS = {
  uniqueKeys: false,
  version: '1.1', // truss loads with PyYAML, a YAML 1.1 loader
  schema: 'failsafe',
  customTags: PASS_THROUGH,
  merge: false,
  prettyErrors: false,
  logLevel: 'silent', // its warnings quote the document: they must not reach a log
} as const;

type Kind = 'map' | 'set' | 'seq' | 'pairs';

/** One parse of a document: the first YAML document, with positions, read as PyYAML reads it. */
export class ParsedDocument {
  readonly lineCounter = new LineCounter();
  readonly doc: Document.Parsed | undefined;
  readonly problems: SyntaxProblem[] = [];
  /** Start offsets of the 2nd and later documents (truss reads only one). */
  readonly extraDocuments: number[] = [];
  /** Set when the document is over LIMITS and was not parsed. */
  readonly tooLarge: { bytes: number; lines: number } | undefined;
  readonly eol: '\n' | '\r\n';
  /**
   * Why there is no value: truss cannot load the document (the problem is in `problems`), or it is
   * beyond a limit of ours (aliases that expand too far, nesting too deep).
   */
  valueError: string | undefined;
  private jsValue: unknown;
  private jsDone = false;
  /** What PyYAML makes of each collection and where each alias points, from check(). */
  private readonly kinds = new Map<Node, Kind>();
  private readonly targets = new Map<Alias, Node>();
  private readonly binaryKeys = new Set<Node>();
  /** The text as truss reads it: a lone CR is a line break. */
  private readonly source: string = '';

  /**
   * The parse of `text`, a later version of `previous`'s text: made from `previous`'s tree when the two
   * differ inside one scalar of one line (see reuseTree), else parsed anew. `previous` must not be used
   * afterwards: its tree may now belong to the result.
   */
  static after(previous: ParsedDocument | undefined, text: string): ParsedDocument {
    const reused = previous?.lend(text);
    return reused ? new ParsedDocument(text, reused) : new ParsedDocument(text);
  }

  /** Made from an earlier version's tree (ParsedDocument.after), not parsed anew. */
  readonly reused: boolean = false;
  /**
   * Whether `yaml` read exactly this text: no lone CR, no byte order mark, no padding (see padFlows).
   * Only such a tree is reused; one made by reuse stays so (reuseTree refuses lines with those).
   */
  private exact = false;
  private lent = false;
  /** The line edited last, parsed alone, when this tree was reused (see reuseTree). */
  private line: ParsedLine | undefined;

  /** This tree, changed into the tree of `text`, when it can be; this parse is spent then. */
  private lend(text: string): { tree: Document.Parsed; line?: ParsedLine } | undefined {
    const reusable = this.doc && this.exact && !this.lent && !this.problems.length && !this.extraDocuments.length;
    if (!reusable || text.length > LIMITS.bytes) return undefined;
    if (text === this.text) {
      this.lent = true;
      return { tree: this.doc, line: this.line };
    }
    const parseLine = (line: string) => parseStream(line).docs;
    // A character PyYAML refuses, or a `?` key mark that padFlows would handle.
    const refused = (line: string, all: string) =>
      NON_PRINTABLE.test(line) || (/[[{,?]/.test(line) && FLOW_KEY_MARK.test(all));
    const reused = reuseTree(this.text, this.doc, text, parseLine, refused, this.line);
    if (!reused) return undefined;
    this.lent = true;
    return reused;
  }

  /** `reuse`: the tree of this text, made by reuseTree (ParsedDocument.after), and the line it edited. */
  constructor(
    readonly text: string,
    reuse?: { tree: Document.Parsed; line?: ParsedLine },
  ) {
    this.eol = /\r\n/.test(text) ? '\r\n' : '\n';
    const lines = countLines(text);
    if (text.length > LIMITS.bytes || lines > LIMITS.lines) {
      this.tooLarge = { bytes: text.length, lines };
      this.lineCounter.addNewLine(0);
      return;
    }
    // truss opens the file in text mode: a lone CR is a line break (same length, so offsets hold).
    const source = text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
    this.lineCounter.addNewLine(0);
    for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) this.lineCounter.addNewLine(i + 1);
    this.source = source;
    if (reuse) {
      // The checks of the whole text below would find nothing: the earlier text had no problem, and
      // reuseTree refuses a line with what they look for.
      this.doc = reuse.tree;
      this.line = reuse.line;
      this.reused = true;
      this.exact = true;
      this.checkTree();
      return;
    }
    const read = readDocuments(source);
    const docs = read.docs;
    this.exact = read.text === text && !/[\ufeff\ufdd0]/.test(text);
    const bad = NON_PRINTABLE.exec(text);
    if (bad) {
      const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      this.problems.push({
        message: `Control character U+${code} is not allowed in YAML: PyYAML refuses to load the file`,
        range: this.range(bad.index, bad.index + 1),
        severity: 'error',
      });
    }
    this.doc = docs[0];
    for (const d of docs.slice(1)) this.extraDocuments.push(d.range[0]);
    for (const d of docs) {
      for (const e of d.errors) {
        if (e.code === 'TAG_RESOLVE_FAILED' && e.message.startsWith('Unresolved tag')) continue; // see check()
        // PyYAML reads a `#` right after a bracket, a comma or a quoted scalar as a comment.
        if (e.code === 'MISSING_CHAR' && /^Comments must/.test(e.message) && /["'[\]{},:]/.test(source[e.pos[0] - 1])) {
          continue;
        }
        const message = /call stack/i.test(e.message) ? 'the document is nested too deeply to check' : e.message;
        this.problems.push({ message, range: this.range(e.pos[0], e.pos[1]), severity: 'error' });
      }
      for (const w of d.warnings) {
        if (w.code === 'TAG_RESOLVE_FAILED') continue; // see check()
        this.problems.push({ message: w.message, range: this.range(w.pos[0], w.pos[1]), severity: 'warning' });
      }
    }
    const directive = directives(read.text);
    const badName = directive.find((d) => !/^%[A-Za-z0-9_-]+(?:[ \t]|$)/.test(d.text));
    const lone = docs.length ? undefined : directive[0];
    if (badName ?? lone) {
      const at = read.toSource((badName ?? lone)!.offset);
      const why = badName ? 'its name has characters PyYAML does not accept' : 'no document (`---`) follows it';
      this.fail(`PyYAML cannot read this directive (\`%\`): ${why}, so truss cannot load the file`, at, at + 1);
    }
    const tabAt = firstTab(read.text);
    const tab = tabAt === undefined ? undefined : read.toSource(tabAt);
    if (tab !== undefined) {
      this.fail(
        'A tab character where PyYAML expects a space: it accepts tabs only inside quoted and block scalars ' +
          'and comments, so truss cannot load the file',
        tab,
        tab + 1,
      );
    }
    this.checkTree();
  }

  private checkTree(): void {
    try {
      if (this.doc) this.check(this.doc);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      this.fail('the document is nested too deeply to check', 0, 0);
      this.valueError = 'the document is nested too deeply to check';
    }
  }

  /** A problem that keeps truss from loading the file: no value is built from a guess. */
  private fail(message: string, start: number, end: number): void {
    this.problems.push({ message, range: this.range(start, end), severity: 'error' });
    this.valueError ??= 'truss cannot load this file (see the YAML errors)';
    this.jsDone = true;
  }

  private failAt(node: Node, message: string): void {
    const [start, end] = node.range ?? [0, 0];
    this.fail(message, start, this.trimEnd(start, end));
  }

  /** Fails at the node's tag (`!`) or anchor (`&`) written before it, or at the node. */
  private failAtProp(node: Node, mark: '!' | '&', message: string): void {
    const s = this.source;
    let at = node.range?.[0] ?? 0;
    for (let words = 0; words < 2 && at > 0; words++) {
      while (at > 0 && /[ \t\r\n]/.test(s[at - 1])) at--;
      let start = at;
      while (start > 0 && !/[ \t\r\n[{,]/.test(s[start - 1])) start--;
      if (s[start] === mark) return this.fail(message, start, at);
      at = start;
    }
    this.failAt(node, message);
  }

  /**
   * What PyYAML's composer and SafeLoader's constructors add to the syntax: anchors and aliases,
   * tags, YAML 1.1 scalars, merge keys and keys that cannot be hashed. Sets each scalar's value.
   */
  private check(doc: Document.Parsed): void {
    const anchors = new Map<string, Node>();
    const maps: YAMLMap[] = [];
    const walk = (node: unknown, asKey: boolean, inFlow: boolean): void => {
      if (isPair(node)) {
        this.checkKey(node, inFlow);
        walk(node.key, true, inFlow);
        walk(node.value, false, inFlow);
        return;
      }
      if (!node || typeof node !== 'object') return;
      const n = node as Node;
      if (isAlias(n)) {
        const target = anchors.get(n.source);
        if (!ANCHOR_NAME.test(n.source)) {
          this.failAt(
            n,
            'PyYAML accepts only letters, digits, `_` and `-` in an alias name: truss cannot load the file',
          );
        } else if (target) this.targets.set(n, target);
        else this.failAt(n, `The alias \`*${n.source}\` has no anchor before it: truss cannot load the file`);
        return;
      }
      if (n.anchor) {
        if (!ANCHOR_NAME.test(n.anchor)) {
          this.failAtProp(
            n,
            '&',
            'PyYAML accepts only letters, digits, `_` and `-` in an anchor name: truss cannot load the file',
          );
        } else if (anchors.has(n.anchor)) {
          this.failAtProp(n, '&', `The anchor \`&${n.anchor}\` is defined twice: truss cannot load the file`);
        }
        anchors.set(n.anchor, n);
      }
      if (isScalar(n)) this.checkScalar(n, asKey, inFlow);
      else if (isMap(n) || isSeq(n)) {
        if (isMap(n)) maps.push(n);
        this.checkCollection(n);
        for (const item of n.items) walk(item, false, inFlow || !!n.flow);
      }
    };
    walk(doc.contents, false, false);
    this.checkTopBlockScalar(doc);
    // Keys are built before their mapping: a mapping or a sequence as a key cannot be hashed.
    for (const map of maps) {
      if (this.kinds.get(map) === 'pairs') continue;
      for (const pair of map.items) {
        const key = this.resolve(pair.key);
        if (isMap(key) || isSeq(key)) {
          this.failAt(
            pair.key as Node,
            `A ${isMap(key) ? 'mapping' : 'sequence'} used as a mapping key: PyYAML cannot load it ` +
              '("unhashable type"), so truss fails. If it is meant as text, such as a `{{ NAME }}` template, ' +
              'quote it.',
          );
        }
      }
    }
  }

  /**
   * PyYAML's implicit keys are on one line, in flow collections too (`yaml` allows more there), and
   * not empty: `: value` needs `?` before it.
   */
  private checkKey(pair: Pair, inFlow: boolean): void {
    const key = pair.key as Node | null;
    const s = this.source;
    const explicit = (at: number) => {
      while (at >= 0 && /[\s!&\w-]/.test(s[at]) && s[at] !== '?') at--;
      return s[at] === '?';
    };
    const empty = !key || (isScalar(key) && key.type === 'PLAIN' && key.source === '' && !key.anchor && !key.tag);
    if (empty) {
      const v = pair.value as Node | null;
      let at: number;
      if (key?.range) for (at = key.range[1]; s[at] === ' ';) at++;
      else for (at = (v?.range?.[0] ?? 0) - 1; at > 0 && s[at] === ' ';) at--;
      if (s[at] === ':' && !explicit(at - 1)) {
        this.fail(
          'A mapping entry without a key: PyYAML needs one (or `?`), so truss cannot load the file',
          at,
          at + 1,
        );
      }
      return;
    }
    if (!inFlow || !key?.range) return;
    let colon = key.range[1];
    while (colon < s.length && /\s/.test(s[colon])) colon++;
    if (s[colon] !== ':' || !s.slice(key.range[0], colon).includes('\n')) return;
    if (explicit(key.range[0] - 1)) return;
    this.failAt(key, 'An implicit key that spans lines: PyYAML needs a key on one line, so truss cannot load the file');
  }

  /** At the top level, PyYAML wants a block scalar's lines indented by at least one space. */
  private checkTopBlockScalar(doc: Document.Parsed): void {
    const n = doc.contents;
    if (!isScalar(n) || !n.range || (n.type !== 'BLOCK_LITERAL' && n.type !== 'BLOCK_FOLDED')) return;
    const body = this.source.slice(n.range[0], n.range[1]).split('\n').slice(1);
    if (body.some((l) => /^[^ \n]/.test(l))) {
      this.failAt(n, 'A block scalar at the top level needs its lines indented: truss cannot load the file');
    }
  }

  private checkScalar(n: Scalar, asKey: boolean, inFlow: boolean): void {
    let source = typeof n.source === 'string' ? n.source : typeof n.value === 'string' ? n.value : '';
    if (source.includes(MID_BOM)) source = source.replace(/\ufdd0/g, '\ufeff');
    // A block scalar whose last line ends the file without a line break: PyYAML adds no line break.
    if ((n.type === 'BLOCK_LITERAL' || n.type === 'BLOCK_FOLDED') && n.range && source.endsWith('\n')) {
      const s = this.source;
      const lastLine = s.slice(s.lastIndexOf('\n') + 1);
      const first = /\n( *)[^ \n]/.exec(s.slice(n.range[0], n.range[1]));
      if (n.range[1] >= s.length && first && lastLine.length > first[1].length) source = source.slice(0, -1);
    }
    const explicit = n.tag && n.tag !== '!';
    const tag = explicit ? n.tag! : n.type === 'PLAIN' || n.tag === '!' ? resolvePlain(source) : `${Y}str`;
    if (inFlow && n.type === 'PLAIN' && (source.indexOf('?') > 0 || source.startsWith(':'))) {
      this.failAt(
        n,
        'PyYAML reads `?` and a leading `:` in a plain value of a flow collection as indicators, so truss ' +
          'cannot load it: quote the value',
      );
      return;
    }
    if (tag === `${Y}merge`) {
      this.failAt(
        n,
        'Merge keys (`<<`) cannot be loaded by truss: its YAML loader has no constructor for them. ' +
          'Write the keys out instead.',
      );
      return;
    }
    if (tag === `${Y}value`) {
      this.failAt(n, 'A plain `=` is the YAML 1.1 value key, which truss cannot load: quote it.');
      return;
    }
    if (!SCALAR_TAGS.has(tag)) {
      this.failAtProp(n, '!', tagProblem(tag, 'scalar'));
      return;
    }
    try {
      n.value = constructScalar(tag, source);
      if (asKey && tag === `${Y}binary`) this.binaryKeys.add(n);
    } catch (e) {
      if (!(e instanceof ConstructError)) throw e;
      const message = explicit
        ? `This value cannot be read as \`${tagName(tag)}\`: truss fails to load the file`
        : `PyYAML reads this plain value as \`${tagName(tag)}\` but cannot build it, so truss fails to ` +
          'load the file: quote it if it is text';
      if (explicit) this.failAtProp(n, '!', message);
      else this.failAt(n, message);
    }
  }

  private checkCollection(n: YAMLMap | YAMLSeq): void {
    const tag = n.tag && n.tag !== '!' ? n.tag : isMap(n) ? `${Y}map` : `${Y}seq`;
    const needs = COLLECTION_TAGS.get(tag);
    const has = isMap(n) ? 'map' : 'seq';
    if (!needs || needs !== has) {
      this.failAtProp(n, '!', tagProblem(tag, has));
      return;
    }
    if (tag === `${Y}set`) this.kinds.set(n, 'set');
    else if (tag === `${Y}omap` || tag === `${Y}pairs`) {
      this.kinds.set(n, 'pairs');
      for (const item of n.items) {
        const m = this.resolve(item);
        if (!isMap(m) || m.items.length !== 1) {
          this.failAtProp(n, '!', `truss cannot load \`${tagName(tag)}\` here: each item must be a mapping of one key`);
          return;
        }
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

  /**
   * The plain JS value truss would load, or undefined when truss cannot load the document or it is
   * beyond our limits (see valueError). Mappings are objects with text keys (see keyText).
   */
  get value(): unknown {
    if (!this.jsDone) {
      this.jsDone = true;
      try {
        this.jsValue = this.doc
          ? new Builder(this.targets, this.kinds, this.binaryKeys).build(this.doc.contents)
          : null;
      } catch (e) {
        this.jsValue = undefined;
        this.valueError =
          e instanceof RangeError
            ? 'the document is nested too deeply to check'
            : e instanceof Recursive
              ? 'an alias refers to a node that contains it, so the rest is not checked'
              : e instanceof TooManyAliases
                ? 'aliases expand too far (a "billion laughs" pattern), so the rest is not checked'
                : 'the document cannot be read';
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

  /** Resolves an alias to the node it points at (the last anchor of that name before it). */
  resolve(node: unknown): Node | null {
    if (isAlias(node)) {
      return this.targets.get(node) ?? (this.doc && (node.resolve(this.doc) as Node | undefined)) ?? null;
    }
    return (node as Node | null) ?? null;
  }
}

const KIND_NAME = { scalar: 'a scalar', map: 'a mapping', seq: 'a sequence' };

/** Why SafeLoader cannot build a node of this kind with this tag. */
function tagProblem(tag: string, kind: 'scalar' | 'map' | 'seq'): string {
  const needs = SCALAR_TAGS.has(tag) ? 'scalar' : COLLECTION_TAGS.get(tag);
  if (!needs) return `truss cannot load the tag \`${tagName(tag)}\`: PyYAML's safe loader has no constructor for it`;
  const [name, from, not] = [tagName(tag), KIND_NAME[needs], KIND_NAME[kind]];
  return `truss cannot load the tag \`${name}\` here: PyYAML builds it from ${from}, not ${not}`;
}

class Recursive extends Error {}
class TooManyAliases extends Error {}

/** The value SafeLoader builds from the checked tree, as plain JS (see ParsedDocument.value). */
class Builder {
  private expanded = 0;
  private readonly building = new Set<Node>();

  constructor(
    private readonly targets: Map<Alias, Node>,
    private readonly kinds: Map<Node, Kind>,
    private readonly binaryKeys: Set<Node>,
  ) {}

  build(node: unknown, viaAlias = false): unknown {
    if (isAlias(node)) {
      const target = this.targets.get(node);
      return target ? this.build(target, true) : null;
    }
    if (!node || typeof node !== 'object') return null;
    const n = node as Node;
    if (viaAlias && ++this.expanded > ALIAS_EXPANSION_LIMIT) throw new TooManyAliases();
    if (isScalar(n)) return n.value ?? null;
    if (this.building.has(n)) throw new Recursive();
    this.building.add(n);
    try {
      if (isSeq(n)) {
        if (this.kinds.get(n) === 'pairs') {
          return n.items.map((item) => {
            const pair = (this.resolveAlias(item) as YAMLMap).items[0];
            return [this.build(pair.key, viaAlias), this.build(pair.value, viaAlias)];
          });
        }
        return n.items.map((item) => this.build(item, viaAlias));
      }
      if (isMap(n)) {
        // Python keeps the first key of equal keys (1, 1.0 and true are one key) and the last value.
        const entries = new Map<string, [unknown, unknown]>();
        for (const pair of n.items) {
          const key = this.build(pair.key, viaAlias);
          const id = keyIdentity(key, this.binaryKeys.has(this.resolveAlias(pair.key) as Node));
          const value = this.kinds.get(n) === 'set' ? null : this.build(pair.value, viaAlias);
          const seen = entries.get(id);
          entries.set(id, [seen ? seen[0] : key, value]);
        }
        if (this.kinds.get(n) === 'set') return new Set([...entries.values()].map(([k]) => k));
        const out: Record<string, unknown> = {};
        for (const [k, v] of entries.values()) out[keyText(k)] = v;
        return out;
      }
      return null;
    } finally {
      this.building.delete(n);
    }
  }

  private resolveAlias(node: unknown): unknown {
    return isAlias(node) ? this.targets.get(node) : node;
  }
}

function keyIdentity(key: unknown, binary: boolean): string {
  if (key === null || key === undefined) return 'null';
  if (typeof key === 'boolean') return `n:${key ? 1 : 0}`;
  if (typeof key === 'number') return `n:${key}`;
  if (key instanceof Date) return `d:${key.getTime()}`;
  return `${binary ? 'b' : 's'}:${keyText(key)}`;
}

/** A mapping key as text: `null`, `true`, numbers as JavaScript prints them, times in ISO form. */
export function keyText(key: unknown): string {
  if (key === null || key === undefined) return 'null';
  if (key instanceof Date) return key.toISOString();
  return typeof key === 'string' || typeof key === 'number' || typeof key === 'boolean' ? String(key) : '';
}

type Docs = Document.Parsed[];
const ANCHOR_NAME = /^[A-Za-z0-9_-]+$/;
const MID_BOM = '\ufdd0';

/**
 * Parses with `yaml`. PyYAML ignores indentation inside a flow collection, `yaml` does not: when a
 * multi-line `{ … }` or `[ … ]` has lines less indented than `yaml` wants (a closing `}` at column 0),
 * those lines are padded with spaces, which changes no value, and positions are mapped back.
 */
function readDocuments(text: string): { docs: Docs; text: string; toSource: (offset: number) => number } {
  // PyYAML skips a byte order mark at the very start and reads any other as text; `yaml` drops one at
  // the start of any line before the first document. So: parse without the first, and read the
  // others as another character, restored in check().
  const bom = text.startsWith('\ufeff') ? 1 : 0;
  let source = text.slice(bom);
  if (source.includes('\ufeff') && !source.includes(MID_BOM)) source = source.replace(/(?<=^|\n)\ufeff/g, MID_BOM);
  const read = readText(source);
  if (!bom) return read;
  return { docs: shift(read.docs, (o) => o + bom), text: read.text, toSource: (o) => read.toSource(o) + bom };
}

function readText(source: string): { docs: Docs; text: string; toSource: (offset: number) => number } {
  const errors = (list: Docs) => list.reduce((n, d) => n + d.errors.length, 0);
  const first = parseStream(source);
  let best = { docs: first.docs, text: source, toSource: (o: number) => o };
  let starts = first.starts;
  // A broken region can hide the next one from the first look: pad again while it helps.
  for (let round = 0; round < 4 && (errors(best.docs) || FLOW_KEY_MARK.test(best.text)); round++) {
    const padded = padFlows(best.text, starts);
    if (!padded) break;
    const next = parseStream(padded.text);
    if (errors(next.docs) > errors(best.docs)) break;
    if (errors(next.docs) === errors(best.docs) && !padded.keyMarks) break;
    const [outer, inner] = [best.toSource, padded.toSource];
    best = { docs: next.docs, text: padded.text, toSource: (o) => outer(inner(o)) };
    starts = next.starts;
  }
  if (best.text !== source) shift(best.docs, best.toSource);
  return best;
}

/**
 * `yaml`'s parse of a stream (as parseAllDocuments does it), noting on the way where each flow
 * collection and quoted scalar starts, for padFlows: one pass over the text, not two.
 */
function parseStream(source: string): { docs: Docs; starts: number[] } {
  const starts: number[] = [];
  const collect = (token: unknown): void => {
    if (!token || typeof token !== 'object') return;
    const t = token as {
      type?: string;
      offset?: number;
      start?: { offset: number };
      value?: unknown;
      items?: unknown[];
    };
    if (t.type === 'flow-collection' && t.start) {
      starts.push(t.start.offset);
      return;
    }
    // PyYAML does not check the indentation of a quoted scalar's lines either.
    if ((t.type === 'single-quoted-scalar' || t.type === 'double-quoted-scalar') && t.offset !== undefined) {
      starts.push(t.offset);
      return;
    }
    collect(t.value);
    for (const item of t.items ?? []) {
      const i = item as { key?: unknown; value?: unknown };
      collect(i.key);
      collect(i.value);
    }
  };
  function* tokens(): Generator<CST.Token> {
    for (const token of new Parser().parse(source)) {
      collect(token);
      yield token;
    }
  }
  const docs = Array.from(new Composer(OPTIONS).compose(tokens())) as Docs;
  return { docs, starts };
}

/** Maps every position of the documents through `back`. */
function shift(docs: Docs, back: (offset: number) => number): Docs {
  for (const d of docs) {
    d.range = d.range.map(back) as typeof d.range;
    visit(d, {
      Node(_, node) {
        if (node.range) node.range = node.range.map(back) as typeof node.range;
      },
    });
    for (const e of [...d.errors, ...d.warnings]) e.pos = [back(e.pos[0]), back(e.pos[1])];
  }
  return docs;
}

/** A `?` right before a key in a flow collection, with no space after it. */
const FLOW_KEY_MARK = /[[{,]\s*\?[^\s]/;

/**
 * Spaces that make `yaml` read what PyYAML reads: lines of a flow collection or a quoted scalar
 * indented less than `yaml` wants (PyYAML ignores that indentation), and a space after a `?` that
 * starts a key in a flow collection (`{?a: 1}` is the key `a` to PyYAML, the text `?a` to `yaml`).
 */
function padFlows(
  source: string,
  starts: number[],
): { text: string; toSource: (offset: number) => number; keyMarks: boolean } | undefined {
  const lineStart = (o: number) => source.lastIndexOf('\n', o - 1) + 1;
  const inserts: Array<[number, number]> = []; // [offset in source, spaces inserted there]
  let keyMarks = false;
  // A start inside another's span is `yaml` misreading that span (a quote in a broken quoted scalar).
  let covered = -1;
  for (const start of [...starts].sort((a, b) => a - b)) {
    if (start <= covered) continue;
    const { end, marks } = flowEnd(source, start);
    if (end < 0) continue;
    covered = end;
    for (const m of marks) inserts.push([m, 1]);
    keyMarks ||= marks.length > 0;
    const want = start - lineStart(start) + 1;
    for (let line = source.indexOf('\n', start) + 1; line > 0 && line <= end; line = source.indexOf('\n', line) + 1) {
      const indent = /^ */.exec(source.slice(line, line + want))![0].length;
      const rest = source.slice(line + indent);
      if (indent >= want || /^(?:---|\.\.\.)(?:\s|$)/.test(source.slice(line)) || /^ *(?:\n|$)/.test(rest)) continue;
      inserts.push([line, want - indent]);
    }
  }
  for (const at of anchorEnds(source)) inserts.push([at, 1]);
  if (!inserts.length) return undefined;
  inserts.sort((a, b) => a[0] - b[0]);
  let text = '';
  let at = 0;
  const padded: Array<[number, number, number]> = []; // [start in text, length, offset in source]
  for (const [offset, n] of inserts) {
    text += source.slice(at, offset);
    padded.push([text.length, n, offset]);
    text += ' '.repeat(n);
    at = offset;
  }
  text += source.slice(at);
  const toSource = (p: number): number => {
    let shift = 0;
    for (const [start, n, offset] of padded) {
      if (p < start) break;
      if (p < start + n) return offset;
      shift += n;
    }
    return p - shift;
  };
  return { text, toSource, keyMarks };
}

/**
 * The offset of the bracket that closes the flow collection (or quote) opened at `start`, or -1; and
 * where a `?` directly followed by a key ends.
 */
function flowEnd(s: string, start: number): { end: number; marks: number[] } {
  let depth = 0;
  let prev = '';
  const marks: number[] = [];
  const none = { end: -1, marks };
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (c === '\n' && /^(?:---|\.\.\.)(?:\s|$)/.test(s.slice(i + 1, i + 5))) return none;
    if (i === start && (c === '"' || c === "'")) prev = '';
    if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      if (--depth === 0) return { end: i, marks };
    } else if (c === '?' && /[[{,]/.test(prev) && /[^\s]/.test(s[i + 1] ?? ' ')) {
      marks.push(i + 1);
    } else if ((c === '"' || c === "'") && /^$|[[{,:]$/.test(prev)) {
      for (i++; i < s.length; i++) {
        if (c === '"' && s[i] === '\\') i++;
        else if (s[i] === c) {
          if (c === "'" && s[i + 1] === "'") i++;
          else break;
        }
      }
      if (i === s.length) return none;
      if (depth === 0) return { end: i, marks };
    } else if (c === '#' && (/[\s[\]{},"']/.test(s[i - 1] ?? '\n') || /["']:$/.test(s.slice(i - 2, i)))) {
      const eol = s.indexOf('\n', i);
      if (eol < 0) return none;
      i = eol - 1;
      continue;
    }
    if (!/\s/.test(c)) prev = c;
  }
  return none;
}

/** The lexemes of a text with their offsets and token types (a scalar's text is `plain` or `block`). */
function* lexemes(source: string): Generator<{ text: string; offset: number; type: string }> {
  let offset = 0;
  let scalarNext = false;
  let blockHeader = false;
  for (const lexeme of new Lexer().lex(source)) {
    if (lexeme === CST.SCALAR) {
      scalarNext = true;
      continue;
    }
    if (lexeme === CST.DOCUMENT || lexeme === CST.FLOW_END) continue;
    const type = scalarNext ? (blockHeader ? 'block' : 'plain') : (CST.tokenType(lexeme) ?? '');
    if (scalarNext) [scalarNext, blockHeader] = [false, false];
    if (type === 'block-scalar-header') blockHeader = true;
    yield { text: lexeme, offset, type };
    offset += lexeme.length;
  }
}

/**
 * Where PyYAML ends an anchor or alias name that `yaml` reads on: PyYAML's names are letters, digits,
 * `_` and `-`, and one may be followed by `:`, `,`, `?`, `]`, `}`, `%`, `@` or a backquote
 * (`&name: v` is an anchored empty key). A space there makes `yaml` read it the same way.
 */
function anchorEnds(source: string): number[] {
  if (!/[&*][A-Za-z0-9_-]+[:,?\]}%@`]/.test(source)) return [];
  const out: number[] = [];
  for (const { text, offset, type } of lexemes(source)) {
    if (type !== 'anchor' && type !== 'alias') continue;
    const end = /^.[A-Za-z0-9_-]+(?=[:,?\]}%@`])/.exec(text);
    if (end) out.push(offset + end[0].length);
  }
  return out;
}

/**
 * The first tab PyYAML refuses: its scanner skips only spaces between tokens and ends a plain
 * scalar at a tab, so a tab is accepted only inside quoted and block scalars and comments.
 */
function firstTab(source: string): number | undefined {
  if (!source.includes('\t')) return undefined;
  const ok = new Set(['block', 'comment', 'single-quoted-scalar', 'double-quoted-scalar']);
  for (const { text, offset, type } of lexemes(source)) {
    const tab = ok.has(type) ? -1 : text.indexOf('\t');
    if (tab >= 0) return offset + tab;
  }
  return undefined;
}

/** The directive lines (`%…` before a document), with their offsets. */
function directives(text: string): Array<{ offset: number; text: string }> {
  if (!/(?:^|\n)%/.test(text)) return [];
  return [...lexemes(text)].filter((l) => l.type === 'directive-line').map(({ offset, text }) => ({ offset, text }));
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
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
