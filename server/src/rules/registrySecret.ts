import { Rule } from '../core/rule';
import { addSecrets, removeEntry } from '../core/edit';
import { yamlString } from '../core/yamlText';
import { REGISTRY_SECRET_PREFIX, sameRegistry } from '../core/registry';
import { DOCS } from '../core/types';

const SOURCE = 'docs.baseten.co/development/model/private-registries';

export const registrySecret: Rule = {
  codes: [
    {
      code: 'registry-secret-mismatch',
      severity: 'warning',
      summary: 'A `DOCKER_REGISTRY_<registry>` secret that does not name the image\'s registry exactly (Docker Hub: `https://index.docker.io/v1/`).',
      source: SOURCE,
      href: DOCS.privateRegistries,
    },
    {
      code: 'registry-credentials-twice',
      severity: 'information',
      summary: 'Both `docker_auth` and a `DOCKER_REGISTRY_` secret for the same registry.',
      source: SOURCE,
      href: DOCS.privateRegistries,
    },
    {
      code: 'private-image-no-credentials',
      severity: 'information',
      summary: 'An image on AWS ECR or Google Artifact Registry/GCR with no `docker_auth` and no `DOCKER_REGISTRY_` secret.',
      source: SOURCE,
      href: DOCS.privateRegistries,
    },
  ],
  check({ parsed, facts, report }) {
    const reg = facts.image?.registry;
    if (!reg || !facts.image) return;
    const expected = REGISTRY_SECRET_PREFIX + reg.secretKey;
    let matching = false;
    for (const { name, pair } of facts.secretEntries) {
      if (!name.startsWith(REGISTRY_SECRET_PREFIX)) continue;
      const suffix = name.slice(REGISTRY_SECRET_PREFIX.length);
      if (suffix === reg.secretKey) {
        matching = true;
        if (facts.authMethod?.method) {
          report(
            'registry-credentials-twice',
            parsed.keyRange(pair),
            `Both \`docker_auth\` and \`${name}\` give credentials for ${reg.host}; the docs use one or the other. Keep the one you mean.`,
            { name },
          );
        }
        continue;
      }
      const message = sameRegistry(suffix, reg)
        ? `Baseten looks for the pull credential of ${reg.kind === 'dockerhub' ? 'Docker Hub' : reg.host} under the exact name \`${expected}\`; \`${name}\` is not found.`
        : `\`${name}\` is a pull credential for another registry: \`base_image.image\` pulls from ${reg.host}, which needs \`${expected}\`.`;
      report('registry-secret-mismatch', parsed.keyRange(pair), message, { name, expected });
    }
    // Images there are private as a rule; GHCR and NGC host many public images, so they are not flagged.
    const privateKinds = ['ecr', 'google'];
    if (!matching && !facts.dockerAuth && privateKinds.includes(reg.kind)) {
      report(
        'private-image-no-credentials',
        parsed.valueRange(facts.image.pair),
        `If this image is private, Baseten cannot pull it: add \`docker_auth\` or declare the secret \`${expected}\` under \`secrets\`.`,
        { expected },
      );
    }
  },
  fixes(finding, { parsed, facts }) {
    const expected = String(finding.data?.expected);
    if (finding.code === 'private-image-no-credentials') {
      const edit = addSecrets(parsed, facts, [expected]);
      return edit ? [{ title: `Declare \`${expected}: null\` under secrets`, edits: [edit] }] : [];
    }
    if (finding.code !== 'registry-secret-mismatch') return [];
    const entry = facts.secretEntries.find((e) => e.name === finding.data?.name);
    if (!entry || !facts.secretsMap) return [];
    if (facts.secretNames.has(expected)) {
      const edit = removeEntry(parsed, facts.secretsMap, entry.pair);
      return edit ? [{ title: `Remove \`${entry.name}\` (\`${expected}\` is declared)`, edits: [edit] }] : [];
    }
    return [{ title: `Rename to \`${expected}\``, edits: [{ range: finding.range, newText: yamlString(expected) }], preferred: true, safe: true }];
  },
};
