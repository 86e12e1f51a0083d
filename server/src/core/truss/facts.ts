import { isMap, isScalar, type Pair, type YAMLMap } from 'yaml';
import { type ParsedDocument } from '../yaml/parse';
import { findPair, keyName, stringValue } from '../yaml/query';
import { type ImageRegistry, imageRegistry } from './registry';
import { asInt, isObj } from '../yaml/values';
import { pyDigits, pyStrip } from './python';

export const AUTH_METHODS = ['AWS_OIDC', 'AWS_IAM', 'GCP_OIDC', 'GCP_SERVICE_ACCOUNT_JSON', 'REGISTRY_SECRET'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

export const AWS_OIDC_FIELDS = ['aws_oidc_role_arn', 'aws_oidc_region'];
export const GCP_OIDC_FIELDS = ['gcp_oidc_service_account', 'gcp_oidc_workload_id_provider'];

/** Per method: fields that must be non-empty, and fields that must be absent, null or "" (truss's matrix). */
export const METHOD_FIELDS: Record<AuthMethod, { required: string[]; forbidden: string[] }> = {
  GCP_SERVICE_ACCOUNT_JSON: { required: ['secret_name'], forbidden: [...AWS_OIDC_FIELDS, ...GCP_OIDC_FIELDS] },
  AWS_OIDC: { required: AWS_OIDC_FIELDS, forbidden: ['secret_name', ...GCP_OIDC_FIELDS] },
  GCP_OIDC: { required: GCP_OIDC_FIELDS, forbidden: ['secret_name', ...AWS_OIDC_FIELDS] },
  AWS_IAM: { required: [], forbidden: [] },
  REGISTRY_SECRET: { required: [], forbidden: [] },
};

/** `weights[].auth` methods: fields each requires and forbids (truss's `WeightsAuth._validate_auth_fields`). */
export const WEIGHTS_AUTH_FIELDS: Record<string, { required: string[]; forbidden: string[] }> = {
  CUSTOM_SECRET: { required: ['auth_secret_name'], forbidden: [...AWS_OIDC_FIELDS, ...GCP_OIDC_FIELDS] },
  AWS_OIDC: { required: AWS_OIDC_FIELDS, forbidden: ['auth_secret_name', ...GCP_OIDC_FIELDS] },
  GCP_OIDC: { required: GCP_OIDC_FIELDS, forbidden: ['auth_secret_name', ...AWS_OIDC_FIELDS] },
};

/** The accelerator type a `resources.accelerator` value names (`H100` of `H100:2`), if it is readable. */
export function acceleratorType(value: unknown): string | undefined {
  if (typeof value === 'string') return pyStrip(value).split(':')[0];
  if (isObj(value) && typeof value.accelerator === 'string') return value.accelerator;
  return undefined;
}

/** GPU types, case-sensitive (`B10` is internal). */
export const ACCELERATORS = [
  'T4',
  'L4',
  'A10G',
  'V100',
  'A100',
  'A100_40GB',
  'H100',
  'H200',
  'H100_40GB',
  'B200',
  'L40S',
  'RTX_PRO_6000',
  'B300',
  'GB300',
  'B10',
];

/** Where `docker_auth` is, as a path of keys (a fix's intent names its fields under it). */
export const DOCKER_AUTH = ['base_image', 'docker_auth'];

export const AWS_KEY_ID_DEFAULT = 'aws_access_key_id';
export const AWS_SECRET_KEY_DEFAULT = 'aws_secret_access_key';

export interface SecretEntry {
  name: string;
  pair: Pair;
}

/** The parts of a Truss config that rules, completion and hover look at, found once per parse. */
export interface ConfigFacts {
  baseImage?: Pair;
  baseImageMap?: YAMLMap;
  image?: { value: string; pair: Pair; registry?: ImageRegistry };
  dockerAuth?: Pair;
  dockerAuthMap?: YAMLMap;
  /** auth_method as written, and upper-cased as truss reads it when that is a known method. */
  authMethod?: { raw: string; pair: Pair; method?: AuthMethod };
  secrets?: Pair;
  secretsMap?: YAMLMap;
  /** Declared secrets with string keys, in file order. */
  secretEntries: SecretEntry[];
  secretNames: Set<string>;
}

export function collectFacts(parsed: ParsedDocument): ConfigFacts {
  const facts: ConfigFacts = { secretEntries: [], secretNames: new Set() };
  const root = parsed.rootMap;
  if (!root) return facts;

  facts.baseImage = findPair(root, 'base_image');
  const baseImage = parsed.resolve(facts.baseImage?.value);
  if (isMap(baseImage)) {
    facts.baseImageMap = baseImage;
    const imagePair = findPair(baseImage, 'image');
    const image = imagePair && stringValue(parsed.resolve(imagePair.value));
    if (imagePair && image !== undefined)
      facts.image = { value: image, pair: imagePair, registry: imageRegistry(image) };
    facts.dockerAuth = findPair(baseImage, 'docker_auth');
    const auth = parsed.resolve(facts.dockerAuth?.value);
    if (isMap(auth)) {
      facts.dockerAuthMap = auth;
      const methodPair = findPair(auth, 'auth_method');
      const raw = methodPair && stringValue(parsed.resolve(methodPair.value));
      if (methodPair && raw !== undefined) {
        const upper = raw.trim().toUpperCase();
        const method = (AUTH_METHODS as readonly string[]).includes(upper) ? (upper as AuthMethod) : undefined;
        facts.authMethod = { raw, pair: methodPair, method };
      }
    }
  }

  facts.secrets = findPair(root, 'secrets');
  const secrets = parsed.resolve(facts.secrets?.value);
  if (isMap(secrets)) {
    facts.secretsMap = secrets;
    for (const pair of secrets.items) {
      if (!isScalar(pair.key) || typeof pair.key.value !== 'string') continue;
      const name = keyName(pair);
      facts.secretEntries.push({ name, pair });
      facts.secretNames.add(name);
    }
  }
  return facts;
}

/** The string value of a docker_auth field, with its pair, when it is set. */
export function authField(
  parsed: ParsedDocument,
  facts: ConfigFacts,
  key: string,
): { pair: Pair; value: string | undefined } | undefined {
  const pair = findPair(facts.dockerAuthMap, key);
  if (!pair) return undefined;
  return { pair, value: stringValue(parsed.resolve(pair.value)) };
}

/** The five methods, those that fit the image's registry first. */
export function methodOrder(reg: ImageRegistry | undefined): AuthMethod[] {
  const first: AuthMethod[] =
    reg?.kind === 'ecr'
      ? ['AWS_OIDC', 'AWS_IAM']
      : reg?.kind === 'google'
        ? ['GCP_OIDC', 'GCP_SERVICE_ACCOUNT_JSON']
        : [];
  return [...first, ...AUTH_METHODS.filter((m) => !first.includes(m))];
}

/**
 * The key truss validates as `model_cache`: `model_cache` when the file has it, else the legacy `hf_cache`
 * (truss renames it on load when `model_cache` is absent), else undefined. Findings stay on the key written.
 */
export function modelCacheKey(value: unknown): 'model_cache' | 'hf_cache' | undefined {
  if (!isObj(value)) return undefined;
  if ('model_cache' in value) return 'model_cache';
  return 'hf_cache' in value ? 'hf_cache' : undefined;
}

/** The GPU count a `resources.accelerator` value names (1 when it names none), or undefined when unreadable. */
export function acceleratorCount(value: unknown): number | undefined {
  if (value === undefined || value === null) return 1;
  if (typeof value === 'string') {
    // `TYPE:COUNT`, as AcceleratorSpec._from_string_spec reads it: more than one `:` leaves the count 1.
    const parts = pyStrip(value).split(':');
    if (parts.length !== 2) return 1;
    const n = pyDigits(parts[1]);
    return n !== undefined && n > 0 ? n : undefined;
  }
  if (!isObj(value)) return undefined;
  const count = value.count;
  if (count === undefined) return 1;
  return asInt(count);
}
