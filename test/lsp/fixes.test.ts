import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-protocol';
import { LspClient, uri } from './client';
import { applyEdits } from '../text';
import { golden, goldens } from '../ruleFiles';
import { workspaceSecrets } from '../annotations';

function editsOf(action: CodeAction, docUri: string, version: number): TextEdit[] {
  const change = action.edit?.documentChanges?.[0] as
    { textDocument: { uri: string; version: number }; edits: TextEdit[] } | undefined;
  assert.ok(change, 'a versioned edit');
  assert.equal(change.textDocument.uri, docUri);
  assert.equal(change.textDocument.version, version);
  return change.edits;
}

describe('quick fixes over LSP (golden files)', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    await client.stop();
  });

  async function fix(
    name: string,
    code: string,
    title: string,
    eol: '\n' | '\r\n',
  ): Promise<{ output: string; action: CodeAction }> {
    const input = golden(name).input.replace(/\n/g, eol);
    const u = uri();
    const diagnostics = await client.open(u, input);
    const target = diagnostics.find((d) => d.code === code);
    assert.ok(target, `${name}: a ${code} diagnostic (got ${diagnostics.map((d) => d.code).join(',')})`);
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: u },
      range: target.range,
      context: { diagnostics: diagnostics.filter((d) => d.code === code) },
    });
    const action = actions.find((a) => a.title.includes(title));
    assert.ok(action, `${name}: an action "${title}" (got ${actions.map((a) => a.title).join(' | ')})`);
    assert.equal(action.kind, 'quickfix');
    return { output: applyEdits(input, editsOf(action, u, 1)), action };
  }

  // The Baseten workspace's goldens cross the protocol in test/baseten/.
  for (const g of goldens().filter((x) => !workspaceSecrets(x.input))) {
    for (const eol of ['\n', '\r\n'] as const) {
      it(`${g.rule}/${g.name}${eol === '\r\n' ? ' (CRLF)' : ''}`, async () => {
        const { output } = await fix(g.name, g.code, g.title, eol);
        assert.equal(output, g.output.replace(/\n/g, eol));
        if (eol === '\r\n') assert.ok(!/[^\r]\n/.test(output), 'only CRLF line endings');

        // The result parses, and the diagnostic the fix targets is gone.
        const after = await client.open(uri(), output);
        assert.ok(!after.some((d) => d.code === 'yaml-syntax'), 'parses');
        const before = g.input;
        const targeted = (await client.open(uri(), before)).find((d) => d.code === g.code)!;
        const still = after.filter(
          (d: Diagnostic) =>
            d.code === g.code &&
            (g.title.startsWith('Add all') ||
              (d.range.start.line === targeted.range.start.line && d.message === targeted.message)),
        );
        assert.deepEqual(still, [], 'the targeted diagnostic is gone');
      });
    }
  }

  it('marks the obvious fix preferred', async () => {
    const { action } = await fix('use-near-miss', 'missing-secret', 'Use the declared secret', '\n');
    assert.equal(action.isPreferred, true);
    const { action: add } = await fix('use-near-miss', 'missing-secret', 'Add `gcp-sa-key: null`', '\n');
    assert.notEqual(add.isPreferred, true);
  });

  it('offers one action per missing name and one that adds all', async () => {
    const input = golden('add-all-secrets').input;
    const u = uri();
    const diagnostics = await client.open(u, input);
    const missing = diagnostics.filter((d) => d.code === 'missing-secret');
    assert.equal(missing.length, 2);
    const titles = new Set<string>();
    for (const d of missing) {
      const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri: u },
        range: d.range,
        context: { diagnostics: [d] },
      });
      for (const a of actions) titles.add(a.title);
    }
    assert.ok(titles.has('Add `ecr_key_id: null` to secrets'));
    assert.ok(titles.has('Add `ecr_secret: null` to secrets'));
    assert.ok([...titles].some((t) => t.startsWith('Add all missing secrets')));
  });

  it('offers no fix for a diagnostic from an older version of the document', async () => {
    const input = golden('secret-to-null').input;
    const u = uri();
    const [old] = await client.open(u, input);
    await client.change(u, 2, [{ text: `# a new first line\n${input}` }]);
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: u },
      range: old.range,
      context: { diagnostics: [old] },
    });
    assert.deepEqual(
      actions.filter((a) => a.kind === 'quickfix'),
      [],
    );
  });

  it('offers the credential command on a DOCKER_REGISTRY_ key', async () => {
    const text =
      'model_name: m\nbase_image:\n  image: nvcr.io/nvidia/tritonserver:24.05-py3\n' +
      'secrets:\n  DOCKER_REGISTRY_nvcr.io: null\n';
    const u = uri();
    await client.open(u, text);
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: u },
      range: { start: { line: 4, character: 5 }, end: { line: 4, character: 5 } },
      context: { diagnostics: [] },
    });
    const cmd = actions.find((a) => a.command?.command === 'trussConfig.createRegistryCredential');
    assert.ok(cmd);
    assert.deepEqual(cmd.command!.arguments, [{ secretName: 'DOCKER_REGISTRY_nvcr.io', user: '$oauthtoken' }]);
    const info = await client.connection.sendRequest('trussConfig/registryInfo', { uri: u });
    assert.deepEqual(info, { secretName: 'DOCKER_REGISTRY_nvcr.io', user: '$oauthtoken' });
  });
});

describe('the registry credential command names the secret as the rule does', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    await client.stop();
  });
  const HUB = 'DOCKER_REGISTRY_https://index.docker.io/v1/';

  it('names Docker Hub in every spelling of its host, and the rule accepts that name', async () => {
    const spellings = [
      'docker.io',
      'DOCKER.IO',
      'https://index.docker.io/v1/',
      'index.docker.io',
      'registry-1.docker.io/',
      'https://docker.io',
    ];
    for (const host of spellings) {
      const info = await client.connection.sendRequest<{ secretName: string }>('trussConfig/registryInfo', { host });
      assert.equal(info.secretName, HUB, host);
    }
    const ghcr = await client.connection.sendRequest<{ secretName: string }>('trussConfig/registryInfo', {
      host: 'https://ghcr.io/',
    });
    assert.equal(ghcr.secretName, 'DOCKER_REGISTRY_ghcr.io');
    for (const [image, name] of [
      ['me/private:1', HUB],
      ['ghcr.io/me/private:1', 'DOCKER_REGISTRY_ghcr.io'],
    ]) {
      const text = `model_name: m\nbase_image:\n  image: ${image}\nsecrets:\n  ${name}: null\n`;
      const ds = await client.open(uri(), text);
      assert.deepEqual(
        ds.filter((d) => String(d.code).startsWith('registry-')),
        [],
        `${name} is the name the rule wants for ${image}`,
      );
    }
  });

  it('offers the value of the name Baseten reads on a misspelled Docker Hub key', async () => {
    const u = uri();
    const text = 'model_name: m\nbase_image:\n  image: me/private:1\nsecrets:\n  DOCKER_REGISTRY_docker.io: null\n';
    await client.open(u, text);
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: u },
      range: { start: { line: 4, character: 5 }, end: { line: 4, character: 5 } },
      context: { diagnostics: [] },
    });
    const cmd = actions.find((a) => a.command?.command === 'trussConfig.createRegistryCredential');
    assert.deepEqual(cmd?.command?.arguments, [{ secretName: HUB, user: '' }]);
  });

  it('says when the config has docker_auth for the registry, and that an ECR token expires', async () => {
    const host = '123456789012.dkr.ecr.us-west-2.amazonaws.com';
    const u = uri();
    const text =
      `model_name: m\nbase_image:\n  image: ${host}/img:1\n  docker_auth:\n    auth_method: AWS_IAM\n` +
      `    registry: ${host}\n`;
    await client.open(u, text);
    const expected = { secretName: `DOCKER_REGISTRY_${host}`, user: 'AWS', twice: true, expiresHours: 12 };
    assert.deepEqual(await client.connection.sendRequest('trussConfig/registryInfo', { uri: u }), expected);
    assert.deepEqual(await client.connection.sendRequest('trussConfig/registryInfo', { uri: u, host }), expected);
    // Another registry's secret is no second credential of the image's.
    assert.deepEqual(await client.connection.sendRequest('trussConfig/registryInfo', { uri: u, host: 'ghcr.io' }), {
      secretName: 'DOCKER_REGISTRY_ghcr.io',
      user: '',
    });
  });
});
