/**
 * No credential in the language server's traffic: canary credentials of every known shape are planted
 * as values, keys, secret names and comments, and a whole session (open, change, hover, completion,
 * code actions on every diagnostic, symbols, highlights, definition, references, rename) runs on them.
 * Every byte the server writes on stdout, its stderr and its log messages are scanned, not only the
 * messages: a diagnostic's `data`, a fix's title, an edit, a refused rename's reason, a log line.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { CANARIES } from '../canaries';
import { logError } from '../../server/src/lsp/log';
import { LspClient, uri } from './client';

/** A config with the canary as a value, a key, a secret name and in comments. */
function planted(token: string): string {
  const q = JSON.stringify(token);
  const comments = token
    .split('\n')
    .map((l) => `# old: ${l}`)
    .join('\n');
  return [
    comments,
    'model_name: my-model',
    'python_version: py311',
    `description: ${q}`,
    `${q}: 1`,
    'environment_variables:',
    `  ${q}: x`,
    `  HF_TOKEN: ${q}`,
    'model_metadata:',
    `  example: {api_key: ${q}}`,
    'docker_server:',
    `  start_command: ${JSON.stringify(`serve --key ${token.split('\n')[0]}`)}`,
    '  server_port: 8000',
    '  predict_endpoint: /predict',
    '  readiness_endpoint: /health',
    '  liveness_endpoint: /health',
    'base_image:',
    '  image: gcr.io/p/i:1',
    '  docker_auth:',
    '    auth_method: GCP_SERVICE_ACCOUNT_JSON',
    '    registry: gcr.io',
    `    secret_name: ${q}`,
    'build:',
    `  secret_to_path_mapping: {${q}: /run/secrets/x}`,
    'secrets:',
    `  ${q}: ${q}`,
    `  hf_access_token: ${q}`,
    `  Hf_Access_Token: null # ${token.split('\n')[0]}`,
    '',
  ].join('\n');
}

/** A secret name Baseten stores as the same secret as `token` (the same name, when only that is). */
function sameAs(token: string): string {
  if (/[^A-Za-z0-9_]/.test(token)) return token.replace(/[^A-Za-z0-9]/g, '_');
  return token.includes('_') ? token.replace(/_/g, '-') : token;
}

describe('no credential in the language server traffic', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    await client.stop();
  });

  it('canaries as values, keys, secret names and comments: nothing the server writes holds one', async () => {
    let requests = 0;
    let diagnostics = 0;
    let actions = 0;
    let renames = 0;
    let refusals = 0;
    for (const c of CANARIES) {
      const u = uri();
      const text = planted(c.planted);
      const textDocument = { uri: u };
      await client.open(u, text);
      // An edit, as typing: a line added at the end, then the diagnostics of that version.
      const lines = text.split('\n');
      const end = { line: lines.length - 1, character: 0 };
      const ds: Diagnostic[] = await client.change(u, 2, [{ range: { start: end, end }, text: 'foo: 1\n' }]);
      lines.splice(lines.length - 1, 0, 'foo: 1');
      diagnostics += ds.length;
      assert.ok(ds.length > 5, `${c.kind}: ${ds.length} diagnostics`);
      for (const d of ds) {
        const got = await client.request<unknown[]>('textDocument/codeAction', {
          textDocument,
          range: d.range,
          context: { diagnostics: [d] },
        });
        actions += got.length;
        requests++;
      }
      await client.request('textDocument/codeAction', {
        textDocument,
        range: { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } },
        context: { diagnostics: ds, only: ['source.fixAll.truss'] },
      });
      await client.request('textDocument/documentSymbol', { textDocument });
      for (const [line, l] of lines.entries()) {
        for (const character of new Set([0, 2, 4, 6, 12, Math.max(0, l.length - 1), l.length])) {
          if (character > l.length) continue;
          const position = { line, character };
          await client.request('textDocument/hover', { textDocument, position });
          await client.request('textDocument/completion', { textDocument, position });
          await client.request('textDocument/documentHighlight', { textDocument, position });
          await client.request('textDocument/definition', { textDocument, position });
          await client.request('textDocument/references', {
            textDocument,
            position,
            context: { includeDeclaration: true },
          });
          requests += 5;
          // A rename of the secret here to a fresh name and, on `hf_access_token`, to a name Baseten
          // stores as the declared canary's: refused, with a reason that would quote both names.
          if (await client.request('textDocument/prepareRename', { textDocument, position })) {
            const names = ['renamed_secret', ...(l.startsWith('  hf_access_token:') ? [sameAs(c.planted)] : [])];
            for (const newName of names) {
              await client.request('textDocument/rename', { textDocument, position, newName }).catch(() => refusals++);
              renames++;
            }
          }
          requests++;
        }
      }
    }
    const stdout = Buffer.concat(client.raw).toString('utf8');
    const leaks: string[] = [];
    for (const c of CANARIES) {
      for (const [where, text] of Object.entries({ stdout, stderr: client.stderr, logs: client.logs.join('\n') })) {
        let at = text.indexOf(c.needle);
        while (at >= 0 && leaks.length < 4000) {
          leaks.push(`${c.kind} in ${where}: …${text.slice(Math.max(0, at - 120), at + 20)}…`);
          at = text.indexOf(c.needle, at + 1);
        }
      }
    }
    console.log(
      `canaries: ${CANARIES.length} documents, ${diagnostics} diagnostics, ${actions} code actions, ` +
        `${requests + renames} requests (${renames} renames, ${refusals} refused), ${stdout.length} bytes scanned, ` +
        `${leaks.length} leaks`,
    );
    assert.ok(actions > CANARIES.length * 5, 'code actions were offered');
    assert.ok(refusals >= CANARIES.length, 'renames were refused');
    assert.deepEqual(leaks, []);
  });

  it('a logged failure never repeats a credential its message quotes', () => {
    const lines: string[] = [];
    for (const c of CANARIES) logError({ error: (m) => lines.push(m) }, 'hover', new Error(`bad value ${c.planted}`));
    for (const [i, c] of CANARIES.entries()) assert.ok(!lines[i].includes(c.needle), lines[i]);
    assert.match(lines[0], /^hover failed: Error: bad value \[a credential\]/);
  });

  it('the scan finds a canary where the server writes one', async () => {
    const before = Buffer.concat(client.raw).length;
    // A hover answers with its range only; the message of a diagnostic carries the key's name.
    const u = uri();
    await client.open(u, 'model_name: m\npython_version: py311\nnot_a_truss_key_canary_marker: 1\n');
    const stdout = Buffer.concat(client.raw).subarray(before).toString('utf8');
    assert.ok(stdout.includes('not_a_truss_key_canary_marker'), 'raw traffic is captured');
  });
});
