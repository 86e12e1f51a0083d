import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient, messageText, uri } from './client';

/** After each hostile document the server must still answer: hover on a small, normal one. */
async function stillAnswers(client: LspClient): Promise<void> {
  const u = uri();
  await client.open(u, 'model_name: m\nsecrets:\n  a: null\n');
  const h = await client.connection.sendRequest('textDocument/hover', {
    textDocument: { uri: u },
    position: { line: 1, character: 2 },
  });
  assert.ok(h, 'hover answered');
}

describe('hostile input over LSP', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
    assert.equal(client.logs.length, 0, `no errors logged: ${client.logs.join('\n')}`);
  });

  const open = async (text: string, timeoutMs = 2000): Promise<Diagnostic[]> => {
    const u = uri();
    const next = client.nextDiagnostics(u, 1, timeoutMs);
    void client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: u, languageId: 'yaml', version: 1, text },
    });
    return next;
  };
  const codes = (ds: Diagnostic[]) => ds.map((d) => d.code);

  it('a billion-laughs alias bomb', async () => {
    let text = 'model_name: m\nmodel_metadata:\n  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    let prev = 'a';
    for (const n of 'bcdefghi') {
      text += `  ${n}: &${n} [${Array(9)
        .fill('*' + prev)
        .join(',')}]\n`;
      prev = n;
    }
    text += 'requirements: *i\nexternal_package_dirs: [*i, *i, *i]\n';
    const ds = await open(text);
    assert.deepEqual(codes(ds), ['yaml-syntax']);
    assert.match(messageText(ds[0]), /billion laughs/);
    await stillAnswers(client);
  });

  it('a 5 MB file and a 100,000-line file get the size diagnostic within 2 s', async () => {
    const fiveMb = 'model_name: m\ndescription: "' + 'x'.repeat(5 * 1024 * 1024) + '"\n';
    assert.deepEqual(codes(await open(fiveMb)), ['file-too-large']);
    let lines = 'model_name: m\nenvironment_variables:\n';
    for (let i = 0; i < 100_000; i++) lines += `  V${i}: "x"\n`;
    const [d] = await open(lines);
    assert.equal(d.code, 'file-too-large');
    assert.match(messageText(d), /100003 lines/);
    await stillAnswers(client);
  });

  it('3,000 levels of nesting, flow and block', async () => {
    const flow = await open('model_name: m\nmodel_metadata:\n  x: ' + '['.repeat(3000) + ']'.repeat(3000) + '\n', 5000);
    assert.ok(codes(flow).includes('yaml-syntax'));
    assert.match(messageText(flow.find((d) => d.code === 'yaml-syntax')!), /nested \d+ deep: PyYAML/);
    let block = 'model_name: m\nmodel_metadata:\n';
    for (let i = 1; i <= 3000; i++) block += ' '.repeat(i * 2) + `k${i}:\n`;
    await open(block, 5000);
    await stillAnswers(client);
  });

  it('NUL and other control bytes, and replacement characters from invalid UTF-8', async () => {
    const nul = await open('model_name: m\u0000\nsecrets:\n  a: null\n');
    assert.equal(nul[0].code, 'yaml-syntax');
    assert.match(messageText(nul[0]), /U\+0000/);
    assert.deepEqual(nul[0].range, { start: { line: 0, character: 13 }, end: { line: 0, character: 14 } });
    await open('model_name: "caf\uFFFD\uFFFD"\nsecrets: {}\n');
    await open('model_name: m\n\uD800\uDC00\uD800: 1\n');
    await stillAnswers(client);
  });

  it('a byte-order mark keeps the ranges right', async () => {
    const [d] = await open('\uFEFFmodel_name: m\nfoo: 1\n');
    assert.equal(d.code, 'unknown-key');
    assert.deepEqual(d.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } });
  });

  it('a multi-document file checks the first document and says so', async () => {
    const ds = await open('model_name: m\n---\nfoo: 1\n');
    assert.deepEqual(codes(ds), ['multiple-documents']);
    assert.match(messageText(ds[0]), /only the first is checked/);
  });

  it('non-string keys, tags, anchors and merge keys', async () => {
    assert.ok(
      codes(await open('model_name: m\nsecrets:\n  1: null\n  true: null\n')).every((c) => c === 'invalid-key-type'),
    );
    const tags = await open(
      'model_name: !Ref name\ndescription: !!binary aGVsbG8=\nbase_image: !!python/object:foo {}\n',
    );
    assert.equal(tags.filter((d) => d.code === 'yaml-syntax' && d.severity === 1).length, 2, 'unknown tags are errors');
    const merged = await open(
      'model_name: m\nmodel_metadata:\n  base: &b {cpu: "1", memory: 2Gi}\nresources:\n  <<: *b\n  accelerator: A10G\n',
    );
    // truss's loader refuses merge keys: one error on the `<<`, and nothing read from a merged value.
    assert.deepEqual(
      merged.map((d) => [d.code, d.range.start.line, d.range.start.character]),
      [['yaml-syntax', 4, 2]],
    );
    const badMerge = await open('model_name: m\nmodel_metadata:\n  base: &b {cpu: 1}\nresources:\n  <<: *b\n');
    assert.deepEqual(codes(badMerge), ['yaml-syntax']);
    await stillAnswers(client);
  });
});
