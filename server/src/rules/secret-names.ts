import { isScalar } from 'yaml';
import { nodeAt } from '../core/yaml/cursor';
import { code, defineRule } from '../core/rule';
import { secretIdentity } from '../core/truss/secretNames';
import { DOCS } from '../core/types';

export const secretNames = defineRule({
  name: 'secret-names',
  codes: {
    'secret-name-collision': code<{ name: string; other: string }>({
      severity: 'warning',
      summary: 'Two secret names that differ only in non-alphanumeric characters: Baseten stores them as one secret.',
      source: 'docs.baseten.co/organization/secrets',
      href: DOCS.organizationSecrets,
      docs: {
        description:
          'Flags two names under `secrets` that differ only in characters other than letters and digits, such ' +
          "as `hf_access_token` and `hf-access-token`. Baseten's secret store treats all such characters alike, " +
          'so both names refer to one stored secret, and saving one in Baseten overwrites the other. Code that ' +
          'expects two different values gets the same one under both names. Keep one name, and use that name ' +
          'in the model code: reading a name not declared under `secrets` raises ' +
          '`SecretNotFound` at runtime.',
        bad: `model_name: llama-chat
python_version: py311
secrets:
  hf_access_token: null
  hf-access-token: null
resources:
  accelerator: A10G
`,
        good: `model_name: llama-chat
python_version: py311
secrets:
  hf_access_token: null
resources:
  accelerator: A10G
`,
      },
    }),
    'invalid-key-type': code({
      severity: 'error',
      fix: 'safe',
      summary: 'A secret name that YAML reads as a number, boolean or null.',
      source: '`TrussConfig.secrets` is a mapping of str to str | None',
      docs: {
        description:
          'Flags a name under `secrets` that YAML reads as something other than a string: a number such as ' +
          '`2024`, a boolean such as `yes`, `no`, `on` or `off`, or `null`. truss wants every secret name to be ' +
          'a string and rejects the config when it loads it (the error points at `secrets.<name>.[key]`), so ' +
          '`truss push` stops. Quote the name to make it a string.',
        bad: `model_name: llama-chat
python_version: py311
secrets:
  hf_access_token: null
  2024: null
resources:
  accelerator: A10G
`,
        good: `model_name: llama-chat
python_version: py311
secrets:
  hf_access_token: null
  "2024": null
resources:
  accelerator: A10G
`,
        fix: 'Puts the name in double quotes, as written;',
      },
    }),
  },
  check({ parsed, facts, report }) {
    const map = facts.secretsMap;
    if (!map) return;
    for (const pair of map.items) {
      const key = pair.key;
      if (isScalar(key) && typeof key.value !== 'string' && key.value !== '<<') {
        report({
          code: 'invalid-key-type',
          range: parsed.keyRange(pair),
          message: 'A secret name must be a string: quote it.',
        });
      }
    }
    const seen = new Map<string, string>();
    for (const { name, pair } of facts.secretEntries) {
      const id = secretIdentity(name);
      const first = seen.get(id);
      if (first === undefined) seen.set(id, name);
      else if (first !== name) {
        report({
          code: 'secret-name-collision',
          range: parsed.keyRange(pair),
          message:
            `\`${name}\` and \`${first}\` are the same Baseten secret: Baseten treats all non-alphanumeric ` +
            `characters alike. Keep one name.`,
          data: { name, other: first },
        });
      }
    }
  },
  fixes: {
    'invalid-key-type'(finding, { parsed }) {
      const start = parsed.offset(finding.range.start);
      const key = nodeAt(parsed, start);
      if (key?.part !== 'key') return [];
      const source = parsed.text.slice(start, parsed.offset(finding.range.end));
      const edits = [{ range: finding.range, newText: JSON.stringify(source) }];
      return [{ title: `Quote \`${source}\``, edits, preferred: true, safe: true }];
    },
  },
});
