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
