import { Rule } from '../core/rule';
import { keyRangeAt, valueRangeAt } from '../core/parse';
import { get, isObj, isSet } from '../core/values';

const BDN = 'https://docs.baseten.co/development/model/bdn';
const SCHEMES = ['hf://', 's3://', 'gs://', 'azure://', 'r2://', 'cw://', 'https://'];
const AWS = ['aws_oidc_role_arn', 'aws_oidc_region'];
const GCP = ['gcp_oidc_service_account', 'gcp_oidc_workload_id_provider'];
export const AUTH_FIELDS: Record<string, { required: string[]; forbidden: string[] }> = {
  CUSTOM_SECRET: { required: ['auth_secret_name'], forbidden: [...AWS, ...GCP] },
  AWS_OIDC: { required: AWS, forbidden: ['auth_secret_name', ...GCP] },
  GCP_OIDC: { required: GCP, forbidden: ['auth_secret_name', ...AWS] },
};

export const weights: Rule = {
  codes: [
    {
      code: 'invalid-weights-source',
      severity: 'error',
      summary: 'A `weights[].source` with an unsupported scheme, or `@revision` on a source other than `hf://`.',
      source: '`WeightsSource`',
      href: BDN,
    },
    {
      code: 'invalid-weights-auth',
      severity: 'error',
      summary: 'A `weights[].auth` method missing a field it requires, or with one it forbids.',
      source: '`WeightsAuth._validate_auth_fields`',
      href: BDN,
    },
    {
      code: 'invalid-mount-location',
      severity: 'error',
      summary: 'A `weights[].mount_location` that is relative or used twice.',
      source: '`WeightsSource`, `Weights._validate_unique_mount_locations`',
      href: BDN,
    },
  ],
  check({ parsed, value, report }) {
    const list = get(value, 'weights');
    if (!Array.isArray(list)) return;
    const mounts = new Map<string, number>();
    list.forEach((w, i) => {
      if (!isObj(w)) return;
      const at = (...p: string[]) => ['weights', String(i), ...p];
      if (typeof w.source === 'string') {
        const scheme = SCHEMES.find((s) => w.source && (w.source as string).startsWith(s));
        if (!scheme) {
          report('invalid-weights-source', valueRangeAt(parsed, at('source')), `Unsupported weights source: it must start with one of ${SCHEMES.join(', ')}.`, {});
        } else if (scheme !== 'hf://' && (w.source as string).slice(scheme.length).includes('@')) {
          report('invalid-weights-source', valueRangeAt(parsed, at('source')), 'A revision (`@…`) is only allowed for `hf://` sources.', {});
        }
      }
      if (typeof w.mount_location === 'string') {
        if (!w.mount_location.startsWith('/')) {
          report('invalid-mount-location', valueRangeAt(parsed, at('mount_location')), '`mount_location` must be an absolute path, such as `/models/llama`.', {});
        }
        const first = mounts.get(w.mount_location);
        if (first !== undefined) {
          report('invalid-mount-location', valueRangeAt(parsed, at('mount_location')), `Mount locations must be unique: weights entry ${first + 1} mounts here too.`, {});
        } else mounts.set(w.mount_location, i);
      }
      const auth = w.auth;
      if (!isObj(auth)) return;
      if (isSet(w.auth_secret_name) && isSet(auth.auth_secret_name)) {
        report('conflicting-keys', keyRangeAt(parsed, at('auth', 'auth_secret_name')), '`auth_secret_name` cannot be set both on the weights entry and inside `auth`.', {});
      }
      const method = typeof auth.auth_method === 'string' ? auth.auth_method : undefined;
      const rules = method ? AUTH_FIELDS[method] : undefined;
      if (!method || !rules) return;
      const has = (f: string) => isSet(auth[f]) || (f === 'auth_secret_name' && isSet(w.auth_secret_name));
      const missing = rules.required.filter((f) => !has(f));
      if (missing.length) {
        report('invalid-weights-auth', keyRangeAt(parsed, at('auth')), `${missing.join(', ')} must be provided when auth_method is ${method}.`, { method, missing });
      }
      for (const f of rules.forbidden) {
        if (isSet(auth[f])) report('invalid-weights-auth', keyRangeAt(parsed, at('auth', f)), `${f} cannot be specified when auth_method is ${method}.`, { method, field: f });
      }
    });
  },
};
