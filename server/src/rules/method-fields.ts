import type { Pair } from 'yaml';
import type { Analysis } from '../core/analysis';
import { addEntries, removeEntry, setValue } from '../core/yaml/edit';
import { type AuthMethod, AWS_OIDC_FIELDS, DOCKER_AUTH, GCP_OIDC_FIELDS, METHOD_FIELDS } from '../core/truss/facts';
import { findPair, isNullScalar, stringValue } from '../core/yaml/query';
import { PLACEHOLDERS } from '../core/truss/placeholders';
import { code, defineRule } from '../core/rule';
import { DOCS, type Fix } from '../core/types';
import { yamlString } from '../core/yaml/text';

const AWS_SECRET_NAME_FIELDS = ['aws_access_key_id_secret_name', 'aws_secret_access_key_secret_name'];

const SOURCE = 'truss/base/truss_config.py `DockerAuthSettings.validate_auth_fields`';

type FieldData = { method: AuthMethod; field: string };

export const methodFields = defineRule({
  name: 'method-fields',
  codes: {
    'missing-method-field': code<{ method: AuthMethod; missing: string[] }>({
      severity: 'error',
      fix: 'editor',
      summary: 'A field the chosen `auth_method` requires is missing or empty.',
      source: SOURCE,
      href: DOCS.privateRegistries,
      docs: {
        description:
          'Three `auth_method` values need fields of their own: `GCP_SERVICE_ACCOUNT_JSON` needs `secret_name`, ' +
          '`AWS_OIDC` needs `aws_oidc_role_arn` and `aws_oidc_region`, and `GCP_OIDC` needs ' +
          '`gcp_oidc_service_account` and `gcp_oidc_workload_id_provider`. An empty string counts as missing. Truss ' +
          'rejects the config as soon as it loads it, so `truss push` stops with an error such as `aws_oidc_region ' +
          'must be provided when auth_method is AWS_OIDC`.',
        bad: `model_name: my-model
base_image:
  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/my-image:latest
  docker_auth:
    auth_method: AWS_OIDC
    registry: 123456789012.dkr.ecr.us-west-2.amazonaws.com
    aws_oidc_role_arn: arn:aws:iam::123456789012:role/baseten-pull
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
        fix:
          'Adds the missing fields (or fills the empty ones) with starting values, taken from the image where it ' +
          'tells (the AWS account and region of an ECR host) and placeholders otherwise, for you to complete.',
      },
    }),
    'forbidden-method-field': code<FieldData>({
      severity: 'error',
      fix: 'editor',
      summary: 'A field the chosen `auth_method` does not allow is set.',
      source: SOURCE,
      href: DOCS.privateRegistries,
      docs: {
        description:
          'Each method rejects the fields of the other methods: `AWS_OIDC` and `GCP_OIDC` forbid `secret_name` and ' +
          "the other cloud's OIDC fields, and `GCP_SERVICE_ACCOUNT_JSON` forbids all four OIDC fields. It usually " +
          'happens when switching methods and leaving the old field behind. Truss rejects the config when it loads ' +
          'it, so `truss push` stops with an error such as `secret_name cannot be specified when auth_method is ' +
          'GCP_OIDC`. A field left empty or `null` is allowed.',
        bad: `model_name: my-model
base_image:
  image: gcr.io/my-project/my-image:latest
  docker_auth:
    auth_method: GCP_OIDC
    registry: gcr.io
    gcp_oidc_service_account: puller@my-project.iam.gserviceaccount.com
    gcp_oidc_workload_id_provider: projects/123456789/locations/global/workloadIdentityPools/baseten/providers/oidc
    secret_name: gcp-service-account
`,
        good: `model_name: my-model
base_image:
  image: gcr.io/my-project/my-image:latest
  docker_auth:
    auth_method: GCP_OIDC
    registry: gcr.io
    gcp_oidc_service_account: puller@my-project.iam.gserviceaccount.com
    gcp_oidc_workload_id_provider: projects/123456789/locations/global/workloadIdentityPools/baseten/providers/oidc
`,
        fix: 'Removes the field.',
      },
    }),
    'ignored-auth-field': code<FieldData>({
      severity: 'warning',
      fix: 'editor',
      summary:
        'An OIDC field under `AWS_IAM`/`REGISTRY_SECRET` (warning), or an `aws_*_secret_name` under a method other ' +
        'than `AWS_IAM` (information): accepted, never used.',
      source: SOURCE,
      href: DOCS.privateRegistries,
      docs: {
        description:
          'Truss accepts some fields under methods that never read them. OIDC fields (`aws_oidc_*`, `gcp_oidc_*`) ' +
          'under `AWS_IAM` or `REGISTRY_SECRET` are reported as a warning: only the OIDC methods use them, so the ' +
          'role or service account they name plays no part in the registry login. `aws_access_key_id_secret_name` or ' +
          '`aws_secret_access_key_secret_name` under any method other than `AWS_IAM` is reported as information, ' +
          'since only `AWS_IAM` reads them. Nothing fails at `truss push`; the field is silently unused.',
        bad: `model_name: my-model
base_image:
  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/my-image:latest
  docker_auth:
    auth_method: AWS_IAM
    registry: 123456789012.dkr.ecr.us-west-2.amazonaws.com
    aws_oidc_region: us-west-2
secrets:
  aws_access_key_id: null
  aws_secret_access_key: null
`,
        good: `model_name: my-model
base_image:
  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/my-image:latest
  docker_auth:
    auth_method: AWS_IAM
    registry: 123456789012.dkr.ecr.us-west-2.amazonaws.com
secrets:
  aws_access_key_id: null
  aws_secret_access_key: null
`,
        fix:
          'Removes the field. If you meant the method the field ' +
          'belongs to (`AWS_OIDC` for `aws_oidc_region`), change `auth_method` instead.',
      },
    }),
  },
  check({ parsed, facts, report }) {
    const method = facts.authMethod?.method;
    const map = facts.dockerAuthMap;
    if (!method || !map || !facts.dockerAuth) return;
    const set = new Map<string, Pair>();
    const empty = new Map<string, Pair>();
    for (const pair of map.items) {
      const key = stringValue(pair.key);
      if (key === undefined) continue;
      const value = parsed.resolve(pair.value);
      if (isNullScalar(value) || stringValue(value) === '') empty.set(key, pair);
      else set.set(key, pair);
    }

    const { required, forbidden } = METHOD_FIELDS[method];
    const missing = required.filter((f) => !set.has(f));
    if (missing.length) {
      const absent = missing.some((f) => !empty.has(f));
      report({
        code: 'missing-method-field',
        range: absent ? parsed.keyRange(facts.dockerAuth) : parsed.valueRange(empty.get(missing[0])!),
        message: `${missing.join(', ')} must be provided when auth_method is ${method}.`,
        data: { method, missing },
      });
    }
    for (const field of forbidden) {
      const pair = set.get(field);
      if (!pair) continue;
      report({
        code: 'forbidden-method-field',
        range: parsed.keyRange(pair),
        message: `${field} cannot be specified when auth_method is ${method}.`,
        data: { method, field },
      });
    }

    if (method === 'AWS_IAM' || method === 'REGISTRY_SECRET') {
      for (const field of [...AWS_OIDC_FIELDS, ...GCP_OIDC_FIELDS]) {
        const pair = set.get(field);
        if (!pair) continue;
        report({
          code: 'ignored-auth-field',
          range: parsed.keyRange(pair),
          message: `${field} is ignored when auth_method is ${method}: only the OIDC methods use it.`,
          data: { method, field },
        });
      }
    }
    if (method !== 'AWS_IAM') {
      for (const field of AWS_SECRET_NAME_FIELDS) {
        const pair = set.get(field);
        if (!pair) continue;
        report({
          code: 'ignored-auth-field',
          range: parsed.keyRange(pair),
          message: `${field} has no effect when auth_method is ${method}: only AWS_IAM reads it.`,
          data: { method, field },
          severity: 'information',
        });
      }
    }
  },
  fixes: {
    'missing-method-field'(finding, { parsed, facts }) {
      const map = facts.dockerAuthMap;
      if (!map || !facts.dockerAuth) return [];
      const { missing } = finding.data;
      const value = (f: string) => yamlString(PLACEHOLDERS[f]?.(facts) ?? 'TODO');
      const edits = [];
      const absent: string[] = [];
      for (const field of missing) {
        const pair = findPair(map, field);
        if (pair) {
          const edit = setValue(parsed, pair, value(field));
          if (edit) edits.push(edit);
        } else absent.push(`${field}: ${value(field)}`);
      }
      if (absent.length) {
        const edit = addEntries(parsed, facts.dockerAuth, map, absent);
        if (edit) edits.push(edit);
      }
      const title = `Add ${missing.join(', ')} (fill in the placeholders)`;
      // Placeholders: each field is there after, with a value to fill in.
      const intent = missing.map((field) => ({ path: [...DOCKER_AUTH, field] }));
      return edits.length ? [{ title, edits, preferred: true, intent }] : [];
    },
    'forbidden-method-field': (finding, analysis) => removeField(finding.data.field, analysis, true),
    'ignored-auth-field': (finding, analysis) => removeField(finding.data.field, analysis, false),
  },
});

function removeField(field: string, { parsed, facts }: Analysis, preferred: boolean): Fix[] {
  const map = facts.dockerAuthMap;
  const pair = findPair(map, field);
  const edit = map && pair && removeEntry(parsed, map, pair);
  const intent = [{ path: [...DOCKER_AUTH, field], removed: true as const }];
  return edit ? [{ title: `Remove \`${field}\``, edits: [edit], preferred, intent }] : [];
}
