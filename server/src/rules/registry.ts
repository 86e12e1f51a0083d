import { authField } from '../core/facts';
import { isScalar } from 'yaml';
import { findPair, isNullScalar } from '../core/parse';
import { addEntries, replaceScalar, setValue } from '../core/edit';
import { yamlString } from '../core/yamlText';
import { Rule } from '../core/rule';
import { sameRegistry } from '../core/registry';
import { DOCS } from '../core/types';

const SOURCE = 'docs.baseten.co/development/model/private-registries ("must match the hostname portion of the image URL")';

export const registry: Rule = {
  codes: [
    { code: 'registry-missing', severity: 'warning', summary: '`docker_auth` has no `registry`.', source: SOURCE, href: DOCS.privateRegistries },
    {
      code: 'registry-mismatch',
      severity: 'warning',
      summary: '`docker_auth.registry` is not the registry host of `base_image.image`.',
      source: SOURCE,
      href: DOCS.privateRegistries,
    },
  ],
  check({ parsed, facts, report }) {
    if (!facts.dockerAuthMap || !facts.dockerAuth) return;
    const reg = facts.image?.registry;
    const expected = reg?.host;
    const f = authField(parsed, facts, 'registry');
    if (f && f.value === undefined && !isNullScalar(parsed.resolve(f.pair.value))) return; // wrong type: the schema reports it
    if (!f?.value?.trim()) {
      const hint = expected ? ` Set it to \`${expected}\`, the host of \`base_image.image\`.` : '';
      report(
        'registry-missing',
        f ? parsed.valueRange(f.pair) : parsed.keyRange(facts.dockerAuth),
        `\`docker_auth\` has no \`registry\`: Baseten needs the registry host to log in.${hint}`,
        { expected },
      );
      return;
    }
    if (reg && !sameRegistry(f.value, reg)) {
      report(
        'registry-mismatch',
        parsed.valueRange(f.pair),
        `\`registry\` does not match \`base_image.image\`, which pulls from \`${reg.host}\`: Baseten logs in to one registry and pulls from the other.`,
        { expected },
      );
    }
  },
  fixes(finding, { parsed, facts }) {
    const expected = finding.data?.expected;
    if (typeof expected !== 'string') return [];
    const pair = findPair(facts.dockerAuthMap, 'registry');
    const edit = pair
      ? isScalar(pair.value) && pair.value.value !== null
        ? replaceScalar(parsed, pair.value, expected)
        : setValue(parsed, pair, yamlString(expected))
      : addEntries(parsed, facts.dockerAuth, facts.dockerAuthMap, [`registry: ${yamlString(expected)}`]);
    return edit ? [{ title: `Set registry to \`${expected}\``, edits: [edit], preferred: true, safe: true }] : [];
  },
};

