/**
 * The npm package's `truss-config-language-server` (dist/server.js) as an editor, or a person, runs
 * it: as a program, by its shebang. Usage, version and a missing transport answer in a few lines with
 * the right exit status; with `--stdio` it speaks LSP under the node flags the extension gives it.
 */
import { strict as assert } from 'node:assert';
import { fork, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { version } from '../../package.json';
import { SERVER_NODE_FLAGS } from '../../protocol/protocol';
import {
  IPCMessageReader,
  IPCMessageWriter,
  type PublishDiagnosticsParams,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { LspClient, SERVER, uri } from './client';

const run = (...args: string[]) => spawnSync(SERVER, args, { encoding: 'utf8', timeout: 10_000 });

describe('truss-config-language-server, run as a program', () => {
  it('--help prints the usage on stdout and exits 0', () => {
    const r = run('--help');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Usage: truss-config-language-server --stdio\n/);
    assert.ok(r.stdout.length < 1000, `${r.stdout.length} bytes`);
    assert.equal(r.stderr, '');
  });

  it('--version prints the version and exits 0', () => {
    const r = run('--version');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `truss-config-language-server ${version}\n`);
    assert.equal(r.stderr, '');
  });

  it('no transport: says so with the usage on stderr and exits 2, no code and no stack', () => {
    for (const args of [[], ['--bogus']]) {
      const r = run(...args);
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^truss-config-language-server: no transport given/);
      assert.ok(r.stderr.length < 1000, `${r.stderr.length} bytes`);
      assert.doesNotMatch(r.stderr, /\n\s+at |Error:/);
    }
  });

  it('--stdio speaks LSP, started with the node flags the extension passes', async (t) => {
    const client = await LspClient.start({ asProgram: true });
    try {
      const d = await client.open(uri(), 'model_name: m\npython_version: py311\nresorces: {}\n');
      assert.deepEqual(
        d.map((x) => x.code),
        ['unknown-key'],
      );
      const cmdline = `/proc/${client.pid}/cmdline`;
      if (!existsSync(cmdline)) return t.skip('no /proc to read the command line from');
      const argv = readFileSync(cmdline, 'utf8').split('\0');
      for (const flag of SERVER_NODE_FLAGS) assert.ok(argv.includes(flag), `${flag} in ${argv.join(' ')}`);
    } finally {
      await client.stop();
    }
  });

  it(
    '--node-ipc speaks LSP, started as the VS Code client starts it (fork, the same flags)',
    { timeout: 20_000 },
    async () => {
      const child = fork(SERVER, ['--node-ipc', `--clientProcessId=${process.pid}`], {
        execArgv: SERVER_NODE_FLAGS,
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
      try {
        const published = new Promise<PublishDiagnosticsParams>((resolve) =>
          connection.onNotification('textDocument/publishDiagnostics', resolve),
        );
        connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
        connection.listen();
        await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
        await connection.sendNotification('initialized', {});
        await connection.sendNotification('textDocument/didOpen', {
          textDocument: {
            uri: uri(),
            languageId: 'yaml',
            version: 1,
            text: 'model_name: m\npython_version: py311\nresorces: {}\n',
          },
        });
        const d = await published;
        assert.deepEqual(
          d.diagnostics.map((x) => x.code),
          ['unknown-key'],
        );
      } finally {
        connection.dispose();
        child.kill();
      }
    },
  );
});
