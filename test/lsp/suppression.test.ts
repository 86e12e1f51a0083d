import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-protocol';
import { LspClient, messageText, uri } from './client';

describe('suppression comments and settings over LSP', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    await client.stop();
  });
  const codes = (ds: Diagnostic[]) => ds.map((d) => `${d.range.start.line}:${d.code}`);

  it('disables a code on the next line, or in the whole file', async () => {
    const text = [
      'model_name: m',
      '# truss-config-disable-next-line unknown-key',
      'foo: 1',
      'bar: 2',
      'secrets:',
      '  # truss-config-disable-next-line',
      '  token: abc',
    ].join('\n');
    assert.deepEqual(codes(await client.open(uri(), text)), ['3:unknown-key']);
    const file =
      '# truss-config-disable unknown-key secret-literal-value\nmodel_name: m\nfoo: 1\nsecrets:\n  token: abc\n';
    assert.deepEqual(await client.open(uri(), file), []);
  });

  it('warns when a suppression matches nothing or names no rule', async () => {
    const text =
      'model_name: m\n# truss-config-disable-next-line unknown-key\nsecrets: {}\n# truss-config-disable no-such-rule\n';
    const ds = await client.open(uri(), text);
    assert.deepEqual(codes(ds), ['1:unused-suppression', '3:unused-suppression']);
    assert.match(messageText(ds[0]), /Nothing to suppress for `unknown-key` on the next line/);
    assert.match(messageText(ds[1]), /No rule has the code `no-such-rule`/);
  });

  it("offers a quick fix that inserts the comment with the line's indentation", async () => {
    const text = 'model_name: m\nsecrets:\n  token: abc\n';
    const u = uri();
    const [d] = await client.open(u, text);
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: u },
      range: d.range,
      context: { diagnostics: [d] },
    });
    const suppress = actions.find((a) => a.title === 'Suppress `secret-literal-value` on this line')!;
    const [edit] = (suppress.edit!.documentChanges![0] as { edits: TextEdit[] }).edits;
    assert.deepEqual(edit, {
      range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } },
      newText: '  # truss-config-disable-next-line secret-literal-value\n',
    });
    const fixed = 'model_name: m\nsecrets:\n  # truss-config-disable-next-line secret-literal-value\n  token: abc\n';
    assert.deepEqual(await client.open(uri(), fixed), []);
  });

  it('applies trussConfig.rules severities and `off`', async () => {
    const c = await LspClient.start();
    try {
      c.settings = {
        rules: {
          'unknown-key': 'off',
          'secret-literal-value': 'error',
          'no-such-code': 'warning',
          'duplicate-key': 'loud',
        },
      };
      const ds = await c.open(uri(), 'model_name: m\nfoo: 1\nsecrets:\n  token: abc\n');
      assert.deepEqual(
        ds.map((d) => [d.code, d.severity]),
        [['secret-literal-value', 1]],
      );
    } finally {
      await c.stop();
    }
  });

  it('checks the files trussConfig.files names, and only those', async () => {
    // Keys only Truss uses: these files have no folder on disk.
    const STRAY = 'model_name: m\npython_version: py311\nfoo: 1\n';
    const c = await LspClient.start();
    try {
      c.settings = { files: ['**/truss/*.yaml'] };
      assert.equal((await c.open('file:///repo/truss/model.yaml', STRAY)).length, 1);
      assert.deepEqual(await c.open('file:///repo/app/config.yaml', STRAY), []);
      c.settings = {};
      assert.deepEqual(await c.open('file:///repo/other.yaml', STRAY), [], 'not a config.yaml by default');
      assert.equal((await c.open('file:///repo/x/config.yml', STRAY)).length, 1);
    } finally {
      await c.stop();
    }
  });
});
