import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../ruleFiles';
import Ajv, { type SchemaObject } from 'ajv-draft-04';
import { parseAllDocuments } from 'yaml';

const CLI = join(ROOT, 'dist', 'cli.js');
const run = (args: string[], cwd = ROOT) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

/** The parts of a SARIF log the tests read. */
interface SarifLog {
  runs: Array<{
    tool: { driver: { rules: Array<{ id: string; helpUri: string }> } };
    results: Array<{
      ruleId: string;
      ruleIndex: number;
      level: string;
      locations: Array<{ physicalLocation: { region: unknown; artifactLocation: { uri: string } } }>;
    }>;
  }>;
}

describe('the checker in pipelines', () => {
  it('writes SARIF 2.1.0 that validates against the SARIF schema', () => {
    const r = run(['--format', 'sarif', 'examples']);
    assert.equal(r.code, 1);
    const log = JSON.parse(r.out) as SarifLog;
    const schema = JSON.parse(
      readFileSync(
        join(ROOT, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json'),
        'utf8',
      ),
    ) as SchemaObject;
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
    const run0 = log.runs[0];
    const ids = run0.tool.driver.rules.map((x) => x.id);
    assert.equal(new Set(ids).size, ids.length, 'one rule entry per code');
    assert.ok(run0.tool.driver.rules.every((x) => x.helpUri.startsWith('https://')));
    const unknown = run0.results.find((x) => x.ruleId === 'unknown-key')!;
    assert.deepEqual(unknown.locations[0].physicalLocation.region, {
      startLine: 8,
      startColumn: 5,
      endLine: 8,
      endColumn: 12,
    });
    assert.equal(
      unknown.locations[0].physicalLocation.artifactLocation.uri,
      'examples/gcp-service-account-broken/config.yaml',
    );
    assert.equal(unknown.level, 'error');
    assert.equal(ids[unknown.ruleIndex], 'unknown-key');
  });

  it('writes GitHub annotations', () => {
    const lines = run(['--format', 'github', 'examples']).out.trim().split('\n');
    assert.equal(lines.length, 10);
    assert.ok(
      lines.includes(
        '::error file=examples/gcp-service-account-broken/config.yaml,line=8,col=5,endLine=8,endColumn=12,' +
          'title=truss-config unknown-key::Unknown key `registy` in `base_image.docker_auth`: ' +
          '`truss push` rejects it ("Extra fields not allowed"). Did you mean `registry`?',
      ),
    );
    assert.ok(
      lines.every((l) =>
        /^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=truss-config [a-z0-9-]+::/.test(
          l,
        ),
      ),
    );
  });

  it('reads rule severities from --config', () => {
    const dir = mkdtempSync(join(tmpdir(), 'truss-config-'));
    const config = join(dir, 'settings.json');
    writeFileSync(
      config,
      JSON.stringify({ rules: { 'unknown-key': 'warning', 'missing-secret': 'off', 'auth-method-case': 'error' } }),
    );
    const r = run(['--config', config, '--format', 'json', 'examples']);
    const all = (JSON.parse(r.out) as Array<{ diagnostics: Array<{ code: string; severity: string }> }>).flatMap(
      (f) => f.diagnostics,
    );
    assert.ok(!all.some((d) => d.code === 'missing-secret'));
    assert.equal(all.find((d) => d.code === 'unknown-key')!.severity, 'warning');
    assert.equal(all.find((d) => d.code === 'auth-method-case')!.severity, 'error');
    assert.equal(r.code, 1, 'auth-method-case is now an error');
    writeFileSync(config, '{ not json');
    const bad = run(['--config', config, 'examples']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /^truss-config: .*settings\.json:1:\d+: .*\n$/);
    const missing = run(['--config', join(dir, 'none.yaml'), 'examples']);
    assert.equal(missing.code, 2);
    assert.match(
      missing.err,
      /^truss-config: the --config file .*none\.yaml cannot be read: no such file or folder\n$/,
    );
  });

  it('refuses a --config file with an unknown code, severity or shape, in one line each', () => {
    const dir = mkdtempSync(join(tmpdir(), 'truss-config-'));
    const config = join(dir, 'settings.json');
    const cases: Array<[unknown, RegExp]> = [
      [{ rules: { 'no-such-code': 'off' } }, /settings\.json:1:\d+: Unknown code `no-such-code`/],
      [{ rules: { 'unknown-key': 'fatal' } }, /`unknown-key` must be off, hint, information, warning or error/],
      [{ rules: ['unknown-key'] }, /`rules` must be a mapping/],
      [{ detect: 'sometimes' }, /`detect` must be/],
      [{ validate: { enable: true } }, /Unknown key `validate`/],
      [[1, 2], /must be a mapping/],
    ];
    for (const [settings, why] of cases) {
      writeFileSync(config, JSON.stringify(settings));
      const r = run(['--config', config, 'examples']);
      assert.equal(r.code, 2, JSON.stringify(settings));
      assert.equal(r.out, '');
      assert.equal(r.err.split('\n').filter(Boolean).length, 1, r.err);
      assert.match(r.err, why);
    }
  });

  it('applies the nearest .truss-config.yaml above each file; --config replaces it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'truss-config-'));
    const write = (p: string, text: string) => {
      mkdirSync(join(dir, p, '..'), { recursive: true });
      writeFileSync(join(dir, p), text);
    };
    const broken =
      'model_name: m\npython_version: py311\nresources:\n  accelerator: h100\nsecrets:\n  hf_token: null\n';
    write('a/config.yaml', broken);
    write('vendor/x/config.yaml', broken);
    write('b/truss.yaml', broken);
    write('b/config.yaml', broken);
    write('.truss-config.yaml', 'rules:\n  invalid-resources: warning\nignore:\n  - vendor\n');
    write('b/.truss-config.yml', 'files: [truss.yaml]\n');
    const json = (r: { out: string }) =>
      (JSON.parse(r.out) as Array<{ file: string; diagnostics: Array<{ code: string; severity: string }> }>).map(
        (f) => [relative(dir, f.file), f.diagnostics.map((d) => `${d.severity} ${d.code}`).join()],
      );
    const r = run(['--format', 'json', dir]);
    assert.deepEqual(json(r), [
      ['a/config.yaml', 'warning invalid-resources'],
      ['b/truss.yaml', 'error invalid-resources'],
    ]);
    assert.equal(r.code, 1, 'b has its own project file: the root one does not apply there');
    const ignored = run([join(dir, 'vendor/x/config.yaml')]);
    assert.equal(ignored.code, 0);
    assert.match(ignored.err, /vendor\/x\/config\.yaml: skipped: ignored by .*\.truss-config\.yaml/);
    const named = run(['--format', 'json', join(dir, 'b/config.yaml')]);
    assert.deepEqual(json(named), [['b/config.yaml', 'error invalid-resources']], 'a file named on the command line');

    write('other.yaml', 'rules:\n  invalid-resources: off\n');
    const replaced = run([
      '--format',
      'json',
      '--config',
      join(dir, 'other.yaml'),
      join(dir, 'a'),
      join(dir, 'vendor'),
    ]);
    assert.deepEqual(json(replaced), [
      ['a/config.yaml', ''],
      ['vendor/x/config.yaml', ''],
    ]);

    write('b/.truss-config.yml', 'files: truss.yaml\nrules:\n  unknown-kye: off\n');
    const bad = run([dir]);
    assert.equal(bad.code, 2);
    assert.equal(bad.out, '');
    const where = `truss-config: ${join(dir, 'b/.truss-config.yml')}`;
    assert.deepEqual(bad.err.trim().split('\n'), [
      `${where}:1:8: \`files\` must be a list of glob patterns`,
      `${where}:3:3: Unknown code \`unknown-kye\`: did you mean \`unknown-key\`?`,
    ]);
  });

  it('--min-severity filters what is reported; github and SARIF leave hints out unless asked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'truss-config-'));
    const file = join(dir, 'config.yaml');
    // use_gpu with a matching accelerator: a hint; a deprecated python_version: a warning.
    writeFileSync(file, 'model_name: m\npython_version: py39\nresources:\n  accelerator: T4\n  use_gpu: true\n');
    const codes = (args: string[]) =>
      (JSON.parse(run([...args, '--format', 'json', file]).out) as Array<{ diagnostics: Array<{ severity: string }> }>)
        .flatMap((f) => f.diagnostics)
        .map((d) => d.severity);
    assert.deepEqual(codes([]).sort(), ['hint', 'warning']);
    assert.deepEqual(codes(['--min-severity', 'warning']), ['warning']);
    assert.deepEqual(codes(['--min-severity', 'error']), []);
    assert.ok(!run(['--format', 'github', file]).out.includes('notice'), 'no annotation for a hint');
    const sarif = (args: string[]) =>
      (JSON.parse(run([...args, '--format', 'sarif', file]).out) as SarifLog).runs[0].results.length;
    assert.equal(sarif([]), 1);
    assert.equal(sarif(['--min-severity', 'hint']), 2);
    assert.equal(run(['--min-severity', 'loud', file]).code, 2);
  });

  it('--max-warnings N fails the run when there are more than N warnings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'truss-config-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, 'model_name: m\npython_version: py39\n');
    assert.equal(run([file]).code, 0);
    const within = run(['--max-warnings', '1', file]);
    assert.equal(within.code, 0);
    assert.doesNotMatch(within.err, /max-warnings/);
    const over = run(['--max-warnings', '0', file]);
    assert.equal(over.code, 1);
    assert.match(over.err, /^truss-config: 1 warning, more than --max-warnings 0$/m);
    // Said in every format, on stderr: the output stays what its reader parses.
    assert.match(run(['--max-warnings', '0', '--format', 'json', file]).err, /1 warning, more than --max-warnings 0/);
    assert.equal(run(['--max-warnings', 'many', file]).code, 2);
  });

  it('--fix applies the safe fixes in place, keeps CRLF and mode, and says what it changed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'truss-fix-'));
    const file = join(dir, 'config.yaml');
    const before = [
      '# ECR through IAM keys',
      'model_name: m',
      'python_version: 3.11',
      'base_image:',
      '  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/app:1',
      '  docker_auth:',
      '    auth_method: aws_iam   # lower case',
      '    registry: 123456789012.dkr.ecr.us-east-1.amazonaws.com',
      'resources:',
      '  cpu: 2',
      '  accelerator: A10G',
      'runtime:',
      '  num_workers: 1',
      'secrets:',
      '  hf_access_token: hf_abcdefghijklmnopqrstuvwxyz0123456789',
      'model_namee: typo',
      '',
    ].join('\r\n');
    writeFileSync(file, before);
    chmodSync(file, 0o640);
    const r = run(['--fix', file]);
    const after = readFileSync(file, 'utf8');
    const err = r.err.trim().split('\n');
    assert.match(err[err.length - 1], /^truss-config: fixed \d+ problems in 1 file \(/);
    assert.ok(
      err.some((l) => /config\.yaml:8: not fixed: registry-mismatch: /.test(l)),
      'a guess is listed',
    );
    assert.ok(
      err.some((l) => /config\.yaml:16: not fixed: unknown-key: /.test(l)),
      'lines of the written file',
    );
    assert.equal(statSync(file).mode & 0o777, 0o640);
    assert.ok(!/[^\r]\n/.test(after), 'CRLF kept');
    assert.ok(!parseAllDocuments(after).some((d) => d.errors.length), 'still YAML');
    const lines = after.split('\r\n');
    assert.ok(lines.includes('python_version: py311'));
    assert.ok(lines.includes('    auth_method: AWS_IAM   # lower case'));
    assert.ok(
      lines.includes('    registry: 123456789012.dkr.ecr.us-east-1.amazonaws.com'),
      'which is wrong is a guess',
    );
    assert.ok(lines.includes('  cpu: "2"'));
    assert.ok(!lines.some((l) => l.includes('num_workers') || l === 'runtime:'), 'no empty runtime: left');
    assert.ok(lines.includes('  hf_access_token: null'));
    assert.ok(lines.includes('  aws_access_key_id: null') && lines.includes('  aws_secret_access_key: null'));
    assert.ok(lines.includes('model_namee: typo'), 'a guess (rename to the nearest key) is not applied');
    assert.match(r.out, /error unknown-key Unknown key `model_namee`/);
    assert.equal(r.code, 1);
    assert.deepEqual(readdirSync(dir), ['config.yaml'], 'no temporary file left');
    const again = run(['--fix', file]);
    assert.match(again.err, /fixed 0 problems in 0 files/);
  });

  it('--fix writes through a symbolic link to its target, and keeps the byte order mark', () => {
    const dir = mkdtempSync(join(tmpdir(), 'truss-fix-link-'));
    mkdirSync(join(dir, 'real'));
    const target = join(dir, 'real', 'config.yaml');
    writeFileSync(
      target,
      '\ufeffmodel_name: m\r\nbase_image:\r\n  image: python:3.11\r\nbuild:\r\n  no_cache: true\r\n',
    );
    const link = join(dir, 'config.yaml');
    symlinkSync(target, link);
    const r = run(['--fix', link]);
    assert.match(r.err, /fixed 1 problem in 1 file/);
    assert.ok(lstatSync(link).isSymbolicLink(), 'the link is still a link');
    const bytes = readFileSync(target);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the BOM is kept');
    assert.equal(bytes.toString('utf8'), '\ufeffmodel_name: m\r\nbase_image:\r\n  image: python:3.11\r\n');
    assert.deepEqual(readdirSync(join(dir, 'real')), ['config.yaml'], 'no temporary file left');
  });
});
