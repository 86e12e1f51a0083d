import { isScalar, type Node, type Pair, type YAMLMap } from 'yaml';
import { type ParsedDocument } from './parse';
import { locate, parentMap } from './query';
import type { TextEdit } from '../types';
import { yamlString } from './text';

/** The file's indentation step: the smallest indentation of a nested line, or 2. */
export function indentUnit(parsed: ParsedDocument): number {
  let unit = 0;
  for (const m of parsed.text.matchAll(/^( +)[^ \r\n#-]/gm)) {
    const n = m[1].length;
    if (n > 0 && (unit === 0 || n < unit)) unit = n;
  }
  return unit || 2;
}

function lineEnd(parsed: ParsedDocument, offset: number): number {
  const nl = parsed.text.indexOf('\n', offset);
  if (nl < 0) return parsed.text.length;
  return parsed.text[nl - 1] === '\r' ? nl - 1 : nl;
}

function lineStart(parsed: ParsedDocument, offset: number): number {
  return parsed.text.lastIndexOf('\n', offset - 1) + 1;
}

function insertAt(parsed: ParsedDocument, offset: number, text: string): TextEdit {
  const pos = parsed.position(offset);
  return { range: { start: pos, end: pos }, newText: text };
}

function replaceRange(parsed: ParsedDocument, start: number, end: number, text: string): TextEdit {
  return { range: parsed.range(start, end), newText: text };
}

/** The column of a block map's keys. */
export function mapIndent(parsed: ParsedDocument, map: YAMLMap): number {
  const first = map.items[0]?.key as Node | undefined;
  return first?.range ? parsed.position(first.range[0]).character : 0;
}

/**
 * Adds `lines` (each `key: value`) to a mapping: after its last entry (block), inside the braces
 * (flow), or under `owner` when the mapping is empty. Undefined when it cannot be done cleanly.
 */
export function addEntries(
  parsed: ParsedDocument,
  owner: Pair | undefined,
  map: YAMLMap | undefined,
  lines: string[],
): TextEdit | undefined {
  const eol = parsed.eol;
  if (map && map.flow && map.range) {
    const close = parsed.contentEnd(map) - 1;
    if (parsed.text[close] !== '}') return undefined;
    const sep = map.items.length ? ', ' : '';
    return insertAt(parsed, close, sep + lines.join(', '));
  }
  if (map && map.items.length && map.range) {
    const indent = ' '.repeat(mapIndent(parsed, map));
    const at = lineEnd(parsed, parsed.contentEnd(map));
    return insertAt(parsed, at, lines.map((l) => eol + indent + l).join(''));
  }
  if (!owner) return undefined;
  // An empty value: write the entries on the lines below the key.
  const keyNode = owner.key as Node;
  const keyCol = parsed.position(keyNode.range![0]).character;
  const indent = ' '.repeat(keyCol + indentUnit(parsed));
  const value = owner.value as Node | null;
  const at = lineEnd(parsed, keyNode.range![1]);
  const entries = lines.map((l) => eol + indent + l).join('');
  if (value?.range && parsed.contentEnd(value) > value.range[0]) {
    // `key: null` (or `~`), a comment kept after it: the entries take the null's place.
    if (!isScalar(value) || value.value !== null || parsed.text.lastIndexOf('\n', value.range[0]) > keyNode.range![1]) {
      return undefined;
    }
    const after = parsed.text.slice(parsed.contentEnd(value), at);
    const colon = parsed.text.indexOf(':', keyNode.range![1]) + 1;
    return replaceRange(parsed, colon, at, (after.trim() ? ` ${after.trim()}` : '') + entries);
  }
  return insertAt(parsed, at, entries);
}

/** Adds a top-level `key:` block with entries after the root mapping. */
export function addTopLevelBlock(parsed: ParsedDocument, key: string, lines: string[]): TextEdit {
  const eol = parsed.eol;
  const unit = ' '.repeat(indentUnit(parsed));
  const block = `${key}:${eol}${lines.map((l) => unit + l).join(eol)}${eol}`;
  const root = parsed.rootMap;
  if (root && root.items.length && root.range) {
    const end = lineEnd(parsed, parsed.contentEnd(root));
    return insertAt(parsed, end, eol + block.slice(0, -eol.length));
  }
  const text = parsed.text;
  const needsBreak = text.length > 0 && !text.endsWith('\n');
  return insertAt(parsed, text.length, (needsBreak ? eol : '') + block);
}

/** Removes a block-map entry with its whole lines. Undefined for a flow mapping or an entry that shares its line. */
export function removeEntry(parsed: ParsedDocument, map: YAMLMap, pair: Pair): TextEdit | undefined {
  const key = pair.key as Node;
  if (map.flow || !key?.range) return undefined;
  const start = lineStart(parsed, key.range[0]);
  if (parsed.text.slice(start, key.range[0]).trim() !== '') return undefined;
  const value = pair.value as Node | null;
  const last = value?.range ? Math.max(parsed.contentEnd(value), key.range[1]) : key.range[1];
  let end = lineEnd(parsed, last);
  if (parsed.text[end] === '\r') end++;
  if (parsed.text[end] === '\n') end++;
  return replaceRange(parsed, start, end, '');
}

/** Sets a pair's value, writing it after the colon when the value is empty. */
export function setValue(parsed: ParsedDocument, pair: Pair, text: string): TextEdit | undefined {
  const value = pair.value as Node | null;
  if (value?.range && parsed.contentEnd(value) > value.range[0]) {
    return replaceRange(parsed, value.range[0], parsed.contentEnd(value), text);
  }
  const key = pair.key as Node;
  if (!key?.range) return undefined;
  const colon = parsed.text.indexOf(':', key.range[1]);
  if (colon < 0 || colon > lineEnd(parsed, key.range[1])) return undefined;
  return insertAt(parsed, colon + 1, ' ' + text);
}

/** Replaces the scalar at a path of keys with a string, keeping its quote style. */
export function replaceAt(parsed: ParsedDocument, path: string[], value: string): TextEdit | undefined {
  const node = locate(parsed, path).found.node;
  return isScalar(node) ? replaceScalar(parsed, node, value) : undefined;
}

/** Replaces a key or scalar with a string, keeping its quote style when it had one. */
export function replaceScalar(parsed: ParsedDocument, node: Node, value: string): TextEdit | undefined {
  if (!node.range) return undefined;
  return replaceRange(parsed, node.range[0], parsed.contentEnd(node), quoteLike(node, value));
}

export function quoteLike(node: Node, value: string): string {
  const type = isScalar(node) ? node.type : undefined;
  if (type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  return yamlString(value);
}

/**
 * Removes the key at a path with its lines. When it is the only key of a block mapping, the mapping's
 * own key goes too: an empty `runtime:` would read as null, which truss refuses.
 */
export function removeKeyAt(parsed: ParsedDocument, path: string[]): TextEdit | undefined {
  let n = path.length;
  while (n > 1 && !/^\d+$/.test(path[n - 2])) {
    const map = parentMap(parsed, path.slice(0, n));
    if (!map || map.flow || map.items.length !== 1) break;
    n--;
  }
  const at = path.slice(0, n);
  const { found, depth } = locate(parsed, at);
  const map = parentMap(parsed, at);
  return depth === at.length && found.pair && map ? removeEntry(parsed, map, found.pair) : undefined;
}
