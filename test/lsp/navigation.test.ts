import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { DocumentHighlight, DocumentSymbol, Location, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { LspClient, uri } from './client';
import { withCursor } from './cursor';

const CONFIG = `model_name: m
base_image:
  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/app:1
  docker_auth:
    auth_method: AWS_IAM
    registry: 123456789012.dkr.ecr.us-west-2.amazonaws.com
    aws_access_key_id_secret_name: "ecr_id"
    aws_secret_access_key_secret_name: ecr_secret
weights:
  - source: hf://org/model
    mount_location: /w
    auth_secret_name: hf_token
  - source: s3://bucket/m
    mount_location: /s
    auth:
      auth_method: CUSTOM_SECRET
      auth_secret_name: s3_creds
model_cache: []
build:
  secret_to_path_mapping:
    hf_token: /run/hf
secrets:
  ecr_id: null
  ecr_secret: null
  hf_token: null
  s3_creds: null
`;

describe('secrets as symbols over LSP', () => {
  let client: LspClient;
  const u = uri();
  before(async () => {
    client = await LspClient.start();
    await client.open(u, CONFIG);
  });
  after(async () => {
    await client.stop();
  });

  const at = (needle: string, nth = 0, offset = 1) => {
    let i = -1;
    for (let k = 0; k <= nth; k++) i = CONFIG.indexOf(needle, i + 1);
    const before = CONFIG.slice(0, i + offset).split('\n');
    return { line: before.length - 1, character: before[before.length - 1].length };
  };
  const text = (r: { start: { line: number; character: number }; end: { line: number; character: number } }) =>
    CONFIG.split('\n')[r.start.line].slice(r.start.character, r.end.character);
  const req = <T>(method: string, params: object) =>
    client.connection.sendRequest<T>(method, { textDocument: { uri: u }, ...params });

  it('goes to the declaration from every kind of reference', async () => {
    const cases: Array<[string, number, string]> = [
      ['"ecr_id"', 0, 'ecr_id'],
      ['ecr_secret', 0, 'ecr_secret'],
      ['hf_token', 0, 'hf_token'],
      ['s3_creds', 0, 's3_creds'],
      ['hf_token', 1, 'hf_token'],
    ];
    for (const [needle, nth, name] of cases) {
      const locs = await req<Location[]>('textDocument/definition', { position: at(needle, nth, 2) });
      assert.equal(locs.length, 1, needle);
      assert.equal(text(locs[0].range), name);
      assert.equal(
        locs[0].range.start.line,
        CONFIG.split('\n').findIndex((l) => l === `  ${name}: null`),
      );
    }
    assert.deepEqual(await req<Location[]>('textDocument/definition', { position: at('model_name') }), []);
  });

  it('finds references from the declaration, and highlights them', async () => {
    const pos = at('  hf_token: null', 0, 4);
    const withDecl = await req<Location[]>('textDocument/references', {
      position: pos,
      context: { includeDeclaration: true },
    });
    assert.deepEqual(
      withDecl.map((l) => l.range.start.line).sort((a, b) => a - b),
      [11, 20, 24],
    );
    const refs = await req<Location[]>('textDocument/references', {
      position: pos,
      context: { includeDeclaration: false },
    });
    assert.equal(refs.length, 2);
    const hl = await req<DocumentHighlight[]>('textDocument/documentHighlight', { position: pos });
    assert.deepEqual(
      hl.map((h) => [h.range.start.line, h.kind]).sort(),
      [
        [11, 2],
        [20, 2],
        [24, 3],
      ].sort(),
    );
  });

  it('refuses to prepare a rename where there is no secret name', async () => {
    assert.equal(await req('textDocument/prepareRename', { position: at('model_name') }), null);
    assert.equal(await req('textDocument/prepareRename', { position: at('AWS_IAM') }), null);
    assert.deepEqual(await req('textDocument/prepareRename', { position: at('"ecr_id"', 0, 3) }), {
      range: { start: at('"ecr_id"', 0, 0), end: at('"ecr_id"', 0, 8) },
      placeholder: 'ecr_id',
    });
  });

  it('renames a secret everywhere it is named, keeping quotes', async () => {
    const edit = await req<WorkspaceEdit>('textDocument/rename', {
      position: at('  ecr_id: null', 0, 3),
      newName: 'ecr-key-id',
    });
    const edits = edit.changes![u];
    assert.deepEqual(
      edits.map((e) => [e.range.start.line, e.newText]).sort(),
      [
        [6, '"ecr-key-id"'],
        [22, 'ecr-key-id'],
      ].sort(),
    );
  });

  it('refuses an invalid or taken name', async () => {
    const pos = at('  ecr_id: null', 0, 3);
    await assert.rejects(req('textDocument/rename', { position: pos, newName: 'has space' }), /letters, digits/);
    await assert.rejects(req('textDocument/rename', { position: pos, newName: 'hf_token' }), /already declared/);
    await assert.rejects(
      req('textDocument/rename', { position: at('model_name'), newName: 'x' }),
      /Only a secret name/,
    );
  });

  it('gives the outline: sections, keys and list entries', async () => {
    const symbols = await req<DocumentSymbol[]>('textDocument/documentSymbol', {});
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['model_name', 'base_image', 'weights', 'model_cache', 'build', 'secrets'],
    );
    const weights = symbols.find((s) => s.name === 'weights')!;
    assert.deepEqual(
      weights.children!.map((c) => c.name),
      ['hf://org/model', 's3://bucket/m'],
    );
    const auth = symbols.find((s) => s.name === 'base_image')!.children!.find((c) => c.name === 'docker_auth')!;
    assert.equal(auth.children!.length, 4);
  });
});

describe('navigation on a half-typed document', () => {
  it('answers without errors', async () => {
    const client = await LspClient.start();
    try {
      const { text, position } = withCursor('secrets:\n  a|\nbase_image:\n  docker_auth:\n    secret_name: [');
      const u = uri();
      await client.open(u, text);
      for (const m of ['textDocument/definition', 'textDocument/documentHighlight', 'textDocument/prepareRename']) {
        await client.connection.sendRequest(m, { textDocument: { uri: u }, position });
      }
      await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: u } });
      assert.deepEqual(client.logs, []);
    } finally {
      await client.stop();
    }
  });
});
