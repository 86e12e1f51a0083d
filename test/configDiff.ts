/**
 * The config-level differential test's machinery: seeded mutations of the corpus's accepted configs
 * (remove, rename, retype, move, duplicate fields; swap enum values; cross-field fragments), truss's
 * verdict from ../shared/reference/truss-verdict.py (one python process for a whole batch), and ours
 * from the core's `analyze`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { analyze } from '../server/src/engine/analyze';
import { ROOT } from './ruleFiles';

export const SHARED = join(ROOT, '..', 'shared');
export const VERDICT = join(SHARED, 'reference', 'truss-verdict.py');
export const CORPUS = join(SHARED, 'corpus');

/** Why the differential test cannot run here, or undefined when it can. */
export function missingPrerequisite(): string | undefined {
  if (!existsSync(VERDICT)) return `no ${VERDICT}`;
  if (!existsSync(join(CORPUS, 'truss-verdicts.jsonl'))) return `no corpus at ${CORPUS}`;
  const py = spawnSync('python3', ['-c', 'import yaml, pydantic, packaging'], { encoding: 'utf8' });
  if (py.error || py.status !== 0) return 'python3 with PyYAML, pydantic and packaging is not available';
  return undefined;
}

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Obj = { [k: string]: Json };
type Seg = string | number;

/** mulberry32: a small seeded generator. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/** A seeded shuffle (Fisher–Yates) of a copy. */
export function shuffle<T>(xs: readonly T[], r: () => number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
const pattern = (path: Seg[]) => path.map((s) => (typeof s === 'number' ? '*' : s)).join('.');

/** Values of every type, for retyping. */
const ANY: Json[] = [
  0,
  1,
  2,
  4,
  8,
  -1,
  1.5,
  100000,
  '1',
  '8',
  'abc',
  '',
  ' ',
  true,
  false,
  'true',
  'no',
  null,
  [],
  {},
  ['x'],
  [1],
  { a: 1 },
  'H100:2',
  '/abs/path',
  'hf://org/repo',
  'py311',
];

/** Whole sections, written to exercise the fields that interact (added to what the corpus holds). */
const FRAGMENTS: Record<string, Json[]> = {
  hf_cache: [
    [{ repo_id: 'org/model' }],
    [{ repo_id: 'org/model', use_volume: false }],
    [{ repo_id: 'org/model', use_volume: true }],
    [{ repo_id: 'org/model', use_volume: true, volume_folder: 'm', revision: 'main' }],
    [{ repo_id: 'org/model', use_volume: false, path_details: 1 }],
    [
      { repo_id: 'org/a', use_volume: false },
      { repo_id: 'org/b', use_volume: true, volume_folder: 'b' },
    ],
    [{ repo_id: 'gs://b/m', kind: 'gcs', use_volume: true, volume_folder: 'm' }],
    null,
    [],
    { repo_id: 'org/model' },
  ],
  model_cache: [
    [{ repo_id: 'org/model', use_volume: false }],
    [{ repo_id: 'org/model', use_volume: true, volume_folder: 'm', revision: 'main' }],
    [{ repo_id: 'org/model' }],
    [],
    null,
  ],
  weights: [
    [{ source: 'hf://org/model@main', mount_location: '/models/m' }],
    [{ source: 's3://bucket/m', mount_location: '/models/m', auth: { auth_method: 'AWS_OIDC' } }],
    [],
    null,
  ],
  training_checkpoints: [
    { artifact_references: [{ training_job_id: 'abc', paths: ['x'] }] },
    { artifact_references: [{ training_job_id: 'abc', paths: ['x'], path_details: [] }] },
    { artifact_references: [{ training_job_id: 'abc' }] },
    { artifact_references: [{ paths: ['x'] }] },
    { download_folder: '/tmp/x', loops_checkpoint_ids: ['a'] },
    { artifact_references: [{ training_job_id: 'abc', paths: ['x'] }], loops_checkpoint_ids: ['a'] },
  ],
  resources: [
    { use_gpu: true },
    { use_gpu: true, accelerator: 'A10G' },
    { use_gpu: false, accelerator: 'H100' },
    { accelerator: 'H100:8', cpu: '4', memory: '16Gi' },
    { accelerator: 'B200:4' },
    { accelerator: 'H200:2' },
    { accelerator: 'L4' },
    { accelerator: 'A100:2' },
    { accelerator: 'T4' },
    { accelerator: 'RTX_PRO_6000' },
    { accelerator: { accelerator: 'H100', count: 2 } },
    { instance_type: 'L4:4x16', accelerator: 'H100' },
    { node_count: 2, accelerator: 'H100:8' },
  ],
  runtime: [
    { is_websocket_endpoint: true },
    { is_websocket_endpoint: false },
    { is_websocket_endpoint: true, transport: { kind: 'websocket' } },
    { is_websocket_endpoint: true, transport: { kind: 'http' } },
    { is_websocket_endpoint: false, transport: { kind: 'websocket' } },
    { transport: { kind: 'grpc' } },
    { predict_concurrency: 4, num_workers: 1 },
    { health_checks: { restart_threshold_seconds: 10 } },
  ],
  docker_server: [
    {
      start_command: 'python main.py',
      server_port: 8000,
      predict_endpoint: '/predict',
      readiness_endpoint: '/health',
      liveness_endpoint: '/health',
    },
    { start_command: 'x', server_port: 8000, predict_endpoint: '/p', readiness_endpoint: '/r' },
    {
      server_port: 8000,
      predict_endpoint: '/p',
      readiness_endpoint: '/r',
      liveness_endpoint: '/l',
      run_as_user_id: 1000,
    },
  ],
  base_image: [
    { image: 'nvcr.io/nvidia/pytorch:23.10-py3' },
    {
      image: '123456789012.dkr.ecr.us-west-2.amazonaws.com/i:1',
      docker_auth: { auth_method: 'AWS_IAM', registry: 'r' },
    },
    {
      image: 'gcr.io/p/i:1',
      docker_auth: { auth_method: 'gcp_service_account_json', secret_name: 's', registry: 'r' },
    },
    { image: 'gcr.io/p/i:1', docker_auth: { auth_method: 'GCP_OIDC', registry: 'r' } },
    { image: 'i', docker_auth: { auth_method: 'AWS_OIDC', aws_oidc_role_arn: 'a', aws_oidc_region: 'r' } },
    { image: 'i', docker_auth: { auth_method: 'AWS_OIDC', aws_oidc_role_arn: 'a', secret_name: 's' } },
    { image: 'i', docker_auth: { auth_method: 'REGISTRY_SECRET', secret_name: 's', registry: 'r' } },
    { image: 'i', python_executable_path: '/usr/bin/python3' },
  ],
};

/** trt_llm fragments: a grid of the fields that interact with each other and with `resources`. */
function trtFragment(r: () => number): Json {
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const build: Obj = {
    checkpoint_repository: pick<Json>([
      { source: 'HF', repo: 'org/model' },
      { source: 'HF', repo: 'org/model', revision: 'main', runtime_secret_name: 'hf' },
      { source: 'HF' },
      { repo: 'org/model' },
      { source: 'S3', repo: 's3://b/m', extra_key: 1 },
      { source: 'hf', repo: 'org/model' },
    ]),
  };
  if (r() < 0.6)
    build.quantization_type = pick(['fp8', 'fp8_kv', 'fp4', 'fp4_kv', 'fp4_mlp_only', 'no_quant', 'weights_int8']);
  if (r() < 0.5) build.tensor_parallel_count = pick([1, 2, 4, 8]);
  if (r() < 0.2) build.pipeline_parallel_count = pick([1, 2]);
  if (r() < 0.2) build.sequence_parallel_count = pick([1, 2]);
  if (r() < 0.3) build.base_model = pick(['decoder', 'encoder', 'encoder_bert', 'llama']);
  if (r() < 0.2) build.max_seq_len = pick([4096, 0, '8192']);
  if (r() < 0.15) build[pick(['max_sequence_length', 'quantisation_type', 'num_gpus'])] = 1;
  const trt: Obj = { build };
  if (r() < 0.3) trt.inference_stack = pick(['v1', 'v2']);
  if (r() < 0.4)
    trt.runtime = pick<Json>([
      { kv_cache_free_gpu_mem_fraction: 0.9 },
      { enable_chunked_context: true, batch_scheduler_policy: 'max_utilization' },
      { max_batch_size: 64 },
      { max_seq_len: 4096, tensor_parallel_size: 2 },
      { unknown_runtime_key: 1 },
      { served_model_name: 'm', webserver_default_route: '/v1/embeddings' },
    ]);
  return trt;
}

export interface Seeds {
  configs: Obj[];
  /** Values seen at each key pattern (`resources.accelerator`), for enum swaps and moves. */
  values: Map<string, Json[]>;
  /** Keys seen in the mappings at each pattern. */
  keys: Map<string, string[]>;
}

export function loadSeeds(): Seeds {
  const lines = readFileSync(join(CORPUS, 'truss-verdicts.jsonl'), 'utf8').split('\n').filter(Boolean);
  const configs: Obj[] = [];
  for (const l of lines) {
    const v = JSON.parse(l) as { file: string; truss_load_ok: boolean; truss_push_ok: boolean };
    if (!v.truss_load_ok || !v.truss_push_ok) continue;
    try {
      const value = parse(readFileSync(join(CORPUS, v.file), 'utf8'), { version: '1.1', merge: true }) as unknown;
      const json = JSON.parse(JSON.stringify(value ?? {})) as Json;
      if (isObj(json)) configs.push(json);
    } catch {
      // A file the yaml package reads otherwise than PyYAML is not a seed.
    }
  }
  const values = new Map<string, Json[]>();
  const keys = new Map<string, string[]>();
  const add = <T>(m: Map<string, T[]>, k: string, v: T) => {
    const list = m.get(k) ?? [];
    if (list.length < 60 && !list.some((x) => JSON.stringify(x) === JSON.stringify(v))) list.push(v);
    m.set(k, list);
  };
  const walk = (v: Json, path: Seg[]) => {
    if (path.length) add(values, pattern(path), v);
    if (isObj(v))
      for (const [k, child] of Object.entries(v)) {
        add(keys, pattern(path), k);
        walk(child, [...path, k]);
      }
    else if (Array.isArray(v)) v.forEach((c, i) => walk(c, [...path, i]));
  };
  for (const c of configs) walk(c, []);
  for (const [k, frags] of Object.entries(FRAGMENTS)) for (const f of frags) add(values, k, f);
  return { configs, values, keys };
}

/** Every path in a value (map keys and list items). */
function paths(v: Json, prefix: Seg[] = []): Seg[][] {
  const out: Seg[][] = [];
  if (isObj(v))
    for (const [k, c] of Object.entries(v)) {
      out.push([...prefix, k]);
      out.push(...paths(c, [...prefix, k]));
    }
  else if (Array.isArray(v))
    v.forEach((c, i) => {
      out.push([...prefix, i]);
      out.push(...paths(c, [...prefix, i]));
    });
  return out;
}

function at(root: Json, path: Seg[]): Json | undefined {
  let cur: Json | undefined = root;
  for (const s of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, Json>)[s];
  }
  return cur;
}

function typo(k: string, r: () => number): string {
  const i = Math.floor(r() * k.length);
  const kinds = [
    () => k.slice(0, i) + k.slice(i + 1),
    () => k.slice(0, i) + k[i] + k.slice(i),
    () => k.toUpperCase(),
    () => k.replace(/_/g, '-'),
    () => k + 's',
  ];
  return kinds[Math.floor(r() * kinds.length)]() || 'x';
}

/** One case: a seed with one to three mutations. */
export function mutateOnce(seeds: Seeds, r: () => number): { config: Json; ops: string[] } {
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const config = clone(pick(seeds.configs));
  const ops: string[] = [];
  const n = 1 + Math.floor(r() * r() * 3);
  for (let m = 0; m < n; m++) {
    const all = paths(config);
    const path = all.length ? pick(all) : ['model_name'];
    const parentPath = path.slice(0, -1);
    const parent = parentPath.length ? at(config, parentPath) : config;
    const last = path[path.length - 1];
    const kind = pick(['remove', 'rename', 'retype', 'move', 'duplicate', 'enum', 'enum', 'section', 'section', 'trt']);
    const here = pattern(path);
    if (kind === 'remove' && parent && typeof parent === 'object') {
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete parent[last];
    } else if (kind === 'rename' && isObj(parent) && typeof last === 'string') {
      const known = seeds.keys.get(pattern(parentPath)) ?? [];
      const to = r() < 0.5 && known.length ? pick(known) : typo(last, r);
      const v = parent[last];
      delete parent[last];
      parent[to] = v;
    } else if (kind === 'retype' && parent && typeof parent === 'object') {
      (parent as Record<string | number, Json>)[last] = clone(pick(ANY));
    } else if ((kind === 'move' || kind === 'duplicate') && isObj(parent) && typeof last === 'string') {
      const maps = [[], ...all].filter((p) => isObj(p.length ? at(config, p) : config));
      const target = pick(maps);
      const dest = (target.length ? at(config, target) : config) as Obj;
      const v = clone(parent[last]);
      if (kind === 'move') delete parent[last];
      if (v !== undefined) dest[last] = v;
    } else if (kind === 'duplicate' && Array.isArray(parent)) {
      parent.push(clone(parent[last as number]));
    } else if (kind === 'enum' && parent && typeof parent === 'object') {
      const pool = seeds.values.get(here) ?? [];
      const cur = (parent as Record<string | number, Json>)[last];
      const variants: Json[] = typeof cur === 'string' ? [cur.toLowerCase(), cur.toUpperCase(), `${cur}x`] : [];
      const choice = [...pool.filter((p) => typeof p !== 'object' || p === null), ...variants];
      if (choice.length) (parent as Record<string | number, Json>)[last] = clone(pick(choice));
    } else if (kind === 'section') {
      const key = pick(Object.keys(FRAGMENTS));
      const pool = seeds.values.get(key) ?? FRAGMENTS[key];
      config[key] = clone(pick(pool));
      if (key === 'hf_cache' && r() < 0.5) delete config.model_cache;
    } else if (kind === 'trt') {
      config.trt_llm = trtFragment(r);
      if (r() < 0.7) config.resources = clone(pick(FRAGMENTS.resources));
      if (r() < 0.5) config.model_metadata = { tags: ['openai-compatible'] };
    }
    ops.push(`${kind} ${here}`);
  }
  return { config, ops };
}

export interface Verdict {
  load_ok: boolean;
  push_ok: boolean;
  errors: string[];
  warnings: string[];
}

/**
 * truss's verdicts on many texts, from one python process. The process reads and writes files, so
 * the caller may work (our own verdicts) while it runs: nothing waits on a full pipe.
 */
export async function trussVerdicts(texts: string[]): Promise<Verdict[]> {
  const dir = mkdtempSync(join(tmpdir(), 'config-diff-'));
  try {
    const files = texts.map((t, i) => {
      const f = join(dir, `${i}.yaml`);
      writeFileSync(f, t);
      return f;
    });
    writeFileSync(join(dir, 'in.json'), JSON.stringify(files));
    const fds = ['in.json', 'out.jsonl', 'err.txt'].map((f, i) => openSync(join(dir, f), i ? 'w' : 'r'));
    const status = await new Promise<number | null>((done, fail) => {
      const child = spawn('python3', [VERDICT, '--stdin-json'], { stdio: fds });
      child.on('error', fail);
      child.on('close', done);
    }).finally(() => fds.forEach((fd) => closeSync(fd)));
    if (status !== 0)
      throw new Error(`truss-verdict.py failed: ${readFileSync(join(dir, 'err.txt'), 'utf8').slice(0, 400)}`);
    const byFile = new Map<string, Verdict>();
    for (const line of readFileSync(join(dir, 'out.jsonl'), 'utf8').split('\n').filter(Boolean)) {
      const v = JSON.parse(line) as Verdict & { file: string };
      byFile.set(v.file, v);
    }
    return files.map((f) => byFile.get(f)!);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A difference from truss we document (docs/differences.md): truss rejects, we cannot know. */
export const DOCUMENTED_MISSES: Array<{ reason: string; trussError: RegExp }> = [];

export interface Disagreement {
  /** truss rejects and we report no error; we report one where truss accepts; a rule failed. */
  kind: 'miss' | 'false-error' | 'crash';
  text: string;
  ops: string[];
  truss: string;
  ours: string[];
}

/** Our verdict: the error findings of `analyze`, or the failure of a rule. */
export function ourErrors(text: string): { errors: string[]; crash?: string } {
  try {
    const a = analyze(text, { detect: 'always' });
    if (a.internalErrors.length)
      return { errors: [], crash: `${a.internalErrors[0].rule}: ${String(a.internalErrors[0].error)}` };
    return { errors: a.findings.filter((f) => f.severity === 'error').map((f) => `${f.code}: ${f.message}`) };
  } catch (e) {
    return { errors: [], crash: String(e instanceof Error ? e.stack : e) };
  }
}

/**
 * How our verdict (`ourErrors`) disagrees with truss's: truss rejects (`push_ok` false) exactly when
 * we report an error, but for the documented misses. Undefined when they agree.
 */
export function disagreement(
  ours: ReturnType<typeof ourErrors>,
  truss: Pick<Verdict, 'push_ok' | 'errors'>,
): Omit<Disagreement, 'text' | 'ops'> | undefined {
  const first = truss.errors[0] ?? '';
  if (ours.crash) return { kind: 'crash', truss: first, ours: [ours.crash] };
  if (!truss.push_ok && !ours.errors.length) {
    if (DOCUMENTED_MISSES.some((d) => d.trussError.test(first))) return undefined;
    return { kind: 'miss', truss: first, ours: [] };
  }
  if (truss.push_ok && ours.errors.length) return { kind: 'false-error', truss: first, ours: ours.errors };
  return undefined;
}

export function textOf(config: Json): string {
  return stringify(config, { version: '1.1', lineWidth: 0 });
}

/** Runs `cases` seeded cases and returns the disagreements outside the documented ones. */
export async function runDifferential(
  cases: number,
  seed: number,
): Promise<{ disagreements: Disagreement[]; rejected: number }> {
  const seeds = loadSeeds();
  const r = rng(seed);
  const generated = Array.from({ length: cases }, () => mutateOnce(seeds, r));
  const texts = generated.map((g) => textOf(g.config));
  const pending = trussVerdicts(texts);
  const ours = texts.map(ourErrors);
  const verdicts = await pending;
  const disagreements: Disagreement[] = [];
  let rejected = 0;
  texts.forEach((text, i) => {
    if (!verdicts[i].push_ok) rejected++;
    const d = disagreement(ours[i], verdicts[i]);
    if (d) disagreements.push({ ...d, text, ops: generated[i].ops });
  });
  return { disagreements, rejected };
}
