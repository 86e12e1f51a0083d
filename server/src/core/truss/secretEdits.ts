import { addEntries, addTopLevelBlock, quoteLike } from '../yaml/edit';
import { type ConfigFacts, DOCKER_AUTH } from './facts';
import type { ParsedDocument } from '../yaml/parse';
import { type SecretUse, replaceMounted } from './secretUses';
import type { Change, TextEdit } from '../types';
import { nodeAt } from '../yaml/cursor';
import { yamlString } from '../yaml/text';

/**
 * The edits that give every one of `uses` the name `newName`, and their intent: each name replaced in
 * place with its quoting kept (inside a `/secrets/<name>` path, only the name), and a default name
 * (AWS_IAM's) written out as the field that names it. Rename and the workspace-spelling fix share it.
 */
export function renameEdits(
  parsed: ParsedDocument,
  facts: ConfigFacts,
  uses: SecretUse[],
  newName: string,
): { edits: TextEdit[]; intent: Change[] } {
  const edits: TextEdit[] = [];
  const intent: Change[] = [];
  const texts = new Set<string>();
  for (const o of uses) {
    const at = o.node?.range ? nodeAt(parsed, o.node.range[0]) : undefined;
    if (o.kind === 'implicit') {
      const edit =
        o.field && addEntries(parsed, facts.dockerAuth, facts.dockerAuthMap, [`${o.field}: ${yamlString(newName)}`]);
      if (edit) edits.push(edit);
      if (o.field) intent.push({ path: [...DOCKER_AUTH, o.field], to: newName });
      continue;
    }
    if (o.inText || !o.node) edits.push({ range: o.range, newText: newName });
    else edits.push({ range: o.range, newText: quoteLike(o.node, newName) });
    if (!at) continue;
    if (at.part === 'key') intent.push({ path: at.path, renamedTo: newName });
    else if (!o.inText) intent.push({ path: at.path, to: newName });
    else if (!texts.has(at.path.join('\u0000')) && typeof o.node?.value === 'string') {
      texts.add(at.path.join('\u0000'));
      intent.push({ path: at.path, to: replaceMounted(o.node.value, o.name, newName) });
    }
  }
  return { edits, intent };
}

/** Declares secrets as `name: null`: under `secrets`, or in a new `secrets:` block. */
export function addSecrets(parsed: ParsedDocument, facts: ConfigFacts, names: string[]): TextEdit | undefined {
  const lines = names.map((n) => `${yamlString(n)}: null`);
  if (facts.secrets) return addEntries(parsed, facts.secrets, facts.secretsMap, lines);
  return addTopLevelBlock(parsed, 'secrets', lines);
}
