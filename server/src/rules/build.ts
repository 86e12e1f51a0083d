import { isMap, isScalar } from 'yaml';
import { removeKeyAt } from '../core/yaml/edit';
import { keyRangeAt } from '../core/yaml/query';
import { exactly } from '../core/yaml/query';
import { code, defineRule } from '../core/rule';
import { secretNameProblem } from '../core/truss/secretNames';
import { DOCS } from '../core/types';
import { get, isObj } from '../core/yaml/values';

const NO_CACHE = ['build', 'no_cache'];

export const build = defineRule({
  name: 'build',
  codes: {
    'no-cache-in-config': code({
      severity: 'error',
      fix: 'safe',
      summary: '`build.no_cache: true`: use `truss push --no-cache` instead.',
      source: '`TrussConfig.from_yaml`',
      href: DOCS.reference,
      docs: {
        description:
          'Truss refuses `build.no_cache: true` in `config.yaml` as soon as it reads the file: "no_cache cannot be ' +
          'specified in config.yaml. Use the --no-cache CLI flag instead." Every truss command that loads the ' +
          'config, `truss push` included, fails until the key is removed. To rebuild without the cache, pass ' +
          '`truss push --no-cache` for that one push.',
        bad: `model_name: my-model
python_version: py311
requirements:
  - torch==2.3.1
build:
  no_cache: true
`,
        good: `model_name: my-model
python_version: py311
requirements:
  - torch==2.3.1
`,
        fix:
          'The quick fix removes the `no_cache` line. When `no_cache` was the only ' +
          'key under `build`, the empty `build:` stays behind as `null`, which truss also rejects: delete it too.',
      },
    }),
    'invalid-build-secret-name': code({
      severity: 'error',
      summary:
        'A `build.secret_to_path_mapping` name truss refuses (empty, too long, `.`, or outside `[-._a-zA-Z0-9]`).',
      source: '`Build.validate_secret_name`',
      href: DOCS.secrets,
      docs: {
        description:
          'Build secrets in `build.secret_to_path_mapping` are mounted as Docker build secrets for the ' +
          '`build_commands` steps, and truss (`Build.validate_secret_name`) refuses a name that is empty, longer ' +
          'than 253 characters, `.` or `..`, or has characters outside letters, digits, `-`, `_` and `.`. Names ' +
          'starting with `DOCKER_REGISTRY_` are exempt, although the error message of truss says the opposite. ' +
          'The config fails to load, so `truss push` stops. Top-level `secrets` names are no longer checked, so a ' +
          'name that works there, such as one with a space, can still fail here.',
        bad: `model_name: my-model
build_commands:
  - sh /packages/install_private_deps.sh
build:
  secret_to_path_mapping:
    "pip token": /root/.pip-token
secrets:
  "pip token": null
`,
        good: `model_name: my-model
build_commands:
  - sh /packages/install_private_deps.sh
build:
  secret_to_path_mapping:
    pip-token: /root/.pip-token
secrets:
  pip-token: null
`,
      },
    }),
  },
  check({ parsed, value, report }) {
    // truss refuses only the boolean true (`is True`), before pydantic reads `"yes"` or `1` as true.
    if (get(value, ...NO_CACHE) === true) {
      report({
        code: 'no-cache-in-config',
        range: keyRangeAt(parsed, NO_CACHE),
        message: 'no_cache cannot be specified in config.yaml. Use the --no-cache CLI flag instead.',
      });
    }
    if (!isObj(get(value, 'build', 'secret_to_path_mapping'))) return;
    const map = exactly(parsed, ['build', 'secret_to_path_mapping'])?.node;
    if (!isMap(map)) return;
    for (const pair of map.items) {
      const problem = secretNameProblem(isScalar(pair.key) ? pair.key.value : undefined);
      if (problem) {
        const message =
          `${problem} Truss refuses such a name in \`secret_to_path_mapping\`, where build secrets ` +
          `follow Kubernetes object naming.`;
        report({ code: 'invalid-build-secret-name', range: parsed.keyRange(pair), message });
      }
    }
  },
  fixes: {
    'no-cache-in-config'(_finding, { parsed }) {
      const edit = removeKeyAt(parsed, NO_CACHE);
      const title = 'Remove `no_cache` (use `truss push --no-cache`)';
      return edit
        ? [{ title, edits: [edit], preferred: true, safe: true, intent: [{ path: NO_CACHE, removed: true }] }]
        : [];
    },
  },
});
