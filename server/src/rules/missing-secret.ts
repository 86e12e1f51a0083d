import { isScalar, type Pair } from 'yaml';
import type { Analysis } from '../core/analysis';
import { addEntries, addSecrets, replaceScalar } from '../core/edit';
import { authField, awsIamSecrets } from '../core/facts';
import { findPair } from '../core/parse';
import { code, defineRule, type RuleInput } from '../core/rule';
import { closest } from '../core/suggest';
import { DOCS, type Fix, type Range, type Severity } from '../core/types';
import { yamlString } from '../core/yamlText';

interface Need {
  name: string;
  /** The docker_auth field that names the secret (or would, for AWS_IAM's defaults). */
  field: string;
  range: Range;
  message: string;
  severity: Severity;
  candidates: string[];
}

/** The secrets docker_auth reads that `secrets` does not declare. */
function missing({ parsed, facts }: RuleInput): Need[] {
  const method = facts.authMethod?.method;
  if (!method || !facts.authMethod) return [];
  const out: Need[] = [];
  const need = (name: string, field: string, pair: Pair | undefined, why: string, severity: Severity) => {
    if (facts.secretNames.has(name)) return;
    const candidates = closest(name, facts.secretNames);
    const hint = candidates.length ? ` Did you mean \`${candidates[0]}\`?` : '';
    const fix = facts.secretsMap
      ? `add \`${name}: null\` under \`secrets\``
      : `add a \`secrets:\` section with \`${name}: null\``;
    const range = parsed.valueRange(pair ?? facts.authMethod!.pair);
    const message = `${why}, but \`secrets\` does not declare it: ${fix}, or the image pull fails.${hint}`;
    out.push({ name, field, range, message, severity, candidates });
  };
  if (method === 'AWS_IAM') {
    const what = ['the IAM access key id', 'the IAM secret access key'];
    awsIamSecrets(parsed, facts).forEach(({ field, name, pair, typeError }, i) => {
      if (typeError) return; // reported by the schema
      need(name, field, pair, `AWS_IAM reads ${what[i]} from the Baseten secret \`${name}\``, 'warning');
    });
  } else if (method === 'GCP_SERVICE_ACCOUNT_JSON' || method === 'REGISTRY_SECRET') {
    const f = authField(parsed, facts, 'secret_name');
    if (!f?.value) return out;
    const what = method === 'REGISTRY_SECRET' ? 'the registry credential' : 'the service-account JSON key';
    const severity = method === 'REGISTRY_SECRET' ? 'information' : 'warning';
    need(f.value, 'secret_name', f.pair, `${method} reads ${what} from the Baseten secret \`${f.value}\``, severity);
  }
  return out;
}

export const missingSecret = defineRule({
  name: 'missing-secret',
  codes: {
    'missing-secret': code<{ name: string; field: string; candidates: string[] }>({
      severity: 'warning',
      summary: 'A secret `docker_auth` reads is not declared under `secrets` (information for `REGISTRY_SECRET`).',
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
          'Adds `<name>: null` under `secrets`, creating the section if needed; `truss-config --fix` applies it. ' +
          'When a declared secret has a name close to the one `docker_auth` reads, the preferred fix instead points ' +
          'the `docker_auth` field at that declared secret, and `--fix` applies neither.',
      },
    }),
  },
  check(ctx) {
    for (const n of missing(ctx)) {
      ctx.report({
        code: 'missing-secret',
        range: n.range,
        message: n.message,
        severity: n.severity,
        data: { name: n.name, field: n.field, candidates: n.candidates },
      });
    }
  },
  fixes: {
    'missing-secret'(finding, { parsed, facts }) {
      const { name, field, candidates } = finding.data;
      const fixes: Fix[] = [];
      const candidate = candidates[0];
      if (candidate) {
        const pair = findPair(facts.dockerAuthMap, field);
        const edit =
          pair && isScalar(pair.value)
            ? replaceScalar(parsed, pair.value, candidate)
            : addEntries(parsed, facts.dockerAuth, facts.dockerAuthMap, [`${field}: ${yamlString(candidate)}`]);
        if (edit) fixes.push({ title: `Use the declared secret \`${candidate}\``, edits: [edit], preferred: true });
      }
      const add = addSecrets(parsed, facts, [name]);
      if (add) {
        fixes.push({
          title: `Add \`${name}: null\` to secrets`,
          edits: [add],
          preferred: !candidate,
          safe: !candidate,
        });
      }
      return fixes;
    },
  },
});

/** The names of the secrets docker_auth reads that `secrets` lacks, for "Add all missing secrets". */
export function missingSecretNames({ parsed, facts }: Analysis): string[] {
  return [...new Set(missing({ parsed, facts, value: undefined }).map((n) => n.name))];
}
