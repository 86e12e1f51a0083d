import { nodeAt } from '../core/cursor';
import { setValue } from '../core/edit';
import { stringValue } from '../core/parse';
import { code, defineRule, FindingOf, PENDING_DOCS } from '../core/rule';
import { Analysis } from '../core/analysis';
import { DOCS, Fix } from '../core/types';

/** Strings people write for null that YAML (and so truss) reads as text. */
const NULL_WORDS = new Set(['None', 'none', 'null', 'Null', 'NULL', '~', 'nil']);

type Name = { name: string };

export const secretValue = defineRule({
  name: 'secret-value',
  codes: {
    'secret-literal-value': code<Name>({
      severity: 'warning',
      summary: 'A value written under `secrets`: it is uploaded with the config on push. Use `null`.',
      source: 'docs.baseten.co/development/model/secrets; truss/remote/baseten/remote.py uploads the config',
      href: DOCS.secrets,
      docs: PENDING_DOCS,
    }),
    'secret-empty-value': code<Name>({
      severity: 'information',
      summary: 'A secret set to `""`, which behaves like `null`.',
      source: 'truss/templates/shared/secrets_resolver.py',
      href: DOCS.secrets,
      docs: PENDING_DOCS,
    }),
  },
  check({ parsed, facts, report }) {
    for (const { name, pair } of facts.secretEntries) {
      const value = stringValue(parsed.resolve(pair.value));
      if (value === undefined) continue;
      const range = parsed.valueRange(pair);
      // Never quote the value: it may be a real credential.
      if (value === '') {
        const message = `An empty value behaves like \`null\`: write \`${name}: null\`.`;
        report({ code: 'secret-empty-value', range, message, data: { name } });
      } else if (NULL_WORDS.has(value)) {
        const message = `Secret \`${name}\` is set to the string "${value}", not to null: write \`${name}: null\` (unquoted).`;
        report({ code: 'secret-literal-value', range, message, data: { name } });
      } else {
        const message = `Secret \`${name}\` has a value written in this file: \`truss push\` uploads it with the config, and the model reads it whenever the Baseten secret is missing. Set it to \`null\` and store the value as a Baseten secret.`;
        report({ code: 'secret-literal-value', range, message, data: { name } });
      }
    }
  },
  fixes: { 'secret-literal-value': setNull, 'secret-empty-value': setNull },
});

function setNull(finding: FindingOf<Name>, { parsed }: Analysis): Fix[] {
  const at = nodeAt(parsed, parsed.offset(finding.range.start));
  const edit = at?.pair && setValue(parsed, at.pair, 'null');
  return edit ? [{ title: `Set \`${finding.data.name}\` to null`, edits: [edit], preferred: true, safe: true }] : [];
}
