import { addEntries, addTopLevelBlock, quoteLike } from '../yaml/edit';
import type { ConfigFacts } from './facts';
import type { ParsedDocument } from '../yaml/parse';
import type { SecretUse } from './secretUses';
import type { TextEdit } from '../types';
import { yamlString } from '../yaml/text';

/**
 * The edits that give every one of `uses` the name `newName`: each name replaced in place with its
 * quoting kept (inside a `/secrets/<name>` path, only the name), and a default name (AWS_IAM's) written
 * out as the field that names it. Rename and the workspace-spelling fix share it.
 */
export function renameEdits(
  parsed: ParsedDocument,
  facts: ConfigFacts,
  uses: SecretUse[],
  newName: string,
): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const o of uses) {
    if (o.kind === 'implicit') {
      const edit =
        o.field && addEntries(parsed, facts.dockerAuth, facts.dockerAuthMap, [`${o.field}: ${yamlString(newName)}`]);
      if (edit) edits.push(edit);
    } else if (o.inText || !o.node) edits.push({ range: o.range, newText: newName });
    else edits.push({ range: o.range, newText: quoteLike(o.node, newName) });
  }
  return edits;
}

/** Declares secrets as `name: null`: under `secrets`, or in a new `secrets:` block. */
export function addSecrets(parsed: ParsedDocument, facts: ConfigFacts, names: string[]): TextEdit | undefined {
  const lines = names.map((n) => `${yamlString(n)}: null`);
  if (facts.secrets) return addEntries(parsed, facts.secrets, facts.secretsMap, lines);
  return addTopLevelBlock(parsed, 'secrets', lines);
}
