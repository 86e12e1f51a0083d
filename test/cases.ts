/** Configs with the findings each must produce: code, severity, and the exact text the range covers. */
export interface Expected {
  code: string;
  severity?: 'error' | 'warning' | 'information' | 'hint';
  /** The exact source text under the diagnostic's range. */
  at: string;
  /** Which occurrence of `at` in the text (0-based), when it appears more than once. */
  nth?: number;
  /** For an empty range: its line (0-based). */
  line?: number;
}

export interface Case {
  name: string;
  text: string;
  expect: Expected[];
}

const y = (...lines: string[]) => lines.join('\n') + '\n';

export const CASES: Case[] = [
  {
    name: 'a correct AWS_OIDC config has no findings',
    text: y(
      'model_name: my-model',
      'base_image:',
      '  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/my-image:latest',
      '  docker_auth:',
      '    auth_method: AWS_OIDC',
      '    registry: 123456789012.dkr.ecr.us-west-2.amazonaws.com',
      '    aws_oidc_role_arn: arn:aws:iam::123456789012:role/baseten-pull',
      '    aws_oidc_region: us-west-2',
    ),
    expect: [],
  },
  {
    name: 'a correct AWS_IAM config with custom secret names has no findings',
    text: y(
      'base_image:',
      '  image: 125476056637.dkr.ecr.us-west-2.amazonaws.com/app:1',
      '  docker_auth:',
      '    auth_method: AWS_IAM',
      '    registry: 125476056637.dkr.ecr.us-west-2.amazonaws.com',
      '    aws_access_key_id_secret_name: ecr_key_id',
      '    aws_secret_access_key_secret_name: ecr_secret',
      'secrets:',
      '  ecr_key_id: null',
      '  ecr_secret: null',
    ),
    expect: [],
  },
  {
    name: 'AWS_IAM with the default secret names missing from secrets',
    text: y(
      'model_name: m',
      'base_image:',
      '  image: 125476056637.dkr.ecr.us-west-2.amazonaws.com/app:1',
      '  docker_auth:',
      '    auth_method: AWS_IAM',
      '    registry: 125476056637.dkr.ecr.us-west-2.amazonaws.com',
    ),
    expect: [
      { code: 'missing-secret', severity: 'warning', at: 'AWS_IAM' },
      { code: 'missing-secret', severity: 'warning', at: 'AWS_IAM' },
    ],
  },
  {
    name: 'AWS_IAM with a near-miss secret name',
    text: y(
      'base_image:',
      '  image: 125476056637.dkr.ecr.us-west-2.amazonaws.com/app:1',
      '  docker_auth:',
      '    auth_method: AWS_IAM',
      '    registry: 125476056637.dkr.ecr.us-west-2.amazonaws.com',
      '    aws_access_key_id_secret_name: ecr-key-id  # the id',
      'secrets:',
      '  ecr_key_id: null',
      '  aws_secret_access_key: null',
    ),
    expect: [{ code: 'missing-secret', severity: 'warning', at: 'ecr-key-id' }],
  },
  {
    name: 'GCP_SERVICE_ACCOUNT_JSON without secret_name',
    text: y(
      'base_image:',
      '  image: us-docker.pkg.dev/project/repo/img:1',
      '  docker_auth:',
      '    auth_method: GCP_SERVICE_ACCOUNT_JSON',
      '    registry: us-docker.pkg.dev',
    ),
    expect: [{ code: 'missing-method-field', severity: 'error', at: 'docker_auth' }],
  },
  {
    name: 'GCP_SERVICE_ACCOUNT_JSON whose secret is not declared, and a forbidden OIDC field',
    text: y(
      'base_image:',
      '  image: us-docker.pkg.dev/project/repo/img:1',
      '  docker_auth:',
      '    auth_method: GCP_SERVICE_ACCOUNT_JSON',
      '    registry: us-docker.pkg.dev',
      '    secret_name: gcp-sa-key',
      '    aws_oidc_region: us-west-2',
      'secrets:',
      '  gcp_sa_key: null',
    ),
    expect: [
      { code: 'missing-secret', severity: 'warning', at: 'gcp-sa-key' },
      { code: 'forbidden-method-field', severity: 'error', at: 'aws_oidc_region' },
    ],
  },
  {
    name: 'AWS_OIDC missing its role and with an empty region',
    text: y(
      'base_image:',
      '  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/my-image:latest',
      '  docker_auth:',
      '    auth_method: AWS_OIDC',
      '    registry: 123456789012.dkr.ecr.us-west-2.amazonaws.com',
      '    aws_oidc_region: ""',
      '    secret_name: leftover',
    ),
    expect: [
      { code: 'missing-method-field', severity: 'error', at: 'docker_auth' },
      { code: 'forbidden-method-field', severity: 'error', at: 'secret_name' },
    ],
  },
  {
    name: 'AWS_OIDC with only the region empty points at the empty value',
    text: y(
      'base_image:',
      '  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/my-image:latest',
      '  docker_auth:',
      '    auth_method: AWS_OIDC',
      '    registry: 123456789012.dkr.ecr.us-west-2.amazonaws.com',
      '    aws_oidc_role_arn: arn:aws:iam::123456789012:role/pull',
      "    aws_oidc_region: ''",
    ),
    expect: [{ code: 'missing-method-field', severity: 'error', at: "''" }],
  },
  {
    name: 'GCP_OIDC with everything it needs, and nothing else',
    text: y(
      'base_image:',
      '  image: gcr.io/my-project/my-image:latest',
      '  docker_auth:',
      '    auth_method: GCP_OIDC',
      '    registry: gcr.io',
      '    gcp_oidc_service_account: puller@my-project.iam.gserviceaccount.com',
      '    gcp_oidc_workload_id_provider: projects/1/locations/global/workloadIdentityPools/p/providers/b',
    ),
    expect: [],
  },
  {
    name: 'GCP_OIDC with AWS fields',
    text: y(
      'base_image:',
      '  image: gcr.io/my-project/my-image:latest',
      '  docker_auth:',
      '    auth_method: GCP_OIDC',
      '    registry: gcr.io',
      '    gcp_oidc_service_account: puller@my-project.iam.gserviceaccount.com',
      '    gcp_oidc_workload_id_provider: projects/1/locations/global/workloadIdentityPools/p/providers/b',
      '    aws_oidc_role_arn: arn:aws:iam::1:role/x',
      '    aws_access_key_id_secret_name: key',
    ),
    expect: [
      { code: 'forbidden-method-field', severity: 'error', at: 'aws_oidc_role_arn' },
      { code: 'ignored-auth-field', severity: 'information', at: 'aws_access_key_id_secret_name' },
    ],
  },
  {
    name: 'OIDC fields under AWS_IAM are ignored',
    text: y(
      'base_image:',
      '  image: 125476056637.dkr.ecr.us-west-2.amazonaws.com/app:1',
      '  docker_auth:',
      '    auth_method: AWS_IAM',
      '    registry: 125476056637.dkr.ecr.us-west-2.amazonaws.com',
      '    aws_oidc_region: us-west-2',
      'secrets:',
      '  aws_access_key_id: null',
      '  aws_secret_access_key: null',
    ),
    expect: [{ code: 'ignored-auth-field', severity: 'warning', at: 'aws_oidc_region' }],
  },
  {
    name: 'lower-case auth_method is accepted with a hint',
    text: y(
      'base_image:',
      '  image: gcr.io/p/i:1',
      '  docker_auth:',
      '    auth_method: gcp_oidc',
      '    registry: gcr.io',
      '    gcp_oidc_service_account: a@p.iam.gserviceaccount.com',
      '    gcp_oidc_workload_id_provider: projects/1/locations/global/workloadIdentityPools/p/providers/b',
    ),
    expect: [{ code: 'auth-method-case', severity: 'information', at: 'gcp_oidc' }],
  },
  {
    name: 'an unknown auth_method is an error on the value',
    text: y(
      'base_image:',
      '  image: gcr.io/p/i:1',
      '  docker_auth:',
      '    auth_method: GCS_SERVICE_ACCOUNT_JSON',
      '    registry: gcr.io',
    ),
    expect: [{ code: 'invalid-value', severity: 'error', at: 'GCS_SERVICE_ACCOUNT_JSON' }],
  },
  {
    name: 'docker_auth without auth_method',
    text: y('base_image:', '  image: gcr.io/p/i:1', '  docker_auth:', '    registry: gcr.io'),
    expect: [{ code: 'missing-required', severity: 'error', at: 'docker_auth' }],
  },
  {
    name: 'wrong types on docker_auth fields',
    text: y(
      'base_image:',
      '  image: gcr.io/p/i:1',
      '  docker_auth:',
      '    auth_method: AWS_IAM',
      '    registry: 12345',
      '    aws_access_key_id_secret_name: null',
      '    aws_secret_access_key_secret_name: yes',
      'secrets:',
      '  aws_access_key_id: null',
      '  aws_secret_access_key: null',
    ),
    expect: [
      { code: 'invalid-type', severity: 'error', at: '12345' },
      { code: 'invalid-type', severity: 'error', at: 'null' },
      { code: 'invalid-type', severity: 'error', at: 'yes' },
    ],
  },
  {
    name: 'docker_auth as a string',
    text: y('base_image:', '  image: gcr.io/p/i:1', '  docker_auth: AWS_IAM'),
    expect: [{ code: 'invalid-type', severity: 'error', at: 'AWS_IAM' }],
  },
  {
    name: 'unknown keys under base_image, docker_auth and the top level',
    text: y(
      'model_name: m',
      'base_image:',
      '  imge: gcr.io/p/i:1',
      '  docker_auth:',
      '    auth_method: GCP_OIDC',
      '    registy: gcr.io',
      '    gcp_oidc_service_account: a@p.iam.gserviceaccount.com',
      '    gcp_oidc_workload_id_provider: projects/1/locations/global/workloadIdentityPools/p/providers/b',
      'secret:',
      '  a: null',
    ),
    expect: [
      { code: 'empty-image', severity: 'warning', at: 'base_image' },
      { code: 'unknown-key', severity: 'error', at: 'imge' },
      { code: 'registry-missing', severity: 'warning', at: 'docker_auth' },
      { code: 'unknown-key', severity: 'error', at: 'registy' },
      { code: 'unknown-key', severity: 'error', at: 'secret' },
    ],
  },
  {
    name: 'registry missing and registry not matching the image',
    text: y(
      'base_image:',
      '  image: us-west2-docker.pkg.dev/p/r/i:1',
      '  docker_auth:',
      '    auth_method: GCP_SERVICE_ACCOUNT_JSON',
      '    secret_name: sa',
      '    registry: us-east1-docker.pkg.dev',
      'secrets:',
      '  sa: null',
    ),
    expect: [{ code: 'registry-mismatch', severity: 'warning', at: 'us-east1-docker.pkg.dev' }],
  },
  {
    name: 'registry left empty',
    text: y(
      'base_image:',
      '  image: us-west2-docker.pkg.dev/p/r/i:1',
      '  docker_auth:',
      '    auth_method: GCP_SERVICE_ACCOUNT_JSON',
      '    secret_name: sa',
      '    registry:',
      'secrets:',
      '  sa: null',
    ),
    expect: [{ code: 'registry-missing', severity: 'warning', at: 'registry' }],
  },
  {
    name: 'Docker Hub pull secret spelled docker.io',
    text: y('base_image:', '  image: myorg/private-image:1.0', 'secrets:', '  DOCKER_REGISTRY_docker.io: null'),
    expect: [{ code: 'registry-secret-mismatch', severity: 'warning', at: 'DOCKER_REGISTRY_docker.io' }],
  },
  {
    name: 'Docker Hub pull secret spelled right',
    text: y('base_image:', '  image: myorg/private-image:1.0', 'secrets:', '  DOCKER_REGISTRY_https://index.docker.io/v1/: null'),
    expect: [],
  },
  {
    name: 'a pull secret for another registry',
    text: y('base_image:', '  image: ghcr.io/org/img:2', 'secrets:', '  "DOCKER_REGISTRY_nvcr.io": null'),
    expect: [{ code: 'registry-secret-mismatch', severity: 'warning', at: '"DOCKER_REGISTRY_nvcr.io"' }],
  },
  {
    name: 'docker_auth and a pull secret for the same registry',
    text: y(
      'base_image:',
      '  image: gcr.io/p/i:1',
      '  docker_auth:',
      '    auth_method: GCP_OIDC',
      '    registry: gcr.io',
      '    gcp_oidc_service_account: a@p.iam.gserviceaccount.com',
      '    gcp_oidc_workload_id_provider: projects/1/locations/global/workloadIdentityPools/p/providers/b',
      'secrets:',
      '  DOCKER_REGISTRY_gcr.io: null',
    ),
    expect: [{ code: 'registry-credentials-twice', severity: 'information', at: 'DOCKER_REGISTRY_gcr.io' }],
  },
  {
    name: 'an ECR image with no credentials',
    text: y('model_name: m', 'base_image:', '  image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1'),
    expect: [{ code: 'private-image-no-credentials', severity: 'information', at: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1' }],
  },
  {
    name: 'literal secret values, an empty one and a quoted null',
    text: y(
      'model_name: m',
      'secrets:',
      '  hf_access_token: hf_abcdefghijklmnopqrstuvwxyz012345',
      '  other: ""',
      "  third: 'None'",
      '  fourth: null',
    ),
    expect: [
      { code: 'secret-literal-value', severity: 'warning', at: 'hf_abcdefghijklmnopqrstuvwxyz012345' },
      { code: 'secret-empty-value', severity: 'information', at: '""' },
      { code: 'secret-literal-value', severity: 'warning', at: "'None'" },
    ],
  },
  {
    name: 'secret values of the wrong type, and a number as a name',
    text: y('model_name: m', 'secrets:', '  token: 1234', '  flag: no', '  1: null'),
    expect: [
      { code: 'invalid-type', severity: 'error', at: '1234' },
      { code: 'invalid-type', severity: 'error', at: 'no' },
      { code: 'invalid-key-type', severity: 'error', at: '1', nth: 1 },
    ],
  },
  {
    name: 'secrets as a list',
    text: y('model_name: m', 'secrets:', '  - hf_access_token'),
    expect: [{ code: 'invalid-type', severity: 'error', at: '- hf_access_token' }],
  },
  {
    name: 'secret names that Baseten stores as one',
    text: y('model_name: m', 'secrets:', '  hf_access_token: null', '  hf-access-token: null'),
    expect: [{ code: 'secret-name-collision', severity: 'warning', at: 'hf-access-token' }],
  },
  {
    name: 'duplicate keys',
    text: y('model_name: a', 'secrets:', '  token: null', '  token: null', 'model_name: b'),
    expect: [
      { code: 'duplicate-key', severity: 'warning', at: 'model_name' },
      { code: 'duplicate-key', severity: 'warning', at: 'token' },
    ],
  },
  {
    name: 'a relative python_executable_path',
    text: y('base_image:', '  image: python:3.11', '  python_executable_path: usr/bin/python3'),
    expect: [{ code: 'relative-python-path', severity: 'error', at: 'usr/bin/python3' }],
  },
  {
    name: 'a YAML syntax error still gets the other findings',
    text: y('model_name: m', 'base_image:', '  image: python:3.11', '  foo: 1', 'secrets: {token: null'),
    expect: [
      { code: 'unknown-key', severity: 'error', at: 'foo' },
      { code: 'yaml-syntax', severity: 'error', at: '', line: 5 },
    ],
  },
  {
    name: 'a second document',
    text: y('model_name: m', '---', 'other: 1'),
    expect: [{ code: 'multiple-documents', severity: 'error', at: '---' }],
  },
  {
    name: 'comments beside nodes do not move the ranges',
    text: y(
      '# yaml-language-server: $schema=https://raw.githubusercontent.com/basetenlabs/truss/main/truss/config.schema.json',
      'base_image:  # the image',
      '  image: us-docker.pkg.dev/p/r/i:1   # pinned',
      '  docker_auth: # auth',
      '    auth_method: GCP_SERVICE_ACCOUNT_JSON # method',
      '    secret_name: sa-key # name',
      '    registry: us-docker.pkg.dev # host',
      '# no secrets section',
    ),
    expect: [{ code: 'missing-secret', severity: 'warning', at: 'sa-key' }],
  },
];
