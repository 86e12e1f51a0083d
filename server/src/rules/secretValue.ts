import { Rule } from '../core/rule';
import { stringValue } from '../core/parse';
import { setValue } from '../core/edit';
import { nodeAt } from '../core/cursor';
import { DOCS } from '../core/types';

/** Strings people write for null that YAML (and so truss) reads as text. */
const NULL_WORDS = new Set(['None', 'none', 'null', 'Null', 'NULL', '~', 'nil']);

export const secretValue: Rule = {
  codes: [
    {
      code: 'secret-literal-value',
      severity: 'warning',
      summary: 'A value written under `secrets`: it is uploaded with the config on push. Use `null`.',
      source: 'docs.baseten.co/development/model/secrets; truss/remote/baseten/remote.py uploads the config',
      href: DOCS.secrets,
    },
    {
      code: 'secret-empty-value',
      severity: 'information',
      summary: 'A secret set to `""`, which behaves like `null`.',
      source: 'truss/templates/shared/secrets_resolver.py',
      href: DOCS.secrets,
    },
  ],
  check({ parsed, facts, report }) {
    for (const { name, pair } of facts.secretEntries) {
      const value = stringValue(parsed.resolve(pair.value));
      if (value === undefined) continue;
      if (value === '') {
        report('secret-empty-value', parsed.valueRange(pair), `An empty value behaves like \`null\`: write \`${name}: null\`.`, { name });
      } else if (NULL_WORDS.has(value)) {
        report(
          'secret-literal-value',
          parsed.valueRange(pair),
          `Secret \`${name}\` is set to the string "${value}", not to null: write \`${name}: null\` (unquoted).`,
          { name },
        );
      } else {
        // Never quote the value: it may be a real credential.
        report(
          'secret-literal-value',
          parsed.valueRange(pair),
          `Secret \`${name}\` has a value written in this file: \`truss push\` uploads it with the config, and the model reads it whenever the Baseten secret is missing. Set it to \`null\` and store the value as a Baseten secret.`,
          { name },
        );
      }
    }
  },
  fixes(finding, { parsed }) {
    const at = nodeAt(parsed, parsed.offset(finding.range.start));
    const edit = at?.pair && setValue(parsed, at.pair, 'null');
    return edit ? [{ title: `Set \`${finding.data?.name}\` to null`, edits: [edit], preferred: true, safe: true }] : [];
  },
};
