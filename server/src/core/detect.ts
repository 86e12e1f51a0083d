import { isScalar } from 'yaml';
import type { ParsedDocument } from './parse';
import { knownKeys } from './schema';

export type DetectMode = 'auto' | 'always' | 'never';

const MODELINE = /^#\s*yaml-language-server\s*:\s*\$schema=\S*truss/im;

/**
 * Whether a document is a Truss config: truss's `$schema` modeline, or at least
 * half of its top-level keys (and at least one) known to the Truss config.
 */
export function isTrussConfig(parsed: ParsedDocument, mode: DetectMode = 'auto'): boolean {
  if (mode !== 'auto') return mode === 'always';
  if (MODELINE.test(parsed.text)) return true;
  const root = parsed.rootMap;
  if (!root || root.items.length === 0) return false;
  const known = new Set(knownKeys([]));
  let hits = 0;
  for (const pair of root.items) if (isScalar(pair.key) && known.has(String(pair.key.value))) hits++;
  return hits >= 1 && hits * 2 >= root.items.length;
}
