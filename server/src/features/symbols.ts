import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Analysis } from '../core/analysis';
import { redactCredentials } from '../core/truss/credentials';
import type { Range } from '../core/types';

export interface OutlineSymbol {
  name: string;
  kind: 'section' | 'field' | 'list' | 'entry';
  range: Range;
  selectionRange: Range;
  children: OutlineSymbol[];
}

const MAX_SYMBOLS = 5000;
const MAX_DEPTH = 6;

/** The outline: sections and their keys; list entries named by their first scalar field. */
export function outline(analysis: Analysis): OutlineSymbol[] {
  const { parsed } = analysis;
  if (!analysis.truss) return [];
  let count = 0;
  const walk = (node: unknown, depth: number): OutlineSymbol[] => {
    const out: OutlineSymbol[] = [];
    if (depth > MAX_DEPTH || count > MAX_SYMBOLS) return out;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key) || count++ > MAX_SYMBOLS) continue;
        const key = pair.key as Node;
        const value = parsed.resolve(pair.value);
        const selectionRange = parsed.keyRange(pair);
        const end = value?.range ? parsed.nodeRange(value)!.end : selectionRange.end;
        out.push({
          name: redactCredentials(String((pair.key as { value: unknown }).value)),
          kind: isMap(value) ? (depth === 0 ? 'section' : 'field') : isSeq(value) ? 'list' : 'field',
          range: { start: parsed.nodeRange(key)!.start, end },
          selectionRange,
          children: walk(value, depth + 1),
        });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const resolved = parsed.resolve(item);
        if (!isMap(resolved) || !resolved.range || count++ > MAX_SYMBOLS) return;
        const first = resolved.items.find((p) => isScalar(p.value));
        const label = first && isScalar(first.value) ? redactCredentials(String(first.value.value)) : `[${i}]`;
        const range = parsed.nodeRange(resolved)!;
        out.push({ name: label, kind: 'entry', range, selectionRange: range, children: walk(resolved, depth + 1) });
      });
    }
    return out;
  };
  return walk(parsed.root, 0);
}
