import { type Located, type ParsedDocument, locate } from './parse';

/**
 * The node at exactly this path of keys and list indexes, or undefined. Never a parent in its place:
 * a rule about a section that is not there must find nothing to speak about.
 */
export function exactly(parsed: ParsedDocument, path: string[]): Located | undefined {
  const { found, depth } = locate(parsed, path);
  return depth === path.length ? found : undefined;
}
