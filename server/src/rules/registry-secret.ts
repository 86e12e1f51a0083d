import { addSecrets, removeEntry } from '../core/edit';
import { REGISTRY_SECRET_PREFIX, sameRegistry } from '../core/registry';
import { code, defineRule, PENDING_DOCS } from '../core/rule';
import { DOCS } from '../core/types';
import { yamlString } from '../core/yamlText';

const SOURCE = 'docs.baseten.co/development/model/private-registries';

export const registrySecret = defineRule({
  name: 'registry-secret',
  codes: {
    'registry-secret-mismatch': code<{ name: string; expected: string }>({
      severity: 'warning',
      summary:
        "A `DOCKER_REGISTRY_<registry>` secret that does not name the image's registry exactly (Docker Hub: `https://index.docker.io/v1/`).",
      source: SOURCE,
      href: DOCS.privateRegistries,
      docs: PENDING_DOCS,
    }),
    'registry-credentials-twice': code<{ name: string }>({
      severity: 'information',
      summary: 'Both `docker_auth` and a `DOCKER_REGISTRY_` secret for the same registry.',
      source: SOURCE,
      href: DOCS.privateRegistries,
      docs: PENDING_DOCS,
    }),
    'private-image-no-credentials': code<{ expected: string }>({
      severity: 'information',
      summary: 'An image on AWS ECR or Google Artifact Registry/GCR with no `docker_auth` and no `DOCKER_REGISTRY_` secret.',
      source: SOURCE,
      href: DOCS.privateRegistries,
      docs: PENDING_DOCS,
    }),
  },
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
          report({
            code: 'registry-credentials-twice',
            range: parsed.keyRange(pair),
            message: `Both \`docker_auth\` and \`${name}\` give credentials for ${reg.host}; the docs use one or the other. Keep the one you mean.`,
            data: { name },
          });
        }
        continue;
      }
      const message = sameRegistry(suffix, reg)
        ? `Baseten looks for the pull credential of ${reg.kind === 'dockerhub' ? 'Docker Hub' : reg.host} under the exact name \`${expected}\`; \`${name}\` is not found.`
        : `\`${name}\` is a pull credential for another registry: \`base_image.image\` pulls from ${reg.host}, which needs \`${expected}\`.`;
      report({ code: 'registry-secret-mismatch', range: parsed.keyRange(pair), message, data: { name, expected } });
    }
    // Images there are private as a rule; GHCR and NGC host many public images, so they are not flagged.
    if (!matching && !facts.dockerAuth && (reg.kind === 'ecr' || reg.kind === 'google')) {
      report({
        code: 'private-image-no-credentials',
        range: parsed.valueRange(facts.image.pair),
        message: `If this image is private, Baseten cannot pull it: add \`docker_auth\` or declare the secret \`${expected}\` under \`secrets\`.`,
        data: { expected },
      });
    }
  },
  fixes: {
    'private-image-no-credentials'(finding, { parsed, facts }) {
      const { expected } = finding.data;
      const edit = addSecrets(parsed, facts, [expected]);
      return edit ? [{ title: `Declare \`${expected}: null\` under secrets`, edits: [edit] }] : [];
    },
    'registry-secret-mismatch'(finding, { parsed, facts }) {
      const { name, expected } = finding.data;
      const entry = facts.secretEntries.find((e) => e.name === name);
      if (!entry || !facts.secretsMap) return [];
      if (facts.secretNames.has(expected)) {
        const edit = removeEntry(parsed, facts.secretsMap, entry.pair);
        return edit ? [{ title: `Remove \`${entry.name}\` (\`${expected}\` is declared)`, edits: [edit] }] : [];
      }
      const edits = [{ range: finding.range, newText: yamlString(expected) }];
      return [{ title: `Rename to \`${expected}\``, edits, preferred: true, safe: true }];
    },
  },
});
