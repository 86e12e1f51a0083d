import { isScalar } from 'yaml';
import { Rule } from '../core/rule';
import { findPair, keyRangeAt, locate, parentMap, valueRangeAt } from '../core/parse';
import { removeEntry, replaceAt, replaceScalar } from '../core/edit';
import { get, isSet } from '../core/values';
import { DOCS } from '../core/types';

/** Keys truss still reads but has replaced, and keys it drops. */
const DEPRECATED: Array<{ path: string[]; message: string; rename?: string }> = [
  {
    path: ['hf_cache'],
    message: '`hf_cache` is deprecated in favor of `model_cache` (itself deprecated in favor of `weights`); truss renames it on load.',
    rename: 'model_cache',
  },
  { path: ['model_cache'], message: '`model_cache` is deprecated: use `weights` (`truss migrate` converts it).' },
  { path: ['runtime', 'is_websocket_endpoint'], message: '`is_websocket_endpoint` is deprecated: use `transport: {kind: websocket}`.' },
];

export const legacyKeys: Rule = {
  codes: [
    {
      code: 'deprecated',
      severity: 'warning',
      summary: 'A deprecated key or value: `hf_cache`, `model_cache`, `runtime.is_websocket_endpoint`, `python_version: py39`.',
      source: '`TrussConfig.from_dict`, `Runtime._handle_legacy_input`, `_validate_python_version`',
      href: DOCS.reference,
    },
    {
      code: 'removed-key',
      severity: 'error',
      summary: '`runtime.num_workers`: any value but 1 fails at load, and 1 fails at push.',
      source: '`Runtime._check_legacy_workers`; `validate_forbid_extra`',
      href: DOCS.reference,
    },
    {
      code: 'ignored-key',
      severity: 'hint',
      summary: '`resources.use_gpu`: accepted and ignored; `accelerator` decides.',
      source: '`Resources` drops `use_gpu` before validation',
      href: DOCS.reference,
    },
  ],
  check({ parsed, value, report }) {
    if (value === undefined) return;
    for (const d of DEPRECATED) {
      if (get(value, ...d.path) === undefined) continue;
      if (d.path[0] === 'model_cache' && !isSet(get(value, 'model_cache'))) continue;
      report('deprecated', keyRangeAt(parsed, d.path), d.message, { path: d.path, rename: d.rename });
    }
    if (get(value, 'python_version') === 'py39') {
      report('deprecated', valueRangeAt(parsed, ['python_version']), 'Python 3.9 is deprecated and will be removed in a future release: use `py311` or newer.', {
        path: ['python_version'],
        replace: 'py311',
      });
    }
    const workers = get(value, 'runtime', 'num_workers');
    if (workers !== undefined) {
      const message =
        workers === 1 || workers === '1'
          ? '`num_workers` is no longer a field: `truss push` rejects it ("Extra fields not allowed"). Remove it; use `predict_concurrency` for concurrency.'
          : 'After truss 0.9.49 only 1 worker per server is allowed: remove `num_workers` and use `predict_concurrency`, autoscaling replicas or asyncio.';
      report('removed-key', keyRangeAt(parsed, ['runtime', 'num_workers']), message, { path: ['runtime', 'num_workers'] });
    }
    if (get(value, 'resources', 'use_gpu') !== undefined) {
      report('ignored-key', keyRangeAt(parsed, ['resources', 'use_gpu']), '`use_gpu` is ignored: truss drops it and `accelerator` decides whether a GPU is used.', {
        path: ['resources', 'use_gpu'],
      });
    }
  },
  fixes(finding, { parsed }) {
    const path = (finding.data?.path ?? []) as string[];
    const rename = finding.data?.rename as string | undefined;
    const replace = finding.data?.replace as string | undefined;
    const { found } = locate(parsed, path);
    if (rename && found.pair && isScalar(found.pair.key)) {
      if (findPair(parentMap(parsed, path), rename)) return [];
      const edit = replaceScalar(parsed, found.pair.key, rename);
      return edit ? [{ title: `Rename to \`${rename}\``, edits: [edit], preferred: true, safe: true }] : [];
    }
    if (replace) {
      const edit = replaceAt(parsed, path, replace);
      return edit ? [{ title: `Change to \`${replace}\``, edits: [edit] }] : [];
    }
    if (finding.code === 'removed-key' || finding.code === 'ignored-key') {
      const map = parentMap(parsed, path);
      const edit = map && found.pair && removeEntry(parsed, map, found.pair);
      return edit ? [{ title: `Remove \`${path[path.length - 1]}\``, edits: [edit], preferred: finding.code === 'removed-key', safe: finding.code === 'removed-key' }] : [];
    }
    return [];
  },
};
