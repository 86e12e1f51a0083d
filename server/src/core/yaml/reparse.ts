import {
  type Document,
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

type Range = [number, number, number];

/** A line parsed alone, flattened. */
export interface ParsedLine {
  text: string;
  entries: readonly Entry[];
}

/** One node of a line's parse, flattened for comparison: what it is and where. */
interface Entry {
  node: Node | null;
  shape: string;
  range: Range | undefined;
  source: string | undefined;
}

/** Lines longer than this are parsed again: YAML limits an implicit key to 1024 characters. */
const MAX_LINE = 1000;
/** A tab, a byte order mark, a lone CR, a directive: the full parse handles these apart (see parse.ts). */
const SPECIAL = /[\t\r\ufeff\ufdd0]|^%/;

/**
 * The tree of `text` made from the tree of an earlier version (`old`, parsed from `oldText`), when the
 * two texts differ only inside one scalar of one line: typing in a value or a key. The line is parsed
 * alone, before and after, and must have the same nodes, only that scalar's text differing; then the
 * earlier tree takes the new scalar and every position after the edit moves. Undefined (and the tree
 * untouched) in any other case. `parseLine` parses a text as the full parse does; `refused` says when
 * the new line (in the new text) needs the full parse; `known` is the line this tree was last made for
 * (typing edits one line again and again: it is not parsed twice).
 *
 * The tree is changed in place: the earlier parse must not be used afterwards.
 */
export function reuseTree(
  oldText: string,
  old: Document.Parsed,
  text: string,
  parseLine: (line: string) => Document.Parsed[],
  refused: (line: string, text: string) => boolean,
  known?: ParsedLine,
): { tree: Document.Parsed; line: ParsedLine | undefined } | undefined {
  const s = commonPrefix(oldText, text);
  const tail = commonSuffix(oldText, text, Math.min(oldText.length, text.length) - s);
  const oldEnd = oldText.length - tail;
  const newEnd = text.length - tail;
  const delta = newEnd - oldEnd;
  if (/[\r\n]/.test(oldText.slice(s, oldEnd)) || /[\r\n]/.test(text.slice(s, newEnd))) return undefined;

  const lineStart = oldText.lastIndexOf('\n', s - 1) + 1;
  let oldLineEnd = oldText.indexOf('\n', oldEnd);
  if (oldLineEnd < 0) oldLineEnd = oldText.length;
  const newLineEnd = oldLineEnd + delta;
  const cr = oldText[oldLineEnd - 1] === '\r' && oldLineEnd - 1 >= oldEnd ? 1 : 0;
  const eol = oldLineEnd < oldText.length ? '\n' : '';
  const oldLine = oldText.slice(lineStart, oldLineEnd - cr);
  const newLine = text.slice(lineStart, newLineEnd - cr);
  if (newLine.length > MAX_LINE || oldLine.length > MAX_LINE || SPECIAL.test(newLine) || SPECIAL.test(oldLine)) {
    return undefined;
  }
  if (refused(newLine, text)) return undefined;

  const edit: Edit = { s, oldEnd, delta, lineStart };
  const plain = plainEdit(oldText, old, text, edit);
  if (plain) {
    const source = text.slice(plain.range![0], plain.range![1] + delta);
    return moveAll(old, edit, plain, source, source) ? { tree: old, line: undefined } : undefined;
  }
  const oldKnown = known?.text === oldLine + eol ? known.entries : undefined;
  const found = lineEdit(old, edit, oldKnown ?? lineEntries(parseLine(oldLine + eol)), parseLine(newLine + eol));
  if (!found) return undefined;
  const next = found.after.node as Scalar;
  if (!moveAll(old, edit, found.target, next.source, next.value)) return undefined;
  return { tree: old, line: { text: newLine + eol, entries: found.entries } };
}

interface Edit {
  /** Where the texts start to differ, where that is in the earlier text's end, and the change in length. */
  s: number;
  oldEnd: number;
  delta: number;
  lineStart: number;
}

/** Characters that cannot change how a plain scalar is read when typed inside it (not at its start). */
const PLAIN_SAFE = /^[A-Za-z0-9_./-]*$/;

/**
 * The plain scalar an edit is in, when it is typed or deleted inside it (not at its start) and leaves a
 * plain scalar that reads the same way: letters, digits, `_`, `.`, `/` or `-` typed, and no `: `, ` #`
 * or `:` at the end made. Then no parse is needed at all.
 */
function plainEdit(oldText: string, old: Document.Parsed, text: string, e: Edit): Scalar | undefined {
  if (!PLAIN_SAFE.test(text.slice(e.s, e.oldEnd + e.delta))) return undefined;
  const target = scalarAt(old.contents, e.s - 1);
  if (!target || target.type !== 'PLAIN' || !target.range) return undefined;
  const [start, end] = target.range;
  if (start >= e.s || e.oldEnd > end || target.source !== oldText.slice(start, end)) return undefined;
  if (oldText.lastIndexOf('\n', end - 1) >= start) return undefined; // on more than one line
  const source = text.slice(start, end + e.delta);
  // A leading `-`, `?` or `:` is an indicator when a space or the line's end follows it.
  if (/^[-?:]/.test(source) && e.s <= start + 1) return undefined;
  // `---` or `...` at a line's start would begin or end a document.
  return /: | #|:$| $|^(?:---|\.\.\.)/.test(source) ? undefined : target;
}

/**
 * The scalar of the whole tree an edit changed, found by parsing its line alone before and after:
 * the two must have the same nodes, only that scalar's text differing.
 */
function lineEdit(
  old: Document.Parsed,
  e: Edit,
  before: readonly Entry[] | undefined,
  afterDocs: Document.Parsed[],
): { target: Scalar; after: Entry; entries: Entry[] } | undefined {
  const after = lineEntries(afterDocs);
  if (!before || !after || before.length !== after.length) return undefined;

  // Positions in the line: before the edit they stay, after it they move by delta. A start at the edit
  // stays (typed text at a node's start is the node's), an end at it moves (typed at its end, too).
  const { delta } = e;
  const at = e.s - e.lineStart;
  const oldAt = e.oldEnd - e.lineStart;
  const movedStart = (p: number) => (p <= at ? p : p >= oldAt ? p + delta : NaN);
  const movedEnd = (p: number) => (p < at ? p : p >= oldAt ? p + delta : NaN);
  const moved = (r: Range): Range => [movedStart(r[0]), movedEnd(r[1]), movedEnd(r[2])];
  let changed: { before: Entry; after: Entry } | undefined;
  for (let i = 0; i < before.length; i++) {
    const [b, a] = [before[i], after[i]];
    if (b.shape !== a.shape) return undefined;
    if (!b.range || !a.range) {
      if (b.range || a.range) return undefined;
      continue;
    }
    // Where `yaml` puts an empty node depends on what comes before the line.
    if (b.range[0] === b.range[2] || a.range[0] === a.range[2]) return undefined;
    if (!sameRange(moved(b.range), a.range)) return undefined;
    if (b.source === a.source) continue;
    if (changed || !isScalar(b.node) || !/^(?:PLAIN|QUOTE_DOUBLE|QUOTE_SINGLE)$/.test(String(b.node.type))) {
      return undefined;
    }
    changed = { before: b, after: a };
  }
  if (!changed) return undefined;

  // The scalar in the whole tree: the one at the same place with the same text, in block collections
  // only (the line was parsed alone, as block context: a line inside a flow collection reads otherwise).
  const [start, end] = [changed.before.range![0] + e.lineStart, changed.before.range![1] + e.lineStart];
  const target = scalarAt(old.contents, start);
  if (!target || target.range?.[0] !== start || target.range[1] !== end || target.source !== changed.before.source) {
    return undefined;
  }
  return { target, after: changed.after, entries: after };
}

/**
 * Moves every position of the tree after the edit and gives the changed scalar its new text; false
 * (and the tree untouched) when a position falls inside the replaced text, which means another reading.
 * An end at the edit moves (text typed at a node's end is the node's), unless the edit is at the line's
 * start: an end there is the end of the line before.
 */
function moveAll(old: Document.Parsed, e: Edit, target: Scalar, source: string | undefined, value: unknown): boolean {
  const { s, oldEnd, delta, lineStart } = e;
  const nodes: Node[] = [];
  collectNodes(old.contents, nodes);
  // Each node has its own range array (yaml's composer makes one per node): they are changed in place,
  // once every position has been found to move cleanly.
  const start = (p: number) => (p <= s ? p : p >= oldEnd ? p + delta : NaN);
  const end = (p: number) => (p < s ? p : p === s && p === lineStart ? p : p >= oldEnd ? p + delta : NaN);
  const clean = (r: Range) => !Number.isNaN(start(r[0]) + end(r[1]) + end(r[2]));
  if (!clean(old.range) || !nodes.every((n) => clean(n.range!))) return false;
  const move = (r: Range) => {
    if (r[2] < s) return;
    r[0] = start(r[0]);
    r[1] = end(r[1]);
    r[2] = end(r[2]);
  };
  move(old.range);
  for (let i = 0; i < nodes.length; i++) move(nodes[i].range!);
  target.source = source;
  target.value = value;
  return true;
}

/** Every node with a position under `node`, keys included, but the items in `skip`. */
function collectNodes(node: unknown, out: Node[], skip?: Set<unknown>): void {
  if (skip?.has(node)) return;
  if (isPair(node)) {
    collectNodes(node.key, out, skip);
    collectNodes(node.value, out, skip);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const n = node as Node;
  if (n.range) out.push(n);
  if (isMap(n) || isSeq(n)) for (const item of n.items as unknown[]) collectNodes(item, out, skip);
}

/** The scalar that starts at an offset, reached through block collections only. */
function scalarAt(node: unknown, offset: number): Scalar | undefined {
  for (;;) {
    if (isScalar(node)) return node;
    if (!isMap(node) && !isSeq(node)) return undefined;
    if (node.flow) return undefined;
    const within = (n: unknown) => {
      const r = (n as Node | null)?.range;
      return !!r && r[0] <= offset && offset < r[2];
    };
    let next: unknown;
    for (const item of node.items as unknown[]) {
      if (!isPair(item)) next = within(item) ? item : undefined;
      else next = within(item.key) ? item.key : within(item.value) ? item.value : undefined;
      if (next) break;
    }
    if (!next) return undefined;
    node = next;
  }
}

/** Texts are compared a chunk at a time (a native comparison), then a character at a time. */
const CHUNK = 256;

function commonPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let i = 0;
  while (i + CHUNK <= max && a.substring(i, i + CHUNK) === b.substring(i, i + CHUNK)) i += CHUNK;
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** The length of the common end of two texts, at most `max`. */
function commonSuffix(a: string, b: string, max: number): number {
  let n = 0;
  while (
    n + CHUNK <= max &&
    a.substring(a.length - n - CHUNK, a.length - n) === b.substring(b.length - n - CHUNK, b.length - n)
  ) {
    n += CHUNK;
  }
  while (n < max && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  return n;
}

function sameRange(a: Range, b: Range): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
}

/** The nodes of a one-line document in order, or undefined when it is not one clean document. */
function lineEntries(docs: Document.Parsed[]): Entry[] | undefined {
  if (docs.length !== 1) return undefined;
  const doc = docs[0];
  if (doc.errors.length || doc.warnings.length || !doc.contents) return undefined;
  const out: Entry[] = [
    { node: null, shape: JSON.stringify([doc.commentBefore, doc.comment]), range: undefined, source: '' },
  ];
  const add = (node: unknown): boolean => {
    if (isPair(node)) {
      out.push({ node: null, shape: 'pair', range: undefined, source: '' });
      return add(node.key) && add(node.value);
    }
    if (!node) {
      out.push({ node: null, shape: 'none', range: undefined, source: '' });
      return true;
    }
    const n = node as Node;
    if (!n.range) return false;
    const props = [n.tag, n.anchor, n.comment, n.commentBefore, n.spaceBefore];
    if (isScalar(n)) {
      out.push({ node: n, shape: JSON.stringify(['scalar', n.type, ...props]), range: n.range, source: n.source });
      return true;
    }
    if (isAlias(n)) {
      out.push({ node: n, shape: JSON.stringify(['alias', n.source, ...props]), range: n.range, source: '' });
      return true;
    }
    if (!isMap(n) && !isSeq(n)) return false;
    const shape = JSON.stringify([isMap(n) ? 'map' : 'seq', n.flow, n.items.length, ...props]);
    out.push({ node: n, shape, range: n.range, source: '' });
    return n.items.every((item) => add(item));
  };
  return add(doc.contents) ? out : undefined;
}

/**
 * What a window of whole lines must not hold: a tab, a lone CR, a byte order mark, a directive, a
 * document marker, an explicit key (`? `: its node ends, in place, where the next line's text starts).
 */
const SPECIAL_LINES = /[\t\ufeff\ufdd0]|\r(?!\n)|^(?:%|---|\.\.\.)|^[ -]*\?(?:[ \r\n]|$)/m;

type Item = Pair | Node;
type Block = YAMLMap | YAMLSeq;

/**
 * The tree of `text` made from the tree of an earlier version (`old`, parsed from `oldText`), when the
 * two texts differ by whole lines added, removed or replaced inside one block mapping or block sequence:
 * Enter, a new key line, a pasted block, a deleted line, a line commented out. The items around the
 * change, from the last one that starts before it to the first one that starts after it (the window),
 * are parsed alone, before and after; the earlier parse must match the tree (so the window reads alone
 * as it reads in place), the later one replaces those items, and every position after it moves.
 * Undefined (and the tree untouched) when anything could read otherwise in place: a change of
 * indentation out of the collection, anchors, aliases, tags, block scalars, explicit keys, comments
 * or blank lines at the window's end that `yaml` could give another node, a window that is most of the
 * text.
 *
 * The tree is changed in place: the earlier parse must not be used afterwards.
 */
export function reuseLines(
  oldText: string,
  old: Document.Parsed,
  text: string,
  parse: (text: string) => Document.Parsed[],
  refused: (window: string, text: string) => boolean,
): Document.Parsed | undefined {
  const s = commonPrefix(oldText, text);
  const p = oldText.lastIndexOf('\n', s - 1) + 1;
  const delta = text.length - oldText.length;
  // The changed lines: [p, x) of the earlier text, [p, x + delta) of this one.
  let x = oldText.length - commonSuffix(oldText, text, Math.min(oldText.length, text.length) - p);
  if (!atLineStart(oldText, x) || !atLineStart(text, x + delta)) x = oldText.indexOf('\n', x) + 1 || oldText.length;
  const changed = [oldText.slice(p, x), text.slice(p, x + delta)];
  const indent = Math.min(
    ...changed.flatMap((t) =>
      t
        .split('\n')
        .filter((l) => !blank(l))
        .map(indentOf),
    ),
  );

  // The innermost block collection the change is in, with the last item that starts before it.
  let block: unknown = old.contents;
  let found: { block: Block; first: number } | undefined;
  while (isBlock(block)) {
    const items = block.items as Item[];
    let first = -1;
    for (let i = 0; i < items.length && (itemStart(items[i]) ?? Infinity) < p; i++) first = i;
    if (first < 0) break;
    found = { block, first };
    const inner = isPair(items[first]) ? (items[first] as Pair).value : items[first];
    // Blank lines removed after the item's end, before more text, are at its collection's end (see
    // `spaced` below).
    const end = itemEnd(items[first]);
    const past = x > end && (!/^[ \r\n]*$/.test(oldText.slice(end, x)) || !/\S/.test(oldText.slice(x)));
    if (past || !isBlock(inner) || column(oldText, inner.range![0]) > indent) break;
    block = inner;
  }
  if (!found) return undefined;
  const { first } = found;
  const items = found.block.items as Item[];
  const col = column(oldText, found.block.range![0]);
  let last = first + 1;
  while (last < items.length && (itemStart(items[last]) ?? -1) < x) last++;
  const atEnd = last === items.length;
  if (atEnd) last--;

  // The window: whole lines, from the first item's line to the last item's end (or the change's end).
  const ws = oldText.lastIndexOf('\n', itemStart(items[first])! - 1) + 1;
  const lead = oldText.slice(ws, itemStart(items[first]));
  if (lead !== ' '.repeat(col) && !(isSeq(found.block) && new RegExp(`^ {${col}}- +$`).test(lead))) return undefined;
  let we = lineEnd(oldText, itemEnd(items[last]));
  if (atEnd) we = Math.max(we, x);
  if (we < x || 2 * (we - ws) > oldText.length) return undefined;
  const before = oldText.slice(ws, we);
  const after = text.slice(ws, we + delta);
  if (SPECIAL_LINES.test(after) || SPECIAL_LINES.test(before) || refused(after, text)) return undefined;
  // Blank lines that end the text are the document's: its end would move otherwise than by delta.
  const [blankBefore, blankAfter] = [endsBlank(before), endsBlank(after)];
  if (we >= oldText.length && (blankBefore || blankAfter)) return undefined;
  if (![before, after].every((w) => w.split('\n').every((l) => blank(l) || indentOf(l) >= col))) return undefined;

  // After the window, up to the next line of content: blank lines only, then a line of an outer collection.
  let next = we;
  const lineAfter = (q: number) => (oldText.indexOf('\n', q) + 1 || oldText.length + 1) - 1;
  while (next < oldText.length && blank(oldText.slice(next, lineAfter(next)))) next = lineAfter(next) + 1;
  const nextLine = oldText.slice(next, lineAfter(next));
  if (atEnd && next < oldText.length && (indentOf(nextLine) >= col || /^ *#/.test(nextLine))) return undefined;

  const oldWindow = aloneItems(parse(before), found.block, atEnd);
  const newWindow = aloneItems(parse(after), found.block, atEnd);
  if (!oldWindow || !newWindow) return undefined;
  // Comment lines that end a window ending its collection are the collection's comment, in place as
  // alone, when the next line's text follows them (blank lines after them are part of it in place):
  // the earlier window's must be the tree's.
  const commented = oldWindow.comment !== undefined || newWindow.comment !== undefined;
  if (commented && (next !== we || blankBefore || blankAfter)) return undefined;
  if (oldWindow.comment !== (found.block.comment ?? undefined)) return undefined;
  // The earlier window, parsed alone, must be the tree's items (but what comes before the first one).
  const inPlace = flatten(items.slice(first, last + 1), -ws, true);
  if (!inPlace || JSON.stringify(inPlace) !== JSON.stringify(flatten(oldWindow.items, 0, true))) return undefined;
  const newItems = newWindow.items;
  if (!flatten(newItems, 0, false)) return undefined;

  // Blank lines at the end of a window that ends its collection say whether the next line has a space
  // before it.
  let spaced: Node | undefined;
  if (atEnd) {
    if (blankBefore !== blankAfter && next === we && next < oldText.length) {
      if (/^ *(?:[-?:](?: |$)|#)/.test(nextLine)) return undefined;
      if (blankAfter && !endsInText(newItems)) return undefined;
      spaced = keyAt(old.contents, next + indentOf(nextLine));
      if (!spaced) return undefined;
    }
  }

  // Every position outside the window: before it they stay, after it they move; the ends of the
  // collections that hold it follow its content's end, or its comment's, which ends in place where the
  // next line's text starts.
  const nextText = next < oldText.length ? next + indentOf(nextLine) : oldText.length;
  const oldEnd = oldWindow.comment === undefined ? ws + oldWindow.end : nextText;
  const newEnd = newWindow.comment === undefined ? ws + newWindow.end : nextText + delta;
  const [oldContent, newContent] = [ws + oldWindow.content, ws + newWindow.content];
  const removed = new Set<unknown>(items.slice(first, last + 1));
  const nodes: Node[] = [];
  collectNodes(old.contents, nodes, removed);
  // The first item's line is before the change: the collections that start with it start there still.
  const firstStart = itemStart(items[first])!;
  const start = (q: number) => (q <= firstStart ? q : q >= we ? q + delta : NaN);
  const end = (q: number) => (q <= ws ? q : q === oldEnd ? newEnd : q >= we ? q + delta : NaN);
  // The collection's own content ends before its comment; the collections around it end after it.
  const own = found.block.range!;
  const ownEnd = (q: number) => (q === oldContent ? newContent : end(q));
  const clean = (r: Range) => !Number.isNaN(start(r[0]) + (r === own ? ownEnd : end)(r[1]) + end(r[2]));
  if (!clean(old.range) || !nodes.every((n) => clean(n.range!))) return undefined;
  // The window's content ends before blank lines it now ends with: only after a scalar's text, and not
  // at the end of the text (the document's end would follow them).
  if (!commented && oldEnd >= we && newEnd !== oldEnd + delta && (next >= oldText.length || !endsInText(newItems))) {
    return undefined;
  }

  // The earlier items' leading comments came from before the window: the first new item keeps them.
  const oldLead = leadingChain(items[first]);
  const newLead = leadingChain(newItems[0]);
  if (oldLead.length !== newLead.length) return undefined;
  for (const r of [old.range, ...nodes.map((n) => n.range!)]) {
    if (r[2] <= ws) continue;
    r[0] = start(r[0]);
    r[1] = (r === own ? ownEnd : end)(r[1]);
    r[2] = end(r[2]);
  }
  for (let i = 0; i < oldLead.length; i++) {
    newLead[i].commentBefore = oldLead[i].commentBefore;
    newLead[i].spaceBefore = oldLead[i].spaceBefore;
  }
  const shifted: Node[] = [];
  for (const item of newItems) collectNodes(item, shifted);
  for (const n of shifted) n.range = [n.range![0] + ws, n.range![1] + ws, n.range![2] + ws];
  for (const n of shifted) if (isMap(n) || isSeq(n)) n.schema = found.block.schema;
  (found.block.items as Item[]).splice(first, last + 1 - first, ...newItems);
  if (commented) found.block.comment = newWindow.comment;
  if (spaced) spaced.spaceBefore = blankAfter || undefined;
  return old;
}

/**
 * Whether the last item ends in a scalar's text: blank lines after an empty value are the value's in
 * place, not space before the next key.
 */
function endsInText(items: readonly Item[]): boolean {
  const last = items[items.length - 1];
  const value = isPair(last) ? last.value : last;
  return isScalar(value) && value.range![1] > value.range![0];
}

function isBlock(node: unknown): node is Block {
  return (isMap(node) || isSeq(node)) && !node.flow && !!node.range;
}

function blank(line: string): boolean {
  return /^ *\r?$/.test(line);
}

function indentOf(line: string): number {
  return /^ */.exec(line)![0].length;
}

function atLineStart(t: string, q: number): boolean {
  return q === 0 || q === t.length || t.charCodeAt(q - 1) === 10;
}

/** The offset after the line break that ends the line `q` is in (or `q` itself at a line's start). */
function lineEnd(t: string, q: number): number {
  if (atLineStart(t, q) && q > 0) return q;
  const nl = t.indexOf('\n', q);
  return nl < 0 ? t.length : nl + 1;
}

function column(t: string, q: number): number {
  return q - (t.lastIndexOf('\n', q - 1) + 1);
}

/** Where an item starts: its key, or the node of a sequence item. */
function itemStart(item: Item): number | undefined {
  const n = isPair(item) ? (item.key as Node | null) : item;
  return n?.range?.[0];
}

/** The end of an item's last node, trailing comments included. */
function itemEnd(item: Item): number {
  const nodes: Node[] = [];
  collectNodes(item, nodes);
  return Math.max(-1, ...nodes.map((n) => n.range![2]));
}

/** Whether a text ends with blank lines after its last content. */
function endsBlank(t: string): boolean {
  const lines = t.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.length > 0 && blank(lines[lines.length - 1]);
}

/**
 * A window parsed alone: one clean document holding a block collection of the same kind, its items,
 * where its content ends and where it ends. `trailing`: it ends its collection in place, and comment
 * lines at its end are the collection's comment (`comment`).
 */
function aloneItems(
  docs: Document.Parsed[],
  like: Block,
  trailing: boolean,
): { items: Item[]; content: number; end: number; comment: string | undefined } | undefined {
  if (docs.length !== 1) return undefined;
  const doc = docs[0];
  if (doc.errors.length || doc.warnings.length || doc.commentBefore || doc.comment) return undefined;
  const root = doc.contents;
  if (!isBlock(root) || isMap(root) !== isMap(like) || root.tag || root.anchor) return undefined;
  const comment = root.comment ?? undefined;
  if (comment !== undefined && !trailing) return undefined;
  if (root.commentBefore || root.spaceBefore || (comment === undefined && root.range[1] !== root.range[2])) {
    return undefined;
  }
  // A node with a comment that ends the window ends, in place, where the next line's text starts.
  const [content, end] = [root.range[1], root.range[2]];
  const nodes: Node[] = [];
  collectNodes(root, nodes);
  if (nodes.some((n) => n !== root && n.comment && (n.range![2] === end || n.range![2] === content))) return undefined;
  return { items: root.items, content, end, comment };
}

/**
 * The nodes of some items in order, what each is and where (moved by `offset`), for comparison; undefined
 * when they hold what a window must not: an anchor, an alias, a tag, a block scalar. `lead`: leave out the
 * comments and space before the first item's leading nodes (they come from before the window).
 */
function flatten(items: readonly Item[], offset: number, lead: boolean): unknown[] | undefined {
  const out: unknown[] = [];
  const skip = new Set<unknown>(lead && items.length ? leadingChain(items[0]) : []);
  const add = (node: unknown): boolean => {
    if (isPair(node)) {
      out.push('pair');
      return add(node.key) && add(node.value);
    }
    if (!node) {
      out.push(null);
      return true;
    }
    const n = node as Node;
    if (!n.range || n.tag || n.anchor || isAlias(n)) return false;
    const r = [n.range[0] + offset, n.range[1] + offset, n.range[2] + offset];
    const props = [n.comment, skip.has(n) ? 0 : n.commentBefore, skip.has(n) ? 0 : n.spaceBefore, r];
    if (isScalar(n)) {
      if (n.type === 'BLOCK_LITERAL' || n.type === 'BLOCK_FOLDED') return false;
      out.push(['scalar', n.type, n.source, ...props]);
      return true;
    }
    if (!isMap(n) && !isSeq(n)) return false;
    out.push([isMap(n) ? 'map' : 'seq', n.flow, n.items.length, ...props]);
    return n.items.every((item) => add(item));
  };
  return items.every((item) => add(item)) ? out : undefined;
}

/** An item's node, then the first node of each inside it: where comments before the item are kept. */
function leadingChain(item: Item | undefined): Node[] {
  const out: Node[] = [];
  let n: unknown = item;
  for (;;) {
    if (isPair(n)) n = n.key;
    else if (isMap(n) || isSeq(n)) {
      out.push(n);
      n = n.items[0];
    } else if (n && typeof n === 'object' && (n as Node).range) {
      out.push(n as Node);
      return out;
    } else return out;
  }
}

/** The key that starts at an offset, reached through block collections. */
function keyAt(node: unknown, offset: number): Node | undefined {
  while (isBlock(node)) {
    let next: unknown;
    for (const item of node.items as Item[]) {
      if (isPair(item)) {
        const key = item.key as Node | null;
        if (key?.range?.[0] === offset) return key;
        const v = item.value as Node | null;
        if (v?.range && v.range[0] <= offset && offset < v.range[2]) next = v;
      }
    }
    node = next;
  }
  return undefined;
}
