/**
 * Whether a config.yaml is a Truss config: one score, the sum of what its folder and its top-level keys
 * say, with the reason shown in the editor's status item. The folder is the strongest evidence (a Truss
 * keeps its model code beside its config); keys other tools share count little, and never enough alone.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { ParsedDocument } from '../yaml/parse';
import { DEFAULT_MODEL_DIR, DEFAULT_PACKAGES_DIR, codeDirs } from './modelCode';
import { type JsonSchema, knownKeys, schemaAt } from './schema';
import { closest } from './suggest';

/** `auto`: as `detect` says; `always` and `never` decide without looking. */
export type DetectMode = 'auto' | 'always' | 'never';

/**
 * What the caller knows of the config's folder: whether a path relative to it exists. Absent for a
 * document with no folder on disk (untitled, virtual).
 */
export type Folder = (path: string) => boolean;

/** The score a Truss config reaches. */
const NEEDED = 3;
/** The most that keys other tools share add up to: never a Truss config on their own. */
const SHARED_CAP = 2;

const MODELINE = /^#\s*yaml-language-server\s*:\s*\$schema=\S*truss/im;

/**
 * Truss keys that other tools' config.yaml use too (training scripts, Hydra, AWS Lambda, SkyPilot, Cog,
 * W&B): each counts +1 at most, and together at most SHARED_CAP. Every other Truss key is Truss's own.
 */
const SHARED = new Set([
  'build',
  'data_dir',
  'description',
  'environment_variables',
  'input_type',
  'model_name',
  'model_type',
  'python_version',
  'requirements',
  'resources',
  'runtime',
  'secrets',
  'spec_version',
  'weights',
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

/** One piece of evidence: what it is (our words, or a Truss key's name: never text of the file) and its points. */
interface Evidence {
  what: string;
  points: number;
}

export interface Detection {
  truss: boolean;
  score: number;
  /** Why, in a few words: the score and what made it. */
  reason: string;
}

/** `named`: a Truss key or one of FOREIGN, named in the reason; any other key of the file is only counted. */
type Kind = 'named' | 'shared' | 'typo' | 'other';

/** What a top-level key says, and how much. */
function keyEvidence(parsed: ParsedDocument, key: string, value: unknown): { kind: Kind; points: number } {
  if (FOREIGN.has(key)) return { kind: 'named', points: -3 };
  const schema = schemaAt([key]);
  // An unknown key close to a Truss key may be a typo of it, or another tool's (`dataset_dir`): neither way.
  if (!schema) return closest(key, TOP_LEVEL, 1).length ? { kind: 'typo', points: 0 } : { kind: 'other', points: -1 };
  const node = parsed.resolve(value);
  const shared = SHARED.has(key);
  if (key === 'python_version' && isScalar(node) && /^py3\d+$/.test(String(node.value))) {
    return { kind: 'named', points: 3 }; // truss's own spelling of a Python version
  }
  // A key only Truss uses in the wrong shape is a mistake to report; a shared key in another shape is
  // another tool's or a mistake: neither way.
  if (!shapeFits(schema, node)) return { kind: 'named', points: shared ? 0 : 2 };
  // A section whose own keys are not Truss's (Hydra's `resources: {gpus, nodes}`) is another tool's, or misspelt.
  if (isMap(node) && schema.properties && node.items.length) {
    const known = new Set(knownKeys([key]));
    const hits = node.items.filter((p) => isScalar(p.key) && known.has(String(p.key.value))).length;
    if (shared) return hits * 2 >= node.items.length ? { kind: 'shared', points: 1 } : { kind: 'named', points: 0 };
    if (hits === 0) return { kind: 'shared', points: 1 };
    return { kind: 'named', points: hits * 2 >= node.items.length ? 3 : 2 };
  }
  return shared ? { kind: 'shared', points: 1 } : { kind: 'named', points: 3 };
}

/** Whether a value has the kind (mapping, list, scalar) the schema wants there; null always fits. */
function shapeFits(schema: JsonSchema, node: unknown): boolean {
  const types = ([] as string[]).concat(schema.type ?? []);
  if (!types.length || node == null || (isScalar(node) && node.value === null)) return true;
  if (isMap(node)) return types.includes('object');
  if (isSeq(node)) return types.includes('array');
  return types.some((t) => t !== 'object' && t !== 'array');
}

/**
 * What the folder says: the model code truss loads (`model_module_dir`/`model_class_filename`, by
 * default model/model.py) +3, as much as a key only Truss uses: `truss push` reads the config beside it.
 * Its bundled packages (`packages/`) +1. A `data/` folder is not counted: ML repositories have one as
 * often as Truss folders do.
 */
function folderEvidence(value: unknown, folder: Folder): Evidence[] {
  const v = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const [modelDir, packagesDir] = codeDirs(v);
  const file = typeof v.model_class_filename === 'string' && v.model_class_filename.trim();
  const out: Evidence[] = [];
  if (folder(`${modelDir}/${file || 'model.py'}`)) {
    out.push({ what: modelDir === DEFAULT_MODEL_DIR && !file ? 'model/model.py' : 'its model code', points: 3 });
  }
  if (folder(packagesDir)) {
    out.push({ what: packagesDir === DEFAULT_PACKAGES_DIR ? 'packages/' : 'its bundled_packages_dir', points: 1 });
  }
  return out;
}

/**
 * Whether a document is a Truss config, and why: truss's `$schema` modeline decides alone; else the
 * score of its folder (when it has one) and its top-level keys must reach NEEDED. A key only Truss uses
 * (`base_image`, `trt_llm`, `model_class_name`, `python_version: py311`) counts +3; keys other tools share
 * (`model_name`, `resources`, `secrets`…) +1 each and +2 together at most, and only when their own keys
 * are Truss's; a typo of a Truss key 0; any other key −1, and `defaults`, `hydra`, `apiVersion` and the
 * like −3.
 */
export function detect(parsed: ParsedDocument, folder?: Folder): Detection {
  if (MODELINE.test(parsed.text)) return { truss: true, score: NEEDED, reason: "truss's $schema modeline" };
  const root = parsed.rootMap;
  if (!root || !root.items.length) return { truss: false, score: 0, reason: 'no top-level keys' };
  const around = folder ? folderEvidence(parsed.value, folder) : [];
  const evidence: Evidence[] = [...around];
  const shared: string[] = [];
  let others = 0;
  let otherPoints = 0;
  let typos = 0;
  for (const pair of root.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    const { kind, points } = keyEvidence(parsed, key, pair.value);
    if (kind === 'named') evidence.push({ what: key, points });
    else if (kind === 'shared') shared.push(key);
    else if (kind === 'typo') typos++;
    else {
      others++;
      otherPoints += points;
    }
  }
  if (shared.length) {
    const points = Math.min(shared.length, SHARED_CAP);
    const what =
      shared.length > SHARED_CAP ? `${shared.join('/')} (shared keys: ${SHARED_CAP} at most)` : shared.join('/');
    evidence.push({ what, points });
  }
  if (typos) evidence.push({ what: `${typos} key${typos === 1 ? '' : 's'} close to a Truss key`, points: 0 });
  if (others) evidence.push({ what: `${others} other key${others === 1 ? '' : 's'}`, points: otherPoints });
  const score = evidence.reduce((n, e) => n + e.points, 0);
  const truss = score >= NEEDED;
  // What the folder lacks is worth saying when it would have decided.
  const lack = truss || around.length ? '' : folder ? '; no model/model.py or packages/ beside it' : '; no folder';
  return { truss, score, reason: `score ${score} of ${NEEDED}: ${explain(evidence)}${lack}` };
}

/** The evidence, strongest first: "model/model.py +3, model_name +1, 2 other keys -2". */
function explain(evidence: Evidence[]): string {
  const shown = [...evidence].sort((a, b) => Math.abs(b.points) - Math.abs(a.points)).slice(0, 5);
  const sign = (n: number) => (n > 0 ? `+${n}` : `${n}`);
  const parts = shown.map((e) => `${e.what} ${sign(e.points)}`);
  if (shown.length < evidence.length) parts.push('\u2026');
  return parts.join(', ');
}
