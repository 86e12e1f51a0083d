import { isScalar } from 'yaml';
import { addEntries, replaceScalar, setValue } from '../core/edit';
import { authField } from '../core/facts';
import { findPair, isNullScalar } from '../core/parse';
import { sameRegistry } from '../core/registry';
import { code, defineRule, PENDING_DOCS } from '../core/rule';
import { DOCS, Fix } from '../core/types';
import { yamlString } from '../core/yamlText';
import { Analysis } from '../core/analysis';

const SOURCE =
  'docs.baseten.co/development/model/private-registries ("must match the hostname portion of the image URL")';

type Expected = { expected: string | undefined };

export const registry = defineRule({
  name: 'registry',
  codes: {
    'registry-missing': code<Expected>({
      severity: 'warning',
      summary: '`docker_auth` has no `registry`.',
      source: SOURCE,
      href: DOCS.privateRegistries,
      docs: PENDING_DOCS,
    }),
    'registry-mismatch': code<Expected>({
      severity: 'warning',
      summary: '`docker_auth.registry` is not the registry host of `base_image.image`.',
      source: SOURCE,
      href: DOCS.privateRegistries,
      docs: PENDING_DOCS,
    }),
  },
  check({ parsed, facts, report }) {
    if (!facts.dockerAuthMap || !facts.dockerAuth) return;
    const reg = facts.image?.registry;
    const expected = reg?.host;
    const f = authField(parsed, facts, 'registry');
    if (f && f.value === undefined && !isNullScalar(parsed.resolve(f.pair.value))) return; // wrong type: the schema reports it
    if (!f?.value?.trim()) {
      const hint = expected ? ` Set it to \`${expected}\`, the host of \`base_image.image\`.` : '';
      report({
        code: 'registry-missing',
        range: f ? parsed.valueRange(f.pair) : parsed.keyRange(facts.dockerAuth),
        message: `\`docker_auth\` has no \`registry\`: Baseten needs the registry host to log in.${hint}`,
        data: { expected },
      });
      return;
    }
    if (reg && !sameRegistry(f.value, reg)) {
      report({
        code: 'registry-mismatch',
        range: parsed.valueRange(f.pair),
        message: `\`registry\` does not match \`base_image.image\`, which pulls from \`${reg.host}\`: Baseten logs in to one registry and pulls from the other.`,
        data: { expected },
      });
    }
  },
  fixes: {
    'registry-missing': (finding, analysis) => setRegistry(finding.data.expected, analysis),
    'registry-mismatch': (finding, analysis) => setRegistry(finding.data.expected, analysis),
  },
});

function setRegistry(expected: string | undefined, { parsed, facts }: Analysis): Fix[] {
  if (expected === undefined) return [];
  const pair = findPair(facts.dockerAuthMap, 'registry');
  const edit = pair
    ? isScalar(pair.value) && pair.value.value !== null
      ? replaceScalar(parsed, pair.value, expected)
      : setValue(parsed, pair, yamlString(expected))
    : addEntries(parsed, facts.dockerAuth, facts.dockerAuthMap, [`registry: ${yamlString(expected)}`]);
  return edit ? [{ title: `Set registry to \`${expected}\``, edits: [edit], preferred: true, safe: true }] : [];
}
