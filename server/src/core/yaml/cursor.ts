import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { ParsedDocument } from './parse';
import type { Position, Range } from '../types';

/** Where the cursor is, read from the text so that half-typed lines work too. */
export interface CursorContext {
  /** Keys of the mapping the cursor is in (for a value: including its key). */
  path: string[];
  mode: 'key' | 'value';
  /** What is typed so far, from the start of the key or value to the cursor. */
  typed: string;
  /** The text a completion replaces: the whole key or value token on this line. */
  replace: Range;
  /** Indentation (columns) of the key on this line. */
  indent: number;
  /** A value typed right after `key:` needs a space before it. */
  needsSpace: boolean;
  /** The value is inside quotes: a completion goes between them, as it is. */
  quote?: '"' | "'";
  /** Inside a flow collection (`{…}`, `[…]`): a key's value stays on the line. */
  flow?: boolean;
}

// A plain key may hold a colon that is not followed by a space (`DOCKER_REGISTRY_https://host/`).
const KEY = `("[^"]*"|'[^']*'|(?:[^\\s#'":]|:(?=\\S))(?:[^#:]|:(?=\\S))*?)`;
const KEY_LINE = new RegExp(`^(\\s*)(?:-\\s+)?${KEY}\\s*:(?:\\s+(#.*)?)?$`);
const KEY_BEFORE_VALUE = new RegExp(`^(\\s*)(?:-\\s+)?${KEY}\\s*:(\\s+|$)`);

export function cursorContext(parsed: ParsedDocument, pos: Position): CursorContext | undefined {
  const lines = parsed.text.split(/\r?\n/);
  const line = lines[pos.line];
  if (line === undefined) return undefined;
  const before = line.slice(0, pos.character);
  if (/(^|\s)#/.test(before)) return undefined; // in a comment

  let mode: 'key' | 'value';
  let indent: number;
  let start: number;
  let end: number;
  let key: string | undefined;
  const valueMatch = KEY_BEFORE_VALUE.exec(before);
  const flow = valueMatch ? inFlow(line, valueMatch[0].length, pos.character) : undefined;
  if (valueMatch && flow) {
    // Inside `{…}` or `[…]` on this line: the keys of the flow collections come after the block key.
    indent = valueMatch[1].length;
    const base = parentPath(lines, pos.line, indent);
    if (!base) return undefined;
    return {
      path: [...base, unquote(valueMatch[2]), ...flow.path],
      mode: flow.mode,
      typed: line.slice(flow.start, pos.character),
      replace: { start: { line: pos.line, character: flow.start }, end: { line: pos.line, character: flow.end } },
      indent,
      needsSpace: flow.mode === 'value' && line[flow.start - 1] === ':',
      flow: true,
    };
  }
  let quote: CursorContext['quote'];
  if (valueMatch) {
    mode = 'value';
    indent = valueMatch[1].length;
    key = unquote(valueMatch[2]);
    start = valueMatch[0].length;
    end = valueEnd(line, start);
    if (end < pos.character) end = pos.character;
    const q = line[start];
    if ((q === '"' || q === "'") && pos.character > start) {
      // Between the quotes: the completion replaces what is inside them.
      quote = q;
      const close = line.indexOf(q, start + 1);
      start++;
      end = close >= pos.character ? close : Math.max(pos.character, line.trimEnd().length);
    }
  } else {
    const keyMatch = /^(\s*(?:-\s+)?)([^\s:#-][^\s:#]*|)$/.exec(before);
    if (!keyMatch) return undefined;
    mode = 'key';
    indent = keyMatch[1].length;
    start = indent;
    const rest = /^[^\s:#]*/.exec(line.slice(pos.character))![0];
    end = pos.character + rest.length;
  }

  // On a `- ` line the key starts a new entry of the list above.
  const dash = /^(\s*)-\s+/.exec(line);
  const path = dash
    ? parentPath(lines, pos.line, dash[1].length)?.concat(String(entryIndex(lines, pos.line, dash[1].length)))
    : parentPath(lines, pos.line, indent);
  if (!path) return undefined;
  if (key !== undefined) path.push(key);
  return {
    path,
    mode,
    typed: line.slice(start, pos.character),
    replace: { start: { line: pos.line, character: start }, end: { line: pos.line, character: end } },
    indent,
    needsSpace: mode === 'value' && line[start - 1] === ':',
    quote,
  };
}

/**
 * Where the cursor is inside flow collections (`{a: 1, b: |}`) that open on this line after a block
 * key's colon, or undefined when it is in none.
 */
function inFlow(
  line: string,
  from: number,
  cursor: number,
): { path: string[]; mode: 'key' | 'value'; start: number; end: number } | undefined {
  interface Frame {
    kind: '{' | '[';
    key?: string;
    index: number;
    /** Where the current entry starts, and where its value starts (after `key:`). */
    entry: number;
    value?: number;
  }
  const stack: Frame[] = [];
  let quote = '';
  for (let i = from; i < cursor; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    const top = stack[stack.length - 1];
    if (c === '"' || c === "'") quote = c;
    else if (c === '{' || c === '[') stack.push({ kind: c, index: 0, entry: i + 1 });
    else if ((c === '}' || c === ']') && top) stack.pop();
    else if (c === ',' && top) {
      top.index++;
      top.key = undefined;
      top.value = undefined;
      top.entry = i + 1;
    } else if (c === ':' && top?.kind === '{' && top.value === undefined && /[\s,}\]]/.test(line[i + 1] ?? ' ')) {
      top.key = unquote(line.slice(top.entry, i).trim());
      top.value = i + 1;
    } else if (c === '#' && /\s/.test(line[i - 1] ?? ' ')) return undefined;
  }
  if (!stack.length || quote) return undefined;
  const path: string[] = [];
  for (const f of stack.slice(0, -1)) path.push(f.kind === '{' ? (f.key ?? '') : String(f.index));
  const top = stack[stack.length - 1];
  const token = (at: number) => at + (/^\s*/.exec(line.slice(at, cursor))?.[0].length ?? 0);
  const tokenEnd = (at: number) => at + (/^[^,}\]#]*/.exec(line.slice(at))?.[0].trimEnd().length ?? 0);
  if (top.kind === '[') {
    path.push(String(top.index));
    const start = token(top.entry);
    return { path, mode: 'value', start, end: Math.max(cursor, tokenEnd(start)) };
  }
  if (top.value !== undefined) {
    path.push(top.key ?? '');
    const start = token(top.value);
    return { path, mode: 'value', start, end: Math.max(cursor, tokenEnd(start)) };
  }
  const start = token(top.entry);
  const end = start + (/^[^,}:\s]*/.exec(line.slice(start))?.[0].length ?? 0);
  return { path, mode: 'key', start, end: Math.max(cursor, end) };
}

/** End of a plain or quoted value on a line, before any trailing comment and spaces. */
function valueEnd(line: string, start: number): number {
  const q = line[start];
  if (q === '"' || q === "'") {
    const close = line.indexOf(q, start + 1);
    if (close > 0) return close + 1;
    return line.trimEnd().length;
  }
  const comment = line.slice(start).search(/\s#/);
  const end = comment >= 0 ? start + comment : line.length;
  return Math.max(start, start + line.slice(start, end).trimEnd().length);
}

/** The keys of the block mappings that enclose a line at this indentation, outermost first. */
function parentPath(lines: string[], lineNo: number, indent: number): string[] | undefined {
  const path: string[] = [];
  let current = indent;
  // After a list entry, its parent key may sit at the dash's own column (an indentless list).
  let listAt = -1;
  for (let i = lineNo - 1; i >= 0 && (current > 0 || listAt === 0); i--) {
    const l = lines[i];
    if (!l.trim() || /^\s*#/.test(l)) continue;
    const lineIndent = l.length - l.trimStart().length;
    const item = /^(\s*)-\s+/.exec(l);
    if (item && lineIndent === listAt) continue; // an earlier entry of the same list
    // A `- key: value` line whose keys sit at our column: we are in that entry.
    if (item && listAt < 0 && lineIndent < current && item[0].length === current) {
      path.unshift(String(entryIndex(lines, i, lineIndent)));
      current = lineIndent;
      listAt = lineIndent;
      continue;
    }
    if (lineIndent > current || (lineIndent === current && listAt !== lineIndent)) continue;
    const m = KEY_LINE.exec(l);
    if (!m || item) return undefined; // a parent that is not a plain `key:` line
    path.unshift(unquote(m[2]));
    current = lineIndent;
    listAt = -1;
  }
  return path;
}

/** How many entries of the same list come before the `- ` entry on this line. */
function entryIndex(lines: string[], lineNo: number, dashIndent: number): number {
  let n = 0;
  for (let i = lineNo - 1; i >= 0; i--) {
    const l = lines[i];
    if (!l.trim() || /^\s*#/.test(l)) continue;
    const lineIndent = l.length - l.trimStart().length;
    if (lineIndent > dashIndent) continue;
    if (lineIndent < dashIndent || !/^\s*-(\s|$)/.test(l)) break;
    n++;
  }
  return n;
}

function unquote(s: string): string {
  return (s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'")) ? s.slice(1, -1) : s.trim();
}

/** The node under an offset: the key or value of a pair, with its path of keys. */
export interface NodeAt {
  path: string[];
  part: 'key' | 'value';
  pair?: Pair;
  node: Node;
}

export function nodeAt(parsed: ParsedDocument, offset: number): NodeAt | undefined {
  const within = (n: unknown): n is Node =>
    !!n && !!(n as Node).range && (n as Node).range![0] <= offset && offset <= (n as Node).range![1];
  let node: unknown = parsed.root;
  const path: string[] = [];
  for (let depth = 0; depth < 1000; depth++) {
    if (isMap(node)) {
      const pair = node.items.find((p) => within(p.key) || within(p.value));
      if (!pair) return undefined;
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (within(pair.key)) return { path: [...path, key], part: 'key', pair, node: pair.key };
      path.push(key);
      if (isScalar(pair.value)) return { path, part: 'value', pair, node: pair.value };
      node = pair.value;
    } else if (isSeq(node)) {
      const i = node.items.findIndex((item) => within(item));
      if (i < 0) return undefined;
      path.push(String(i));
      const item = node.items[i];
      if (isScalar(item)) return { path, part: 'value', node: item };
      node = item;
    } else return undefined;
  }
  return undefined;
}
