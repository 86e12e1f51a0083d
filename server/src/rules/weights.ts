import { WEIGHTS_AUTH_FIELDS } from '../core/truss/facts';
import { keyRangeAt, valueRangeAt } from '../core/yaml/query';
import { code, defineRule } from '../core/rule';
import { get, isObj, isSet } from '../core/yaml/values';

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
      docs: {
        description:
          'Checks each `weights[].source`: it must start with `hf://`, `s3://`, `gs://`, `azure://`, `r2://`, ' +
          '`cw://` or `https://`, and only `hf://` sources may pin a revision with `@`. A bare Hugging Face id ' +
          'such as `meta-llama/Llama-3.1-8B-Instruct` has no scheme, and truss rejects it (`Source ... is missing ' +
          'a URI scheme`) when it loads the config, so `truss push` fails before anything is uploaded. ' +
          'A revision suffix on a bucket, such as `s3://my-bucket/model@v2`, is rejected the same way.',
        bad: `model_name: llama-3-8b
python_version: py311
resources:
  accelerator: H100
weights:
  - source: meta-llama/Llama-3.1-8B-Instruct
    mount_location: /models/llama
    allow_patterns:
      - "*.safetensors"
      - "*.json"
`,
        good: `model_name: llama-3-8b
python_version: py311
resources:
  accelerator: H100
weights:
  - source: hf://meta-llama/Llama-3.1-8B-Instruct
    mount_location: /models/llama
    allow_patterns:
      - "*.safetensors"
      - "*.json"
`,
      },
    }),
    'invalid-weights-auth': code({
      severity: 'error',
      summary: 'A `weights[].auth` method missing a field it requires, or with one it forbids.',
      source: '`WeightsAuth._validate_auth_fields`',
      href: BDN,
      docs: {
        description:
          'Checks `weights[].auth` against its `auth_method`. `CUSTOM_SECRET` needs `auth_secret_name` inside ' +
          '`auth` (one beside `auth` does not count); ' +
          '`AWS_OIDC` needs `aws_oidc_role_arn` and `aws_oidc_region`; ' +
          '`GCP_OIDC` needs `gcp_oidc_service_account` and `gcp_oidc_workload_id_provider`; and each method ' +
          'forbids the fields of the others. truss rejects a mismatch with a message of the same form (for example ' +
          '`aws_oidc_role_arn, aws_oidc_region must be provided when auth_method is AWS_OIDC`), so ' +
          '`truss push` fails.',
        bad: `model_name: fine-tuned-mistral
python_version: py311
resources:
  accelerator: A100
weights:
  - source: s3://my-bucket/models/mistral-7b-ft
    mount_location: /models/mistral
    auth:
      auth_method: AWS_OIDC
      auth_secret_name: aws-weights-credentials
`,
        good: `model_name: fine-tuned-mistral
python_version: py311
resources:
  accelerator: A100
weights:
  - source: s3://my-bucket/models/mistral-7b-ft
    mount_location: /models/mistral
    auth:
      auth_method: AWS_OIDC
      aws_oidc_role_arn: arn:aws:iam::123456789012:role/baseten-weights-reader
      aws_oidc_region: us-west-2
`,
      },
    }),
    'invalid-mount-location': code({
      severity: 'error',
      summary: 'A `weights[].mount_location` that is relative or used twice.',
      source: '`WeightsSource`, `Weights._validate_unique_mount_locations`',
      href: BDN,
      docs: {
        description:
          'Checks each `weights[].mount_location`: it must be an absolute path, and no two entries may use the ' +
          'same one. truss rejects a relative path (`mount_location must be an absolute path (start with /)`) and ' +
          'a repeated one (`Duplicate mount_location ... each weights source must have a unique mount path.`) ' +
          'when it loads the config, so `truss push` fails. Give each source its own absolute folder and load ' +
          'the model from that path in your code.',
        bad: `model_name: sdxl-with-refiner
python_version: py311
resources:
  accelerator: A10G
weights:
  - source: hf://stabilityai/stable-diffusion-xl-base-1.0
    mount_location: models/sdxl
  - source: hf://stabilityai/stable-diffusion-xl-refiner-1.0
    mount_location: models/sdxl
`,
        good: `model_name: sdxl-with-refiner
python_version: py311
resources:
  accelerator: A10G
weights:
  - source: hf://stabilityai/stable-diffusion-xl-base-1.0
    mount_location: /models/sdxl-base
  - source: hf://stabilityai/stable-diffusion-xl-refiner-1.0
    mount_location: /models/sdxl-refiner
`,
      },
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
      // `WeightsAuth` checks its own fields: an `auth_secret_name` beside `auth` does not count.
      const has = (f: string) => isSet(auth[f]);
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
