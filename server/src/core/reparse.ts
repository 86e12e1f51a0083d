import { type Document, type Node, type Scalar, isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';

type Range = [number, number, number];

/** One node of a line's parse, flattened for comparison: what it is and where. */
interface Entry {
  node: Node | null;
  shape: string;
  range: Range | undefined;
  source: string | undefined;
}

/** Lines longer than this are parsed again: YAML limits an implicit key to 1024 characters. */
const MAX_LINE = 1000;
/** What sends a line's text through more than `yaml`'s plain parse (see parse.ts), or is not plain text. */
// eslint-disable-next-line no-control-regex
const SPECIAL = /[\t\r\ufeff\ufdd0\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]|^%/;

/**
 * The tree of `text` made from the tree of an earlier version (`old`, parsed from `oldText`), when the
 * two texts differ only inside one scalar of one line: typing in a value or a key. The line is parsed
 * alone, before and after, and must have the same nodes, only that scalar's text differing; then the
 * earlier tree takes the new scalar and every position after the edit moves. Undefined (and the tree
 * untouched) in any other case. `parseLine` parses a text as the full parse does.
 *
 * The tree is changed in place: the earlier parse must not be used afterwards.
 */
export function reuseTree(
  oldText: string,
  old: Document.Parsed,
  text: string,
  parseLine: (line: string) => Document.Parsed[],
  flowKeyMark: RegExp,
): Document.Parsed | undefined {
  const max = Math.min(oldText.length, text.length);
  let s = 0;
  while (s < max && oldText.charCodeAt(s) === text.charCodeAt(s)) s++;
  let tail = 0;
  while (tail < max - s && oldText.charCodeAt(oldText.length - 1 - tail) === text.charCodeAt(text.length - 1 - tail)) {
    tail++;
  }
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
  if (/[[{,?]/.test(newLine) && flowKeyMark.test(text)) return undefined;

  const before = lineEntries(parseLine(oldLine + eol));
  const after = lineEntries(parseLine(newLine + eol));
  if (!before || !after || before.length !== after.length) return undefined;

  // Positions in the line: before the edit they stay, after it they move by delta. A start at the edit
  // stays (typed text at a node's start is the node's), an end at it moves (typed at its end, too).
  const at = s - lineStart;
  const oldAt = oldEnd - lineStart;
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
  const [start, end] = [changed.before.range![0] + lineStart, changed.before.range![1] + lineStart];
  const target = scalarAt(old.contents, start);
  if (!target || target.range?.[0] !== start || target.range[1] !== end || target.source !== changed.before.source) {
    return undefined;
  }
  const nodes: Node[] = [];
  collectNodes(old.contents, nodes);

  // The same rule over the whole tree. An end at the edit is moved only for a node on the line (one
  // that starts on an earlier line and ends there ends with that line); a position inside the
  // replaced text means another reading.
  const shift = (r: Range): Range => {
    const end = (p: number) => (p < s ? p : p === s && r[0] < lineStart ? p : p >= oldEnd ? p + delta : NaN);
    return [r[0] <= s ? r[0] : r[0] >= oldEnd ? r[0] + delta : NaN, end(r[1]), end(r[2])];
  };
  const ranges: Range[] = [];
  for (const n of nodes) {
    const r = shift(n.range!);
    if (Number.isNaN(r[0] + r[1] + r[2])) return undefined;
    ranges.push(r);
  }
  const docRange = shift(old.range);
  if (Number.isNaN(docRange[0] + docRange[1] + docRange[2])) return undefined;
  for (let i = 0; i < nodes.length; i++) nodes[i].range = ranges[i];
  old.range = docRange;
  const next = changed.after.node as Scalar;
  target.source = next.source;
  target.value = next.value;
  return old;
}

/** Every node of a tree that has a position, keys included. */
function collectNodes(node: unknown, out: Node[]): void {
  if (isPair(node)) {
    collectNodes(node.key, out);
    collectNodes(node.value, out);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const n = node as Node;
  if (n.range) out.push(n);
  if (isMap(n) || isSeq(n)) for (const item of n.items as unknown[]) collectNodes(item, out);
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
      const options = isPair(item) ? [item.key, item.value] : [item];
      next = options.find(within);
      if (next) break;
    }
    if (!next) return undefined;
    node = next;
  }
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
