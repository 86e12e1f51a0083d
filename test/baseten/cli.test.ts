/** The checker's --baseten against the stand-in: the finding, a team, --fix, and a Baseten it cannot ask. */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../ruleFiles';
import { BasetenStandIn } from './standin';
import { writeModelCode } from '../lsp/client';

const CLI = join(ROOT, 'dist', 'cli.js');
const CANARY = 'bt_CANARY_cli_5be0f2d6';
const CONFIG = 'model_name: my-model\nsecrets:\n  hf_acess_token: null\n  gcp_service_account: null\n';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const outputs: string[] = [];

/** Runs the checker without blocking this process (the stand-in answers from here). */
function check(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      outputs.push(stdout, stderr);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('the checker with --baseten', () => {
  const standIn = new BasetenStandIn(CANARY, ['hf_access_token', 'gcp_service_account']);
  const dir = mkdtempSync(join(tmpdir(), 'baseten-cli-'));
  const file = join(dir, 'config.yaml');
  let base: NodeJS.ProcessEnv;
  before(async () => {
    const url = await standIn.start();
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('BASETEN_')));
    base = { ...clean, HOME: dir, USER_TRUSSRC_PATH: join(dir, 'none'), BASETEN_API_URL: url };
    writeFileSync(file, CONFIG);
    writeModelCode(dir);
  });
  after(async () => {
    await standIn.stop();
    for (const o of outputs) assert.ok(!o.includes(CANARY), 'the key is never printed');
  });

  it('reports a secret the workspace lacks, with the key of BASETEN_API_KEY', async () => {
    const r = await check(['--baseten', file], { ...base, BASETEN_API_KEY: CANARY });
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /config\.yaml:3:3: warning secret-not-in-workspace .*Did you mean `hf_access_token`\?/);
    assert.equal(r.code, 0);
    const json = await check(['--baseten', '--format', 'json', '--max-warnings', '0', file], {
      ...base,
      BASETEN_API_KEY: CANARY,
    });
    assert.equal(json.code, 1);
    assert.deepEqual(
      (JSON.parse(json.stdout) as Array<{ diagnostics: Array<{ code: string }> }>)[0].diagnostics.map((d) => d.code),
      ['secret-not-in-workspace'],
    );
  });

  it("uses truss's env pair, and the trussrc with its team", async () => {
    const pair = { BASETEN_TRUSS_AUTH_API_KEY: CANARY, BASETEN_TRUSS_AUTH_REMOTE_URL: 'https://app.baseten.co' };
    assert.match((await check(['--baseten', file], { ...base, ...pair })).stdout, /secret-not-in-workspace/);
    standIn.teams = [
      { id: 'team-default', name: 'Default', default: true },
      { id: 'team-ml', name: 'ml-infra', default: false },
    ];
    standIn.setSecrets(['hf_access_token', 'gcp_service_account'], 'ml-infra');
    const rc = join(dir, 'trussrc');
    writeFileSync(
      rc,
      `[baseten]\nremote_provider = baseten\nremote_url = https://app.baseten.co\napi_key = ${CANARY}\nteam = ml-infra\n`,
    );
    const r = await check(['--baseten', file], { ...base, USER_TRUSSRC_PATH: rc });
    assert.match(r.stdout, /the Baseten team `ml-infra` has no secret/);
    assert.equal(standIn.seen.at(-1)!.path, '/v1/teams/team-ml/secrets');
  });

  it('--fix never renames to a close name: the secret may be the one missing', async () => {
    const fixme = join(dir, 'fix', 'config.yaml');
    mkdirSync(join(dir, 'fix'));
    writeFileSync(fixme, CONFIG);
    writeModelCode(join(dir, 'fix'));
    const r = await check(['--baseten', '--fix', fixme], { ...base, BASETEN_API_KEY: CANARY });
    assert.equal(readFileSync(fixme, 'utf8'), CONFIG);
    assert.match(r.stderr, /not fixed: secret-not-in-workspace: /);
  });

  it('when Baseten cannot be asked: one line on stderr, the same findings and exit status', async () => {
    const plain = await check([file], base);
    const gone = new BasetenStandIn(CANARY);
    const goneUrl = await gone.start();
    await gone.stop();
    const cases: Array<[NodeJS.ProcessEnv, string]> = [
      [{ ...base, BASETEN_API_KEY: CANARY, BASETEN_API_URL: goneUrl }, 'offline'],
      [{ ...base, BASETEN_API_KEY: 'wrong' }, '401 unauthorized'],
      [base, 'no Baseten API key (BASETEN_API_KEY, BASETEN_TRUSS_AUTH_API_KEY or ~/.trussrc)'],
      [{ ...base, BASETEN_API_KEY: CANARY, BASETEN_API_URL: 'http://example.com' }, 'BASETEN_API_URL must be https'],
    ];
    for (const [env, reason] of cases) {
      const r = await check(['--baseten', file], env);
      assert.equal(r.stdout, plain.stdout);
      assert.equal(r.code, plain.code);
      assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, r.stderr);
      assert.ok(r.stderr.startsWith(`truss-config: Baseten secrets not checked: ${reason}`), r.stderr);
    }
    standIn.mode = 'slow';
    const slow = await check(['--baseten', file], { ...base, BASETEN_API_KEY: CANARY });
    assert.equal(slow.stderr, 'truss-config: Baseten secrets not checked: timeout after 3 s\n');
    assert.equal(slow.stdout, plain.stdout);
    standIn.mode = 'ok';
  });

  it('--help explains --baseten', async () => {
    assert.match((await check(['--help'], base)).stdout, /--baseten +also check that the Baseten workspace/);
  });
});
