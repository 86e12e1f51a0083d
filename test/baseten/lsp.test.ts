/**
 * The Baseten workspace check over real stdio LSP, against the stand-in: sign-in, the finding and its
 * fix, hover, completion, failures that silence it, saving a secret, a discovered key, a team. A canary
 * key is looked for in everything the server sent, logged and printed.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, CompletionItem, Diagnostic, Hover, TextEdit } from 'vscode-languageserver-protocol';
import {
  BASETEN_AUTH_REQUEST,
  BASETEN_REFRESH_REQUEST,
  BASETEN_UPSERT_REQUEST,
  type BasetenState,
  type BasetenUpsertResult,
  STATUS_REQUEST,
  type Status,
} from '../../protocol/protocol';
import { LspClient, messageText, uri, writeModelCode } from '../lsp/client';
import { applyEdits } from '../text';
import { BasetenStandIn } from './standin';

const CANARY = 'bt_CANARY_lsp_93c1e7a0';
const VALUE = 'dXNlcjpDQU5BUllfVkFMVUVfNzcx';
const SETTINGS = { baseten: { checkSecrets: 'on' } };
const CONFIG = `model_name: my-model
secrets:
  hf_acess_token: null
  gcp_service_account: null
`;

/** The server's environment: no key of this machine, the API at the stand-in. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'baseten-home-'));
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('BASETEN_')));
  return { ...clean, HOME: home, USER_TRUSSRC_PATH: join(home, '.trussrc'), ...extra };
}

const codes = (ds: Diagnostic[]) => ds.map((d) => d.code);

function noCanary(client: LspClient): void {
  for (const text of [...client.received, ...client.logs, client.stderr]) {
    assert.ok(!text.includes(CANARY), 'the key is never sent back, logged or printed');
    assert.ok(!text.includes(VALUE), 'a saved value is never sent back, logged or printed');
  }
}

describe('Baseten workspace over LSP', () => {
  const standIn = new BasetenStandIn(CANARY, ['hf_access_token', 'gcp_service_account', 'DOCKER_REGISTRY_ghcr.io']);
  let client: LspClient;
  const doc = uri();
  before(async () => {
    const url = await standIn.start();
    client = await LspClient.start({ settings: SETTINGS, env: env({ BASETEN_API_URL: url }) });
  });
  after(async () => {
    noCanary(client);
    assert.equal(await client.stop(), 0);
    await standIn.stop();
  });

  const status = () => client.request<Status>(STATUS_REQUEST, { uri: doc });

  it('says nothing while signed out', async () => {
    assert.deepEqual(codes(await client.open(doc, CONFIG)), []);
    const s = await status();
    assert.equal(s.baseten?.state, 'signed-out');
    assert.equal(standIn.seen.length, 0, 'Baseten is not asked without a key');
  });

  it('signs in, fetches in the background and republishes', async () => {
    const next = client.nextDiagnostics(doc, 1);
    const state = await client.request<BasetenState>(BASETEN_AUTH_REQUEST, { key: CANARY });
    assert.deepEqual([state.state, state.count, state.using], ['ready', 3, 'stored']);
    const ds = await next;
    assert.deepEqual(codes(ds), ['secret-not-in-workspace']);
    assert.equal(ds[0].range.start.line, 2);
    assert.match(messageText(ds[0]), /Did you mean `hf_access_token`\?/);
    assert.equal((await status()).baseten?.reason, '3 secrets');
    assert.ok(client.logs.some((l) => l === 'Baseten: 3 secrets'));
  });

  it("fixes the name to the workspace's spelling", async () => {
    const current = client.published.filter((p) => p.uri === doc).at(-1)!.diagnostics;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: doc },
      range: current[0].range,
      context: { diagnostics: current },
    });
    const fix = actions.find((a) => a.title === "Use the workspace's secret `hf_access_token`");
    assert.ok(fix, actions.map((a) => a.title).join(' | '));
    const edits = (fix.edit!.documentChanges![0] as { edits: TextEdit[] }).edits;
    assert.equal(applyEdits(CONFIG, edits), CONFIG.replace('hf_acess_token', 'hf_access_token'));
  });

  it('hover and completion know the workspace', async () => {
    const on = (line: number, character: number) =>
      client.request<Hover>('textDocument/hover', { textDocument: { uri: doc }, position: { line, character } });
    const has = JSON.stringify((await on(3, 4)).contents);
    assert.match(has, /The Baseten workspace has it/);
    assert.match(JSON.stringify((await on(2, 4)).contents), /does \*\*not\*\* have it/);
    const typing = uri();
    await client.open(typing, 'model_name: my-model\nsecrets:\n  gcp_service_account: null\n  \n');
    const items = await client.request<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri: typing },
      position: { line: 3, character: 2 },
    });
    assert.ok(items.some((i) => i.label === 'hf_access_token' && /Baseten workspace/.test(i.detail ?? '')));
  });

  it('hover on a secret where the config uses it says whether the workspace has it', async () => {
    const used = uri();
    const text =
      'model_name: my-model\nbase_image:\n  image: us-docker.pkg.dev/p/r/i:1\n  docker_auth:\n' +
      '    auth_method: GCP_SERVICE_ACCOUNT_JSON\n    registry: us-docker.pkg.dev\n' +
      '    secret_name: gcp_service_account\nbuild_commands:\n  - cat /secrets/hf_acess_token\n' +
      'secrets:\n  gcp_service_account: null\n  hf_acess_token: null\n';
    await client.open(used, text);
    const on = async (line: number, character: number) =>
      JSON.stringify(
        (
          await client.request<Hover>('textDocument/hover', {
            textDocument: { uri: used },
            position: { line, character },
          })
        ).contents,
      );
    assert.match(await on(6, 20), /`gcp_service_account`.*The Baseten workspace has it/);
    assert.match(await on(8, 22), /`hf_acess_token`.*does \*\*not\*\* have it/);
  });

  for (const [mode, reason] of [
    ['unauthorized', '401 unauthorized'],
    ['forbidden', '403 forbidden'],
    ['error', 'server error 502'],
    ['malformed', 'malformed answer'],
    ['slow', 'timeout after 3 s'],
  ] as const) {
    it(`${reason}: no finding from Baseten, one log line, the status says why`, async () => {
      standIn.mode = mode;
      const next = client.nextDiagnostics(doc, 1, 6000);
      const state = await client.request<BasetenState>(BASETEN_REFRESH_REQUEST, {});
      assert.deepEqual([state.state, state.reason], ['failed', reason]);
      assert.deepEqual(codes(await next), []);
      assert.equal(client.logs.filter((l) => l === `Baseten: secret names not checked: ${reason}`).length, 1);
      assert.equal((await status()).baseten?.reason, reason);
      standIn.mode = 'ok';
      const back = client.nextDiagnostics(doc, 1);
      await client.request(BASETEN_REFRESH_REQUEST, {});
      assert.deepEqual(codes(await back), ['secret-not-in-workspace']);
    });
  }

  it('finds a near miss among 10,000 secrets', async () => {
    standIn.setSecrets([...Array.from({ length: 10_000 }, (_, i) => `secret_${i}`), 'hf_access_token']);
    await client.request(BASETEN_REFRESH_REQUEST, {});
    const other = uri();
    const started = Date.now();
    const ds = await client.open(other, CONFIG);
    assert.ok(Date.now() - started < 2000);
    assert.deepEqual(codes(ds), ['secret-not-in-workspace', 'secret-not-in-workspace']);
    assert.match(messageText(ds[0]), /Did you mean `hf_access_token`/);
    standIn.setSecrets(['hf_access_token', 'gcp_service_account', 'DOCKER_REGISTRY_ghcr.io']);
    await client.request(BASETEN_REFRESH_REQUEST, {});
  });

  it('saves a secret and declares it', async () => {
    // Refused first: a save that succeeds starts a fetch in the background, which must not meet the 401.
    standIn.mode = 'unauthorized';
    const refused = await client.request<BasetenUpsertResult>(BASETEN_UPSERT_REQUEST, { name: 'x', value: VALUE });
    assert.deepEqual(refused, { ok: false, reason: '401 unauthorized' });
    standIn.mode = 'ok';
    const r = await client.request<BasetenUpsertResult>(BASETEN_UPSERT_REQUEST, {
      name: 'DOCKER_REGISTRY_ghcr.io',
      value: VALUE,
      uri: doc,
    });
    assert.equal(r.ok, true);
    assert.equal(standIn.value('DOCKER_REGISTRY_ghcr.io'), VALUE);
    const change = (r.edit as { documentChanges: Array<{ textDocument: { uri: string }; edits: TextEdit[] }> })
      .documentChanges[0];
    assert.equal(change.textDocument.uri, doc);
    const edits = change.edits;
    assert.match(applyEdits(CONFIG, edits), /\n {2}DOCKER_REGISTRY_ghcr\.io: null\n/);
  });

  it('signs out: nothing more from Baseten', async () => {
    const next = client.nextDiagnostics(doc, 1);
    const state = await client.request<BasetenState>(BASETEN_AUTH_REQUEST, {});
    assert.equal(state.state, 'signed-out');
    assert.deepEqual(codes(await next), []);
  });
});

describe('Baseten: a key found by the server, and a team', () => {
  const standIn = new BasetenStandIn(CANARY);
  let client: LspClient;
  before(async () => {
    standIn.teams = [
      { id: 'team-default', name: 'Default', default: true },
      { id: 'team-ml', name: 'ml-infra', default: false },
    ];
    standIn.setSecrets(['hf_access_token'], 'ml-infra');
    const url = await standIn.start();
    const e = env({ BASETEN_API_URL: url });
    writeFileSync(
      e.USER_TRUSSRC_PATH!,
      `[baseten]\nremote_provider = baseten\nremote_url = https://app.baseten.co\napi_key = ${CANARY}\nteam = ml-infra\n`,
    );
    client = await LspClient.start({ settings: SETTINGS, env: e });
  });
  after(async () => {
    noCanary(client);
    assert.equal(await client.stop(), 0);
    await standIn.stop();
  });

  it("reports where it found a key, and uses it only when allowed, with the trussrc's team", async () => {
    const doc = uri();
    await client.open(doc, CONFIG);
    const s = await client.request<Status>(STATUS_REQUEST, { uri: doc });
    assert.equal(s.baseten?.state, 'signed-out');
    assert.match(s.baseten?.discovered ?? '', /\.trussrc \[baseten\]$/);
    const next = client.nextDiagnostics(doc, 1);
    const state = await client.request<BasetenState>(BASETEN_AUTH_REQUEST, { useDiscovered: true });
    assert.deepEqual([state.state, state.team, state.using], ['ready', 'ml-infra', 'discovered']);
    const ds = await next;
    assert.deepEqual(codes(ds), ['secret-not-in-workspace', 'secret-not-in-workspace']);
    assert.match(messageText(ds[0]), /the Baseten team `ml-infra` has no secret/);
    assert.equal(standIn.seen.at(-1)!.path, '/v1/teams/team-ml/secrets');
  });
});

describe('Baseten: signing in and out checks the configs that are not open too', () => {
  const standIn = new BasetenStandIn(CANARY, ['hf_access_token']);
  let client: LspClient;
  let unopened: string;
  before(async () => {
    const url = await standIn.start();
    const dir = mkdtempSync(join(tmpdir(), 'baseten-ws-'));
    mkdirSync(join(dir, 'a'));
    writeFileSync(join(dir, 'a', 'config.yaml'), CONFIG);
    writeModelCode(join(dir, 'a')); // a Truss's folder: its keys alone are keys other tools share
    unopened = pathToFileURL(join(dir, 'a', 'config.yaml')).href;
    client = await LspClient.start({
      settings: SETTINGS,
      env: env({ BASETEN_API_URL: url }),
      folders: [pathToFileURL(dir).href],
    });
  });
  after(async () => {
    noCanary(client);
    assert.equal(await client.stop(), 0);
    await standIn.stop();
  });

  const unopenedCodes = (ds: Diagnostic[] | undefined) => (ds ?? []).map((d) => String(d.code));

  it('sign-in, refresh and sign-out publish the unopened config again', async () => {
    await client.until(unopened, (ds) => ds !== undefined);
    assert.deepEqual(unopenedCodes(client.latest(unopened)), []);
    await client.request<BasetenState>(BASETEN_AUTH_REQUEST, { key: CANARY });
    await client.until(unopened, (ds) => unopenedCodes(ds).length === 2);
    standIn.setSecrets(['hf_access_token', 'hf_acess_token']);
    await client.request<BasetenState>(BASETEN_REFRESH_REQUEST, {});
    await client.until(unopened, (ds) => unopenedCodes(ds).length === 1);
    await client.request<BasetenState>(BASETEN_AUTH_REQUEST, {});
    await client.until(unopened, (ds) => unopenedCodes(ds).length === 0);
  });
});
