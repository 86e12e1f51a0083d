import { isScalar } from 'yaml';
import { nodeAt } from '../core/cursor';
import { code, defineRule, PENDING_DOCS } from '../core/rule';
import { secretIdentity } from '../core/secretNames';
import { DOCS } from '../core/types';

export const secretNames = defineRule({
  name: 'secret-names',
  codes: {
    'secret-name-collision': code<{ name: string; other: string }>({
      severity: 'warning',
      summary: 'Two secret names that differ only in non-alphanumeric characters: Baseten stores them as one secret.',
      source: 'docs.baseten.co/organization/secrets',
      href: DOCS.organizationSecrets,
      docs: PENDING_DOCS,
    }),
    'invalid-key-type': code({
      severity: 'error',
      summary: 'A secret name that YAML reads as a number, boolean or null.',
      source: '`TrussConfig.secrets` is a mapping of str to str | None',
      docs: PENDING_DOCS,
    }),
  },
  check({ parsed, facts, report }) {
    const map = facts.secretsMap;
    if (!map) return;
    for (const pair of map.items) {
      const key = pair.key;
      if (isScalar(key) && typeof key.value !== 'string' && key.value !== '<<') {
        report({ code: 'invalid-key-type', range: parsed.keyRange(pair), message: 'A secret name must be a string: quote it.' });
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
          message: `\`${name}\` and \`${first}\` are the same Baseten secret: Baseten treats all non-alphanumeric characters alike. Keep one name.`,
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
