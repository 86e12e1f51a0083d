import { nodeAt } from '../core/yaml/cursor';
import { setValue } from '../core/yaml/edit';
import { stringValue } from '../core/yaml/query';
import { code, defineRule, type FindingOf } from '../core/rule';
import type { Analysis } from '../core/analysis';
import { DOCS, type Fix } from '../core/types';

/** Strings people write for null that YAML (and so truss) reads as text. */
const NULL_WORDS = new Set(['None', 'none', 'null', 'Null', 'NULL', '~', 'nil']);

type Name = { name: string };

export const secretValue = defineRule({
  name: 'secret-value',
  codes: {
    'secret-literal-value': code<Name>({
      severity: 'warning',
      fix: 'safe',
      summary: 'A value written under `secrets`: it is uploaded with the config on push. Use `null`.',
      source: 'docs.baseten.co/development/model/secrets; truss/remote/baseten/remote.py uploads the config',
      href: DOCS.secrets,
      docs: {
        description:
          'Flags a value written under `secrets` where Baseten\'s docs want `null` ("Never set the actual value ' +
          'of the secret in config.yaml"). `secrets` only declares which Baseten secrets the model may read; a ' +
          'value written here is a default that the model receives whenever the Baseten secret is missing, and ' +
          '`truss push` uploads it with the rest of the config, without any warning from truss. It also flags ' +
          'the text `"None"`, `"null"` and the like, which YAML reads as a string: when the Baseten secret is ' +
          'missing, the model gets that text instead of a "Secret not found" error.',
        bad: `model_name: llama-chat
python_version: py311
requirements:
  - transformers==4.41.0
secrets:
  hf_access_token: my-token-value
resources:
  accelerator: A10G
`,
        good: `model_name: llama-chat
python_version: py311
requirements:
  - transformers==4.41.0
secrets:
  hf_access_token: null
resources:
  accelerator: A10G
`,
        fix:
          'Sets the secret to `null`. The value is gone from the file: store it ' +
          'first as a secret of the same name in your Baseten workspace.',
      },
    }),
    'secret-empty-value': code<Name>({
      severity: 'information',
      fix: 'safe',
      summary: 'A secret set to `""`, which behaves like `null`.',
      source: 'truss/templates/shared/secrets_resolver.py',
      href: DOCS.secrets,
      docs: {
        description:
          'Flags a secret set to `""`. truss treats an empty value like `null`: when the Baseten secret is ' +
          'missing, reading it raises `SecretNotFound` ("Secret \'...\' not found") in both cases, so nothing ' +
          "breaks. `null` is the placeholder Baseten's docs use, and it says plainly that the value lives in " +
          'Baseten, not in this file.',
        bad: `model_name: llama-chat
python_version: py311
requirements:
  - transformers==4.41.0
secrets:
  hf_access_token: ""
resources:
  accelerator: A10G
`,
        good: `model_name: llama-chat
python_version: py311
requirements:
  - transformers==4.41.0
secrets:
  hf_access_token: null
resources:
  accelerator: A10G
`,
        fix: 'Sets the secret to `null`;',
      },
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
        const message =
          `Secret \`${name}\` is set to the string "${value}", not to null: write \`${name}: null\` ` + `(unquoted).`;
        report({ code: 'secret-literal-value', range, message, data: { name } });
      } else {
        const message =
          `Secret \`${name}\` has a value written in this file: \`truss push\` uploads it with the ` +
          `config, and the model reads it whenever the Baseten secret is missing. Set it to \`null\` and store the ` +
          `value as a Baseten secret.`;
        report({ code: 'secret-literal-value', range, message, data: { name } });
      }
    }
  },
  fixes: { 'secret-literal-value': setNull, 'secret-empty-value': setNull },
});

function setNull(finding: FindingOf<Name>, { parsed }: Analysis): Fix[] {
  const at = nodeAt(parsed, parsed.offset(finding.range.start));
  const edit = at?.pair && setValue(parsed, at.pair, 'null');
  const intent = at ? [{ path: at.path, to: null }] : [];
  return edit
    ? [{ title: `Set \`${finding.data.name}\` to null`, edits: [edit], preferred: true, safe: true, intent }]
    : [];
}
