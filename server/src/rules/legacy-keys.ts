import { isScalar } from 'yaml';
import { removeKeyAt, replaceAt, replaceScalar } from '../core/yaml/edit';
import { findPair, keyRangeAt, parentMap, valueRangeAt } from '../core/yaml/query';
import { exactly } from '../core/yaml/query';
import { code, defineRule } from '../core/rule';
import { DOCS, type Fix } from '../core/types';
import { type JsonSchema, knownKeys, trussSchema } from '../core/truss/schema';
import { get, isObj, isSet, truthy } from '../core/yaml/values';
import type { Analysis } from '../core/analysis';
import { ignoresUnknownUnder, knows } from '../core/truss/release';

/** Keys truss still reads but has replaced, and keys it drops. */
const DEPRECATED: Array<{
  path: string[];
  message: string;
  rename?: string;
  severity?: 'information';
  when?: (v: unknown) => boolean;
}> = [
  {
    path: ['hf_cache'],
    message:
      '`hf_cache` is deprecated in favor of `model_cache` (itself deprecated in favor of `weights`); truss renames ' +
      'it on load.',
    rename: 'model_cache',
  },
  {
    path: ['model_cache'],
    message: '`model_cache` is deprecated: use `weights` (`truss migrate` converts it).',
    severity: 'information',
    when: (v) => isSet(get(v, 'model_cache')),
  },
  {
    // truss warns only when it reads the key: set, with no `transport` (its own dumps write `false`).
    path: ['runtime', 'is_websocket_endpoint'],
    message: '`is_websocket_endpoint` is deprecated: use `transport: {kind: websocket}`.',
    when: (v) => pyTruthy(get(v, 'runtime', 'is_websocket_endpoint')) && get(v, 'runtime', 'transport') == null,
  },
];

/** Python's truthiness of a YAML value. */
function pyTruthy(v: unknown): boolean {
  return v !== false && v !== 0 && isSet(v);
}

/** `trt_llm.build` and the sections under it: truss 0.18.25 accepts and ignores unknown keys there. */
const BUILD_SECTIONS: Array<{ path: string[]; schema: () => JsonSchema | undefined }> = [
  { path: [], schema: () => undefined },
  { path: ['checkpoint_repository'], schema: () => definition('checkpointRepository') },
  { path: ['quantization_config'], schema: () => undefined },
  { path: ['plugin_configuration'], schema: () => undefined },
  { path: ['lora_configuration'], schema: () => undefined },
  { path: ['speculator'], schema: () => definition('speculator') },
];

function definition(name: string): JsonSchema | undefined {
  return (trussSchema.definitions as Record<string, JsonSchema> | undefined)?.[name];
}

type Path = { path: string[] };

export const legacyKeys = defineRule({
  name: 'legacy-keys',
  codes: {
    deprecated: code<Path & { rename?: string; replace?: string }>({
      severity: 'warning',
      fix: 'safe',
      summary:
        'A deprecated key or value: `hf_cache`, `model_cache` (information), `runtime.is_websocket_endpoint: true` ' +
        'without `transport`, or `python_version: py39`.',
      source: '`TrussConfig.from_dict`, `Runtime._handle_legacy_input`, `_validate_python_version`',
      href: DOCS.reference,
      docs: {
        description:
          'Truss still loads these, but each has a replacement. `hf_cache` is renamed to `model_cache` on load, ' +
          'with a warning, and then checked as `model_cache` (see `model-cache-volume` and `conflicting-keys`); ' +
          '`model_cache` itself is replaced by `weights` (`truss migrate` converts it; truss does not warn, so ' +
          'this one is information, not a warning); `runtime.is_websocket_endpoint: true` with no `transport` ' +
          'raises a `DeprecationWarning` in favour of `transport.kind: websocket` (truss writes ' +
          '`is_websocket_endpoint: false` in its own full dumps, and that is not reported); ' +
          'and `python_version: py39` raises a `FutureWarning`: "Python 3.9 is deprecated and will be removed in a ' +
          'future release". Nothing fails today, but a later truss release may drop them, so move to the replacement.',
        bad: `model_name: chat-model
python_version: py39
requirements:
  - websockets==12.0
runtime:
  predict_concurrency: 4
  is_websocket_endpoint: true
`,
        good: `model_name: chat-model
python_version: py311
requirements:
  - websockets==12.0
runtime:
  predict_concurrency: 4
  transport:
    kind: websocket
`,
        fix:
          'For `hf_cache`, the quick fix renames the key to `model_cache` (unless the file already has one). ' +
          'For `python_version: py39`, it changes the value to `py311`, ' +
          'in the editor only. `model_cache` and `is_websocket_endpoint` have no quick fix.',
      },
    }),
    'removed-key': code<Path>({
      severity: 'error',
      fix: 'safe',
      summary: '`runtime.num_workers`: any value but 1 fails at load, and 1 fails at push.',
      source: '`Runtime._check_legacy_workers`; `validate_forbid_extra`',
      href: DOCS.reference,
      docs: {
        description:
          '`runtime.num_workers` is no longer a field: truss allows one worker per server. Any value other than 1 ' +
          'fails when truss loads the config ("After truss 0.9.49 only 1 worker per server is allowed"), and ' +
          '`num_workers: 1` loads but `truss push` rejects it as an unknown key ("Extra fields not allowed"). ' +
          'For concurrent requests, set `runtime.predict_concurrency` or scale out with autoscaling replicas.',
        bad: `model_name: my-model
resources:
  cpu: "4"
  memory: 16Gi
runtime:
  predict_concurrency: 8
  num_workers: 2
`,
        good: `model_name: my-model
resources:
  cpu: "4"
  memory: 16Gi
runtime:
  predict_concurrency: 8
`,
        fix: 'The quick fix removes the `num_workers` line;',
      },
    }),
    'ignored-key': code<Path>({
      severity: 'hint',
      fix: 'editor',
      summary:
        '`resources.use_gpu` (a warning when it disagrees with `accelerator`) and unknown `trt_llm.build` keys ' +
        '(a warning): accepted and ignored.',
      source: '`Resources.strip_use_gpu`; `TrussTRTLLMBuildConfiguration` (truss 0.18.25)',
      href: DOCS.reference,
      docs: {
        description:
          'Truss drops `resources.use_gpu` before it validates `resources`, so the key has no effect: ' +
          'only `accelerator` (or `instance_type`) gives the model a GPU. A config with `use_gpu: true` and neither ' +
          '`accelerator` nor `instance_type` deploys on a CPU-only machine, and `use_gpu: false` next to an ' +
          '`accelerator` still gets the GPU: these get a warning; a `use_gpu` that agrees with `accelerator` gets ' +
          'a hint. Remove the key and set `accelerator`. Unknown keys under `trt_llm.build` (and its ' +
          '`checkpoint_repository`, `quantization_config`, `plugin_configuration`, `lora_configuration` and ' +
          '`speculator`) get a warning too: truss 0.18.25, the version these checks follow, neither rejects nor ' +
          'reads them (unlike `trt_llm.runtime`, where `truss push` rejects them), so a misspelt build setting ' +
          'silently keeps its default.',
        bad: `model_name: my-model
resources:
  cpu: "4"
  memory: 16Gi
  use_gpu: true
  accelerator: A10G
`,
        good: `model_name: my-model
resources:
  cpu: "4"
  memory: 16Gi
  accelerator: A10G
`,
        fix: 'The quick fix removes the `use_gpu` line.',
      },
    }),
  },
  check({ parsed, value, release, report }) {
    if (value === undefined) return;
    for (const d of DEPRECATED) {
      if (get(value, ...d.path) === undefined || (d.when && !d.when(value))) continue;
      report({
        code: 'deprecated',
        range: keyRangeAt(parsed, d.path),
        message: d.message,
        severity: d.severity,
        data: { path: d.path, rename: d.rename },
      });
    }
    if (get(value, 'python_version') === 'py39') {
      report({
        code: 'deprecated',
        range: valueRangeAt(parsed, ['python_version']),
        message: 'Python 3.9 is deprecated and will be removed in a future release: use `py311` or newer.',
        data: { path: ['python_version'], replace: 'py311' },
      });
    }
    const workers = get(value, 'runtime', 'num_workers');
    // A truss that still has the field (until 0.9.77) accepts it: `dropped-in-release` says when it went.
    const workersKnown = release !== undefined && knows('key:runtime.num_workers', release) === true;
    if (workers !== undefined && !workersKnown) {
      const message =
        workers === 1 || workers === '1'
          ? '`num_workers` is no longer a field: `truss push` rejects it ("Extra fields not allowed"). Remove it; ' +
            'use `predict_concurrency` for concurrency.'
          : 'After truss 0.9.49 only 1 worker per server is allowed: remove `num_workers` and use ' +
            '`predict_concurrency`, autoscaling replicas or asyncio.';
      const path = ['runtime', 'num_workers'];
      // Before its push check refused unknown keys (0.9.90), truss dropped a `num_workers` of 1.
      const ignored = release !== undefined && workers === 1 && ignoresUnknownUnder(['runtime'], release);
      report({
        code: 'removed-key',
        range: keyRangeAt(parsed, path),
        message: ignored
          ? `\`num_workers\` is no longer a field: truss ${release} ignores it, later releases refuse it. ` +
            'Remove it; use `predict_concurrency` for concurrency.'
          : message,
        severity: ignored ? 'warning' : undefined,
        data: { path },
      });
    }
    const useGpu = get(value, 'resources', 'use_gpu');
    if (useGpu !== undefined) {
      const path = ['resources', 'use_gpu'];
      const gpu = isSet(get(value, 'resources', 'accelerator'));
      const disagrees = !isSet(get(value, 'resources', 'instance_type')) && truthy(useGpu) !== gpu;
      report({
        code: 'ignored-key',
        range: keyRangeAt(parsed, path),
        message: disagrees
          ? gpu
            ? '`use_gpu` is ignored: truss drops it, and the model gets the GPU `accelerator` names.'
            : '`use_gpu` is ignored: with no `accelerator`, the model deploys on a CPU-only machine. Set `accelerator`.'
          : '`use_gpu` is ignored: truss drops it and `accelerator` decides whether a GPU is used.',
        severity: disagrees ? 'warning' : undefined,
        data: { path },
      });
    }
    const build = get(value, 'trt_llm', 'build');
    for (const section of BUILD_SECTIONS) {
      const map = get(build, ...section.path);
      if (!isObj(map)) continue;
      const where = ['trt_llm', 'build', ...section.path];
      const known = new Set(Object.keys(section.schema()?.properties ?? {}).concat(knownKeys(where)));
      for (const key of Object.keys(map)) {
        if (known.has(key)) continue;
        const path = [...where, key];
        report({
          code: 'ignored-key',
          range: keyRangeAt(parsed, path),
          message:
            `Unknown key \`${key}\` in \`${where.join('.')}\`: truss 0.18.25 accepts and ignores it, so the ` +
            'setting keeps its default. Check the spelling.',
          severity: 'warning',
          data: { path },
        });
      }
    }
  },
  fixes: {
    deprecated(finding, { parsed }) {
      const { path, rename, replace } = finding.data;
      const found = exactly(parsed, path);
      if (rename && found?.pair && isScalar(found.pair.key)) {
        if (findPair(parentMap(parsed, path), rename)) return [];
        const edit = replaceScalar(parsed, found.pair.key, rename);
        const intent = [{ path, renamedTo: rename }];
        return edit ? [{ title: `Rename to \`${rename}\``, edits: [edit], preferred: true, safe: true, intent }] : [];
      }
      if (replace) {
        const edit = replaceAt(parsed, path, replace);
        return edit ? [{ title: `Change to \`${replace}\``, edits: [edit], intent: [{ path, to: replace }] }] : [];
      }
      return [];
    },
    'removed-key': (finding, analysis) => removeAt(finding.data.path, analysis, true),
    'ignored-key': (finding, analysis) => removeAt(finding.data.path, analysis, false),
  },
});

function removeAt(path: string[], { parsed }: Analysis, preferredAndSafe: boolean): Fix[] {
  const edit = removeKeyAt(parsed, path);
  const title = `Remove \`${path[path.length - 1]}\``;
  const intent = [{ path, removed: true as const }];
  return edit ? [{ title, edits: [edit], preferred: preferredAndSafe, safe: preferredAndSafe, intent }] : [];
}
