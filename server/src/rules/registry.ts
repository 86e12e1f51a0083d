import { isScalar } from 'yaml';
import { addEntries, replaceScalar, setValue } from '../core/yaml/edit';
import { authField } from '../core/truss/facts';
import { findPair, isNullScalar } from '../core/yaml/query';
import { sameRegistry } from '../core/truss/registry';
import { code, defineRule } from '../core/rule';
import { DOCS, type Fix } from '../core/types';
import { yamlString } from '../core/yaml/text';
import type { Analysis } from '../core/analysis';

const SOURCE =
  'docs.baseten.co/development/model/private-registries ("must match the hostname portion of the image URL")';

type Expected = { expected: string | undefined };

export const registry = defineRule({
  name: 'registry',
  codes: {
    'registry-missing': code<Expected>({
      severity: 'warning',
      fix: 'safe',
      summary: '`docker_auth` has no `registry`.',
      source: SOURCE,
      href: DOCS.privateRegistries,
      docs: {
        description:
          '`docker_auth` tells Baseten how to log in to a private registry, and `registry` says which one: the host ' +
          'part of `base_image.image`, such as `gcr.io` or `123456789012.dkr.ecr.us-west-2.amazonaws.com`. Truss ' +
          'accepts a missing or empty `registry` (it defaults to `""`), so `truss push` goes through, but every ' +
          "example in Baseten's private-registries docs sets it, and without it Baseten has no registry host to log " +
          'in to.',
        bad: `model_name: my-model
base_image:
  image: gcr.io/my-project/my-image:latest
  docker_auth:
    auth_method: GCP_OIDC
    gcp_oidc_service_account: puller@my-project.iam.gserviceaccount.com
    gcp_oidc_workload_id_provider: projects/123456789/locations/global/workloadIdentityPools/baseten/providers/oidc
`,
        good: `model_name: my-model
base_image:
  image: gcr.io/my-project/my-image:latest
  docker_auth:
    auth_method: GCP_OIDC
    gcp_oidc_service_account: puller@my-project.iam.gserviceaccount.com
    gcp_oidc_workload_id_provider: projects/123456789/locations/global/workloadIdentityPools/baseten/providers/oidc
    registry: gcr.io
`,
        fix:
          'Sets `registry` to the host of `base_image.image`, adding the key if it is absent. ' +
          'There is no fix when `base_image.image` is empty.',
      },
    }),
    'registry-mismatch': code<Expected>({
      severity: 'warning',
      fix: 'editor',
      summary: '`docker_auth.registry` is not the registry host of `base_image.image`.',
      source: SOURCE,
      href: DOCS.privateRegistries,
      docs: {
        description:
          "Baseten's private-registries docs say the `registry` value must match the hostname portion of the image " +
          'URL. When it names another host, Baseten logs in to one registry and pulls `base_image.image` from the ' +
          'other, so the pull of a private image is not authenticated. Truss does not compare the two, so `truss ' +
          'push` goes through. This check ignores case and a scheme or path in `registry` (`https://gcr.io/`), and ' +
          'for Docker Hub images it accepts `docker.io`, `index.docker.io` and `registry-1.docker.io`.',
        bad: `model_name: my-model
base_image:
  image: us-west2-docker.pkg.dev/my-project/models/my-image:latest
  docker_auth:
    auth_method: GCP_OIDC
    registry: gcr.io
    gcp_oidc_service_account: puller@my-project.iam.gserviceaccount.com
    gcp_oidc_workload_id_provider: projects/123456789/locations/global/workloadIdentityPools/baseten/providers/oidc
`,
        good: `model_name: my-model
base_image:
  image: us-west2-docker.pkg.dev/my-project/models/my-image:latest
  docker_auth:
    auth_method: GCP_OIDC
    registry: us-west2-docker.pkg.dev
    gcp_oidc_service_account: puller@my-project.iam.gserviceaccount.com
    gcp_oidc_workload_id_provider: projects/123456789/locations/global/workloadIdentityPools/baseten/providers/oidc
`,
        fix:
          'Replaces `registry` with the host of `base_image.image`, in the editor only: which of the two is wrong ' +
          'is for you to say.',
      },
    }),
  },
  check({ parsed, facts, report }) {
    if (!facts.dockerAuthMap || !facts.dockerAuth) return;
    const reg = facts.image?.registry;
    const expected = reg?.host;
    const f = authField(parsed, facts, 'registry');
    // A value of the wrong type: the schema reports it.
    if (f && f.value === undefined && !isNullScalar(parsed.resolve(f.pair.value))) return;
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
        message:
          `\`registry\` does not match \`base_image.image\`, which pulls from \`${reg.host}\`: Baseten logs ` +
          `in to one registry and pulls from the other.`,
        data: { expected },
      });
    }
  },
  fixes: {
    'registry-missing': (finding, analysis) => setRegistry(finding.data.expected, analysis, true),
    // Which of `registry` and the image is wrong is a guess: never applied without a look.
    'registry-mismatch': (finding, analysis) => setRegistry(finding.data.expected, analysis, false),
  },
});

function setRegistry(expected: string | undefined, { parsed, facts }: Analysis, safe: boolean): Fix[] {
  if (expected === undefined) return [];
  const pair = findPair(facts.dockerAuthMap, 'registry');
  const edit = pair
    ? isScalar(pair.value) && pair.value.value !== null
      ? replaceScalar(parsed, pair.value, expected)
      : setValue(parsed, pair, yamlString(expected))
    : addEntries(parsed, facts.dockerAuth, facts.dockerAuthMap, [`registry: ${yamlString(expected)}`]);
  const intent = [{ path: ['base_image', 'docker_auth', 'registry'], to: expected }];
  return edit ? [{ title: `Set registry to \`${expected}\``, edits: [edit], preferred: true, safe, intent }] : [];
}
