/** The Baseten module against the stand-in: calls, failures as short reasons, key discovery. */
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { apiBase, listSecrets, listTeams, upsertSecret } from '../../server/src/baseten/api';
import { discoverKey, parseIni, trussrcKey } from '../../server/src/baseten/keys';
import { BasetenStandIn } from './standin';
import fixture from './fixture.json';

export const CANARY = 'bt_CANARY_4f7d2a9e1c';

describe('Baseten API module (stand-in)', () => {
  const standIn = new BasetenStandIn(CANARY, ['hf_access_token', 'DOCKER_REGISTRY_ghcr.io']);
  let base: URL;
  before(async () => {
    const b = apiBase({ BASETEN_API_URL: await standIn.start() });
    assert.ok(b.ok);
    base = b.value;
  });
  after(() => standIn.stop());

  const reasons: string[] = [];
  const failed = (r: { ok: boolean; reason?: string }): string => {
    assert.equal(r.ok, false);
    reasons.push(r.reason!);
    return r.reason!;
  };

  it('lists the names with either auth scheme', async () => {
    standIn.mode = 'ok';
    for (const scheme of ['Api-Key', 'Bearer'] as const) {
      const r = await listSecrets(base, { key: CANARY, scheme });
      assert.ok(r.ok);
      assert.deepEqual(r.value.names, ['hf_access_token', 'DOCKER_REGISTRY_ghcr.io']);
      assert.equal(standIn.seen.at(-1)!.scheme, scheme);
    }
    assert.equal(standIn.seen.at(-2)!.path, '/v1/secrets');
  });

  it("reads the docs' example body", async () => {
    standIn.setSecrets([fixture.getAllSecrets.secrets[0].name]);
    const r = await listSecrets(base, { key: CANARY });
    assert.ok(r.ok);
    assert.deepEqual(r.value.names, ['<string>']);
    standIn.setSecrets(['hf_access_token', 'DOCKER_REGISTRY_ghcr.io']);
  });

  it('lists 10,000 secrets', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => `secret_${i}`);
    standIn.setSecrets(many);
    const started = Date.now();
    const r = await listSecrets(base, { key: CANARY });
    assert.ok(r.ok);
    assert.equal(r.value.names.length, 10_000);
    assert.ok(Date.now() - started < 2000);
    standIn.setSecrets(['hf_access_token', 'DOCKER_REGISTRY_ghcr.io']);
  });

  it("a team's secrets, by the team's name", async () => {
    standIn.teams = [
      { id: 'team-default', name: 'Default', default: true },
      { id: 'team-ml', name: 'ml-infra', default: false },
    ];
    standIn.setSecrets(['gcp_service_account'], 'ml-infra');
    const teams = await listTeams(base, { key: CANARY });
    assert.ok(teams.ok);
    assert.deepEqual(
      teams.value.map((t) => t.name),
      ['Default', 'ml-infra'],
    );
    const r = await listSecrets(base, { key: CANARY }, 'ml-infra');
    assert.ok(r.ok);
    assert.deepEqual(r.value, { names: ['gcp_service_account'], team: 'ml-infra' });
    assert.equal(standIn.seen.at(-1)!.path, '/v1/teams/team-ml/secrets');
    assert.equal(failed(await listSecrets(base, { key: CANARY }, 'nope')), 'no team named nope');
    standIn.bareTeams = true;
    const bare = await listSecrets(base, { key: CANARY }, 'ml-infra');
    standIn.bareTeams = false;
    assert.ok(bare.ok, 'the teams as a bare list');
    assert.deepEqual(bare.value.names, ['gcp_service_account']);
  });

  it('upserts a secret, as Baseten names it', async () => {
    const r = await upsertSecret(base, { key: CANARY }, fixture.upsertRequest.name, fixture.upsertRequest.value);
    assert.ok(r.ok);
    assert.equal(standIn.value('my_secret'), 'my_secret_value');
    assert.deepEqual(JSON.parse(standIn.seen.at(-1)!.body), fixture.upsertRequest);
    // Another spelling of the same name replaces it.
    const again = await upsertSecret(base, { key: CANARY, scheme: 'Bearer' }, 'my-secret', 'v2');
    assert.ok(again.ok);
    assert.equal(again.value.name, 'my_secret');
    assert.equal(standIn.value('my_secret'), 'v2');
    const team = await upsertSecret(base, { key: CANARY }, 'DOCKER_REGISTRY_ghcr.io', 'dXNlcjpwYXNz', 'ml-infra');
    assert.ok(team.ok);
    assert.equal(standIn.seen.at(-1)!.path, '/v1/teams/team-ml/secrets');
  });

  it('fails with short reasons', async () => {
    assert.equal(failed(await listSecrets(base, { key: 'wrong' })), '401 unauthorized');
    const modes = {
      unauthorized: '401 unauthorized',
      forbidden: '403 forbidden',
      error: 'server error 502',
      malformed: 'malformed answer',
      'wrong-shape': 'malformed answer',
      huge: 'answer too large',
    } as const;
    for (const [mode, reason] of Object.entries(modes)) {
      standIn.mode = mode as keyof typeof modes;
      assert.equal(failed(await listSecrets(base, { key: CANARY })), reason, mode);
      assert.equal(failed(await upsertSecret(base, { key: CANARY }, 'a', 'b')), reason, `${mode} (upsert)`);
    }
    standIn.mode = 'ok';
  });

  it('gives up after 3 s', async () => {
    standIn.mode = 'slow';
    const started = Date.now();
    assert.equal(failed(await listSecrets(base, { key: CANARY })), 'timeout after 3 s');
    assert.ok(Date.now() - started < 4000);
    standIn.mode = 'ok';
  });

  it('says offline when nothing answers', async () => {
    const gone = new BasetenStandIn(CANARY);
    const url = await gone.start();
    await gone.stop();
    const b = apiBase({ BASETEN_API_URL: url });
    assert.ok(b.ok);
    assert.equal(failed(await listSecrets(b.value, { key: CANARY })), 'offline');
  });

  it('no reason carries the key', () => {
    assert.ok(reasons.length > 10);
    for (const r of reasons) assert.ok(!r.includes(CANARY) && r.length < 80, r);
  });

  it('sends the key only to https, or plain http on a loopback address', () => {
    const plain = apiBase({});
    assert.ok(plain.ok && plain.value.href === 'https://api.baseten.co/');
    const mapped = apiBase({}, 'https://app.baseten.co/');
    assert.ok(mapped.ok && mapped.value.href === 'https://api.baseten.co/');
    for (const ok of ['http://127.0.0.1:9/', 'http://localhost:9', 'http://[::1]:9', 'https://example.com/api']) {
      assert.ok(apiBase({ BASETEN_API_URL: ok }).ok, ok);
    }
    for (const bad of ['http://example.com', 'http://10.0.0.1', 'ftp://x', 'not a url', 'https://u:p@example.com']) {
      assert.equal(apiBase({ BASETEN_API_URL: bad }).ok, false, bad);
    }
  });
});

describe('Baseten key discovery', () => {
  const home = mkdtempSync(join(tmpdir(), 'trussrc-'));
  const rc = join(home, 'trussrc');
  writeFileSync(
    rc,
    '[staging]\nremote_provider = baseten\napi_key = other\nremote_url = https://app.staging.baseten.co\n\n' +
      '[baseten]\nremote_provider = baseten\nremote_url = https://app.baseten.co\napi_key = ' +
      `${CANARY}\nteam = ml-infra\n`,
  );

  it('reads BASETEN_API_KEY first, then truss’s pair, then the trussrc', () => {
    const env = { USER_TRUSSRC_PATH: rc };
    assert.deepEqual(discoverKey({ ...env, BASETEN_API_KEY: 'k1' }).found, { key: 'k1', source: 'BASETEN_API_KEY' });
    const pair = { BASETEN_TRUSS_AUTH_API_KEY: 'k2', BASETEN_TRUSS_AUTH_REMOTE_URL: 'https://app.baseten.co' };
    assert.equal(discoverKey({ ...env, ...pair }).found?.source, 'BASETEN_TRUSS_AUTH_API_KEY');
    assert.equal(discoverKey({ ...env, BASETEN_TRUSS_AUTH_API_KEY: 'k2' }).found?.source, `${rc} [baseten]`);
    const found = discoverKey(env).found;
    assert.deepEqual(found, {
      key: CANARY,
      source: `${rc} [baseten]`,
      remoteUrl: 'https://app.baseten.co',
      team: 'ml-infra',
    });
    assert.deepEqual(discoverKey({ USER_TRUSSRC_PATH: join(home, 'none') }), {});
  });

  it('reads the trussrc as ConfigParser does', () => {
    const ini = parseIni('# c\n[DEFAULT]\nremote_provider = baseten\n[a]\nAPI_KEY: k\n  continued\n; x\n');
    assert.equal(ini.get('a')?.get('api_key'), 'k\ncontinued');
    assert.equal(ini.get('a')?.get('remote_provider'), 'baseten');
  });

  it('names a remote whose key is in the keyring, without a key', () => {
    const d = trussrcKey(
      '[baseten]\nremote_provider = baseten\nremote_url = https://app.baseten.co\nauth_type = api_key\n',
    );
    assert.deepEqual(d, { keyring: '~/.trussrc [baseten]' });
  });
});
