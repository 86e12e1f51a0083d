import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../ruleFiles';
import { LspClient, uri } from '../lsp/client';

const CLI = join(ROOT, 'dist', 'cli.js');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const BROKEN =
  'model_name: m\nbase_image:\n  image: gcr.io/p/i:1\n  docker_auth:\n    auth_method: GCP_OIDC\n' +
  'secrets:\n  token: hunter2-secret-value\n';

describe('checker (dist/cli.js)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'truss-cli-'));
    mkdirSync(join(dir, 'good'));
    writeFileSync(join(dir, 'good', 'config.yaml'), 'model_name: m\nsecrets:\n  hf_access_token: null\n');
    // Its keys are ones other tools share too: its model code beside it makes it a Truss config.
    mkdirSync(join(dir, 'good', 'model'));
    writeFileSync(join(dir, 'good', 'model', 'model.py'), 'class Model:\n    pass\n');
    mkdirSync(join(dir, 'bad'));
    writeFileSync(join(dir, 'bad', 'config.yml'), BROKEN);
    mkdirSync(join(dir, 'node_modules', 'pkg'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'pkg', 'config.yaml'), 'model_name: 1\n');
    writeFileSync(join(dir, 'latin1.yaml'), Buffer.from([0x6d, 0x3a, 0x20, 0xe9, 0x0a]));
    symlinkSync(dir, join(dir, 'good', 'loop'));
  });

  it('checks the examples like a compiler: path:line:col: severity code message, and a summary', () => {
    const r = run('examples');
    assert.equal(r.code, 1, 'an example has an error');
    const lines = r.out.trim().split('\n');
    assert.match(lines[0], /^examples\/aws-iam-broken\/config\.yaml:6:18: information auth-method-case /);
    assert.ok(
      lines.includes(
        'examples/gcp-service-account-broken/config.yaml:8:5: error unknown-key ' +
          'Unknown key `registy` in `base_image.docker_auth`: `truss push` rejects it ("Extra fields not allowed"). ' +
          'Did you mean `registry`?',
      ),
    );
    assert.equal(
      lines[lines.length - 1],
      '4 files checked: 1 error, 8 warnings, 1 information (1 skipped: not Truss configs)',
    );
    assert.equal(r.err, '');
  });

  it('exits 0 on a clean file', () => {
    const r = run(join(dir, 'good', 'config.yaml'));
    assert.equal(r.code, 0);
    assert.equal(r.out, '1 file checked: 0 errors, 0 warnings, 0 information\n');
  });

  it('walks folders, skipping node_modules and symlinked folders', () => {
    const r = run('--format', 'json', dir);
    assert.equal(r.code, 1);
    const results = JSON.parse(r.out) as Array<{ file: string }>;
    assert.deepEqual(
      results.map((x) => x.file.slice(dir.length)),
      ['/bad/config.yml', '/good/config.yaml'],
    );
  });

  it('prints JSON with 0-based LSP ranges, the same findings the server publishes', async () => {
    const file = join(dir, 'bad', 'config.yml');
    const r = run('--format=json', file);
    const [result] = JSON.parse(r.out) as Array<{ file: string; diagnostics: unknown[] }>;
    assert.equal(result.file, file);
    const client = await LspClient.start();
    try {
      const published = await client.open(uri(), readFileSync(file, 'utf8'));
      const fromServer = published.map((d) => ({
        range: d.range,
        severity: ['', 'error', 'warning', 'information', 'hint'][d.severity!],
        code: d.code,
        message: d.message,
      }));
      assert.deepEqual(result.diagnostics, fromServer);
      assert.ok(result.diagnostics.length >= 3);
    } finally {
      await client.stop();
    }
    assert.ok(!r.out.includes('hunter2-secret-value'), 'no secret value in the output');
  });

  it('--detect always checks a file that does not look like a Truss config', () => {
    const file = join(dir, 'other.yaml');
    writeFileSync(file, 'server:\n  port: 1\n');
    assert.match(run(file).out, /0 files checked.*1 skipped/);
    assert.match(run('--detect', 'always', file).out, /error unknown-key Unknown key `server`/);
  });

  it('exits 2 with a one-line reason on bad usage and unreadable input', () => {
    for (const args of [
      [],
      ['--format', 'xml', 'x'],
      ['--bogus', 'x'],
      ['does/not/exist.yaml'],
      ['--detect', 'always', join(dir, 'latin1.yaml')],
    ]) {
      const r = run(...args);
      assert.equal(r.code, 2, args.join(' '));
      const first = r.err.split('\n')[0];
      assert.match(first, /^truss-config: /);
      assert.ok(!r.err.includes('    at '), 'no stack trace');
    }
    assert.match(run('--detect', 'always', join(dir, 'latin1.yaml')).err, /not UTF-8/);
    assert.match(run('does/not/exist.yaml').err, /no such file or folder/);
  });

  it('exits 2 with one line for a folder without configs, a symlink loop and a FIFO', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const r = run(empty);
    assert.equal(r.code, 2);
    assert.equal(r.err, `truss-config: no config.yaml or config.yml in ${empty}\n`);
    symlinkSync(join(dir, 'loop-b'), join(dir, 'loop-a'));
    symlinkSync(join(dir, 'loop-a'), join(dir, 'loop-b'));
    const loop = run(join(dir, 'loop-a'));
    assert.equal(loop.code, 2);
    assert.match(loop.err, /^truss-config: cannot read .*loop-a: too many symbolic links\n$/);
    const fifo = join(dir, 'fifo.yaml');
    spawnSync('mkfifo', [fifo]);
    const f = run(fifo);
    assert.equal(f.code, 2);
    assert.match(f.err, /not a regular file/);
  });

  it('skips a file that is not UTF-8 unless it is a Truss config: by its keys, --detect always or files', () => {
    const nu = join(dir, 'not-utf8');
    const latin1 = (text: string) => Buffer.from(text, 'latin1');
    mkdirSync(join(nu, 'app'), { recursive: true });
    writeFileSync(join(nu, 'app', 'config.yaml'), latin1('server:\n  name: café\n'));
    mkdirSync(join(nu, 'model'));
    writeFileSync(
      join(nu, 'model', 'config.yaml'),
      latin1('model_name: m\npython_version: py311\ndescription: café\n'),
    );
    mkdirSync(join(nu, 'project', 'models'), { recursive: true });
    writeFileSync(join(nu, 'project', '.truss-config.yaml'), 'files:\n  - "models/*.yaml"\n');
    writeFileSync(join(nu, 'project', 'models', 'm.yaml'), latin1('x: café\n'));
    const app = join(nu, 'app', 'config.yaml');
    // As the pre-commit hook names it: skipped with one line, exit 0.
    const skipped = run(app, join(dir, 'good', 'config.yaml'));
    assert.equal(skipped.code, 0, skipped.err);
    assert.equal(
      skipped.err,
      `truss-config: ${app}: skipped: not UTF-8 text, and not recognisable as a Truss config\n`,
    );
    assert.equal(skipped.out, '1 file checked: 0 errors, 0 warnings, 0 information (1 skipped: not Truss configs)\n');
    assert.equal(run(join(nu, 'app')).code, 0, 'found in a folder');
    // A Truss config: by its keys, named with --detect always, or by the project file's files.
    for (const args of [
      [join(nu, 'model', 'config.yaml')],
      ['--detect', 'always', app],
      [join(nu, 'project', 'models', 'm.yaml')],
      [nu],
    ]) {
      const r = run(...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, /: cannot read .*: not UTF-8 text\n/, args.join(' '));
    }
  });

  it('takes the folder as evidence: keys other tools share are checked beside the model code only', () => {
    const base = join(dir, 'folders');
    const shared = 'model_name: m\nenvironment_variables:\n  A: "1"\nrequirments:\n  - torch\n';
    const write = (path: string, text: string) => {
      mkdirSync(join(base, path, '..'), { recursive: true });
      writeFileSync(join(base, path), text);
    };
    write('truss/config.yaml', shared);
    write('truss/model/model.py', 'class Model:\n    pass\n');
    write('lone/config.yaml', shared);
    // The config of issue 26, in a training repository with its data/ and its own Python.
    write('train/config.yaml', 'model_name: bert-base-uncased\ndataset_dir: ./data/processed\noutput_dir: ./out\n');
    write('train/data/train.jsonl', '{}\n');
    write('train/models/net.py', 'class Net:\n    pass\n');
    write('train/train.py', 'print(1)\n');
    const r = run(base);
    assert.equal(r.code, 1, r.err);
    assert.deepEqual(r.out.split('\n').slice(0, -2), [
      `${join(base, 'truss', 'config.yaml')}:4:1: error unknown-key Unknown key \`requirments\` in the top level: ` +
        '`truss push` rejects it ("Extra fields not allowed"). Did you mean `requirements`?',
    ]);
    assert.match(r.out, /^1 file checked: 1 error, .*\(2 skipped: not Truss configs\)$/m);
  });

  it('checks each file once when paths overlap, with the exit status of naming it once', () => {
    const m = join(dir, 'overlap');
    mkdirSync(join(m, 'sub'), { recursive: true });
    writeFileSync(join(m, 'config.yaml'), 'model_name: m\npython_version: py311\nfoo: 1\n');
    writeFileSync(
      join(m, 'sub', 'config.yaml'),
      'model_name: m\npython_version: py311\nsecrets:\n  hf_access_token: null\n',
    );
    symlinkSync(join(m, 'config.yaml'), join(dir, 'overlap-link.yaml'));
    const once = run('--format', 'json', m);
    assert.equal(once.code, 1, once.err);
    const files = (r: { out: string }) => (JSON.parse(r.out) as Array<{ file: string }>).map((x) => x.file);
    assert.equal(files(once).length, 2);
    for (const args of [
      [join(m, 'config.yaml'), m],
      [m, join(m, 'config.yaml')],
      [m, m],
      [m, join(m, 'sub'), join(m, 'sub', '..', 'config.yaml')],
      [join(dir, 'overlap-link.yaml'), m],
    ]) {
      const r = run('--format', 'json', ...args);
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.err}`);
      assert.equal(r.err, '');
      assert.equal(files(r).length, 2, args.join(' '));
      assert.equal(new Set(files(r).map((f) => realpathSync(f))).size, 2, args.join(' '));
    }
    const text = run(join(m, 'config.yaml'), m);
    assert.match(text.out, /^2 files checked: 1 error, 0 warnings, 0 information$/m);
    assert.equal(text.out.split('\n').filter((l) => l.includes('unknown-key')).length, 1);
  });

  it('prints help', () => {
    const r = run('--help');
    assert.equal(r.code, 0);
    assert.match(r.out, /^Usage: truss-config/);
  });

  after(() => undefined);
});
