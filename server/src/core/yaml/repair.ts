import { CST, Composer, type Document, Lexer, Parser, visit } from 'yaml';
import type { Tags } from 'yaml';
import { Y } from './pyyaml';

/** The text repair that makes `yaml` read a stream as PyYAML does, and the lexeme scans beside it. */

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

export type Docs = Document.Parsed[];
export const MID_BOM = '\ufdd0';

/**
 * Parses with `yaml`. PyYAML ignores indentation inside a flow collection, `yaml` does not: when a
 * multi-line `{ … }` or `[ … ]` has lines less indented than `yaml` wants (a closing `}` at column 0),
 * those lines are padded with spaces, which changes no value, and positions are mapped back.
 */
export function readDocuments(text: string): { docs: Docs; text: string; toSource: (offset: number) => number } {
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
export function parseStream(source: string): { docs: Docs; starts: number[] } {
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
export const FLOW_KEY_MARK = /[[{,]\s*\?[^\s]/;

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
  for (const at of headersAtKeyColumn(source)) inserts.push([at, 1]);
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

/**
 * Block scalar headers (`|`, `>`) on the line after `key:` and at the key's column: PyYAML reads the
 * block scalar as the key's value (its parser checks no indentation there), `yaml` does not. One more
 * space before the header makes `yaml` read it so; the lines after it are indented further already.
 */
function headersAtKeyColumn(source: string): number[] {
  if (!/\n *[|>]/.test(source)) return [];
  const out: number[] = [];
  const lines = source.split('\n');
  let offset = 0;
  let previous: { column: number; bare: boolean } | undefined;
  for (const line of lines) {
    const header = /^( *)[|>][-+0-9]*(?: +#.*)? *$/.exec(line);
    if (header && previous?.bare && previous.column === header[1].length) out.push(offset + header[1].length);
    if (line.trim() && !/^ *#/.test(line)) {
      // The column of the line's key (after `- ` marks), and whether its value is left empty.
      const key = /^((?: *- +)* *)[^\s#].*?:(?: +#.*)? *$/.exec(line);
      previous = { column: key ? key[1].length : -1, bare: !!key && !/^ *[|>]/.test(line) };
    }
    offset += line.length + 1;
  }
  return out;
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

/** The comments of a text, as the lexer finds them (never `#` inside a scalar), with their offsets. */
export function comments(source: string): Array<{ offset: number; text: string }> {
  if (!source.includes('#')) return [];
  return [...lexemes(source)].filter((l) => l.type === 'comment').map(({ offset, text }) => ({ offset, text }));
}

/**
 * The first tab PyYAML refuses: its scanner skips only spaces between tokens and ends a plain
 * scalar at a tab, so a tab is accepted only inside quoted and block scalars and comments.
 */
export function firstTab(source: string): number | undefined {
  if (!source.includes('\t')) return undefined;
  const ok = new Set(['block', 'comment', 'single-quoted-scalar', 'double-quoted-scalar']);
  for (const { text, offset, type } of lexemes(source)) {
    const tab = ok.has(type) ? -1 : text.indexOf('\t');
    if (tab >= 0) return offset + tab;
  }
  return undefined;
}

/** The directive lines (`%…` before a document), with their offsets. */
export function directives(text: string): Array<{ offset: number; text: string }> {
  if (!/(?:^|\n)%/.test(text)) return [];
  return [...lexemes(text)].filter((l) => l.type === 'directive-line').map(({ offset, text }) => ({ offset, text }));
}

export function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
