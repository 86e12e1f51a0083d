/** The truss release over LSP: found in the folder's environment, pinned by a setting, found again on change. */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import type { CompletionItem } from 'vscode-languageserver-protocol';
import type { Status } from '../../protocol/protocol';
import { NEWEST } from '../../server/src/core/truss/release';
import { LspClient, messageText, writeModelCode } from './client';

const tmp = mkdtempSync(join(tmpdir(), 'truss-lsp-release-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A virtual environment with truss `version` installed, as pip leaves it; the METADATA file's path. */
function venv(prefix: string, version: string): string {
  const info = join(prefix, 'lib', 'python3.11', 'site-packages', `truss-${version}.dist-info`);
  mkdirSync(info, { recursive: true });
  writeFileSync(join(prefix, 'pyvenv.cfg'), 'home = /usr/bin\n');
  writeFileSync(join(info, 'METADATA'), `Metadata-Version: 2.1\nName: truss\nVersion: ${version}\n`);
  return join(info, 'METADATA');
}

// L40S is an accelerator from truss 0.13.x on; AWS_OIDC from 0.13.2.
const CONFIG = 'model_name: m\nresources:\n  accelerator: L40S\n';

const codes = (ds: Array<{ code?: number | string }>) => ds.map((d) => String(d.code));

describe('the truss release over LSP', () => {
  it('judges by the .venv of the workspace, pins by the setting, and finds again when the venv changes', async () => {
    const root = join(tmp, 'repo');
    const model = join(root, 'models', 'a');
    writeModelCode(model);
    const metadata = venv(join(root, '.venv'), '0.9.90');
    const configUri = pathToFileURL(join(model, 'config.yaml')).href;
    const client = await LspClient.start({ folders: [pathToFileURL(root).href] });
    try {
      const diagnostics = await client.open(configUri, CONFIG);
      assert.deepEqual(codes(diagnostics), ['not-in-release']);
      assert.match(messageText(diagnostics[0]), /0\.9\.90/);
      const status = await client.request<Status>('trussConfig/status', { uri: configUri });
      assert.deepEqual(status.release, { version: '0.9.90', source: 'venv', where: join(root, '.venv') });

      // The setting pins a release over the environment.
      client.settings = { truss: { version: NEWEST } };
      let next = client.nextDiagnostics(configUri);
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
      assert.deepEqual(codes(await next), []);
      const pinned = await client.request<Status>('trussConfig/status', { uri: configUri });
      assert.equal(pinned.release?.source, 'setting');

      // Unpinned, the venv is upgraded: the watcher's event makes the server look again.
      client.settings = {};
      next = client.nextDiagnostics(configUri);
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
      assert.deepEqual(codes(await next), ['not-in-release']);
      rmSync(join(root, '.venv'), { recursive: true });
      const upgraded = venv(join(root, '.venv'), NEWEST);
      next = client.nextDiagnostics(configUri);
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [
          { uri: pathToFileURL(metadata).href, type: 3 },
          { uri: pathToFileURL(upgraded).href, type: 1 },
        ],
      });
      assert.deepEqual(codes(await next), []);
      const found = await client.request<Status>('trussConfig/status', { uri: configUri });
      assert.deepEqual(found.release, { version: NEWEST, source: 'venv', where: join(root, '.venv') });

      // No truss anywhere: the newest release known, said as such.
      rmSync(join(root, '.venv'), { recursive: true });
      next = client.nextDiagnostics(configUri);
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [{ uri: pathToFileURL(upgraded).href, type: 3 }],
      });
      await next;
      const none = await client.request<Status>('trussConfig/status', { uri: configUri });
      assert.deepEqual(none.release, { version: NEWEST, source: 'default', where: 'no truss found' });
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });

  it("takes the Python extension's interpreter; a bad setting falls back with one message", async () => {
    const root = join(tmp, 'interp');
    writeModelCode(root);
    venv(join(tmp, 'elsewhere'), '0.9.90');
    const configUri = pathToFileURL(join(root, 'config.yaml')).href;
    const client = await LspClient.start({
      folders: [pathToFileURL(root).href],
      settings: { truss: { version: 'latest' } },
    });
    try {
      const first = await client.open(configUri, CONFIG);
      assert.deepEqual(codes(first), []);
      assert.equal(client.logs.length, 1);
      assert.match(client.logs[0], /`truss\.version` must be a truss release/);
      const next = client.nextDiagnostics(configUri);
      await client.connection.sendNotification('trussConfig/interpreters', {
        folders: [{ folder: pathToFileURL(root).href, python: join(tmp, 'elsewhere', 'bin', 'python3') }],
      });
      assert.deepEqual(codes(await next), ['not-in-release']);
      const status = await client.request<Status>('trussConfig/status', { uri: configUri });
      assert.equal(status.release?.source, 'interpreter');
      assert.equal(status.release?.version, '0.9.90');
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });

  it('completion marks what the pinned release does not know, and hover says since which release', async () => {
    const client = await LspClient.start({ settings: { truss: { version: '0.13.1' } } });
    try {
      const text =
        'model_name: m\nbase_image:\n  image: 1234.dkr.ecr.us-east-1.amazonaws.com/x:1\n' +
        '  docker_auth:\n    auth_method: \n';
      const u = 'untitled:release-completion';
      await client.open(u, text);
      const items = await client.request<CompletionItem[]>('textDocument/completion', {
        textDocument: { uri: u },
        position: { line: 4, character: 17 },
      });
      const oidc = items.find((i) => i.label === 'AWS_OIDC');
      assert.equal(oidc?.detail, 'needs truss ≥ 0.13.2');
      assert.equal(items.find((i) => i.label === 'AWS_IAM')?.detail, undefined);
      const order = [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map((i) => i.label);
      assert.ok(order.indexOf('AWS_OIDC') > order.indexOf('AWS_IAM'), order.join(' '));

      await client.change(u, 2, [{ text: `${text.replace('auth_method: ', 'auth_method: AWS_OIDC')}    \n` }]);
      const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', {
        textDocument: { uri: u },
        position: { line: 4, character: 20 },
      });
      assert.match(hover.contents.value, /Since truss 0\.13\.2\.\* Your truss 0\.13\.1 does not know it/);
      const keys = await client.request<CompletionItem[]>('textDocument/completion', {
        textDocument: { uri: u },
        position: { line: 5, character: 4 },
      });
      assert.equal(keys.find((i) => i.label === 'aws_oidc_region')?.detail, 'needs truss ≥ 0.13.2');
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });
});
