import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { ParsedDocument } from './parse';

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
