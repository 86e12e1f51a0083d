import { isMap, isScalar, isSeq, type Scalar } from 'yaml';
import type { ConfigFacts } from './facts';
import { type ParsedDocument, findPair, locate } from './parse';
import type { Range } from './types';

export interface SecretOccurrence {
  name: string;
  /** A declaration under `secrets`, or a field that names the secret. */
  kind: 'declaration' | 'reference';
  node: Scalar;
  range: Range;
  /** Where the name sits, for messages: `secrets`, `base_image.docker_auth.secret_name`, … */
  where: string;
}

/** Every place a secret is named in the file: what definition, references, highlight and rename share. */
export function secretOccurrences(parsed: ParsedDocument, facts: ConfigFacts): SecretOccurrence[] {
  const out: SecretOccurrence[] = [];
  const add = (node: unknown, kind: SecretOccurrence['kind'], where: string) => {
    if (!isScalar(node) || typeof node.value !== 'string' || !node.value || !node.range) return;
    const range = parsed.nodeRange(node);
    if (range) out.push({ name: node.value, kind, node, range, where });
  };
  for (const e of facts.secretEntries) add(e.pair.key, 'declaration', 'secrets');
  for (const field of ['secret_name', 'aws_access_key_id_secret_name', 'aws_secret_access_key_secret_name']) {
    add(findPair(facts.dockerAuthMap, field)?.value, 'reference', `base_image.docker_auth.${field}`);
  }
  const list = (path: string[], each: (item: unknown, i: number) => void) => {
    const { found, depth } = locate(parsed, path);
    if (isSeq(found.node) && depth === path.length)
      found.node.items.forEach((item, i) => each(parsed.resolve(item), i));
  };
  list(['weights'], (w) => {
    if (!isMap(w)) return;
    add(findPair(w, 'auth_secret_name')?.value, 'reference', 'weights[].auth_secret_name');
    const auth = parsed.resolve(findPair(w, 'auth')?.value);
    if (isMap(auth)) add(findPair(auth, 'auth_secret_name')?.value, 'reference', 'weights[].auth.auth_secret_name');
  });
  list(['model_cache'], (m) => {
    if (isMap(m)) add(findPair(m, 'runtime_secret_name')?.value, 'reference', 'model_cache[].runtime_secret_name');
  });
  const mapping = locate(parsed, ['build', 'secret_to_path_mapping']);
  if (mapping.depth === 2 && isMap(mapping.found.node)) {
    for (const pair of mapping.found.node.items) add(pair.key, 'reference', 'build.secret_to_path_mapping');
  }
  return out;
}

/** The occurrence under a position, if any. */
export function occurrenceAt(
  occurrences: SecretOccurrence[],
  line: number,
  character: number,
): SecretOccurrence | undefined {
  return occurrences.find(
    (o) =>
      (o.range.start.line < line || (o.range.start.line === line && o.range.start.character <= character)) &&
      (o.range.end.line > line || (o.range.end.line === line && o.range.end.character >= character)),
  );
}
