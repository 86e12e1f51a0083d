import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { type Expectation, sortExpectations } from '../annotations';
import { type RuleCase, ruleCases } from '../ruleFiles';
import { LspClient, messageText, uri } from './client';

const NOT_TRUSS = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web',
  'spec:',
  '  replicas: 2',
  'secrets:',
  '  token: abc',
  '',
].join('\n');

const SEVERITY_NAMES: Record<number, string> = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

function rows(diagnostics: Diagnostic[]): Expectation[] {
  return sortExpectations(
    diagnostics.map((d) => ({
      line: d.range.start.line,
      start: d.range.start.character,
      endLine: d.range.end.line,
      end: d.range.end.character,
      severity: SEVERITY_NAMES[d.severity ?? 1],
      code: String(d.code),
    })),
  );
}

/**
 * The case of each rule with the most findings (the Baseten workspace's cases cross it in test/baseten/,
 * the installed truss's answers in test/lsp/truss-run.test.ts).
 */
function onePerRule(): RuleCase[] {
  const best = new Map<string, RuleCase>();
  for (const c of ruleCases()) {
    if (c.workspace || c.says) continue;
    const b = best.get(c.rule);
    if (!b || c.expected.length > b.expected.length) best.set(c.rule, c);
  }
  return [...best.values()];
}

describe('diagnostics over LSP', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    assert.equal(await client.stop(), 0, 'server exits cleanly');
  });

  /** A server whose settings pin each release a case names (`# truss-release: X`). */
  const pinned = new Map<string, LspClient>();
  after(async () => {
    for (const c of pinned.values()) assert.equal(await c.stop(), 0);
  });
  async function clientFor(release?: string): Promise<LspClient> {
    if (!release) return client;
    let c = pinned.get(release);
    if (!c) pinned.set(release, (c = await LspClient.start({ settings: { truss: { version: release } } })));
    return c;
  }

  // Every rule's cases run against the core (test/rules.test.ts); here one case per rule crosses the protocol.
  for (const c of onePerRule()) {
    for (const eol of ['\n', '\r\n']) {
      it(`${c.name}${eol === '\n' ? '' : ' (CRLF)'}`, async () => {
        const diagnostics = await (await clientFor(c.release)).open(uri(), c.text.replace(/\n/g, eol));
        assert.deepEqual(rows(diagnostics.filter((d) => c.codes.has(String(d.code)))), c.expected);
        for (const d of diagnostics) {
          assert.equal(d.source, 'truss');
          assert.equal(typeof d.code, 'string');
          assert.ok(messageText(d).length > 0);
        }
      });
    }
  }

  it('gives a config.yaml that is not a Truss config no diagnostics', async () => {
    assert.deepEqual(await client.open(uri(), NOT_TRUSS), []);
  });

  it("treats a file with truss's $schema modeline as a Truss config", async () => {
    const text =
      '# yaml-language-server: $schema=https://raw.githubusercontent.com/basetenlabs/truss/main/truss/config.schema.json\nfoo: 1\n';
    const diagnostics = await client.open(uri(), text);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['unknown-key'],
    );
  });

  it('carries data for quick fixes and a docs link', async () => {
    const text =
      'model_name: m\nbase_image:\n  image: gcr.io/p/i:1\n  docker_auth:\n    auth_method: GCP_SERVICE_ACCOUNT_JSON\n' +
      '    registry: gcr.io\n    secret_name: gcp_sa\nsecrets:\n  gcp-sa: null\n';
    const [d] = await client.open(uri(), text);
    assert.equal(d.code, 'missing-secret');
    assert.deepEqual(d.data, {
      name: 'gcp_sa',
      field: 'secret_name',
      implicit: false,
      inText: false,
      candidates: ['gcp-sa'],
    });
    assert.equal(d.codeDescription?.href, 'https://docs.baseten.co/development/model/private-registries');
  });

  it('follows incremental edits, and publishes for the version it checked', async () => {
    const u = uri();
    const text = 'model_name: m\nbase_image:\n  image: gcr.io/p/i:1\n  docker_auth:\n    auth_method: AWS_OIDX\n';
    const first = await client.open(u, text);
    assert.deepEqual(first.map((d) => d.code).sort(), ['invalid-value', 'registry-missing']);
    // Replace "AWS_OIDX" by "GCP_OIDC", then add the fields it needs.
    const second = await client.change(u, 2, [
      { range: { start: { line: 4, character: 17 }, end: { line: 4, character: 25 } }, text: 'GCP_OIDC' },
    ]);
    assert.deepEqual(second.map((d) => d.code).sort(), ['missing-method-field', 'registry-missing']);
    const third = await client.change(u, 3, [
      {
        range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } },
        text:
          '    registry: gcr.io\n    gcp_oidc_service_account: a@p.iam.gserviceaccount.com\n' +
          '    gcp_oidc_workload_id_provider: projects/1/locations/global/workloadIdentityPools/p/providers/b\n',
      },
    ]);
    assert.deepEqual(third, []);
  });

  it('while typing in a value or a key, publishes at each keystroke what a fresh open of that text gets', async () => {
    // Each version is parsed from the one before (the tree is reused); a second document opened with
    // the same text is parsed anew. Typing in the registry (after the line that names it moves), in a
    // secret name, then a key: positions after the edit must move, findings come and go.
    let text =
      'model_name: m\nbase_image:\n  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/i:1\n' +
      '  docker_auth:\n    auth_method: AWS_IAM\n    registry: 123456789012.dkr.ecr.us-west-2.amazonaws.com\n' +
      '    aws_access_key_id_secret_name: key_id\nsecrets:\n  key_id: null\nresources:\n  cpu: "1"\n';
    const u = uri();
    await client.open(u, text);
    const typing: Array<[string, string]> = [
      ['registry: 123456789012', 'x'],
      ['secret_name: key_id', '_2'],
      ['  cpu', 's'],
      ['model_name: m', '-model.v2'],
    ];
    let version = 1;
    for (const [after, typed] of typing) {
      for (const ch of typed) {
        const at = text.indexOf(after) + after.length;
        text = text.slice(0, at) + ch + text.slice(at);
        const lines = text.slice(0, at).split('\n');
        const position = { line: lines.length - 1, character: lines[lines.length - 1].length };
        const typedIn = await client.change(u, ++version, [{ range: { start: position, end: position }, text: ch }]);
        const fresh = uri();
        assert.deepEqual(typedIn, await client.open(fresh, text), JSON.stringify(text));
        await client.close(fresh);
      }
    }
  });

  it('after whole lines added, pasted, deleted or commented out, publishes what a fresh open gets', async () => {
    // Each version is made from the one before (the tree is reused around the lines); a second
    // document opened with the same text is parsed anew. Findings after the edit must move with it.
    let text =
      'model_name: m\nbase_image:\n  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/i:1\n' +
      '  docker_auth:\n    auth_method: AWS_IAM\n    registry: 123456789012.dkr.ecr.us-west-2.amazonaws.com\n' +
      '    aws_access_key_id_secret_name: key_id\nsecrets:\n  key_id: null\n  other: null\n' +
      'environment_variables:\n  A: "1"\n  B: "2"\nresources:\n  cpu: "1"\n  acelerator: H100\nunknown_key: 1\n';
    const u = uri();
    await client.open(u, text);
    // [line, lines removed, text inserted]: Enter, a new key line, a pasted block, a deleted line,
    // a line commented out, then the edits undone in part.
    const edits: Array<[number, number, string]> = [
      [12, 0, '  \n'],
      [10, 0, '  C: "3"\n'],
      [16, 0, '  memory: 2Gi\n  use_gpu: true\n  accelerator: A10G\n'],
      [9, 1, ''],
      [17, 1, '  # use_gpu: true\n'],
      [12, 1, ''],
      [2, 0, '  \n'],
    ];
    let version = 1;
    for (const [line, removed, inserted] of edits) {
      const start = { line, character: 0 };
      const end = { line: line + removed, character: 0 };
      const lines = text.split('\n');
      text = [...lines.slice(0, line), ...inserted.split('\n').slice(0, -1), ...lines.slice(line + removed)].join('\n');
      const edited = await client.change(u, ++version, [{ range: { start, end }, text: inserted }]);
      const fresh = uri();
      assert.deepEqual(edited, await client.open(fresh, text), JSON.stringify(text));
      await client.close(fresh);
    }
  });

  it('never publishes an older version after a newer one', async () => {
    const u = uri();
    await client.open(u, 'model_name: m\n');
    const versions = [2, 3, 4, 5, 6];
    const last = client.nextDiagnostics(u, 6);
    for (const v of versions) {
      void client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri: u, version: v },
        contentChanges: [{ text: `model_name: m\nsecret${v}: 1\n` }],
      });
    }
    const diagnostics = await last;
    assert.match(messageText(diagnostics[0]), /secret6/);
    await new Promise((r) => setTimeout(r, 100));
    const published = client.published.filter((p) => p.uri === u).map((p) => p.version ?? 0);
    for (let i = 1; i < published.length; i++)
      assert.ok(published[i] > published[i - 1], `versions in order: ${published.join(',')}`);
  });

  it('clears diagnostics when a document closes', async () => {
    const u = uri();
    assert.equal((await client.open(u, 'model_name: m\nfoo: 1\n')).length, 1);
    assert.deepEqual(await client.close(u), []);
  });

  it('checks a half-typed line', async () => {
    const text = 'base_image:\n  image: gcr.io/p/i:1\n  docker_auth:\n    auth_method: AW';
    const diagnostics = await client.open(uri(), text);
    assert.ok(diagnostics.some((d) => d.code === 'invalid-value' && d.range.start.line === 3));
  });

  it('never puts a secret value into a diagnostic', async () => {
    const token = 'hf_SuperSecretTokenValue1234567890';
    const text =
      `model_name: m\nsecrets:\n  hf_access_token: ${token}\n  other: 12345\n` +
      '  "DOCKER_REGISTRY_docker.io": dXNlcjpwYXNz\n';
    const diagnostics = await client.open(uri(), text);
    assert.ok(diagnostics.length >= 3);
    for (const d of diagnostics) {
      assert.ok(!JSON.stringify(d).includes(token));
      assert.ok(!JSON.stringify(d).includes('dXNlcjpwYXNz'));
      assert.ok(!JSON.stringify(d).includes('12345'));
    }
    assert.ok(!client.stderr.includes(token));
  });
});

describe('settings over LSP', () => {
  it('detect: always checks any config.yaml, never checks none; validate.enable: false turns it off', async () => {
    const client = await LspClient.start();
    try {
      client.settings = { detect: 'always' };
      assert.ok((await client.open(uri(), NOT_TRUSS)).some((d) => d.code === 'unknown-key'));
      client.settings = { detect: 'never' };
      assert.deepEqual(await client.open(uri(), 'model_name: m\nfoo: 1\n'), []);
      client.settings = { validate: { enable: false } };
      assert.deepEqual(await client.open(uri(), 'model_name: m\nfoo: 1\n'), []);
    } finally {
      await client.stop();
    }
  });

  it('names settings it cannot use in one warning, once, and goes on with the defaults', async () => {
    const client = await LspClient.start();
    try {
      client.settings = { rules: { 'no-such-code': 'off', 'unknown-key': 'loud', 'missing-secret': 'off' } };
      const diagnostics = await client.open(uri(), 'model_name: m\nfoo: 1\n');
      assert.deepEqual(
        diagnostics.map((d) => d.code),
        ['unknown-key'],
      );
      await client.open(uri(), 'model_name: m\nbar: 1\n');
      assert.equal(client.logs.length, 1, client.logs.join('\n'));
      assert.match(client.logs[0], /unknown code `no-such-code`/);
      assert.match(client.logs[0], /`rules\.unknown-key` must be/);
    } finally {
      await client.stop();
    }
  });

  it('registers for configuration changes only with a client that offers it, and re-checks either way', async () => {
    for (const offered of [true, false]) {
      const client = await LspClient.start({ configurationRegistration: offered });
      try {
        const u = uri();
        assert.equal((await client.open(u, 'model_name: m\nfoo: 1\n')).length, 1);
        const methods = [...client.registered.values()].map((r) => r.method);
        assert.equal(methods.includes('workspace/didChangeConfiguration'), offered, methods.join(', '));
        client.settings = { validate: { enable: false } };
        const next = client.nextDiagnostics(u);
        await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
        assert.deepEqual(await next, []);
      } finally {
        await client.stop();
      }
    }
  });

  it('uses the defaults with a client that cannot answer workspace/configuration', async () => {
    const client = await LspClient.start({ configuration: false });
    try {
      assert.equal((await client.open(uri(), 'model_name: m\nfoo: 1\n')).length, 1);
      assert.deepEqual(await client.open(uri(), NOT_TRUSS), []);
    } finally {
      await client.stop();
    }
  });
});
