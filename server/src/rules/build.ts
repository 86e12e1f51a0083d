import { isMap, isScalar } from 'yaml';
import { Rule } from '../core/rule';
import { keyRangeAt, locate, parentMap } from '../core/parse';
import { removeEntry } from '../core/edit';
import { REGISTRY_SECRET_PREFIX } from '../core/registry';
import { get, isObj, truthy } from '../core/values';
import { DOCS } from '../core/types';

/** Why a build secret name is refused, or undefined when truss accepts it. */
export function buildSecretNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name === '') return 'Invalid secret name: it must be a non-empty string.';
  if (name.length > 253) return 'Secret names must be shorter than 253 characters.';
  if (name === '.' || name === '..') return `Secret name cannot be \`${name}\`.`;
  if (!name.startsWith(REGISTRY_SECRET_PREFIX) && !/^[-._a-zA-Z0-9]+$/.test(name)) {
    return 'Secrets used in builds must follow Kubernetes object naming conventions: only letters, digits, `-`, `_` and `.` (names starting with `DOCKER_REGISTRY_` are exempt).';
  }
  return undefined;
}

export const build: Rule = {
  codes: [
    {
      code: 'no-cache-in-config',
      severity: 'error',
      summary: '`build.no_cache: true`: use `truss push --no-cache` instead.',
      source: '`TrussConfig.from_yaml`',
      href: DOCS.reference,
    },
    {
      code: 'invalid-build-secret-name',
      severity: 'error',
      summary: 'A `build.secret_to_path_mapping` name truss refuses (empty, too long, `.`, or outside `[-._a-zA-Z0-9]`).',
      source: '`Build.validate_secret_name`',
      href: DOCS.secrets,
    },
  ],
  check({ parsed, value, report }) {
    if (truthy(get(value, 'build', 'no_cache'))) {
      report('no-cache-in-config', keyRangeAt(parsed, ['build', 'no_cache']), 'no_cache cannot be specified in config.yaml. Use the --no-cache CLI flag instead.', {
        path: ['build', 'no_cache'],
      });
    }
    if (!isObj(get(value, 'build', 'secret_to_path_mapping'))) return;
    const map = locate(parsed, ['build', 'secret_to_path_mapping']).found.node;
    if (!isMap(map)) return;
    for (const pair of map.items) {
      const name = isScalar(pair.key) ? pair.key.value : undefined;
      const problem = buildSecretNameProblem(name);
      if (problem) report('invalid-build-secret-name', parsed.keyRange(pair), problem, {});
    }
  },
  fixes(finding, { parsed }) {
    if (finding.code !== 'no-cache-in-config') return [];
    const path = ['build', 'no_cache'];
    const pair = locate(parsed, path).found.pair;
    const map = parentMap(parsed, path);
    const edit = pair && map && removeEntry(parsed, map, pair);
    return edit ? [{ title: 'Remove `no_cache` (use `truss push --no-cache`)', edits: [edit], preferred: true, safe: true }] : [];
  },
};
