// @ts-check
// The generated workspace of the workspace rows: Truss configs in nested folders, with node_modules,
// .venv and non-Truss config.yaml files beside them.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MB } from './stats.mjs';
/** @import { Subject } from './subjects.mjs' */
/** @typedef {import('../../server/src/cli/formats.ts').JsonResult} JsonResult */

/** @typedef {{ text: string }} Source */
/** @typedef {{ text: string, truss: boolean, problems: boolean, plantable: boolean }} Verdict */

/**
 * @typedef {object} Layout
 * @property {number} trussConfigs
 * @property {number} planted configs with a planted problem
 * @property {number} distinctSources
 * @property {number} notTruss config.yaml files of other tools
 * @property {number} skippedFolders configs under node_modules and .venv
 * @property {number} otherYaml
 */

/**
 * @typedef {object} Workspace
 * @property {string} dir
 * @property {string} uri
 * @property {{ uri: string, planted: boolean }[]} configs
 * @property {Set<string>} planted URIs that must get diagnostics
 * @property {Set<string>} ignored URIs that must get none
 * @property {{ configs: number, withProblems: number }} expected what a scan by request must count
 * @property {Subject} typing the config typed into during a scan
 * @property {Layout} layout
 */

/** A problem planted at the end of a config: an unknown top-level key (a typo of `resources`). */
const PLANT = 'resorces:\n  cpu: "1"\n';
const planted = (/** @type {string} */ text) => `${text}${text.endsWith('\n') || !text ? '' : '\n'}${PLANT}`;

/** config.yaml files of other tools: the server must not take them for Truss configs. */
const NOT_TRUSS = [
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n',
  'defaults:\n  - model: resnet\n  - _self_\nhydra:\n  run:\n    dir: outputs\nseed: 42\ntrainer:\n  max_epochs: 10\n',
  'name: ci\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n',
  'service: api\nprovider:\n  name: aws\n  region: us-east-1\nfunctions:\n  hello:\n    handler: handler.hello\n',
  'server:\n  port: 8080\nlogging:\n  level: info\ndatabase:\n  url: postgres://localhost/app\n',
];

const pad = (/** @type {number} */ n) => String(n).padStart(4, '0');

/**
 * @param {string} file
 * @param {string} text
 */
function write(file, text) {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
}

/**
 * Writes a workspace of `count` Truss configs made from `sources` (used in turn), below
 * `root/workspace`. One config in four has a planted problem, and so do the last five (the last the
 * server reaches, as it walks folders in name order). Beside them: non-Truss config.yaml files, other
 * YAML files, and Truss configs under node_modules and .venv (which the server must skip).
 * `typing` is added as one more config, for the typing measurement.
 * @param {{ root: string, count: number, sources: Source[], typing: Subject, cliJs: string }} options
 * @returns {Workspace}
 */
export function buildWorkspace({ root, count, sources, typing, cliJs }) {
  const verdict = verdicts(root, [...sources, typing], cliJs);
  const typingVerdict = /** @type {Verdict} */ (verdict.pop());
  if (!typingVerdict.truss) throw new Error('workspace: the typing subject is not a Truss config');
  const truss = verdict.filter((v) => v.truss);
  const plantable = truss.filter((v) => v.plantable);
  if (!plantable.length) throw new Error('workspace: no source config takes the planted problem');

  const dir = join(root, 'workspace');
  const { configs, ignored, expected, otherYaml } = writeConfigs(dir, count, truss, plantable);
  // Dependencies and virtual environments: Truss configs with a problem, which must be skipped.
  const skipped = Math.max(10, Math.round(count / 40));
  for (const uri of writeSkipped(dir, skipped, plantable[0].text)) ignored.add(uri);
  const typingFile = join(dir, 'org-0000', 'team-0000', 'typing', 'config.yaml');
  write(typingFile, typing.text);
  expected.configs++;
  if (typingVerdict.problems) expected.withProblems++;
  return {
    dir,
    uri: pathToFileURL(dir).href,
    configs,
    planted: new Set(configs.filter((c) => c.planted).map((c) => c.uri)),
    ignored,
    expected,
    typing: { ...typing, uri: pathToFileURL(typingFile).href },
    layout: {
      trussConfigs: count + 1,
      planted: configs.filter((c) => c.planted).length,
      distinctSources: truss.length,
      notTruss: [...ignored].filter((u) => !/node_modules|\.venv/.test(u)).length,
      skippedFolders: skipped,
      otherYaml,
    },
  };
}

/**
 * The checker's verdict on each source, as is and planted, run once (`cliJs`, one process) over all of
 * them and the non-Truss files: which are Truss configs, which have problems, and that the planted
 * problem is reported.
 * @param {string} root
 * @param {Source[]} sources
 * @param {string} cliJs
 * @returns {Verdict[]}
 */
function verdicts(root, sources, cliJs) {
  const check = join(root, 'workspace-check');
  sources.forEach((s, i) => {
    write(join(check, `s${i}`, 'config.yaml'), s.text);
    write(join(check, `p${i}`, 'config.yaml'), planted(s.text));
  });
  NOT_TRUSS.forEach((text, i) => write(join(check, `n${i}`, 'config.yaml'), text));
  const r = spawnSync(process.execPath, [cliJs, '--format', 'json', check], {
    encoding: 'utf8',
    maxBuffer: 256 * MB,
    timeout: 120000,
  });
  if (r.status !== 0 && r.status !== 1) {
    throw new Error(`workspace: the checker failed (status ${r.status}): ${String(r.stderr).split('\n')[0]}`);
  }
  /** @type {JsonResult[]} */
  const results = JSON.parse(r.stdout);
  const found = new Map(results.map((f) => [relative(check, f.file).split(/[\\/]/)[0], f.diagnostics.length]));
  rmSync(check, { recursive: true, force: true });
  if (NOT_TRUSS.some((_, i) => found.has(`n${i}`))) throw new Error('workspace: a non-Truss file is taken for Truss');
  return sources.map((s, i) => ({
    text: s.text,
    truss: found.has(`s${i}`),
    problems: (found.get(`s${i}`) ?? 0) > 0,
    plantable: (found.get(`p${i}`) ?? 0) > (found.get(`s${i}`) ?? 0),
  }));
}

/**
 * The `count` configs in org-N/team-N/model-N folders (one in seven deeper), with a params.yaml beside
 * one in three and a non-Truss config.yaml beside one in twenty.
 * @param {string} dir
 * @param {number} count
 * @param {Verdict[]} truss
 * @param {Verdict[]} plantable
 */
function writeConfigs(dir, count, truss, plantable) {
  /** @type {{ uri: string, planted: boolean }[]} */
  const configs = [];
  /** @type {Set<string>} */
  const ignored = new Set(); // URIs that must get no diagnostics
  const expected = { configs: 0, withProblems: 0 };
  let otherYaml = 0;
  const perTeam = 10;
  const perOrg = 25 * perTeam;
  for (let i = 0; i < count; i++) {
    const model = join(dir, `org-${pad(Math.floor(i / perOrg))}`, `team-${pad(Math.floor(i / perTeam) % 25)}`);
    // One config in seven lies deeper, in model-N/deploy/prod/.
    const folder = i % 7 === 3 ? join(model, `model-${pad(i)}`, 'deploy', 'prod') : join(model, `model-${pad(i)}`);
    const plant = i % 4 === 1 || i >= count - 5;
    const source = plant ? plantable[i % plantable.length] : truss[i % truss.length];
    const file = join(folder, 'config.yaml');
    write(file, plant ? planted(source.text) : source.text);
    configs.push({ uri: pathToFileURL(file).href, planted: plant });
    expected.configs++;
    if (plant || source.problems) expected.withProblems++;
    if (i % 3 === 0) {
      write(join(folder, 'data', 'params.yaml'), `learning_rate: 0.001\nbatch_size: ${8 + (i % 5)}\n`);
      otherYaml++;
    }
    if (i % 20 === 10) {
      const k = i / 10;
      const other = join(model, `tools-${pad(i)}`, 'config.yaml');
      write(other, NOT_TRUSS[k % NOT_TRUSS.length]);
      ignored.add(pathToFileURL(other).href);
    }
  }
  return { configs, ignored, expected, otherYaml };
}

/**
 * `n` configs with a problem under node_modules and .venv; returns their URIs.
 * @param {string} dir
 * @param {number} n
 * @param {string} text
 */
function writeSkipped(dir, n, text) {
  const uris = [];
  for (let k = 0; k < n; k++) {
    const file =
      k % 5 === 4
        ? join(dir, 'org-0000', '.venv', 'lib', 'python3.11', 'site-packages', `pkg${k}`, 'config.yaml')
        : join(dir, 'org-0000', 'webapp', 'node_modules', `pkg-${k}`, 'conf', 'config.yaml');
    write(file, planted(text));
    uris.push(pathToFileURL(file).href);
  }
  return uris;
}
