import { isMap, isScalar, isSeq } from 'yaml';
import type { ParsedDocument } from '../yaml/parse';
import { type JsonSchema, knownKeys, schemaAt } from './schema';
import { closest } from './suggest';

export type DetectMode = 'auto' | 'always' | 'never';

const MODELINE = /^#\s*yaml-language-server\s*:\s*\$schema=\S*truss/im;

/** Keys no other tool's config.yaml uses: one of them is enough. */
const TRUSS_ONLY = new Set([
  'apply_library_patches',
  'base_image',
  'bis_llm',
  'build_commands',
  'bundled_packages_dir',
  'docker_server',
  'examples_filename',
  'external_package_dirs',
  'hf_cache',
  'live_reload',
  'model_cache',
  'model_class_filename',
  'model_class_name',
  'model_framework',
  'model_metadata',
  'model_module_dir',
  'requirements_file',
  'system_packages',
  'training_checkpoints',
  'trt_llm',
  'use_local_src',
]);

/** Keys that speak against a Truss config: Hydra, Kubernetes, CI, serverless and training configs. */
const FOREIGN = new Set([
  'apiVersion',
  'defaults',
  'hydra',
  'jobs',
  'kind',
  'metadata',
  'functions',
  'handler',
  'provider',
  'region',
  'seed',
  'spec',
  'trainer',
  'training',
  'version',
  'workflows',
]);

const TOP_LEVEL = knownKeys([]);

/** Truss keys that other tools' configs use too: they count only when their value looks like Truss's. */
const SHARED = new Set(['build', 'data_dir', 'description', 'input_type', 'model_type', 'resources', 'runtime']);

/** How much each top-level key speaks for (+) or against (−) a Truss config. */
function keyWeight(parsed: ParsedDocument, key: string, value: unknown): number {
  if (FOREIGN.has(key)) return -3;
  const schema = schemaAt([key]);
  // An unknown key close to a Truss key is most likely a typo of it.
  if (!schema) return closest(key, TOP_LEVEL, 1).length ? 1 : -1;
  const node = parsed.resolve(value);
  if (!shapeFits(schema, node)) return SHARED.has(key) ? -1 : TRUSS_ONLY.has(key) ? 1 : 0;
  if (key === 'python_version') return isScalar(node) && /^py3\d+$/.test(String(node.value)) ? 3 : 1;
  // The first key of nearly every Truss config; training configs use it too, among many keys of their own.
  if (key === 'model_name') return 2;
  // A section whose own keys are not Truss's (Hydra's `resources: {gpus, nodes}`) is another tool's.
  if (isMap(node) && schema.properties && node.items.length) {
    const known = new Set(knownKeys([key]));
    const hits = node.items.filter((p) => isScalar(p.key) && known.has(String(p.key.value))).length;
    if (hits === 0) return TRUSS_ONLY.has(key) ? 1 : -1;
    if (hits * 2 >= node.items.length) return TRUSS_ONLY.has(key) ? 3 : 2;
    return TRUSS_ONLY.has(key) ? 2 : 0;
  }
  return TRUSS_ONLY.has(key) ? 3 : 1;
}

/** Whether a value has the kind (mapping, list, scalar) the schema wants there; null always fits. */
function shapeFits(schema: JsonSchema, node: unknown): boolean {
  const types = ([] as string[]).concat(schema.type ?? []);
  if (!types.length || node == null || (isScalar(node) && node.value === null)) return true;
  if (isMap(node)) return types.includes('object');
  if (isSeq(node)) return types.includes('array');
  return types.some((t) => t !== 'object' && t !== 'array');
}

/** The evidence for and against a Truss config, summed over the top-level keys. */
export function trussScore(parsed: ParsedDocument): { score: number; keys: number; trussKeys: number } {
  const root = parsed.rootMap;
  if (!root) return { score: 0, keys: 0, trussKeys: 0 };
  let score = 0;
  let trussKeys = 0;
  for (const pair of root.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    const w = keyWeight(parsed, key, pair.value);
    score += w;
    if (schemaAt([key])) trussKeys++;
  }
  return { score, keys: root.items.length, trussKeys };
}

/** Why a document is or is not a Truss config, in a few words. */
export function detectionReason(parsed: ParsedDocument): string {
  if (MODELINE.test(parsed.text)) return "truss's $schema modeline";
  const { keys, trussKeys } = trussScore(parsed);
  if (!keys) return 'no top-level keys';
  const also = isTrussConfig(parsed) ? '' : ', and the others speak against it';
  return `${trussKeys} of ${keys} top-level key${keys === 1 ? ' is a Truss key' : 's are Truss keys'}${also}`;
}

/**
 * Whether a document is a Truss config: truss's `$schema` modeline, or top-level keys that speak
 * for it. A key only Truss uses (`base_image`, `trt_llm`, `model_class_name`, `python_version: py311`)
 * counts most; keys other tools share (`description`, `runtime`, `resources`) count only when their
 * own keys are Truss's; `defaults`, `hydra`, `apiVersion` and the like count against.
 */
export function isTrussConfig(parsed: ParsedDocument, mode: DetectMode = 'auto'): boolean {
  if (mode !== 'auto') return mode === 'always';
  if (MODELINE.test(parsed.text)) return true;
  const { score, trussKeys } = trussScore(parsed);
  return trussKeys > 0 && score >= 1;
}
