/**
 * The GitHub Action as the runner starts it: `node action/index.js` (built here, committed only by a
 * release, see RELEASING.md) with the
 * environment GitHub sets (GITHUB_WORKSPACE, GITHUB_STEP_SUMMARY, INPUT_<NAME>), in a folder other than
 * the workspace. Checks the annotations, the job summary and the exit status per `fail-on`.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { BROKEN, CLEAN } from '../checkout';
import { ROOT } from '../ruleFiles';

const ACTION = join(ROOT, 'action', 'index.js');

/** A config with a warning only (`registry-missing`). */
const WARNING_ONLY =
  'model_name: m\nbase_image:\n  image: gcr.io/p/i:1\n  docker_auth:\n    auth_method: GCP_OIDC\n' +
  '    gcp_oidc_service_account: sa@p.iam.gserviceaccount.com\n' +
  '    gcp_oidc_workload_id_provider: projects/1/locations/global/workloadIdentityPools/p/providers/q\n';

const AWS_KEY_ID = 'AKIAQ7VX2MK9PL4WR8TY';
const AWS_SECRET = 'q7VX2mK9/pL4wR8tY1nB+6cF3hJ5sD0gZaWs2Xe4';
const GITHUB_TOKEN = 'ghp_Q7vX2mK9pL4wR8tY1nB6cF3hJ5sD0gZabcde';
/** Credentials pasted everywhere a user might: values, keys, secret names, free text. */
const PASTED = `model_name: m
description: deploy with ${GITHUB_TOKEN}
environment_variables:
  AWS_ACCESS_KEY_ID: ${AWS_KEY_ID}
  AWS_SECRET_ACCESS_KEY: ${AWS_SECRET}
  GITHUB_TOKEN: ${GITHUB_TOKEN}
${GITHUB_TOKEN}: 1
${AWS_KEY_ID}: ${AWS_SECRET}
base_image:
  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/m:1
  docker_auth:
    auth_method: AWS_IAM
    registry: 123456789012.dkr.ecr.us-west-2.amazonaws.com
    aws_access_key_id_secret_name: ${AWS_KEY_ID}
    aws_secret_access_key_secret_name: ${AWS_SECRET}
secrets:
  ${GITHUB_TOKEN}: null
  hf_access_token: ${GITHUB_TOKEN}
`;

let tmp: string;

/** Whether git tracks a file of the repository (a release commit tracks the Action's bundle). */
function tracked(path: string): boolean {
  const r = spawnSync('git', ['ls-files', '--error-unmatch', path], { cwd: ROOT });
  return r.status === 0;
}

/** A workspace of config files: relative path → text. */
function workspace(name: string, files: Record<string, string>): string {
  const dir = join(tmp, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Runs the action as the runner does: every declared input set, defaults included. */
function runAction(ws: string, inputs: Record<string, string> = {}) {
  const summaryFile = join(tmp, `summary-${Math.random().toString(36).slice(2)}.md`);
  writeFileSync(summaryFile, '');
  const all = { paths: '.', 'fail-on': 'error', config: '', 'min-severity': 'information', ...inputs };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: ws,
    GITHUB_STEP_SUMMARY: summaryFile,
  };
  for (const [k, v] of Object.entries(all)) env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
  const r = spawnSync(process.execPath, [ACTION], { cwd: tmp, env, encoding: 'utf8' });
  const out = r.stdout;
  return {
    code: r.status,
    out,
    err: r.stderr,
    annotations: out.split('\n').filter((l) => l.startsWith('::')),
    summary: readFileSync(summaryFile, 'utf8'),
  };
}

describe('GitHub Action (action.yml, action/index.js)', () => {
  let broken: string;
  let clean: string;
  let warning: string;
  before(() => {
    const released = tracked('action/index.js');
    const r = spawnSync(process.execPath, ['scripts/build.mjs', '--action', ...(released ? ['--check'] : [])], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    tmp = mkdtempSync(join(tmpdir(), 'truss-action-'));
    broken = workspace('broken', { 'models/bad/config.yaml': BROKEN, 'models/good/config.yaml': CLEAN });
    clean = workspace('clean', { 'm/config.yaml': CLEAN });
    warning = workspace('warning', { 'm/config.yml': WARNING_ONLY });
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('a release commits the bundle its sources build, and main does not track it', (t) => {
    if (spawnSync('git', ['rev-parse'], { cwd: ROOT }).status !== 0) return t.skip('not a git checkout');
    // A release checkout (a tag) tracks action/index.js: before() then checked it, not rebuilt it.
    for (const file of ['action/index.js', 'hook/truss-config.js']) {
      const ignored = spawnSync('git', ['check-ignore', '-q', file], { cwd: ROOT });
      assert.ok(tracked(file) || ignored.status === 0, `${file} is neither released nor ignored`);
    }
  });

  it('action.yml runs that bundle on node20 and declares the inputs it reads', () => {
    const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
      runs: { using: string; main: string };
      inputs: Record<string, { default?: string }>;
    };
    assert.deepEqual(action.runs, { using: 'node20', main: 'action/index.js' });
    assert.ok(existsSync(join(ROOT, action.runs.main)));
    assert.deepEqual(Object.keys(action.inputs), ['paths', 'fail-on', 'config', 'min-severity']);
    assert.equal(action.inputs.paths.default, '.');
    assert.equal(action.inputs['fail-on'].default, 'error');
  });

  it('annotates each finding with its place relative to the workspace, and fails on an error', () => {
    const r = runAction(broken);
    assert.equal(r.code, 1, r.out + r.err);
    assert.deepEqual(r.annotations, [
      '::warning file=models/bad/config.yaml,line=4,col=3,endLine=4,endColumn=14,' +
        'title=truss-config registry-missing::`docker_auth` has no `registry`: ' +
        'Baseten needs the registry host to log in. Set it to `gcr.io`, the host of `base_image.image`.',
      '::error file=models/bad/config.yaml,line=8,col=5,endLine=8,endColumn=12,' +
        'title=truss-config unknown-key::Unknown key `registy` in `base_image.docker_auth`: `truss push` rejects it ' +
        '("Extra fields not allowed"). Did you mean `registry`?',
    ]);
    assert.match(r.out, /^truss-config: 2 files checked: 1 error, 1 warning, 0 information$/m);
  });

  it('writes a job summary: a table of findings per file, and the files without problems', () => {
    const { summary } = runAction(broken);
    const lines = summary.split('\n');
    assert.equal(lines[0], '## Truss config check');
    assert.ok(lines.includes('2 files checked: 1 error, 1 warning, 0 information'));
    const table = lines.indexOf('### `models/bad/config.yaml`');
    assert.ok(table > 0, summary);
    assert.deepEqual(lines.slice(table + 2, table + 4), [
      '| Line | Severity | Code | Message |',
      '| ---: | --- | --- | --- |',
    ]);
    assert.match(
      lines[table + 5],
      /^\| 8:5 \| error \| \[`unknown-key`\]\(https:\/\/\S+\/unknown-key\.md\) \| Unknown key /,
    );
    assert.ok(lines.includes('No problems: `models/good/config.yaml`'), summary);
  });

  it('escapes what GitHub reads as syntax: `,` `:` `%` in a path, `|` in a table cell', () => {
    const ws = workspace('odd', { 'a,b:c%d|e/config.yaml': BROKEN });
    const r = runAction(ws);
    assert.equal(r.code, 1);
    assert.ok(
      r.annotations.every((a) => a.includes(' file=a%2Cb%3Ac%25d|e/config.yaml,line=')),
      r.out,
    );
    assert.ok(r.summary.includes('### `a,b:c%d\\|e/config.yaml`'), r.summary);
  });

  it('a file name or a key cannot start a workflow command: what is not an annotation is stopped', () => {
    const ws = workspace('names', { 'ok/config.yaml': BROKEN, 'x ##[group]y/config.yaml': BROKEN });
    writeFileSync(join(ws, 'ok', 'config.yaml'), `${BROKEN}"  ::warning::k ##[error]z": 1\n`);
    const sneaky = join(ws, 'x\n  ::error::injected ##[group]g');
    mkdirSync(sneaky);
    // A Truss config that is not UTF-8: the checker names the file in a note.
    writeFileSync(
      join(sneaky, 'config.yaml'),
      Buffer.from('model_name: m\npython_version: py311\nx: \xe9\n', 'latin1'),
    );
    const r = runAction(ws);
    assert.equal(r.code, 2);
    assert.equal(r.err, '');
    const lines = r.out.split('\n');
    const stop = lines.findIndex((l) => /^::stop-commands::[0-9a-f]{32}$/.test(l));
    assert.ok(stop >= 0, r.out);
    const token = lines[stop].slice('::stop-commands::'.length);
    const resume = lines.indexOf(`::${token}::`);
    assert.ok(resume > stop, r.out);
    assert.match(lines.slice(stop, resume).join('\n'), /injected #\\x23\[group\]g\/config\.yaml: cannot read/);
    const acting = [...lines.slice(0, stop), ...lines.slice(resume + 1)];
    assert.deepEqual(
      acting.filter(
        (l) => /^\s*::/.test(l) && !l.startsWith('::error title=truss-config') && !/title=truss-config /.test(l),
      ),
      [],
    );
    assert.ok(!r.out.includes('##['), r.out);
    assert.notEqual(runAction(ws).out.split('\n')[stop], lines[stop], 'a new token each run');
  });

  it('passes a clean workspace with no annotation', () => {
    const r = runAction(clean);
    assert.equal(r.code, 0, r.out + r.err);
    assert.deepEqual(r.annotations, []);
    assert.match(r.summary, /^1 file checked: 0 errors, 0 warnings, 0 information$/m);
    assert.match(r.summary, /^No problems: `m\/config\.yaml`$/m);
  });

  it('fail-on: error fails on errors only, warning on warnings too, never not at all', () => {
    assert.equal(runAction(warning, { 'fail-on': 'error' }).code, 0);
    assert.equal(runAction(warning, { 'fail-on': 'warning' }).code, 1);
    assert.equal(runAction(clean, { 'fail-on': 'warning' }).code, 0);
    const never = runAction(broken, { 'fail-on': 'never' });
    assert.equal(never.code, 0);
    assert.equal(never.annotations.length, 2, 'still annotated');
    const bad = runAction(broken, { 'fail-on': 'sometimes' });
    assert.equal(bad.code, 2);
    assert.match(bad.out, /^::error title=truss-config::fail-on must be error, warning or never/m);
  });

  it('min-severity leaves out what is below it, and fail-on counts what is reported', () => {
    const r = runAction(broken, { 'min-severity': 'error' });
    assert.deepEqual(
      r.annotations.map((a) => a.split(' ')[0]),
      ['::error'],
    );
    assert.equal(runAction(warning, { 'min-severity': 'error', 'fail-on': 'warning' }).code, 0);
  });

  it('paths: several, separated by spaces or new lines, relative to the workspace', () => {
    const r = runAction(broken, { paths: 'models/good\nmodels/bad/config.yaml' });
    assert.equal(r.code, 1);
    assert.match(r.out, /2 files checked/);
    const missing = runAction(broken, { paths: 'nowhere' });
    assert.equal(missing.code, 2);
    assert.match(missing.out, /^::error title=truss-config::truss-config: cannot read nowhere/m);
  });

  it('config: the file is passed to the checker as --config, from the workspace', () => {
    writeFileSync(join(broken, 'settings.json'), JSON.stringify({ rules: { 'unknown-key': 'off' } }));
    const r = runAction(broken, { config: 'settings.json' });
    assert.equal(r.code, 0, r.out + r.err);
    assert.ok(!r.out.includes('unknown-key'));
    const bad = runAction(broken, { config: 'missing.json' });
    assert.equal(bad.code, 2);
    assert.match(bad.summary, /\*\*Could not check:\*\* truss-config: the --config file missing\.json cannot be read/);
  });

  it('never repeats a pasted credential in the log or the summary', () => {
    const ws = workspace('pasted', { 'm/config.yaml': PASTED });
    const r = runAction(ws);
    assert.equal(r.code, 1);
    const codes = new Set(r.annotations.map((a) => /title=truss-config ([a-z-]+)::/.exec(a)?.[1]));
    for (const c of ['credential-in-env', 'credential-as-secret-name', 'credential-in-config', 'unknown-key'])
      assert.ok(codes.has(c), `${c} in ${[...codes].join(', ')}`);
    for (const canary of [AWS_KEY_ID, AWS_SECRET, GITHUB_TOKEN, 'Q7vX2mK9pL4wR8tY1nB6cF3hJ5sD0gZ', 'pL4wR8tY1nB']) {
      for (const [where, text] of Object.entries({ stdout: r.out, stderr: r.err, summary: r.summary }))
        assert.ok(!text.includes(canary), `${canary} in ${where}`);
    }
  });
});
