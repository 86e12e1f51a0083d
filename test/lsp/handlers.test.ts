/**
 * The request handlers are plain functions of the server's state: entered here with a hand-made
 * state (open documents in a map, default settings, no connection), not over stdio.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { type PublishDiagnosticsParams, ResponseError } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_SETTINGS, type Settings } from '../../server/src/engine/settings';
import { Analyses } from '../../server/src/lsp/documents';
import * as handlers from '../../server/src/lsp/handlers';

const URI = 'file:///project/config.yaml';
// Two secrets named under docker_auth and not declared: two missing-secret warnings.
const TEXT = [
  'base_image:',
  '  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/app:1',
  '  docker_auth:',
  '    auth_method: AWS_IAM',
  '    registry: 123456789012.dkr.ecr.us-west-2.amazonaws.com',
  '    aws_access_key_id_secret_name: ecr_key_id',
  '    aws_secret_access_key_secret_name: ecr_secret',
  'model_name: iam',
  '',
].join('\n');

function handMade(settings: (uri: string) => Promise<Settings> = () => Promise.resolve(DEFAULT_SETTINGS)) {
  const open = new Map<string, TextDocument>([[URI, TextDocument.create(URI, 'yaml', 1, TEXT)]]);
  const documents = { get: (uri: string) => open.get(uri), all: () => [...open.values()] };
  const sent: PublishDiagnosticsParams[] = [];
  const errors: string[] = [];
  const log = { error: (m: string) => errors.push(m) };
  const analyses = new Analyses({
    documents,
    settings: { get: settings },
    baseten: { current: () => undefined },
    releases: { for: () => undefined },
    projects: { open: () => Promise.resolve(), publish: () => undefined },
    send: (p) => {
      sent.push(p);
      return Promise.resolve();
    },
    log,
  });
  const state = {
    documents,
    settings: { get: settings },
    analyses,
    baseten: { state: () => ({ state: 'off' as const, reason: 'off' }) },
    releases: { inForce: () => ({ version: '0.13.1', source: 'setting', where: 'trussConfig.truss.version' }) },
    capabilities: { versionedEdits: true, watchFiles: false, foldersChange: false },
  };
  return { state, open, sent, errors };
}

const cancelled = { isCancellationRequested: true, onCancellationRequested: () => ({ dispose() {} }) };

describe('request handlers without a connection', () => {
  it('status counts the findings of the current analysis', async () => {
    const { state } = handMade();
    const s = await handlers.status(state, { uri: URI });
    assert.ok(s);
    assert.equal(s.truss, true);
    assert.deepEqual([s.errors, s.warnings], [0, 2]);
    assert.equal(s.baseten?.state, 'off');
    assert.equal(await handlers.status(state, { uri: URI }, cancelled), null, 'cancelled: no answer');
  });

  it('validate publishes diagnostics that code actions then fix, add-all included', async () => {
    const { state, sent, errors } = handMade();
    await state.analyses.validate(URI);
    assert.equal(sent.length, 1);
    const { diagnostics, version } = sent[0];
    assert.equal(version, 1);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['missing-secret', 'missing-secret'],
    );
    const range = diagnostics[0].range;
    const params = { textDocument: { uri: URI }, range, context: { diagnostics } };
    const actions = await handlers.codeActions(state, params);
    // A fix of the first diagnostic, and one that declares both secrets at once.
    assert.ok(actions.some((a) => a.diagnostics?.length === 1 && a.diagnostics[0] === diagnostics[0]));
    const all = actions.find((a) => a.diagnostics?.length === 2);
    assert.ok(all, actions.map((a) => a.title).join(', '));
    assert.equal(all.edit?.documentChanges?.length, 1, 'a versioned edit');
    assert.deepEqual(await handlers.codeActions(state, params, cancelled), []);
    assert.deepEqual(errors, []);
  });

  it('hover, references and rename answer on a secret name; a refused rename is a ResponseError', async () => {
    const { state } = handMade();
    const at = { line: 5, character: TEXT.split('\n')[5].indexOf('ecr_key_id') + 1 };
    const textDocument = { uri: URI };
    const hover = await handlers.hover(state, { textDocument, position: at });
    assert.ok(hover);
    const refs = await handlers.references(state, {
      textDocument,
      position: at,
      context: { includeDeclaration: true },
    });
    assert.deepEqual(
      refs.map((r) => [r.uri, r.range.start.line]),
      [[URI, 5]],
    );
    const edit = await handlers.rename(state, { textDocument, position: at, newName: 'ecr_id' });
    assert.equal(edit?.changes?.[URI].length, 1);
    await assert.rejects(
      handlers.rename(state, { textDocument, position: { line: 7, character: 2 }, newName: 'x' }),
      ResponseError,
    );
    assert.equal(await handlers.hover(state, { textDocument: { uri: 'file:///closed.yaml' }, position: at }), null);
  });

  it('validate publishes nothing for a version replaced while its settings were read', async () => {
    const h = handMade(() => {
      h.open.set(URI, TextDocument.create(URI, 'yaml', 2, `${TEXT}# edited\n`));
      return Promise.resolve(DEFAULT_SETTINGS);
    });
    await h.state.analyses.validate(URI);
    assert.deepEqual(h.sent, []);
  });
});
