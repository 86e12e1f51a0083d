import { type Node, type Pair, type Scalar, type YAMLMap, isMap, isScalar, isSeq } from 'yaml';
import type { ParsedDocument } from './parse';
import type { Range } from '../types';

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

/** The pairs of a mapping, and of the mappings in it, whose scalar key a later pair of theirs repeats. */
export function repeatedKeys(map: YAMLMap | undefined, path: string[] = []): Array<{ path: string[]; pair: Pair }> {
  const out: Array<{ path: string[]; pair: Pair }> = [];
  if (!map) return out;
  const last = new Map<unknown, Pair>();
  for (const p of map.items) if (isScalar(p.key)) last.set(p.key.value, p);
  for (const p of map.items) {
    const key = isScalar(p.key) ? p.key.value : undefined;
    if (isScalar(p.key) && last.get(key) !== p) out.push({ path: [...path, String(key)], pair: p });
    if (isMap(p.value)) out.push(...repeatedKeys(p.value, [...path, keyName(p)]));
  }
  return out;
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

/**
 * The node at exactly this path of keys and list indexes, or undefined. Never a parent in its place:
 * a rule about a section that is not there must find nothing to speak about.
 */
export function exactly(parsed: ParsedDocument, path: string[]): Located | undefined {
  const { found, depth } = locate(parsed, path);
  return depth === path.length ? found : undefined;
}

/** Every key path of the document (list indexes included), how often it occurs, and where. */
export function keyPaths(parsed: ParsedDocument): { counts: Map<string, number>; at: Map<string, number[]> } {
  const counts = new Map<string, number>();
  const at = new Map<string, number[]>();
  const walk = (node: unknown, path: string, depth: number): void => {
    if (depth > 64) return;
    const n = parsed.resolve(node);
    if (isMap(n)) {
      for (const pair of n.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '?';
        const p = path ? `${path}\u0000${key}` : key;
        counts.set(p, (counts.get(p) ?? 0) + 1);
        const start = (pair.key as Node | null)?.range?.[0];
        if (start !== undefined) at.set(p, [...(at.get(p) ?? []), start]);
        walk(pair.value, p, depth + 1);
      }
    } else if (isSeq(n)) {
      n.items.forEach((item, i) => walk(item, `${path}\u0000${i}`, depth + 1));
    }
  };
  walk(parsed.root, '', 0);
  return { counts, at };
}
