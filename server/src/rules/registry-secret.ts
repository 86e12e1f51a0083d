import { addSecrets } from '../core/truss/secretEdits';
import { removeEntry } from '../core/yaml/edit';
import { REGISTRY_SECRET_PREFIX, registrySecretName, sameRegistry } from '../core/truss/registry';
import { code, defineRule } from '../core/rule';
import { DOCS } from '../core/types';
import { yamlString } from '../core/yaml/text';

const SOURCE = 'docs.baseten.co/development/model/private-registries';

export const registrySecret = defineRule({
  name: 'registry-secret',
  reads: ['secrets'],
  codes: {
    'registry-secret-mismatch': code<{ name: string; expected: string; sameRegistry: boolean }>({
      severity: 'warning',
      fix: 'safe',
      summary:
        "A `DOCKER_REGISTRY_<registry>` secret that does not name the image's registry exactly (Docker Hub: " +
        '`https://index.docker.io/v1/`).',
      source: SOURCE,
      href: DOCS.privateRegistries,
      docs: {
        description:
          "Without `docker_auth`, Baseten's private-registries docs have you store a pull credential as a secret " +
          'named `DOCKER_REGISTRY_` followed by the registry, and declare it under `secrets` with the value `null`. ' +
          'Baseten looks the secret up by that exact name: for an image on Docker Hub (no host in the image name) ' +
          'the registry part is `https://index.docker.io/v1/`, not `docker.io`; elsewhere it is the host of ' +
          '`base_image.image`, such as `ghcr.io` or `nvcr.io`. A secret under any other name is not used, so a ' +
          'private image cannot be pulled; truss never reads these secrets, so nothing warns at `truss push`.',
        bad: `model_name: my-model
base_image:
  image: myorg/private-base:1.0
secrets:
  DOCKER_REGISTRY_docker.io: null
`,
        good: `model_name: my-model
base_image:
  image: myorg/private-base:1.0
secrets:
  DOCKER_REGISTRY_https://index.docker.io/v1/: null
`,
        fix:
          'Renames the secret to the name Baseten looks for. `truss-config --fix` applies it when the name is only ' +
          'misspelled (`DOCKER_REGISTRY_docker.io` for Docker Hub), never when it names another registry, which may ' +
          'be there on purpose. Rename the secret in your Baseten workspace to match. When that name is already ' +
          'declared, the fix instead removes the wrong entry, in the editor only.',
      },
    }),
    'registry-credentials-twice': code<{ name: string }>({
      severity: 'information',
      summary: 'Both `docker_auth` and a `DOCKER_REGISTRY_` secret for the same registry.',
      source: SOURCE,
      href: DOCS.privateRegistries,
      docs: {
        description:
          "The config gives credentials for the image's registry twice: through `docker_auth`, and through a " +
          "`DOCKER_REGISTRY_<registry>` secret under `secrets`. Baseten's private-registries docs present these as " +
          'two separate ways to pull a private image and never combine them, and they do not say which one wins when ' +
          'both are there. Truss accepts both. Keep the one you mean and remove the other.',
        bad: `model_name: my-model
base_image:
  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/my-image:latest
  docker_auth:
    auth_method: AWS_OIDC
    registry: 123456789012.dkr.ecr.us-west-2.amazonaws.com
    aws_oidc_role_arn: arn:aws:iam::123456789012:role/baseten-pull
    aws_oidc_region: us-west-2
secrets:
  DOCKER_REGISTRY_123456789012.dkr.ecr.us-west-2.amazonaws.com: null
`,
        good: `model_name: my-model
base_image:
  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/my-image:latest
  docker_auth:
    auth_method: AWS_OIDC
    registry: 123456789012.dkr.ecr.us-west-2.amazonaws.com
    aws_oidc_role_arn: arn:aws:iam::123456789012:role/baseten-pull
    aws_oidc_region: us-west-2
`,
      },
    }),
    'private-image-no-credentials': code<{ expected: string }>({
      severity: 'information',
      fix: 'editor',
      summary:
        'An image on AWS ECR or Google Artifact Registry/GCR with no `docker_auth` and no `DOCKER_REGISTRY_` secret.',
      source: SOURCE,
      href: DOCS.privateRegistries,
      docs: {
        description:
          'Images on AWS ECR (`<account>.dkr.ecr.<region>.amazonaws.com`) and on Google Artifact Registry or GCR ' +
          '(`<region>-docker.pkg.dev`, `gcr.io`) are private as a rule, and Baseten can pull a private image only ' +
          'with credentials: `docker_auth`, or a `DOCKER_REGISTRY_<host>` secret declared under `secrets`. With ' +
          'neither, `truss push` goes through but the image build cannot pull the base image. Ignore this if the ' +
          'image is public; GitHub Container Registry, NVIDIA NGC and Docker Hub images are not flagged, since many ' +
          'of them are public.',
        bad: `model_name: my-model
base_image:
  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/my-image:latest
resources:
  accelerator: A10G
`,
        good: `model_name: my-model
base_image:
  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/my-image:latest
  docker_auth:
    auth_method: AWS_OIDC
    registry: 123456789012.dkr.ecr.us-west-2.amazonaws.com
    aws_oidc_role_arn: arn:aws:iam::123456789012:role/baseten-pull
    aws_oidc_region: us-west-2
resources:
  accelerator: A10G
`,
        fix:
          'Declares `DOCKER_REGISTRY_<host>: null` under `secrets`; you then create that secret in Baseten. ' +
          'The other way is `docker_auth`, as in the corrected config, ' +
          'where `AWS_OIDC` needs no stored secret.',
      },
    }),
  },
  check({ parsed, facts, report }) {
    const reg = facts.image?.registry;
    if (!reg || !facts.image) return;
    const expected = registrySecretName(reg);
    let matching = false;
    for (const { name, pair } of facts.secretEntries) {
      if (!name.startsWith(REGISTRY_SECRET_PREFIX)) continue;
      const suffix = name.slice(REGISTRY_SECRET_PREFIX.length);
      if (name === expected) {
        matching = true;
        if (facts.authMethod?.method) {
          report({
            code: 'registry-credentials-twice',
            range: parsed.keyRange(pair),
            message:
              `Both \`docker_auth\` and \`${name}\` give credentials for ${reg.host}; the docs use one or ` +
              `the other. Keep the one you mean.`,
            data: { name },
          });
        }
        continue;
      }
      const same = sameRegistry(suffix, reg);
      const message = same
        ? `Baseten looks for the pull credential of ${reg.kind === 'dockerhub' ? 'Docker Hub' : reg.host} under ` +
          `the exact name \`${expected}\`; \`${name}\` is not found.`
        : `\`${name}\` is a pull credential for another registry: \`base_image.image\` pulls from ${reg.host}, ` +
          `which needs \`${expected}\`.`;
      const data = { name, expected, sameRegistry: same };
      report({ code: 'registry-secret-mismatch', range: parsed.keyRange(pair), message, data });
    }
    // Images there are private as a rule; GHCR and NGC host many public images, so they are not flagged.
    if (!matching && !facts.dockerAuth && (reg.kind === 'ecr' || reg.kind === 'google')) {
      report({
        code: 'private-image-no-credentials',
        range: parsed.valueRange(facts.image.pair),
        message:
          `If this image is private, Baseten cannot pull it: add \`docker_auth\` or declare the secret ` +
          `\`${expected}\` under \`secrets\`.`,
        data: { expected },
      });
    }
  },
  fixes: {
    'private-image-no-credentials'(finding, { parsed, facts }) {
      const { expected } = finding.data;
      const edit = addSecrets(parsed, facts, [expected]);
      const intent = [{ path: ['secrets', expected], to: null }];
      return edit ? [{ title: `Declare \`${expected}: null\` under secrets`, edits: [edit], intent }] : [];
    },
    'registry-secret-mismatch'(finding, { parsed, facts }) {
      const { name, expected, sameRegistry: same } = finding.data;
      const entry = facts.secretEntries.find((e) => e.name === name);
      if (!entry || !facts.secretsMap) return [];
      if (facts.secretNames.has(expected)) {
        const edit = removeEntry(parsed, facts.secretsMap, entry.pair);
        const intent = [{ path: ['secrets', name], removed: true as const }];
        return edit ? [{ title: `Remove \`${entry.name}\` (\`${expected}\` is declared)`, edits: [edit], intent }] : [];
      }
      const edits = [{ range: finding.range, newText: yamlString(expected) }];
      // A credential for another registry may be there on purpose: renaming it is a guess.
      return [
        {
          title: `Rename to \`${expected}\``,
          edits,
          preferred: true,
          safe: same,
          intent: [{ path: ['secrets', name], renamedTo: expected }],
        },
      ];
    },
  },
});
