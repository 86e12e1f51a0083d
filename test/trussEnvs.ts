/**
 * Python environments with a truss installed, made from truss's own config model at a release
 * (../shared/reference/truss-versions/models): `python3 -m venv --system-site-packages` (pydantic and
 * PyYAML come from the system), the model's `truss` package and stubs in site-packages, a
 * `truss-<version>.dist-info` with its version, and from v0.15.10 the `truss/config.schema.json` the
 * release ships (`TrussConfig.model_json_schema()`). `FUTURE` is a made-up release after the newest
 * we know: the newest model plus an accelerator (`FUTURE_GPU`) and a top-level key (`FUTURE_KEY`).
 * Environments are made once per machine under the temporary folder and reused.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The repository: the first folder above this bundle that holds package.json (no import of the rules: the
 * editor tests use this file too). */
const ROOT = (() => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();
export const VERSIONS_DIR = join(ROOT, '..', 'shared', 'reference', 'truss-versions');
export const FUTURE = '0.19.0';
export const FUTURE_GPU = 'X300';
export const FUTURE_KEY = 'warm_pool_size';

/** Why environments cannot be made here, or undefined when they can. */
export function cannotMakeEnvs(): string | undefined {
  if (!existsSync(join(VERSIONS_DIR, 'releases.tsv'))) return '../shared is absent';
  const r = spawnSync('python3', ['-c', 'import pydantic, yaml, venv'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : 'python3 with pydantic 2 and PyYAML is absent';
}

function modelOf(version: string): string {
  const tag = `v${version}`;
  for (const line of readFileSync(join(VERSIONS_DIR, 'releases.tsv'), 'utf8').split('\n').slice(1)) {
    const cols = line.split('\t');
    if (cols[0] === tag) return join(VERSIONS_DIR, 'models', cols[3]);
  }
  throw new Error(`no truss release ${version} in releases.tsv`);
}

const SCHEMA_FROM = [0, 15, 10];
function shipsSchema(version: string): boolean {
  const v = version.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (v[i] !== SCHEMA_FROM[i]) return v[i] > SCHEMA_FROM[i];
  return true;
}

/** The Python interpreter of an environment with truss `version` installed (made on first use). */
export function trussEnv(version: string): string {
  const prefix = join(tmpdir(), `truss-config-env-${version}-v1`);
  const python = join(prefix, 'bin', 'python3');
  if (existsSync(join(prefix, 'ready'))) return python;
  const building = `${prefix}.${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  run('python3', ['-m', 'venv', '--system-site-packages', '--without-pip', building]);
  const lib = join(building, 'lib');
  const site = join(
    lib,
    readdirSync(lib).find((d) => d.startsWith('python3'))!,
    'site-packages',
  );
  const model = modelOf(version === FUTURE ? '0.18.26' : version);
  cpSync(join(model, 'truss'), join(site, 'truss'), { recursive: true });
  if (existsSync(join(model, 'stubs'))) {
    for (const s of readdirSync(join(model, 'stubs')))
      cpSync(join(model, 'stubs', s), join(site, s), { recursive: true });
  }
  if (version === FUTURE) {
    const file = join(site, 'truss', 'base', 'truss_config.py');
    const text = readFileSync(file, 'utf8')
      .replace('    GB300 = "GB300"\n', `    GB300 = "GB300"\n    ${FUTURE_GPU} = "${FUTURE_GPU}"\n`)
      .replace(
        '    model_metadata: dict[str, Any] = pydantic.Field(',
        `    ${FUTURE_KEY}: Optional[int] = None\n    model_metadata: dict[str, Any] = pydantic.Field(`,
      );
    if (!text.includes(FUTURE_GPU) || !text.includes(FUTURE_KEY)) throw new Error('the future release patch failed');
    writeFileSync(file, text);
  }
  const info = join(site, `truss-${version}.dist-info`);
  mkdirSync(info);
  writeFileSync(join(info, 'METADATA'), `Metadata-Version: 2.1\nName: truss\nVersion: ${version}\n`);
  const bin = join(building, 'bin', 'python3');
  if (shipsSchema(version)) {
    const dump =
      'import json, sys; from truss.base.truss_config import TrussConfig; ' +
      'open(sys.argv[1], "w").write(json.dumps(TrussConfig.model_json_schema(), indent=2))';
    run(bin, ['-c', dump, join(site, 'truss', 'config.schema.json')]);
  }
  writeFileSync(join(building, 'ready'), '');
  // Made aside and moved in whole (its python finds its prefix by pyvenv.cfg): another test process
  // may be making the same one.
  try {
    renameSync(building, prefix);
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(join(prefix, 'ready'))) throw error;
  }
  return python;
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: tmpdir() });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
}
