import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { Hover } from 'vscode-languageserver-protocol';
import { LspClient, uri } from './client';
import { withCursor } from './cursor';

describe('hover over LSP', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    await client.stop();
  });

  async function hover(marked: string): Promise<string | undefined> {
    const { text, position } = withCursor(marked);
    const u = uri();
    await client.open(u, text);
    const h = await client.connection.sendRequest<Hover | null>('textDocument/hover', {
      textDocument: { uri: u },
      position,
    });
    if (!h) return undefined;
    const c = h.contents as { kind: string; value: string };
    assert.equal(c.kind, 'markdown');
    return c.value;
  }

  const AUTH =
    'model_name: m\nbase_image:\n  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/app:1\n' +
    '  docker_auth:\n    auth_method: AWS_IAM\n    registry: 123456789012.dkr.ecr.us-west-2.amazonaws.com\n' +
    '    aws_access_key_id_secret_name: ecr_id\n';

  it('documents docker_auth with a docs link', async () => {
    const md = await hover(AUTH.replace('  docker_auth', '  dock|er_auth'));
    assert.match(md!, /Baseten's build service logs in/);
    assert.match(md!, /\(https:\/\/docs\.baseten\.co\/development\/model\/private-registries\)/);
  });

  it('documents every docker_auth key', async () => {
    for (const key of ['auth_method', 'registry', 'aws_access_key_id_secret_name']) {
      const md = await hover(AUTH.replace(`    ${key}`, `    ${key.slice(0, 3)}|${key.slice(3)}`));
      assert.ok(md?.startsWith(`**\`${key}\`**`), key);
      assert.match(md!, /docs\.baseten\.co/);
    }
  });

  it('explains the method under the cursor', async () => {
    const md = await hover(AUTH.replace('AWS_IAM', 'AWS_|IAM'));
    assert.match(md!, /Long-lived IAM user keys/);
  });

  it('tells the registry an image resolves to and the secret it would need', async () => {
    const md = await hover('model_name: m\nbase_image:\n  image: ghcr.io/org/im|g:2\n');
    assert.match(md!, /pulls from \*\*`ghcr.io`\*\* \(GitHub Container Registry\)/);
    assert.match(md!, /DOCKER_REGISTRY_ghcr\.io/);
    const hub = await hover('model_name: m\nbase_im|age:\n  image: vllm/vllm-openai:latest\n');
    assert.match(hub!, /Docker Hub/);
    assert.match(hub!, /DOCKER_REGISTRY_https:\/\/index\.docker\.io\/v1\//);
  });

  it('says what uses each secret, and never shows its value', async () => {
    const text = AUTH + 'secrets:\n  ecr_id: AKIAABCDEFGHIJKLMNOP\n  other_token: null\n';
    const used = await hover(text.replace('  ecr_id: AKIA', '  ecr_|id: AKIA'));
    assert.match(used!, /IAM key id for docker_auth/);
    assert.ok(!used!.includes('AKIAABCDEFGHIJKLMNOP'));
    const onValue = await hover(text.replace('AKIAABCDEF', 'AKIAAB|CDEF'));
    assert.ok(!onValue?.includes('AKIAABCDEFGHIJKLMNOP'));
    const unused = await hover(text.replace('  other_token', '  other_|token'));
    assert.match(unused!, /not referenced in this file/);
    const section = await hover(text.replace('secrets:', 'secr|ets:'));
    assert.match(section!, /Values are placeholders: use `null`/);
  });

  it('explains how to make each registry credential', async () => {
    const cases: Array<[string, RegExp]> = [
      ['DOCKER_REGISTRY_https://index.docker.io/v1/', /`username:password`/],
      [
        'DOCKER_REGISTRY_123456789012.dkr.ecr.us-west-2.amazonaws.com',
        /aws ecr get-login-password.*expire after 12 hours/s,
      ],
      ['DOCKER_REGISTRY_ghcr.io', /classic\*\* personal access token with `read:packages`/],
      ['DOCKER_REGISTRY_nvcr.io', /`\$oauthtoken` is the literal user name/],
    ];
    for (const [name, want] of cases) {
      const md = await hover(`model_name: m\nsecrets:\n  DOCKER_|${name.slice(7)}: null\n`);
      assert.match(md!, want, name);
      assert.match(md!, /Baseten secret named/);
      assert.match(md!, /Create registry credential/);
    }
    const ghcr = await hover(
      'model_name: m\nbase_image:\n  image: ghcr.io/o/i\nsecrets:\n  DOCKER_REG|ISTRY_ghcr.io: null\n',
    );
    assert.match(ghcr!, /pull credential for ghcr\.io/);
  });

  it('documents the fields of every section, list entries included', async () => {
    const cases: Array<[string, RegExp]> = [
      ['model_name: m\nresources:\n  c|pu: "1"\n', /CPU cores as a string/],
      ['model_name: m\nweights:\n  - sou|rce: hf://a/b\n    mount_location: /w\n', /`hf:\/\/org\/repo@revision`/],
      ['model_name: m\ntrt_llm:\n  build:\n    base_mo|del: decoder\n', /`decoder` \(LLMs\)/],
      ['model_name: m\nruntime:\n  transport:\n    ki|nd: websocket\n', /`http`, `websocket` or `grpc`/],
      ['model_name: m\ndocker_server:\n  server_p|ort: 8000\n', /Not 8080/],
      ['model_name: m\nmodel_ca|che: []\n', /Deprecated: use `weights`/],
    ];
    for (const [text, want] of cases) assert.match((await hover(text)) ?? '', want, text);
  });

  it('gives no hover outside a Truss config', async () => {
    assert.equal(await hover('server:\n  po|rt: 1\nlogging: {}\n'), undefined);
  });
});
