import {
  type Alias,
  type Document,
  LineCounter,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
} from 'yaml';
import type { Position, Range } from '../types';
import { Builder, type Kind, Recursive, type ScalarKind, type Special, TooManyAliases } from './build';
import {
  COLLECTION_TAGS,
  ConstructError,
  SCALAR_TAGS,
  UNICODE_BREAK,
  Y,
  blockText,
  constructScalar,
  plainText,
  quotedText,
  resolvePlain,
  tagName,
} from './pyyaml';
import {
  FLOW_KEY_MARK,
  MID_BOM,
  comments,
  countLines,
  directives,
  firstTab,
  parseStream,
  readDocuments,
} from './repair';
import { type ParsedLine, reuseLines, reuseTree } from './reparse';

export interface SyntaxProblem {
  message: string;
  range: Range;
  severity: 'error' | 'warning';
}

/** Larger documents are not parsed: a clear finding instead of a slow answer. */
export const LIMITS = { bytes: 2_000_000, lines: 30_000 };

// PyYAML refuses any character outside its printable set, anywhere in the stream.
const NON_PRINTABLE = /[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;
const ANCHOR_NAME = /^[A-Za-z0-9_-]+$/;
/**
 * Collections nested this deep make PyYAML's composer exceed Python's recursion limit (1000 frames):
 * called directly it fails from 490 to 494 levels, by the form of the nesting (block or flow); deeper
 * in a program's stack (truss's CLI), a little earlier. From here it always fails.
 */
export const PYYAML_DEPTH = 494;

/**
 * Whether lines leave a quoted scalar open, or open more flow collections (`[`, `{`) than they close
 * outside quoted scalars and comments: a `[` or a quote just typed. A quote starts a scalar after a
 * space, `[`, `{` or `,` only.
 */
export function leftOpen(lines: string): boolean {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < lines.length; i++) {
    const c = lines[i];
    if (quote) {
      if (quote === '"' && c === '\\') i++;
      else if (quote === "'" && c === "'" && lines[i + 1] === "'") i++;
      else if (c === quote) quote = '';
      continue;
    }
    const prev = i ? lines[i - 1] : '\n';
    if ((c === '"' || c === "'") && /[\s[{,]/.test(prev)) quote = c;
    else if (c === '#' && /\s/.test(prev)) i = (lines.indexOf('\n', i) + 1 || lines.length) - 1;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
  }
  return depth > 0 || quote !== '';
}

/** One parse of a document: the first YAML document, with positions, read as PyYAML reads it. */
export class ParsedDocument {
  readonly lineCounter = new LineCounter();
  readonly doc: Document.Parsed | undefined;
  readonly problems: SyntaxProblem[] = [];
  /** Start offsets of the 2nd and later documents (truss reads only one). */
  readonly extraDocuments: number[] = [];
  /** How many collections hold the deepest one (the root is 1), as written: aliases not followed. */
  depth = 0;
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
  private readonly scalarKinds = new Map<Node, ScalarKind>();
  private specialValues: Special[] = [];
  /** The text as `yaml` reads it: a lone CR, NEL, LS and PS are line breaks. */
  private readonly source: string = '';
  /** The text with its NEL, LS and PS, when it has any: scalars with LS or PS are read from it. */
  private readonly breaks: string | undefined;
  private commentTokens: ReadonlyArray<{ offset: number; text: string }> | undefined;

  /**
   * The comments of the text (none when it is too large to parse): real comment tokens only, never a
   * `#` in a block or quoted scalar. Lexed on first use, once per parse.
   */
  get comments(): ReadonlyArray<{ offset: number; text: string }> {
    return (this.commentTokens ??= comments(this.source));
  }

  /**
   * The parse of `text`, a later version of `previous`'s text: made from `previous`'s tree when the two
   * differ inside one scalar of one line (see reuseTree) or by whole lines inside one block collection
   * (see reuseLines), else parsed anew. `previous` must not be used afterwards: its tree may now belong
   * to the result.
   */
  static after(previous: ParsedDocument | undefined, text: string): ParsedDocument {
    const reused = previous?.lend(text) ?? previous?.lastClean?.lend(text);
    if (reused) return new ParsedDocument(text, reused);
    const parsed = new ParsedDocument(text);
    // A broken version keeps the last tree that could be reused: the repair is made from it.
    if (previous && !parsed.reusable()) parsed.lastClean = previous.reusable() ? previous : previous.lastClean;
    return parsed;
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
  /**
   * When this parse cannot be reused (a problem, a second document), the last earlier one of the same
   * document that can, untouched: typing a `[` and deleting it again reuses the tree from before the `[`.
   */
  private lastClean: ParsedDocument | undefined;

  private reusable(): boolean {
    return !!this.doc && this.exact && !this.lent && !this.problems.length && !this.extraDocuments.length;
  }

  /** This tree, changed into the tree of `text`, when it can be; this parse is spent then. */
  private lend(text: string): { tree: Document.Parsed; line?: ParsedLine } | undefined {
    const doc = this.doc;
    if (!doc || !this.reusable() || text.length > LIMITS.bytes) return undefined;
    if (text === this.text) {
      this.lent = true;
      return { tree: doc, line: this.line };
    }
    const parseLine = (line: string) => parseStream(line).docs;
    // A character PyYAML refuses, a `?` key mark that padFlows would handle, or a bracket or a quote left
    // open (the lines cannot read alone as in place: said before parsing them, which costs a parse).
    const refused = (line: string, all: string) =>
      NON_PRINTABLE.test(line) ||
      UNICODE_BREAK.test(line) ||
      leftOpen(line) ||
      (/[[{,?]/.test(line) && FLOW_KEY_MARK.test(all));
    const reused = reuseTree(this.text, doc, text, parseLine, refused, this.line);
    const tree = reused ? undefined : reuseLines(this.text, doc, text, parseLine, refused);
    if (!reused && !tree) return undefined;
    this.lent = true;
    return reused ?? { tree: tree! };
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
    const editorText = text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
    this.lineCounter.addNewLine(0);
    for (let i = editorText.indexOf('\n'); i >= 0; i = editorText.indexOf('\n', i + 1)) {
      this.lineCounter.addNewLine(i + 1);
    }
    // PyYAML also breaks lines at NEL, LS and PS; `yaml` reads them as `\n` (see UNICODE_BREAK). Positions
    // stay those of the editor, whose lines end only at CR and LF.
    const source = UNICODE_BREAK.test(editorText) ? editorText.replace(/[\x85\u2028\u2029]/g, '\n') : editorText;
    if (source !== editorText) this.breaks = editorText;
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
    // `indent`: the column of the block collection that holds the node (PyYAML's indent), -1 at the top.
    // `depth`: how many collections hold the node.
    let deepest: { depth: number; node?: Node } = { depth: 0 };
    const walk = (node: unknown, inFlow: boolean, indent: number, depth: number): void => {
      if (isPair(node)) {
        this.checkKey(node, inFlow);
        this.checkValueIndicator(node, inFlow, indent);
        walk(node.key, inFlow, indent, depth);
        walk(node.value, inFlow, indent, depth);
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
      if (isScalar(n)) this.checkScalar(n, inFlow, indent);
      else if (isMap(n) || isSeq(n)) {
        if (isMap(n)) maps.push(n);
        this.checkCollection(n);
        const inner = n.flow || !n.range ? indent : this.column(n.range[0]);
        if (depth + 1 > deepest.depth) deepest = { depth: depth + 1, node: n };
        for (const item of n.items) walk(item, inFlow || !!n.flow, inner, depth + 1);
      }
    };
    walk(doc.contents, false, -1, 0);
    this.depth = deepest.depth;
    if (deepest.node && deepest.depth >= PYYAML_DEPTH) {
      this.failAt(
        deepest.node,
        `Collections nested ${deepest.depth} deep: PyYAML, which truss uses, builds them by recursion and stops ` +
          "at about 490 levels (Python's recursion limit), so truss cannot load the file",
      );
    }
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

  /**
   * A `:` that starts its line (the value after `? key`, or after a key left empty) belongs to its
   * block mapping only at the column of the mapping's keys: indented more, PyYAML opens a new mapping
   * there, which its parser refuses. So does other text indented under a `?` key.
   */
  private checkValueIndicator(pair: Pair, inFlow: boolean, indent: number): void {
    if (inFlow) return;
    const s = this.source;
    const key = pair.key as Node | null;
    const value = pair.value as Node | null;
    let at: number;
    if (key?.range) {
      // After the key: spaces, line breaks and comments, then the `:`.
      for (at = key.range[1]; at < s.length; at++) {
        if (s[at] === '#') while (at < s.length && s[at] !== '\n') at++;
        else if (s[at] !== ' ' && s[at] !== '\t' && s[at] !== '\n' && s[at] !== '\r') break;
      }
    } else {
      if (!value?.range) return;
      for (at = value.range[0] - 1; at > 0 && s[at] === ' ';) at--;
    }
    if (s[at] !== ':') {
      // Text after the key, indented under it, that `yaml` leaves out (`? "q"` then `  r: x`): PyYAML
      // reads it as the start of a new mapping too.
      if (key?.range && at < s.length && this.column(at) > indent) {
        this.fail(
          'Text under a `?` key that is neither its value nor a new entry: PyYAML reads it as the start of ' +
            'a new mapping, so truss cannot load the file',
          at,
          at + 1,
        );
      }
      return;
    }
    const lineStart = s.lastIndexOf('\n', at - 1) + 1;
    if (!/^[ \ufeff]*$/.test(s.slice(lineStart, at)) || this.column(at) <= indent) return;
    this.fail(
      'A `:` on a line of its own, indented more than the keys of its mapping: PyYAML reads it as the start ' +
        'of a new mapping, so truss cannot load the file',
      at,
      at + 1,
    );
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

  /**
   * The column of an offset, as PyYAML counts it: its lines end at NEL, LS and PS too, and the byte
   * order mark that starts a file is not a character of the first line.
   */
  private column(offset: number): number {
    const start = this.source.lastIndexOf('\n', offset - 1) + 1;
    return offset - start - (start === 0 && this.source.startsWith('\ufeff') && offset > 0 ? 1 : 0);
  }

  /** The text of a scalar written with LS or PS, as PyYAML reads it (`yaml` read them as `\n`). */
  private withBreaks(n: Scalar, indent: number): string | undefined {
    const text = this.breaks;
    if (!text || !n.range) return undefined;
    const [start, end] = n.range;
    const block = n.type === 'BLOCK_LITERAL' || n.type === 'BLOCK_FOLDED';
    if (!/[\u2028\u2029]/.test(text.slice(start, block ? n.range[2] : end))) return undefined;
    try {
      if (block) return blockText(text, start, indent);
      if (n.type === 'QUOTE_DOUBLE' || n.type === 'QUOTE_SINGLE') return quotedText(text.slice(start, end));
      return plainText(text.slice(start, end));
    } catch (e) {
      if (e instanceof ConstructError) return undefined;
      throw e;
    }
  }

  private checkScalar(n: Scalar, inFlow: boolean, indent: number): void {
    const broken = this.withBreaks(n, indent);
    let source = broken ?? (typeof n.source === 'string' ? n.source : typeof n.value === 'string' ? n.value : '');
    if (source.includes(MID_BOM)) source = source.replace(/\ufdd0/g, '\ufeff');
    // A block scalar whose last line ends the file without a line break: PyYAML adds no line break.
    const block = n.type === 'BLOCK_LITERAL' || n.type === 'BLOCK_FOLDED';
    if (broken === undefined && block && n.range && source.endsWith('\n')) {
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
      if (tag === `${Y}binary`) this.scalarKinds.set(n, 'binary');
      else if (tag === `${Y}float`) this.scalarKinds.set(n, 'float');
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
        const builder = new Builder(this.targets, this.kinds, this.scalarKinds);
        this.jsValue = this.doc ? builder.build(this.doc.contents) : null;
        this.specialValues = builder.specials;
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

  /** The values of `value` whose JS form loses what truss's model sees (see Special). */
  get specials(): readonly Special[] {
    void this.value;
    return this.specialValues;
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
