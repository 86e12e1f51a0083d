/**
 * The opt-in truss run over LSP, with environments made from truss's own model (test/trussEnvs.ts):
 * asked on open and save only, its answer used for that very text, never in an untrusted workspace,
 * and a Python that cannot be asked changes nothing but the status. Skipped without ../shared.
 */
import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import type { Status } from '../../protocol/protocol';
import { LspClient, messageText } from './client';
import { FUTURE, FUTURE_GPU, FUTURE_KEY, cannotMakeEnvs, trussEnv } from '../trussEnvs';

const tmp = mkdtempSync(join(tmpdir(), 'truss-lsp-run-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const CONFIG =
  'model_name: m\npython_version: py311\n' + `resources:\n  accelerator: ${FUTURE_GPU}\n${FUTURE_KEY}: 2\nbogus: 1\n`;
const brief = (ds: Diagnostic[]) => ds.map((d) => `${d.range.start.line}:${d.severity}:${String(d.code)}`);

async function session(python: string, trusted: boolean) {
  const root = mkdtempSync(join(tmp, 'ws-'));
  const uri = pathToFileURL(join(root, 'config.yaml')).href;
  const client = await LspClient.start({
    folders: [pathToFileURL(root).href],
    settings: { truss: { run: true, pythonPath: python } },
    initializationOptions: trusted ? { trusted: true } : undefined,
  });
  return { client, uri };
}

describe('the truss run over LSP', { skip: cannotMakeEnvs() }, () => {
  it('asks the future truss on open and save, never on a keystroke, in a trusted workspace', async () => {
    const { client, uri } = await session(trussEnv(FUTURE), true);
    try {
      // Before truss answers: the schema it ships knows the new key; the rest are warnings.
      const first = await client.open(uri, CONFIG);
      assert.deepEqual(brief(first), ['3:2:invalid-resources', '5:2:unknown-key']);
      // Its answer: the new accelerator is fine, `bogus` is refused, in truss's words.
      const asked = await client.until(uri, (d) => !!d?.some((x) => x.code === 'truss-rejects'), 20_000);
      assert.deepEqual(brief(asked), ['5:1:truss-rejects']);
      assert.match(messageText(asked[0]), /truss 0\.19\.0\) refuses this: Extra fields not allowed: \[bogus\]/);
      const status = await client.request<Status>('trussConfig/status', { uri });
      assert.equal(status.trussRun, 'truss run: on open and save');

      // A keystroke: analysed at once without Python (the answer was for another text).
      const typed = CONFIG.replace('bogus: 1', 'bogus: 12');
      const started = Date.now();
      const changed = await client.change(uri, 2, [{ text: typed }]);
      assert.ok(Date.now() - started < 2000, 'a keystroke does not wait on Python');
      assert.deepEqual(brief(changed), ['3:2:invalid-resources', '5:2:unknown-key']);
      await new Promise((r) => setTimeout(r, 1500));
      assert.deepEqual(brief(client.latest(uri)!), brief(changed), 'not asked on a keystroke');

      // Saved: asked again, about the new text.
      await client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
      const saved = await client.until(uri, (d) => !!d?.some((x) => x.code === 'truss-rejects'), 20_000);
      assert.deepEqual(brief(saved), ['5:1:truss-rejects']);
    } finally {
      await client.stop();
    }
  });

  it('never runs Python in an untrusted workspace', async () => {
    const marker = join(tmp, 'ran');
    const python = join(tmp, 'python-spy');
    writeFileSync(python, `#!/bin/sh\ntouch ${marker}\nexec ${trussEnv(FUTURE)} "$@"\n`);
    chmodSync(python, 0o755);
    const { client, uri } = await session(python, false);
    try {
      await client.open(uri, CONFIG);
      await client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
      await new Promise((r) => setTimeout(r, 1500));
      const status = await client.request<Status>('trussConfig/status', { uri });
      assert.equal(status.trussRun, 'truss run: off in an untrusted workspace');
      assert.ok(!client.latest(uri)!.some((d) => d.code === 'truss-rejects'));
    } finally {
      await client.stop();
    }
    assert.throws(() => rmSync(marker), 'the Python was never started');
  });

  it('a Python that crashes: one status line, one log line, the findings as without it', async () => {
    const bin = join(tmp, 'crashing', 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'python3'), '#!/bin/sh\necho "oops, not JSON"\nexit 1\n');
    chmodSync(join(bin, 'python3'), 0o755);
    const { client, uri } = await session(join(bin, 'python3'), true);
    try {
      const first = await client.open(uri, CONFIG);
      await client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
      const deadline = Date.now() + 10_000;
      let status: Status;
      do {
        await new Promise((r) => setTimeout(r, 100));
        status = await client.request<Status>('trussConfig/status', { uri });
      } while (!/not asked/.test(status.trussRun ?? '') && Date.now() < deadline);
      assert.equal(status.trussRun, 'truss run: not asked: Python printed what is not an answer');
      assert.deepEqual(brief(client.latest(uri)!), brief(first));
      assert.equal(client.logs.filter((l) => /truss run/.test(l)).length, 1);
    } finally {
      await client.stop();
    }
  });
});
