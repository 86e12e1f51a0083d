import { isScalar } from 'yaml';
import { addEntries, replaceScalar } from '../core/yaml/edit';
import { addSecrets } from '../core/truss/secretEdits';
import { looksLikeCredential } from '../core/truss/credentials';
import { nodeAt } from '../core/yaml/cursor';
import { isNullScalar } from '../core/yaml/query';
import { code, defineRule, type RuleInput } from '../core/rule';
import { type SecretUse, secretUses } from '../core/truss/secretUses';
import { Candidates, closest } from '../core/truss/suggest';
import { DOCKER_AUTH } from '../core/truss/facts';
import { DOCS, type Fix } from '../core/types';
import { yamlString } from '../core/yaml/text';

interface Need {
  use: SecretUse;
  message: string;
  candidates: string[];
}

/** The uses of secrets that `secrets` does not declare, one per name and place. */
function missing({ parsed, facts }: RuleInput): Need[] {
  const out: Need[] = [];
  const seen = new Set<string>();
  let declared: Candidates | undefined;
  for (const use of secretUses(parsed, facts)) {
    if (!use.needsDeclaration || facts.secretNames.has(use.name)) continue;
    // A credential pasted as the name is `credential-as-secret-name`: declaring it would copy it.
    if (looksLikeCredential(use.name)) continue;
    const key = `${use.name}\u0000${use.range.start.line}:${use.range.start.character}\u0000${use.where}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const candidates = closest(use.name, (declared ??= new Candidates(facts.secretNames)));
    const hint = candidates.length ? ` Did you mean \`${candidates[0]}\`?` : '';
    const value = facts.secrets && parsed.resolve(facts.secrets.value);
    const fix =
      facts.secretsMap || (facts.secrets && isNullScalar(value))
        ? `add \`${use.name}: null\` under \`secrets\``
        : facts.secrets
          ? `\`secrets\` must be a mapping of names to \`null\`, with \`${use.name}: null\` in it`
          : `add a \`secrets:\` section with \`${use.name}: null\``;
    const message = use.reads
      ? `${use.reads} from the Baseten secret \`${use.name}\`, but \`secrets\` does not declare it: ${fix}, ` +
        `or the image pull fails.${hint}`
      : `\`${use.where}\` reads the Baseten secret \`${use.name}\`, but \`secrets\` does not declare it: ${fix}, ` +
        `or Baseten does not give it to the model.${hint}`;
    out.push({ use, message, candidates });
  }
  return out;
}

export const missingSecret = defineRule({
  name: 'missing-secret',
  reads: ['secrets'],
  codes: {
    'missing-secret': code<{ name: string; field?: string; implicit: boolean; inText: boolean; candidates: string[] }>({
      severity: 'warning',
      fix: 'safe',
      summary:
        'A secret the config reads (`docker_auth`, `weights`, `model_cache`, a TRT-LLM checkpoint, build secrets, ' +
        '`/secrets/<name>` in a command) is not declared under `secrets` (information for `REGISTRY_SECRET`).',
      source: 'docs.baseten.co/development/model/private-registries',
      href: DOCS.privateRegistries,
      docs: {
        description:
          '`AWS_IAM` reads its keys from the Baseten secrets named by `aws_access_key_id_secret_name` and ' +
          '`aws_secret_access_key_secret_name` (by default `aws_access_key_id` and `aws_secret_access_key`), and ' +
          "`GCP_SERVICE_ACCOUNT_JSON` reads the JSON key from the secret named by `secret_name`. Baseten's " +
          'private-registries docs require each of these names under `secrets`, with the value `null`, so that the ' +
          'model can access the secret when pushed. Truss does not check it: the config pushes, and the base image ' +
          'pull fails later. Under `REGISTRY_SECRET`, which has no documented use for model deployments, an ' +
          'undeclared `secret_name` is reported as information only.',
        bad: `model_name: my-model
base_image:
  image: us-west2-docker.pkg.dev/my-project/models/my-image:latest
  docker_auth:
    auth_method: GCP_SERVICE_ACCOUNT_JSON
    secret_name: gcp-service-account
    registry: us-west2-docker.pkg.dev
`,
        good: `model_name: my-model
base_image:
  image: us-west2-docker.pkg.dev/my-project/models/my-image:latest
  docker_auth:
    auth_method: GCP_SERVICE_ACCOUNT_JSON
    secret_name: gcp-service-account
    registry: us-west2-docker.pkg.dev
secrets:
  gcp-service-account: null
`,
        fix:
          'Adds `<name>: null` under `secrets`, creating the section if needed. ' +
          'When a declared secret has a name close to the one `docker_auth` reads, the preferred fix instead points ' +
          'the `docker_auth` field at that declared secret, and `--fix` applies neither.',
      },
    }),
  },
  check(ctx) {
    for (const { use, message, candidates } of missing(ctx)) {
      const implicit = use.kind === 'implicit';
      const data = { name: use.name, field: use.field, implicit, inText: !!use.inText, candidates };
      ctx.report({ code: 'missing-secret', range: use.range, message, severity: use.severity, data });
    }
  },
  fixes: {
    'missing-secret'(finding, { parsed, facts }) {
      const { name, field, implicit, inText, candidates } = finding.data;
      const fixes: Fix[] = [];
      const candidate = candidates[0];
      if (candidate) {
        const at = nodeAt(parsed, parsed.offset(finding.range.start));
        const edit = implicit
          ? field && addEntries(parsed, facts.dockerAuth, facts.dockerAuthMap, [`${field}: ${yamlString(candidate)}`])
          : inText
            ? { range: finding.range, newText: candidate }
            : at && isScalar(at.node)
              ? replaceScalar(parsed, at.node, candidate)
              : undefined;
        // In a text (`/secrets/<name>` in a command) the value changes around the name: it is there after.
        const path = implicit ? [...DOCKER_AUTH, field ?? ''] : (at?.path ?? []);
        const intent = [inText ? { path } : { path, to: candidate }];
        if (edit)
          fixes.push({ title: `Use the declared secret \`${candidate}\``, edits: [edit], preferred: true, intent });
      }
      const add = addSecrets(parsed, facts, [name]);
      if (add) {
        fixes.push({
          title: `Add \`${name}: null\` to secrets`,
          edits: [add],
          preferred: !candidate,
          safe: !candidate,
          intent: [{ path: ['secrets', name], to: null }],
        });
      }
      return fixes;
    },
  },
  groupFixes: {
    'missing-secret'(findings, { parsed, facts }) {
      const names = [...new Set(findings.map((f) => f.data.name))];
      if (names.length < 2) return [];
      const edit = addSecrets(parsed, facts, names);
      const intent = names.map((n) => ({ path: ['secrets', n], to: null }));
      return edit ? [{ title: `Add all missing secrets to secrets (${names.join(', ')})`, edits: [edit], intent }] : [];
    },
  },
});
