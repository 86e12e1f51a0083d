import { isScalar } from 'yaml';
import { Rule } from '../core/rule';
import { nodeAt } from '../core/cursor';
import { DOCS } from '../core/types';

export const secretNames: Rule = {
  codes: [
    {
      code: 'secret-name-collision',
      severity: 'warning',
      summary: 'Two secret names that differ only in non-alphanumeric characters: Baseten stores them as one secret.',
      source: 'docs.baseten.co/organization/secrets',
      href: DOCS.organizationSecrets,
    },
    {
      code: 'invalid-key-type',
      severity: 'error',
      summary: 'A secret name that YAML reads as a number, boolean or null.',
      source: '`TrussConfig.secrets` is a mapping of str to str | None',
    },
  ],
  check({ parsed, facts, report }) {
    const map = facts.secretsMap;
    if (!map) return;
    for (const pair of map.items) {
      const key = pair.key;
      if (isScalar(key) && typeof key.value !== 'string' && key.value !== '<<') {
        report('invalid-key-type', parsed.keyRange(pair), 'A secret name must be a string: quote it.', {});
      }
    }
    const seen = new Map<string, string>();
    for (const { name, pair } of facts.secretEntries) {
      const norm = name.replace(/[^A-Za-z0-9]/g, '_');
      const first = seen.get(norm);
      if (first === undefined) seen.set(norm, name);
      else if (first !== name) {
        report(
          'secret-name-collision',
          parsed.keyRange(pair),
          `\`${name}\` and \`${first}\` are the same Baseten secret: Baseten treats all non-alphanumeric characters alike. Keep one name.`,
          { name, other: first },
        );
      }
    }
  },
  fixes(finding, { parsed }) {
    if (finding.code !== 'invalid-key-type') return [];
    const start = parsed.offset(finding.range.start);
    const key = nodeAt(parsed, start);
    if (key?.part !== 'key') return [];
    const source = parsed.text.slice(start, parsed.offset(finding.range.end));
    return [{ title: `Quote \`${source}\``, edits: [{ range: finding.range, newText: JSON.stringify(source) }], preferred: true, safe: true }];
  },
};
