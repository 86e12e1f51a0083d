import { isMap, isScalar } from 'yaml';
import { removeEntry } from '../core/edit';
import { keyRangeAt, locate, parentMap } from '../core/parse';
import { code, defineRule, PENDING_DOCS } from '../core/rule';
import { secretNameProblem } from '../core/secretNames';
import { DOCS } from '../core/types';
import { get, isObj, truthy } from '../core/values';

const NO_CACHE = ['build', 'no_cache'];

export const build = defineRule({
  name: 'build',
  codes: {
    'no-cache-in-config': code({
      severity: 'error',
      summary: '`build.no_cache: true`: use `truss push --no-cache` instead.',
      source: '`TrussConfig.from_yaml`',
      href: DOCS.reference,
      docs: PENDING_DOCS,
    }),
    'invalid-build-secret-name': code({
      severity: 'error',
      summary:
        'A `build.secret_to_path_mapping` name truss refuses (empty, too long, `.`, or outside `[-._a-zA-Z0-9]`).',
      source: '`Build.validate_secret_name`',
      href: DOCS.secrets,
      docs: PENDING_DOCS,
    }),
  },
  check({ parsed, value, report }) {
    if (truthy(get(value, ...NO_CACHE))) {
      report({
        code: 'no-cache-in-config',
        range: keyRangeAt(parsed, NO_CACHE),
        message: 'no_cache cannot be specified in config.yaml. Use the --no-cache CLI flag instead.',
      });
    }
    if (!isObj(get(value, 'build', 'secret_to_path_mapping'))) return;
    const map = locate(parsed, ['build', 'secret_to_path_mapping']).found.node;
    if (!isMap(map)) return;
    for (const pair of map.items) {
      const problem = secretNameProblem(isScalar(pair.key) ? pair.key.value : undefined);
      if (problem) {
        const message = `${problem} Truss refuses such a name in \`secret_to_path_mapping\`, where build secrets follow Kubernetes object naming.`;
        report({ code: 'invalid-build-secret-name', range: parsed.keyRange(pair), message });
      }
    }
  },
  fixes: {
    'no-cache-in-config'(_finding, { parsed }) {
      const pair = locate(parsed, NO_CACHE).found.pair;
      const map = parentMap(parsed, NO_CACHE);
      const edit = pair && map && removeEntry(parsed, map, pair);
      const title = 'Remove `no_cache` (use `truss push --no-cache`)';
      return edit ? [{ title, edits: [edit], preferred: true, safe: true }] : [];
    },
  },
});
