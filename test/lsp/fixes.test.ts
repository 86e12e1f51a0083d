import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-protocol';
import { LspClient, uri } from './client';
import { applyEdits } from '../text';

const GOLDEN = join(__dirname, '..', '..', '..', 'test', 'golden');

/** Each golden: input NAME.in.yaml, expected NAME.out.yaml, the diagnostic code and the action title (a substring). */
const GOLDENS: Array<{ name: string; code: string; title: string }> = [
  { name: 'add-secret-to-block', code: 'missing-secret', title: 'Add `sa-key: null` to secrets' },
  { name: 'add-secret-new-block', code: 'missing-secret', title: 'Add `ecr_key_id: null` to secrets' },
  { name: 'add-all-secrets', code: 'missing-secret', title: 'Add all missing secrets' },
  { name: 'add-secret-empty-block', code: 'missing-secret', title: 'Add `gcp-sa: null` to secrets' },
  { name: 'add-secret-flow', code: 'missing-secret', title: 'Add `gcp-sa: null` to secrets' },
  { name: 'use-near-miss', code: 'missing-secret', title: 'Use the declared secret `gcp_sa_key`' },
  { name: 'rename-registry-secret', code: 'registry-secret-mismatch', title: 'Rename to `DOCKER_REGISTRY_https://index.docker.io/v1/`' },
  { name: 'set-registry', code: 'registry-mismatch', title: 'Set registry to `us-west2-docker.pkg.dev`' },
  { name: 'add-registry', code: 'registry-missing', title: 'Set registry to `123456789012.dkr.ecr.us-west-2.amazonaws.com`' },
  { name: 'secret-to-null', code: 'secret-literal-value', title: 'Set `hf_access_token` to null' },
  { name: 'auth-method-upper', code: 'auth-method-case', title: 'Change to `AWS_OIDC`' },
  { name: 'auth-method-nearest', code: 'invalid-value', title: 'Change to `GCP_SERVICE_ACCOUNT_JSON`' },
  { name: 'rename-unknown-key', code: 'unknown-key', title: 'Rename to `registry`' },
  { name: 'add-method-fields', code: 'missing-method-field', title: 'Add aws_oidc_role_arn, aws_oidc_region' },
  { name: 'remove-forbidden-field', code: 'forbidden-method-field', title: 'Remove `secret_name`' },
  { name: 'hf-cache-rename', code: 'deprecated', title: 'Rename to `model_cache`' },
  { name: 'quote-cpu', code: 'invalid-type', title: 'Quote the value as a string' },
  { name: 'python-version', code: 'invalid-type', title: 'Change to `py311`' },
  { name: 'remove-num-workers', code: 'removed-key', title: 'Remove `num_workers`' },
  { name: 'rename-runtime-key', code: 'unknown-key', title: 'Rename to `predict_concurrency`' },
  { name: 'accelerator-case', code: 'invalid-resources', title: 'Change to `H100:2`' },
];

function editsOf(action: CodeAction, docUri: string, version: number): TextEdit[] {
  const change = action.edit?.documentChanges?.[0] as { textDocument: { uri: string; version: number }; edits: TextEdit[] } | undefined;
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

  async function fix(name: string, code: string, title: string, eol: '\n' | '\r\n'): Promise<{ output: string; action: CodeAction }> {
    const input = readFileSync(join(GOLDEN, `${name}.in.yaml`), 'utf8').replace(/\n/g, eol);
    const u = uri();
    const diagnostics = await client.open(u, input);
    const target = diagnostics.find((d) => d.code === code);
    assert.ok(target, `${name}: a ${code} diagnostic (got ${diagnostics.map((d) => d.code)})`);
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: u },
      range: target.range,
      context: { diagnostics: diagnostics.filter((d) => d.code === code) },
    })) as CodeAction[];
    const action = actions.find((a) => a.title.includes(title));
    assert.ok(action, `${name}: an action "${title}" (got ${actions.map((a) => a.title).join(' | ')})`);
    assert.equal(action.kind, 'quickfix');
    return { output: applyEdits(input, editsOf(action, u, 1)), action };
  }

  for (const g of GOLDENS) {
    for (const eol of ['\n', '\r\n'] as const) {
      it(`${g.name}${eol === '\r\n' ? ' (CRLF)' : ''}`, async () => {
        const { output } = await fix(g.name, g.code, g.title, eol);
        const outFile = join(GOLDEN, `${g.name}.out.yaml`);
        if (process.env.UPDATE_GOLDEN && eol === '\n') writeFileSync(outFile, output);
        assert.ok(existsSync(outFile), `${outFile} exists`);
        assert.equal(output, readFileSync(outFile, 'utf8').replace(/\n/g, eol));
        if (eol === '\r\n') assert.ok(!/[^\r]\n/.test(output), 'only CRLF line endings');

        // The result parses, and the diagnostic the fix targets is gone.
        const after = await client.open(uri(), output);
        assert.ok(!after.some((d) => d.code === 'yaml-syntax'), 'parses');
        const before = readFileSync(join(GOLDEN, `${g.name}.in.yaml`), 'utf8');
        const targeted = (await client.open(uri(), before)).find((d) => d.code === g.code)!;
        const still = after.filter(
          (d: Diagnostic) => d.code === g.code && (g.title.startsWith('Add all') || (d.range.start.line === targeted.range.start.line && d.message === targeted.message)),
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
    const input = readFileSync(join(GOLDEN, 'add-all-secrets.in.yaml'), 'utf8');
    const u = uri();
    const diagnostics = await client.open(u, input);
    const missing = diagnostics.filter((d) => d.code === 'missing-secret');
    assert.equal(missing.length, 2);
    const titles = new Set<string>();
    for (const d of missing) {
      const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: u }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];
      for (const a of actions) titles.add(a.title);
    }
    assert.ok(titles.has('Add `ecr_key_id: null` to secrets'));
    assert.ok(titles.has('Add `ecr_secret: null` to secrets'));
    assert.ok([...titles].some((t) => t.startsWith('Add all missing secrets')));
  });

  it('offers no fix for a diagnostic from an older version of the document', async () => {
    const input = readFileSync(join(GOLDEN, 'secret-to-null.in.yaml'), 'utf8');
    const u = uri();
    const [old] = await client.open(u, input);
    await client.change(u, 2, [{ text: `# a new first line\n${input}` }]);
    const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: u }, range: old.range, context: { diagnostics: [old] } })) as CodeAction[];
    assert.deepEqual(actions.filter((a) => a.kind === 'quickfix'), []);
  });

  it('offers the credential command on a DOCKER_REGISTRY_ key', async () => {
    const text = 'model_name: m\nbase_image:\n  image: nvcr.io/nvidia/tritonserver:24.05-py3\nsecrets:\n  DOCKER_REGISTRY_nvcr.io: null\n';
    const u = uri();
    await client.open(u, text);
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: u },
      range: { start: { line: 4, character: 5 }, end: { line: 4, character: 5 } },
      context: { diagnostics: [] },
    })) as CodeAction[];
    const cmd = actions.find((a) => a.command?.command === 'trussConfig.createRegistryCredential');
    assert.ok(cmd);
    assert.deepEqual(cmd.command!.arguments, [{ secretName: 'DOCKER_REGISTRY_nvcr.io', user: '$oauthtoken' }]);
    const info = await client.connection.sendRequest('trussConfig/registryInfo', { uri: u });
    assert.deepEqual(info, { secretName: 'DOCKER_REGISTRY_nvcr.io', user: '$oauthtoken' });
  });
});
