/**
 * Mutation test: take valid configs, make the mistakes users make, and compare our verdict
 * (any error or none) with what truss-config-spec.md says truss does. The expectations come
 * from the tables below, written from the spec, not from our schema.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from './ruleFiles';
import { type Document, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { analyze } from '../server/src/engine/analyze';

const DIR = join(ROOT, 'test', 'mutation');

/** Sections where truss push rejects unknown keys (spec §1: every ConfigModel section). trt_llm.build is
 * left out: truss 0.18.25 does not reject extra keys there (its classes define their own __init__). */
const STRICT = [
  '',
  'base_image',
  'base_image.docker_auth',
  'resources',
  'runtime',
  'runtime.health_checks',
  'runtime.egress_restrictions',
  'build',
  'docker_server',
  'weights.*',
  'weights.*.auth',
  'external_data.*',
  'model_cache.*',
  'trt_llm',
  'training_checkpoints',
];
/** Free-form maps, and sections truss ignores extras in (spec §1). */
const FREE = [
  'model_metadata',
  'model_metadata.example_model_input',
  'environment_variables',
  'secrets',
  'build.arguments',
  'build.secret_to_path_mapping',
  'runtime.transport',
];
/** Field types (spec §2–§7). Strings reject numbers; ints and bools accept their string forms (lax mode). */
const STRING = [
  'model_name',
  'description',
  'python_version',
  'base_image.image',
  'base_image.python_executable_path',
  'base_image.docker_auth.registry',
  'base_image.docker_auth.secret_name',
  'base_image.docker_auth.aws_oidc_role_arn',
  'base_image.docker_auth.aws_oidc_region',
  'resources.cpu',
  'resources.memory',
  'docker_server.start_command',
  'docker_server.predict_endpoint',
  'docker_server.readiness_endpoint',
  'docker_server.liveness_endpoint',
  'weights.*.source',
  'weights.*.mount_location',
  'model_cache.*.repo_id',
  'external_data.*.url',
  'external_data.*.local_data_path',
  'training_checkpoints.download_folder',
  'secrets.*',
];
const INT = [
  'runtime.predict_concurrency',
  'runtime.streaming_read_timeout',
  'docker_server.server_port',
  'runtime.health_checks.restart_threshold_seconds',
];
const BOOL = ['runtime.enable_tracing_data', 'live_reload', 'model_cache.*.use_volume'];
/** Required keys (spec): removing one is an error. */
const REQUIRED = [
  'base_image.docker_auth.auth_method',
  'docker_server.server_port',
  'docker_server.predict_endpoint',
  'docker_server.readiness_endpoint',
  'docker_server.liveness_endpoint',
  'docker_server.start_command',
  'weights.*.source',
  'weights.*.mount_location',
  'model_cache.*.repo_id',
  'model_cache.*.use_volume',
  'model_cache.*.volume_folder',
  'external_data.*.url',
  'external_data.*.local_data_path',
  'trt_llm.build',
  'base_image.docker_auth.aws_oidc_role_arn',
  'base_image.docker_auth.aws_oidc_region',
  'base_image.docker_auth.secret_name',
  'weights.*.auth.auth_method',
  'weights.*.auth.auth_secret_name',
];
/** Enum fields with a value truss refuses. */
const ENUMS: Record<string, string> = {
  'base_image.docker_auth.auth_method': 'AWS_ROLE',
  python_version: 'py38',
  'runtime.transport.kind': 'tcp',
  'build.model_server': 'Triton',
  'weights.*.auth.auth_method': 'BASIC',
  'trt_llm.build.quantization_type': 'int3',
  'resources.accelerator': 'A200',
};

type Mutation = { name: string; text: string; error: boolean };

const pattern = (path: (string | number)[]) => path.map((s) => (typeof s === 'number' ? '*' : s)).join('.');
const typo = (k: string) => (k.length > 3 ? k.slice(0, -2) + k.slice(-1) + k.slice(-2, -1) : k + 'x');

/** Every key path in a document, with the pattern of its parent mapping. */
function keyPaths(doc: Document): Array<(string | number)[]> {
  const out: Array<(string | number)[]> = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    if (isMap(node)) {
      for (const p of node.items) {
        if (!isScalar(p.key)) continue;
        const next = [...path, String(p.key.value)];
        out.push(next);
        walk(p.value, next);
      }
    } else if (isSeq(node)) node.items.forEach((item, i) => walk(item, [...path, i]));
  };
  walk(doc.contents, []);
  return out;
}

function mutate(base: string, change: (doc: Document) => void): string {
  const doc = parseDocument(base);
  change(doc);
  return String(doc);
}

function mutations(base: string, name: string): Mutation[] {
  const out: Mutation[] = [];
  const doc = parseDocument(base);
  for (const path of keyPaths(doc)) {
    const key = String(path[path.length - 1]);
    const parent = pattern(path.slice(0, -1));
    const where = `${name}: ${path.join('.')}`;
    const here = pattern(path);
    // A typo in the key.
    if (STRICT.includes(parent))
      out.push({ name: `${where}: key typo`, error: true, text: mutate(base, (d) => renameKey(d, path, typo(key))) });
    else if (FREE.includes(parent))
      out.push({
        name: `${where}: key typo in a free-form map`,
        // `kind` chooses the transport: without it truss cannot tell which one is meant.
        error: here === 'runtime.transport.kind',
        text: mutate(base, (d) => renameKey(d, path, typo(key))),
      });
    // A wrong type, and the lax forms truss accepts.
    if (STRING.includes(here) && here !== 'secrets.*')
      out.push({ name: `${where}: number for a string`, error: true, text: mutate(base, (d) => d.setIn(path, 12345)) });
    if (here === 'secrets.*')
      out.push({
        name: `${where}: number as a secret value`,
        error: true,
        text: mutate(base, (d) => d.setIn(path, 12345)),
      });
    if (INT.includes(here)) {
      out.push({ name: `${where}: word for an int`, error: true, text: mutate(base, (d) => d.setIn(path, 'many')) });
      out.push({
        name: `${where}: int as a string (lax)`,
        error: false,
        text: mutate(base, (d) => d.setIn(path, String(d.getIn(path)))),
      });
    }
    if (BOOL.includes(here)) {
      out.push({ name: `${where}: word for a bool`, error: true, text: mutate(base, (d) => d.setIn(path, 'maybe')) });
      out.push({
        name: `${where}: bool as a string (lax)`,
        error: false,
        text: mutate(base, (d) => d.setIn(path, String(d.getIn(path)))),
      });
    }
    if (here in ENUMS)
      out.push({
        name: `${where}: unknown enum value`,
        error: true,
        text: mutate(base, (d) => d.setIn(path, ENUMS[here])),
      });
    if (here.endsWith('auth_method')) {
      out.push({
        name: `${where}: lower-case method (truss upper-cases it)`,
        error: false,
        text: mutate(base, (d) => d.setIn(path, String(d.getIn(path)).toLowerCase())),
      });
    }
    if (REQUIRED.includes(here))
      out.push({ name: `${where}: removed`, error: true, text: mutate(base, (d) => d.deleteIn(path)) });
  }
  // Extra keys, strict and free-form sections; conflicts.
  const has = (p: string[]) => doc.hasIn(p);
  for (const section of [
    [],
    ['base_image'],
    ['base_image', 'docker_auth'],
    ['resources'],
    ['runtime'],
    ['build'],
    ['docker_server'],
    ['trt_llm'],
    ['training_checkpoints'],
  ]) {
    if (section.length && !has(section)) continue;
    out.push({
      name: `${name}: extra key in ${section.join('.') || 'the top level'}`,
      error: true,
      text: mutate(base, (d) => d.setIn([...section, 'extra_field'], 1)),
    });
  }
  for (const section of [
    ['model_metadata'],
    ['environment_variables'],
    ['build', 'arguments'],
    ['runtime', 'transport'],
  ]) {
    if (!has(section)) continue;
    out.push({
      name: `${name}: extra key in free-form ${section.join('.')}`,
      error: false,
      text: mutate(base, (d) => d.setIn([...section, 'extra_field'], '1')),
    });
  }
  const conflicts: Array<[string, (d: Document) => void]> = [
    [
      'requirements_file with requirements',
      (d) => (d.set('requirements', ['x']), d.set('requirements_file', 'requirements.txt')),
    ],
    [
      'weights with model_cache',
      (d) => (
        d.set('model_cache', [{ repo_id: 'a/b', use_volume: false }]),
        d.set('weights', [{ source: 'hf://a/b', mount_location: '/w' }])
      ),
    ],
    ['build.no_cache: true', (d) => d.setIn(['build', 'no_cache'], true)],
    ['runtime.num_workers: 1', (d) => d.setIn(['runtime', 'num_workers'], 1)],
    ['runtime.num_workers: 2', (d) => d.setIn(['runtime', 'num_workers'], 2)],
    ['python_version: 3.11 (a number)', (d) => d.set('python_version', 3.11)],
    ['cpu: 1 (a number)', (d) => d.setIn(['resources', 'cpu'], 1)],
    ['secrets as a list', (d) => d.set('secrets', ['hf_access_token'])],
    ['relative python_executable_path', (d) => d.setIn(['base_image', 'python_executable_path'], 'bin/python')],
    ['accelerator H100:0', (d) => d.setIn(['resources', 'accelerator'], 'H100:0')],
    ['memory with a lower-case unit', (d) => d.setIn(['resources', 'memory'], '16gb')],
    ['use_gpu: true (ignored)', (d) => d.setIn(['resources', 'use_gpu'], true)],
    ['environment variable set to null (becomes "None")', (d) => d.setIn(['environment_variables', 'EMPTY'], null)],
    ['port 8080 (accepted by truss; the deploy fails)', (d) => d.setIn(['docker_server', 'server_port'], 8080)],
  ];
  const warnOnly = new Set([
    'use_gpu: true (ignored)',
    'environment variable set to null (becomes "None")',
    'port 8080 (accepted by truss; the deploy fails)',
  ]);
  for (const [what, change] of conflicts) {
    if (what.startsWith('port') && !has(['docker_server'])) continue;
    out.push({ name: `${name}: ${what}`, error: !warnOnly.has(what), text: mutate(base, change) });
  }
  if (has(['base_image', 'docker_auth'])) {
    const method = String(doc.getIn(['base_image', 'docker_auth', 'auth_method']));
    const forbidden = method === 'AWS_OIDC' ? 'gcp_oidc_service_account' : 'aws_oidc_role_arn';
    out.push({
      name: `${name}: a field ${method} forbids`,
      error: true,
      text: mutate(base, (d) => d.setIn(['base_image', 'docker_auth', forbidden], 'x')),
    });
  }
  return out;
}

function renameKey(doc: Document, path: (string | number)[], to: string): void {
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
  if (!isMap(parent)) return;
  const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(path[path.length - 1]));
  if (pair && isScalar(pair.key)) pair.key.value = to;
}

describe('mutation test: our verdict against truss behaviour from the spec', () => {
  const bases = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
  let total = 0;
  let agree = 0;
  const disagreements: string[] = [];

  for (const file of bases) {
    const base = readFileSync(join(DIR, file), 'utf8');
    it(`${file} is a valid config with no error`, () => {
      const errors = analyze(base).findings.filter((f) => f.severity === 'error');
      assert.deepEqual(
        errors.map((e) => `${e.code}: ${e.message}`),
        [],
      );
    });
    it(`${file}: every mutation gets the verdict truss gives`, () => {
      for (const m of mutations(base, file)) {
        total++;
        const errors = analyze(m.text, { detect: 'always' }).findings.filter((f) => f.severity === 'error');
        if (errors.length > 0 === m.error) agree++;
        else
          disagreements.push(
            `${m.name}: expected ${m.error ? 'an error' : 'no error'}, ` +
              `got ${errors.map((e) => e.code).join(', ') || 'none'}`,
          );
      }
    });
  }

  it('agrees on every mutation', () => {
    console.log(
      `mutation test: ${total} mutations of ${bases.length} configs, ` +
        `${agree} agree with truss (${((100 * agree) / total).toFixed(1)}%)`,
    );
    assert.ok(total > 150, `enough mutations (${total})`);
    assert.deepEqual(disagreements, []);
  });
});
