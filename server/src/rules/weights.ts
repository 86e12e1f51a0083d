import { WEIGHTS_AUTH_FIELDS } from '../core/facts';
import { keyRangeAt, valueRangeAt } from '../core/parse';
import { code, defineRule, PENDING_DOCS } from '../core/rule';
import { get, isObj, isSet } from '../core/values';

const BDN = 'https://docs.baseten.co/development/model/bdn';
const SCHEMES = ['hf://', 's3://', 'gs://', 'azure://', 'r2://', 'cw://', 'https://'];

export const weights = defineRule({
  name: 'weights',
  codes: {
    'invalid-weights-source': code({
      severity: 'error',
      summary: 'A `weights[].source` with an unsupported scheme, or `@revision` on a source other than `hf://`.',
      source: '`WeightsSource`',
      href: BDN,
      docs: PENDING_DOCS,
    }),
    'invalid-weights-auth': code({
      severity: 'error',
      summary: 'A `weights[].auth` method missing a field it requires, or with one it forbids.',
      source: '`WeightsAuth._validate_auth_fields`',
      href: BDN,
      docs: PENDING_DOCS,
    }),
    'invalid-mount-location': code({
      severity: 'error',
      summary: 'A `weights[].mount_location` that is relative or used twice.',
      source: '`WeightsSource`, `Weights._validate_unique_mount_locations`',
      href: BDN,
      docs: PENDING_DOCS,
    }),
  },
  check({ parsed, value, report }) {
    const list = get(value, 'weights');
    if (!Array.isArray(list)) return;
    const mounts = new Map<string, number>();
    list.forEach((w, i) => {
      if (!isObj(w)) return;
      const at = (...p: string[]) => ['weights', String(i), ...p];
      const source = w.source;
      if (typeof source === 'string') {
        const scheme = SCHEMES.find((s) => source.startsWith(s));
        const range = valueRangeAt(parsed, at('source'));
        if (!scheme) {
          const message = `Unsupported weights source: it must start with one of ${SCHEMES.join(', ')}.`;
          report({ code: 'invalid-weights-source', range, message });
        } else if (scheme !== 'hf://' && source.slice(scheme.length).includes('@')) {
          const message = 'A revision (`@…`) is only allowed for `hf://` sources.';
          report({ code: 'invalid-weights-source', range, message });
        }
      }
      const mount = w.mount_location;
      if (typeof mount === 'string') {
        const range = valueRangeAt(parsed, at('mount_location'));
        if (!mount.startsWith('/')) {
          const message = '`mount_location` must be an absolute path, such as `/models/llama`.';
          report({ code: 'invalid-mount-location', range, message });
        }
        const first = mounts.get(mount);
        if (first !== undefined) {
          const message = `Mount locations must be unique: weights entry ${first + 1} mounts here too.`;
          report({ code: 'invalid-mount-location', range, message });
        } else mounts.set(mount, i);
      }
      const auth = w.auth;
      if (!isObj(auth)) return;
      const method = typeof auth.auth_method === 'string' ? auth.auth_method : undefined;
      const rules = method ? WEIGHTS_AUTH_FIELDS[method] : undefined;
      if (!method || !rules) return;
      const has = (f: string) => isSet(auth[f]) || (f === 'auth_secret_name' && isSet(w.auth_secret_name));
      const missing = rules.required.filter((f) => !has(f));
      if (missing.length) {
        report({
          code: 'invalid-weights-auth',
          range: keyRangeAt(parsed, at('auth')),
          message: `${missing.join(', ')} must be provided when auth_method is ${method}.`,
        });
      }
      for (const f of rules.forbidden) {
        if (!isSet(auth[f])) continue;
        report({
          code: 'invalid-weights-auth',
          range: keyRangeAt(parsed, at('auth', f)),
          message: `${f} cannot be specified when auth_method is ${method}.`,
        });
      }
    });
  },
});
