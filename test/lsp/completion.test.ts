import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import {
  type CompletionItem,
  CompletionItemKind,
  type CompletionList,
  InsertTextFormat,
  type TextEdit,
} from 'vscode-languageserver-protocol';
import { LspClient, uri } from './client';
import { withCursor } from './cursor';

const ECR = '123456789012.dkr.ecr.us-west-2.amazonaws.com';

describe('completion over LSP', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    await client.stop();
  });

  async function complete(marked: string): Promise<{ items: CompletionItem[]; text: string }> {
    const { text, position } = withCursor(marked);
    const u = uri();
    await client.open(u, text);
    const result = await client.connection.sendRequest<CompletionItem[] | CompletionList>('textDocument/completion', {
      textDocument: { uri: u },
      position,
    });
    const items = Array.isArray(result) ? result : result.items;
    return { items: [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label)), text };
  }
  const labels = (items: CompletionItem[]) => items.map((i) => i.label);
  const edit = (i: CompletionItem) => i.textEdit as TextEdit;

  it('offers the five methods after `auth_method: `, those for ECR first, documented', async () => {
    const { items } = await complete(
      `model_name: m\nbase_image:\n  image: ${ECR}/app:1\n  docker_auth:\n    auth_method: |\n`,
    );
    assert.deepEqual(labels(items), ['AWS_OIDC', 'AWS_IAM', 'GCP_OIDC', 'GCP_SERVICE_ACCOUNT_JSON', 'REGISTRY_SECRET']);
    for (const i of items) {
      assert.equal((i.documentation as { kind: string }).kind, 'markdown');
      assert.ok((i.documentation as { value: string }).value.length > 20);
      assert.deepEqual(edit(i).range, { start: { line: 4, character: 17 }, end: { line: 4, character: 17 } });
    }
  });

  it('puts the Google methods first for a Google image', async () => {
    const { items } = await complete(
      'model_name: m\nbase_image:\n  image: us-docker.pkg.dev/p/r/i:1\n  docker_auth:\n    auth_method: |\n',
    );
    assert.deepEqual(labels(items).slice(0, 2), ['GCP_OIDC', 'GCP_SERVICE_ACCOUNT_JSON']);
  });

  it('replaces what is typed: `auth_method: AW`', async () => {
    const { items } = await complete('model_name: m\nbase_image:\n  docker_auth:\n    auth_method: AW|\n');
    const aws = items.find((i) => i.label === 'AWS_IAM')!;
    assert.deepEqual(edit(aws), {
      range: { start: { line: 3, character: 17 }, end: { line: 3, character: 19 } },
      newText: 'AWS_IAM',
    });
    assert.equal(aws.filterText, undefined);
  });

  it('offers every method over an invalid value, replacing all of it', async () => {
    const { items } = await complete(
      'model_name: m\nbase_image:\n  docker_auth:\n    auth_method: GCS_SERV|ICE  # old name\n',
    );
    assert.equal(items.length, 5);
    for (const i of items) {
      assert.deepEqual(edit(i).range, { start: { line: 3, character: 17 }, end: { line: 3, character: 28 } });
      assert.ok(i.filterText!.startsWith('GCS_SERV'), 'shown although the typed text matches none');
    }
  });

  it('adds the space after `auth_method:`', async () => {
    const { items } = await complete('model_name: m\nbase_image:\n  docker_auth:\n    auth_method:|\n');
    assert.equal(edit(items[0]).newText, ' AWS_OIDC');
  });

  it("offers the missing docker_auth keys on a blank indented line, the method's required ones first", async () => {
    const { items } = await complete(
      `model_name: m\nbase_image:\n  image: ${ECR}/app:1\n  docker_auth:\n    auth_method: AWS_OIDC\n    |\n`,
    );
    const names = labels(items);
    assert.deepEqual(names.slice(0, 2), ['aws_oidc_region', 'aws_oidc_role_arn']);
    assert.ok(!names.includes('auth_method'), 'present keys are left out');
    assert.ok(
      !names.includes('secret_name') && !names.includes('gcp_oidc_service_account'),
      'forbidden keys are left out',
    );
    assert.ok(names.includes('registry'));
    const region = items.find((i) => i.label === 'aws_oidc_region')!;
    assert.equal(region.insertTextFormat, InsertTextFormat.Snippet);
    assert.equal(edit(region).newText, 'aws_oidc_region: ${1:us-west-2}');
    assert.equal(edit(items.find((i) => i.label === 'registry')!).newText, `registry: \${1:${ECR}}`);
    assert.ok((region.documentation as { value: string }).value.includes('region'));
  });

  it('completes a half-typed key and replaces it', async () => {
    const { items } = await complete(
      'model_name: m\nbase_image:\n  docker_auth:\n    auth_method: GCP_OIDC\n    gcp_o|\n',
    );
    const sa = items.find((i) => i.label === 'gcp_oidc_service_account')!;
    assert.deepEqual(edit(sa).range, { start: { line: 4, character: 4 }, end: { line: 4, character: 9 } });
    assert.equal(sa.sortText![0], '0', 'required by GCP_OIDC');
  });

  it('offers the base_image keys not yet present', async () => {
    const { items } = await complete('model_name: m\nbase_image:\n  image: python:3.11\n  |\n');
    assert.deepEqual(labels(items).sort(), ['docker_auth', 'python_executable_path']);
    assert.equal(edit(items.find((i) => i.label === 'docker_auth')!).newText, 'docker_auth:\n    $0');
  });

  it('offers the declared secrets as the value of secret_name', async () => {
    const { items } = await complete(
      'base_image:\n  image: gcr.io/p/i\n  docker_auth:\n    auth_method: GCP_SERVICE_ACCOUNT_JSON\n' +
        '    secret_name: |\nsecrets:\n  gcp_sa: null\n  hf_access_token: null\n  DOCKER_REGISTRY_gcr.io: null\n',
    );
    assert.deepEqual(labels(items), ['gcp_sa', 'hf_access_token']);
  });

  it('offers the declared secrets for the AWS secret-name fields', async () => {
    const { items } = await complete(
      'base_image:\n  docker_auth:\n    auth_method: AWS_IAM\n    aws_secret_access_key_secret_name: a|\n' +
        'secrets:\n  aws_key: null\n',
    );
    assert.deepEqual(labels(items), ['aws_key']);
  });

  it("offers the image's registry host as the value of registry", async () => {
    const { items } = await complete(
      `base_image:\n  image: ${ECR}/app:1\n  docker_auth:\n    auth_method: AWS_OIDC\n    registry: |\n`,
    );
    assert.deepEqual(labels(items), [ECR]);
  });

  it('offers the secrets the config needs and lacks, as `name: null`', async () => {
    const { items } = await complete(
      'model_name: m\nbase_image:\n  image: x.dkr.ecr.us-east-1.amazonaws.com/a\n' +
        '  docker_auth:\n    auth_method: AWS_IAM\n    aws_access_key_id_secret_name: key_id\n' +
        'secrets:\n  aws_secret_access_key: null\n  |\n',
    );
    assert.deepEqual(labels(items), ['key_id']);
    assert.equal(edit(items[0]).newText, 'key_id: null');
    assert.match(items[0].detail!, /IAM key id/);
  });

  it("offers the image's pull-credential secret under secrets", async () => {
    const { items } = await complete('model_name: m\nbase_image:\n  image: myorg/private:1\nsecrets:\n  |');
    assert.deepEqual(labels(items), ['DOCKER_REGISTRY_https://index.docker.io/v1/']);
    assert.equal(edit(items[0]).newText, 'DOCKER_REGISTRY_https://index.docker.io/v1/: null');
  });

  it('offers top-level keys on an empty line at the top level', async () => {
    const { items } = await complete('model_name: m\n|\n');
    const names = labels(items);
    assert.ok(names.includes('base_image') && names.includes('secrets') && !names.includes('model_name'));
  });

  it('offers the values of every field with a fixed set', async () => {
    const cases: Array<[string, string[]]> = [
      ['model_name: m\npython_version: |\n', ['py39', 'py310', 'py311', 'py312', 'py313', 'py314']],
      ['model_name: m\nruntime:\n  transport:\n    kind: |\n', ['http', 'websocket', 'grpc']],
      ['model_name: m\nbuild:\n  model_server: |\n', ['TrussServer', 'TRT_LLM']],
      [
        'model_name: m\nweights:\n  - source: hf://a/b\n    auth:\n      auth_method: |\n',
        ['CUSTOM_SECRET', 'AWS_OIDC', 'GCP_OIDC'],
      ],
      ['model_name: m\nlive_reload: |\n', ['true', 'false']],
      ['model_name: m\ntrt_llm:\n  inference_stack: |\n', ['v1', 'v2']],
    ];
    for (const [text, want] of cases) assert.deepEqual(labels((await complete(text)).items), want, text);
    const acc = await complete('model_name: m\nresources:\n  accelerator: H|\n');
    assert.ok(labels(acc.items).includes('H100') && labels(acc.items).includes('A10G'));
    const bool = (await complete('model_name: m\nlive_reload: |\n')).items[0];
    assert.equal(edit(bool).newText, 'true', 'a boolean is not quoted');
  });

  it('offers the keys of a list entry', async () => {
    const { items } = await complete('model_name: m\nweights:\n  - source: hf://a/b\n    |\n');
    const names = labels(items);
    assert.ok(
      names.includes('mount_location') && names.includes('auth') && names.includes('allow_patterns'),
      names.join(),
    );
    const { items: runtime } = await complete('model_name: m\nruntime:\n  predict_concurrency: 2\n  |\n');
    assert.ok(labels(runtime).includes('health_checks') && !labels(runtime).includes('predict_concurrency'));
  });

  it('never re-offers the keys an existing list entry has, in whichever entry the cursor is', async () => {
    const first = labels((await complete('model_name: m\nweights:\n  - source: hf://a/b\n    |\n')).items);
    assert.ok(!first.includes('source') && first.includes('mount_location'), first.join());
    const second = labels(
      (
        await complete(
          'model_name: m\nweights:\n  - source: hf://a/b\n' +
            '  - source: s3://c/d\n    mount_location: /models/d\n    |\n',
        )
      ).items,
    );
    assert.ok(!second.includes('source') && !second.includes('mount_location'), second.join());
    assert.ok(second.includes('auth'), second.join());
    const indentless = labels(
      (await complete('model_name: m\nweights:\n- source: hf://a/b\n- mount_location: /m\n  |\n')).items,
    );
    assert.ok(!indentless.includes('mount_location') && indentless.includes('source'), indentless.join());
  });

  it('completes inside flow mappings: the methods after `auth_method: `, the keys not yet there', async () => {
    const { items } = await complete(
      `model_name: m\nbase_image:\n  image: ${ECR}/app:1\n  docker_auth: {auth_method: |, registry: ${ECR}}\n`,
    );
    assert.deepEqual(labels(items).slice(0, 2), ['AWS_OIDC', 'AWS_IAM']);
    assert.deepEqual(edit(items[0]).range, { start: { line: 3, character: 29 }, end: { line: 3, character: 29 } });
    const keys = await complete(
      'model_name: m\nbase_image: {image: python:3.11, docker_auth: {auth_method: AWS_IAM, |}}\n',
    );
    const names = labels(keys.items);
    assert.ok(names.includes('registry') && !names.includes('auth_method'), names.join());
    assert.ok(!edit(keys.items[0]).newText.includes('\n'), 'a flow key stays on its line');
    const nested = await complete('model_name: m\nresources: {accelerator: H1|}\n');
    assert.ok(labels(nested.items).includes('H100'));
  });

  it('completes inside quotes without touching them', async () => {
    const { items, text } = await complete('model_name: m\nbase_image:\n  docker_auth:\n    auth_method: "AW|"\n');
    const aws = items.find((i) => i.label === 'AWS_IAM')!;
    assert.deepEqual(edit(aws), {
      range: { start: { line: 3, character: 18 }, end: { line: 3, character: 20 } },
      newText: 'AWS_IAM',
    });
    assert.equal(text.split('\n')[3].slice(0, 18), '    auth_method: "');
  });

  it('offers nothing in a config.yaml that is not a Truss config', async () => {
    const { items } = await complete('server:\n  port: 1\nlogging:\n  |\n');
    assert.deepEqual(items, []);
  });

  it('orders the keys of an empty config.yaml by how often real configs use them, internal keys last', async () => {
    const { items } = await complete('|');
    const keys = labels(items.filter((i) => i.kind !== CompletionItemKind.Snippet));
    assert.deepEqual(keys.slice(0, 4), ['model_name', 'resources', 'model_metadata', 'python_version']);
    for (const internal of ['bis_llm', 'model_type', 'spec_version', 'use_local_src', 'hf_cache']) {
      assert.ok(keys.indexOf(internal) > keys.indexOf('weights'), `${internal} after weights: ${keys.join(', ')}`);
    }
    const sub = await complete('model_name: m\nbase_image:\n  |\n');
    const base = labels(sub.items);
    assert.ok(base.indexOf('image') < base.indexOf('docker_auth'), base.join(', '));
  });

  it('offers a starter snippet in an empty config.yaml, which gives a config with no problem', async () => {
    const { items } = await complete('# my model\n|');
    const starter = items.find((i) => i.kind === CompletionItemKind.Snippet);
    assert.ok(starter, labels(items).join(', '));
    assert.equal(items[0], starter, 'first');
    assert.equal(starter.insertTextFormat, InsertTextFormat.Snippet);
    // The snippet with each placeholder's default (the first choice).
    const text = edit(starter)
      .newText.replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1')
      .replace(/\$\{\d+:([^}]*)\}/g, '$1')
      .replace(/\$\d+/g, '');
    assert.match(text, /^model_name: my-model\npython_version: py311\n/);
    assert.deepEqual(await client.open(uri(), `# my model\n${text}`), []);
    const { items: notEmpty } = await complete('model_name: m\n|');
    assert.ok(!notEmpty.some((i) => i.kind === CompletionItemKind.Snippet), 'only in an empty file');
  });
});
