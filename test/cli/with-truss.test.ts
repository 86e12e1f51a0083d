/**
 * The checker judged by environments made from truss's own model (test/trussEnvs.ts): an old release,
 * the newest, and a made-up future one that adds an accelerator and a key; with `--with-truss`, the
 * installed truss itself is asked. Skipped without ../shared.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ROOT } from '../ruleFiles';
import { FUTURE, FUTURE_GPU, FUTURE_KEY, cannotMakeEnvs, trussEnv } from '../trussEnvs';

const CLI = join(ROOT, 'dist', 'cli.js');
const tmp = mkdtempSync(join(tmpdir(), 'truss-with-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

interface Found {
  line: number;
  code: string;
  severity: string;
  message: string;
}

function check(text: string, ...args: string[]): { found: Found[]; status: number | null; stderr: string } {
  const file = join(tmp, 'config.yaml');
  writeFileSync(file, text);
  const r = spawnSync(process.execPath, [CLI, '--format', 'json', ...args, file], { encoding: 'utf8' });
  const out = JSON.parse(r.stdout) as Array<{
    diagnostics: Array<{ range: { start: { line: number } }; code: string; severity: string; message: string }>;
  }>;
  const found = out.flatMap((f) =>
    f.diagnostics.map((d) => ({ line: d.range.start.line, code: d.code, severity: d.severity, message: d.message })),
  );
  return { found, status: r.status, stderr: r.stderr };
}

const brief = (f: Found[]) => f.map((x) => `${x.line}:${x.severity}:${x.code}`);

describe('the checker with the installed truss', { skip: cannotMakeEnvs() }, () => {
  const future =
    'model_name: m\npython_version: py311\n' + `resources:\n  accelerator: ${FUTURE_GPU}\n${FUTURE_KEY}: 2\nbogus: 1\n`;

  it('a truss newer than the data: what its schema adds is known, the rest is a warning, never an error', () => {
    const { found, status, stderr } = check(future, '--python', trussEnv(FUTURE));
    assert.deepEqual(brief(found), ['3:warning:invalid-resources', '5:warning:unknown-key']);
    for (const f of found)
      assert.match(f.message, new RegExp(`data \\(truss 0\\.18\\.26\\) is older than your truss ${FUTURE}`));
    assert.equal(status, 0);
    assert.match(stderr, new RegExp(`judging by truss ${FUTURE}`));
  });

  it('--with-truss: the future truss says what it refuses, in its words, and our warnings give way', () => {
    const { found, status, stderr } = check(future, '--with-truss', '--python', trussEnv(FUTURE));
    assert.deepEqual(brief(found), ['5:error:truss-rejects']);
    assert.match(
      found[0].message,
      /^`truss push` \(truss 0\.19\.0\) refuses this: Extra fields not allowed: \[bogus\]/,
    );
    assert.equal(status, 1);
    assert.doesNotMatch(stderr, /not asked/);
    // A value it refuses is shown on the value, without it.
    const bad = check(future.replace(`: ${FUTURE_GPU}\n`, ': QX9\n'), '--with-truss', '--python', trussEnv(FUTURE));
    assert.deepEqual(brief(bad.found), ['3:error:truss-rejects']);
    assert.doesNotMatch(bad.found[0].message, /QX9/);
    assert.match(bad.found[0].message, new RegExp(`Unsupported accelerator type.*${FUTURE_GPU}`));
  });

  it('the newest and an old release: truss agrees with ours, and ours is kept on the same node', () => {
    const config =
      'model_name: m\npython_version: py311\nwarm_pool: 2\n' +
      'base_image:\n  image: 1.dkr.ecr.us-west-2.amazonaws.com/a:1\n' +
      '  docker_auth:\n    auth_method: AWS_OIDC\n    registry: 1.dkr.ecr.us-west-2.amazonaws.com\n' +
      '    aws_oidc_role_arn: arn:aws:iam::1:role/r\n    aws_oidc_region: us-west-2\n';
    const newest = check(config, '--with-truss', '--python', trussEnv('0.18.26'));
    assert.deepEqual(brief(newest.found), ['2:error:unknown-key']);
    const old = check(config, '--with-truss', '--python', trussEnv('0.11.26'));
    assert.deepEqual(brief(old.found), [
      '2:error:unknown-key',
      '6:error:not-in-release',
      '8:error:not-in-release',
      '9:error:not-in-release',
    ]);
    assert.doesNotMatch(newest.stderr + old.stderr, /not asked/);
  });

  it('--with-truss on a folder: every config asked, in one process, each answer on its own file', () => {
    const dir = join(tmp, 'many');
    for (const [name, extra] of [
      ['a', 'bogus: 1\n'],
      ['b', ''],
      ['c', 'other: 2\n'],
    ]) {
      mkdirSync(join(dir, name), { recursive: true });
      writeFileSync(join(dir, name, 'config.yaml'), future.replace('bogus: 1\n', extra));
    }
    writeFileSync(join(dir, 'b', 'other.yaml'), 'not: truss\n');
    // The future environment, behind an interpreter that counts its starts.
    const spy = join(tmp, 'spy');
    mkdirSync(join(spy, 'bin'), { recursive: true });
    symlinkSync(join(dirname(dirname(trussEnv(FUTURE))), 'lib'), join(spy, 'lib'));
    const count = join(tmp, 'starts');
    writeFileSync(join(spy, 'bin', 'python3'), `#!/bin/sh\necho >> ${count}\nexec ${trussEnv(FUTURE)} "$@"\n`);
    chmodSync(join(spy, 'bin', 'python3'), 0o755);
    const python = join(spy, 'bin', 'python3');
    const r = spawnSync(process.execPath, [CLI, '--with-truss', '--python', python, dir], { encoding: 'utf8' });
    assert.equal(readFileSync(count, 'utf8').length, 1, 'one Python process');
    const lines = r.stdout.split('\n').filter((l) => / error /.test(l));
    assert.deepEqual(
      lines.map((l) => l.replace(dir, '').replace(/ refuses.*/, '')),
      [
        '/a/config.yaml:6:1: error truss-rejects `truss push` (truss 0.19.0)',
        '/c/config.yaml:6:1: error truss-rejects `truss push` (truss 0.19.0)',
      ],
    );
    assert.doesNotMatch(r.stderr, /not asked/);
  });

  it('a Python that cannot be asked: one line on stderr, and the findings as without it', () => {
    const without = check(future, '--truss-version', FUTURE);
    const broken = check(future, '--with-truss', '--truss-version', FUTURE, '--python', join(tmp, 'nothing'));
    assert.deepEqual(brief(broken.found), brief(without.found));
    assert.match(broken.stderr, /truss not asked: Python could not be started/);
  });
});
