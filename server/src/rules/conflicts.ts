import { modelCacheKey } from '../core/truss/facts';
import { keyRangeAt } from '../core/yaml/query';
import { code, defineRule } from '../core/rule';
import { DOCS } from '../core/types';
import { get, isObj, isSet, truthy } from '../core/yaml/values';

/** Pairs of keys that truss refuses together, with its message. */
const PAIRS: Array<{ a: string[]; b: string[]; message: string; when?: (v: unknown) => boolean }> = [
  {
    a: ['requirements'],
    b: ['requirements_file'],
    message: 'Please ensure that only one of `requirements` and `requirements_file` is specified.',
  },
  {
    a: ['model_cache'],
    b: ['weights'],
    message: 'Please ensure that only one of `model_cache` and `weights` is specified.',
    when: (v) => modelCacheKey(v) === 'model_cache' && isSet(get(v, 'model_cache')) && isSet(get(v, 'weights')),
  },
  {
    a: ['hf_cache'],
    b: ['weights'],
    message:
      'Please ensure that only one of `model_cache` and `weights` is specified: truss renames `hf_cache` to ' +
      '`model_cache` on load.',
    when: (v) => modelCacheKey(v) === 'hf_cache' && isSet(get(v, 'hf_cache')) && isSet(get(v, 'weights')),
  },
  {
    a: ['model_cache'],
    b: ['hf_cache'],
    message:
      'With `model_cache` present, truss keeps `hf_cache` as it is and `truss push` rejects it ("Extra fields not ' +
      'allowed"): keep `model_cache` only.',
    when: (v) => isObj(v) && 'model_cache' in v && 'hf_cache' in v,
  },
  {
    a: ['runtime', 'remote_ssh', 'enabled'],
    b: ['docker_server', 'run_as_user_id'],
    message:
      "remote_ssh.enabled is not compatible with docker_server.run_as_user_id. SSH requires the default 'app' user " +
      '(uid 60000).',
    when: (v) =>
      truthy(get(v, 'runtime', 'remote_ssh', 'enabled')) && get(v, 'docker_server', 'run_as_user_id') != null,
  },
  {
    a: ['training_checkpoints', 'artifact_references'],
    b: ['training_checkpoints', 'loops_checkpoint_ids'],
    message: '`artifact_references` and `loops_checkpoint_ids` cannot both be used.',
  },
];

export const conflicts = defineRule({
  name: 'conflicts',
  codes: {
    'conflicting-keys': code({
      severity: 'error',
      summary:
        'Keys truss refuses together: `requirements` and `requirements_file`, `model_cache` (or `hf_cache`) and ' +
        '`weights`, `hf_cache` and `model_cache`, ' +
        '`remote_ssh` and `run_as_user_id`, both kinds of training checkpoint, `auth_secret_name` twice in a ' +
        '`weights` entry.',
      source: '`TrussConfig._validate_config`, `TrussConfig.from_dict`, `_validate_remote_ssh`, `WeightsSource`',
      href: DOCS.reference,
      docs: {
        description:
          'Truss refuses some keys together and fails as soon as it loads the config, so `truss push` stops before ' +
          'anything is uploaded. The pairs are `requirements` and `requirements_file` ("Please ensure that only one ' +
          'of `requirements` and `requirements_file` is specified"), `model_cache` and `weights` (a legacy ' +
          '`hf_cache` counts as `model_cache` when there is none: truss renames it on load), `hf_cache` next to ' +
          '`model_cache` (truss then keeps `hf_cache`, and `truss push` rejects it as an extra field), ' +
          '`runtime.remote_ssh.enabled: true` with `docker_server.run_as_user_id` (SSH needs the default `app` user, ' +
          'uid 60000), `artifact_references` with `loops_checkpoint_ids` under `training_checkpoints`, and ' +
          '`auth_secret_name` set both on a `weights` entry and inside its `auth`. Keep one of the two.',
        bad: `model_name: sentiment-classifier
python_version: py311
requirements:
  - transformers==4.44.0
  - torch==2.3.1
requirements_file: requirements.txt
resources:
  accelerator: T4
`,
        good: `model_name: sentiment-classifier
python_version: py311
requirements:
  - transformers==4.44.0
  - torch==2.3.1
resources:
  accelerator: T4
`,
      },
    }),
  },
  check({ parsed, value, report }) {
    if (value === undefined) return;
    for (const p of PAIRS) {
      const both = p.when ? p.when(value) : isSet(get(value, ...p.a)) && isSet(get(value, ...p.b));
      if (both) report({ code: 'conflicting-keys', range: keyRangeAt(parsed, p.b), message: p.message });
    }
    const weights = get(value, 'weights');
    if (!Array.isArray(weights)) return;
    weights.forEach((w, i) => {
      if (!isObj(w) || !isObj(w.auth) || !isSet(w.auth_secret_name) || !isSet(w.auth.auth_secret_name)) return;
      report({
        code: 'conflicting-keys',
        range: keyRangeAt(parsed, ['weights', String(i), 'auth', 'auth_secret_name']),
        message: '`auth_secret_name` cannot be set both on the weights entry and inside `auth`.',
      });
    });
  },
});
